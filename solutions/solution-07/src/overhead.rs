//! What the chapter "Overhead" measures (given code: nothing to write here).
//!
//! * The fixed cost of one worker: [`spawn_join_thread`],
//!   [`spawn_join_scoped`], [`spawn_join_rayon`] and [`spawn_wait_process`],
//!   against one job through a running pool: [`pool_round_trip`].
//! * The memory one worker costs: [`thread_memory`] and [`process_memory`],
//!   from `/proc` on Linux ([`Memory`]).
//! * One batch of equal tasks, run four ways: [`sequential`],
//!   [`thread_per_task`], [`with_pool`] (your [`Pool`]) and [`with_rayon`].
//!   Where each way wins depends on the size of a task: the crossover.
//!
//! `cargo run --release -p exercise-07 --example overhead` prints them all,
//! and `cargo bench -p exercise-07` times the batch with criterion.

use std::hint::black_box;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::{Arc, Barrier};
use std::thread;

use course_support::worker::Program;
use rayon::prelude::*;

use crate::Pool;

// ANCHOR: spawn_costs
/// Starts one std thread that does nothing, and joins it.
pub fn spawn_join_thread() {
    thread::spawn(|| black_box(0u64))
        .join()
        .expect("the empty thread panicked");
}

/// Starts one scoped thread that does nothing; the scope joins it.
pub fn spawn_join_scoped() {
    thread::scope(|scope| {
        scope.spawn(|| black_box(0u64));
    });
}

/// Hands one empty task to rayon's (already running) pool and waits for it.
pub fn spawn_join_rayon() {
    rayon::scope(|scope| {
        scope.spawn(|_| {
            black_box(0u64);
        })
    });
}

/// Starts one worker process, sends it one `ping`, reads its `ok pong`,
/// closes its input and waits for it to exit.
pub fn spawn_wait_process(worker: &Program) -> std::io::Result<()> {
    let mut child = Command::new(&worker.path)
        .args(&worker.args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let answer = ping(&mut child);
    drop(child.stdin.take());
    let status = child.wait()?;
    answer?;
    if !status.success() {
        return Err(std::io::Error::other(format!(
            "the worker exited with {status}"
        )));
    }
    Ok(())
}
// ANCHOR_END: spawn_costs

// ANCHOR: pool_round_trip
/// Hands one empty job to an already running pool and waits for it: the
/// round trip a pool pays per job instead of a spawn and a join.
pub fn pool_round_trip(pool: &Pool) {
    let (done, finished) = std::sync::mpsc::sync_channel(1);
    pool.execute(move || {
        let _ = done.send(black_box(0u64));
    });
    finished.recv().expect("the pool dropped the job");
}
// ANCHOR_END: pool_round_trip

/// Sends `ping` and checks the answer `ok pong`.
fn ping(child: &mut std::process::Child) -> std::io::Result<()> {
    let stdin = child.stdin.as_mut().expect("stdin is piped");
    writeln!(stdin, "ping")?;
    stdin.flush()?;
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().expect("stdout is piped"))
        .read_line(&mut line)?;
    if line.trim() != "ok pong" {
        return Err(std::io::Error::other(format!(
            "the worker answered {line:?} to a ping"
        )));
    }
    Ok(())
}

/// The worker program's `main` (`src/main.rs`, and the example's workers):
/// answers `ping` with `ok pong` until its input ends. It takes no
/// arguments.
pub fn worker_main<I: IntoIterator<Item = String>>(args: I) -> std::process::ExitCode {
    if let Some(extra) = args.into_iter().next() {
        eprintln!("error: the worker takes no arguments, got `{extra}`");
        return std::process::ExitCode::from(course_support::worker::BAD_REQUEST_EXIT);
    }
    course_support::worker::serve(worker_answer)
}

/// The worker program's answer to one request: `ping` is answered `pong`.
pub fn worker_answer(request: &str) -> Result<String, String> {
    match request {
        "ping" => Ok("pong".to_string()),
        other => Err(format!(
            "unknown request `{other}` (this worker only answers `ping`)"
        )),
    }
}

/// Memory use of one process, from `/proc/<pid>/status` and
/// `/proc/<pid>/smaps_rollup` (Linux only).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Memory {
    /// Resident set size: every page the process has in RAM, shared or not.
    pub rss_kib: f64,
    /// Proportional set size: each shared page divided among its sharers.
    /// `None` where the kernel has no `smaps_rollup` (before Linux 4.14).
    pub pss_kib: Option<f64>,
}

