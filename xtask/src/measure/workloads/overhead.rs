//! `overhead`: what one worker costs, chapter 07. Each variant starts and
//! ends SIZE workers one after the other ([`solution_07::overhead`]): a std
//! thread, a scoped thread, a rayon task, a worker process (spawn, one
//! `ping`, wait), and for comparison one job through an already running
//! pool and a plain function call. The report gives the cost of one, and
//! each cost relative to a std thread's; its notes add the memory of an
//! idle thread and of an idle worker process (RSS and PSS, from `/proc`).

use std::cell::OnceCell;
use std::hint::black_box;

use solution_07::overhead::{self, Memory};

use super::crates::{self, Pool};
use super::{Counts, Items, Mode, Plan, PythonTwin, Spec, Variant, Workload};

pub const WORKLOAD: Workload = Workload {
    name: "overhead",
    about: "the fixed cost of one worker: SIZE spawns + joins of threads, rayon tasks and worker processes, \
            one after the other, against a pool's round trip and a plain call (chapter 07)",
    unit: "workers started per variant",
    default_size: 200,
    // A process costs about a millisecond: more than a minute is a mistake.
    max_size: 50_000,
    chapter: "07-overhead.md",
    // CPython's threads and its three ways to start a process; a process
    // with `spawn` costs tens of milliseconds, so Python starts a tenth.
    python: Some(PythonTwin {
        script: "overhead.py",
        size_divisor: 10,
        reference: Some("threading.Thread"),
    }),
    mode: Mode::Cost {
        x_label: "x",
        reference: "std thread",
    },
    counts: Counts::Own,
    items: Some(Items {
        name: "workers",
        per_run: |size, _| size,
        bytes_each: None,
    }),
    mine: Some(crates::CHAPTER_07.number),
    plan,
    reports: None,
};

/// How many idle threads and processes the memory notes average over.
const MEMORY_THREADS: usize = 64;
const MEMORY_PROCESSES: usize = 8;

/// The cheapest thing to compare with: an ordinary call the optimizer
/// cannot remove.
#[inline(never)]
fn plain_call() {
    black_box(black_box(0u64) + 1);
}

/// Runs `one` `size` times; the checksum is the count.
fn times(size: u64, one: impl Fn() -> Result<(), String>) -> Result<u64, String> {
    for _ in 0..size {
        one()?;
    }
    Ok(size)
}

fn plan(spec: &Spec) -> Plan {
    let size = spec.size;
    let worker = spec.worker_program(crates::CHAPTER_07.reference.name);
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let ok = |f: fn()| {
        move || {
            times(size, || {
                f();
                Ok(())
            })
        }
    };
    let mut variants = vec![Variant::new("plain call", 1, ok(plain_call))];
    for krate in crates::CHAPTER_07.crates(spec) {
        // Made on first use, inside the harness: a `todo!` in the learner's
        // `Pool::new` then reads as "not done yet".
        let pool: OnceCell<Box<dyn Pool>> = OnceCell::new();
        variants.push(krate.variant("pool round trip", 1, move || {
            pool.get_or_init(|| (krate.start)(cores)).round_trips(size);
            Ok(size)
        }));
    }
    variants.extend([
        Variant::new("rayon task", 1, ok(overhead::spawn_join_rayon)),
        Variant::new("scoped thread", 1, ok(overhead::spawn_join_scoped)),
        Variant::new("std thread", 1, ok(overhead::spawn_join_thread)),
        Variant::new("process", 1, {
            let worker = worker.clone();
            move || {
                times(size, || {
                    overhead::spawn_wait_process(&worker)
                        .map_err(|e| format!("the worker process failed: {e}"))
                })
            }
        }),
    ]);
    let mut plan = Plan::new(move || Ok(size), variants);
    plan.notes = Some(Box::new(move || {
        let show = |what: String, memory: Option<Memory>| match memory {
            Some(m) => format!(
                "{what}: RSS {:.0} KiB, PSS {}",
                m.rss_kib,
                m.pss_kib
                    .map_or("not available".to_string(), |p| format!("{p:.0} KiB"))
            ),
            None => format!("{what}: not available on this platform (no /proc)"),
        };
        let process = match overhead::process_memory(&worker, MEMORY_PROCESSES) {
            Ok(memory) => show(
                format!("memory of one idle worker process (mean of {MEMORY_PROCESSES})"),
                memory,
            ),
            Err(e) => format!(
                "memory of one idle worker process: not measured, the workers failed: {e}"
            ),
        };
        let program_size = std::fs::metadata(&worker.path)
            .map_or("size unknown".to_string(), |m| {
                format!("{:.1} MB", m.len() as f64 / 1e6)
            });
        vec![
            format!(
                "the worker process is this very program (`{}`, {program_size} on disk), started again with `__worker`",
                worker
                    .path
                    .file_name()
                    .map_or("?".into(), |n| n.to_string_lossy())
            ),
            show(
                format!(
                    "memory one idle thread adds to its process (mean of {MEMORY_THREADS})"
                ),
                overhead::thread_memory(MEMORY_THREADS),
            ),
            process,
        ]
    }));
    plan
}