/// The memory of process `pid`, or `None` where `/proc` is not available
/// (macOS, Windows): the caller prints "not available" instead.
pub fn memory_of(pid: u32) -> Option<Memory> {
    let field = |file: &str, name: &str| -> Option<f64> {
        let text = std::fs::read_to_string(format!("/proc/{pid}/{file}")).ok()?;
        let line = text.lines().find(|line| line.starts_with(name))?;
        line.split_whitespace().nth(1)?.parse().ok()
    };
    let rss_kib = field("status", "VmRSS:")?;
    Some(Memory {
        rss_kib,
        pss_kib: field("smaps_rollup", "Pss:"),
    })
}

// ANCHOR: thread_memory
/// What one idle thread adds to this process's memory: starts `threads`
/// threads that each touch a little of their stack and then wait, and
/// divides the growth by `threads`. `None` where `/proc` is not available.
pub fn thread_memory(threads: usize) -> Option<Memory> {
    let before = memory_of(std::process::id())?;
    let started = Arc::new(Barrier::new(threads + 1));
    let release = Arc::new(Barrier::new(threads + 1));
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let (started, release) = (Arc::clone(&started), Arc::clone(&release));
            thread::spawn(move || {
                black_box([0u8; 1024]);
                started.wait();
                release.wait();
            })
        })
        .collect();
    started.wait();
    let during = memory_of(std::process::id());
    release.wait();
    for handle in handles {
        handle.join().expect("an idle thread panicked");
    }
    let during = during?;
    let per = |after: f64, before: f64| (after - before).max(0.0) / threads as f64;
    Some(Memory {
        rss_kib: per(during.rss_kib, before.rss_kib),
        pss_kib: during
            .pss_kib
            .zip(before.pss_kib)
            .map(|(after, before)| per(after, before)),
    })
}
// ANCHOR_END: thread_memory

/// What one idle worker process costs: starts `processes` workers, pings
/// each (so it is fully started), and averages their own memory. `None`
/// where `/proc` is not available.
pub fn process_memory(
    worker: &Program,
    processes: usize,
) -> std::io::Result<Option<Memory>> {
    let mut children = Vec::with_capacity(processes);
    let mut outcome = Ok(());
    for _ in 0..processes {
        let spawned = Command::new(&worker.path)
            .args(&worker.args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn();
        match spawned {
            Ok(mut child) => {
                let answered = ping(&mut child);
                children.push(child);
                if let Err(error) = answered {
                    outcome = Err(error);
                    break;
                }
            }
            Err(error) => {
                outcome = Err(error);
                break;
            }
        }
    }
    let memories: Vec<Option<Memory>> =
        children.iter().map(|child| memory_of(child.id())).collect();
    // Closing stdin ends each worker; wait for all of them, even after an error.
    for mut child in children {
        drop(child.stdin.take());
        let _ = child.wait();
    }
    outcome?;
    let memories: Option<Vec<Memory>> = memories.into_iter().collect();
    Ok(memories.filter(|m| !m.is_empty()).map(|memories| {
        let n = memories.len() as f64;
        let pss: Option<Vec<f64>> = memories.iter().map(|m| m.pss_kib).collect();
        Memory {
            rss_kib: memories.iter().map(|m| m.rss_kib).sum::<f64>() / n,
            pss_kib: pss.map(|pss| pss.iter().sum::<f64>() / n),
        }
    }))
}

// ANCHOR: task
/// One task of a given size: `units` rounds of a cheap, deterministic mix.
/// One unit is a few nanoseconds, so 1 000 units are a few microseconds.
pub fn task(units: u64) -> u64 {
    let mut x = black_box(units) | 1;
    for _ in 0..units {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    x
}
// ANCHOR_END: task

// ANCHOR: batch
/// The batch, one task after the other: the answer the others must match.
pub fn sequential(tasks: usize, units: u64) -> u64 {
    (0..tasks).map(|_| task(units)).fold(0, u64::wrapping_add)
}

/// One new thread per task: pays a spawn and a join for every task.
pub fn thread_per_task(tasks: usize, units: u64) -> u64 {
    let handles: Vec<_> = (0..tasks)
        .map(|_| thread::spawn(move || task(units)))
        .collect();
    handles
        .into_iter()
        .map(|h| h.join().expect("a task panicked"))
        .fold(0, u64::wrapping_add)
}

/// Every task through your pool: a channel send and receive per task.
pub fn with_pool(pool: &Pool, tasks: usize, units: u64) -> u64 {
    pool.map(vec![units; tasks], task)
        .into_iter()
        .map(|result| result.expect("a task panicked"))
        .fold(0, u64::wrapping_add)
}

/// Every task through rayon, which splits the batch into a few big pieces
/// and steals work only when a thread runs dry.
pub fn with_rayon(tasks: usize, units: u64) -> u64 {
    (0..tasks)
        .into_par_iter()
        .map(|_| task(units))
        .reduce(|| 0, u64::wrapping_add)
}
// ANCHOR_END: batch
