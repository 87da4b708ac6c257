//! Waiting for a child process with a deadline: the one home of the
//! "drain both pipes, poll, kill when the time is up" loop that the worker
//! protocol ([`crate::worker`]), the loom child runs ([`crate::loom_child`])
//! and the book's Run button (`xtask/src/play.rs`, which also caps the
//! output) all need. Plumbing, not a lesson.

use std::io::{self, Read};
use std::process::{Child, ExitStatus};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// How a child ended, and everything it wrote.
#[derive(Debug)]
pub struct Finished {
    /// Its exit status, or `None` if it was still running at the deadline
    /// and was killed.
    pub status: Option<ExitStatus>,
    pub stdout: String,
    pub stderr: String,
}

/// Which of a child's pipes some bytes came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// Waits for `child` until `deadline`, reading its piped stdout and stderr
/// meanwhile (on threads of their own, so that a chatty child never blocks
/// on a full pipe). A child still running at the deadline is killed and
/// reaped. Pipes that were not piped read as empty.
pub fn wait_until(child: Child, deadline: Instant) -> io::Result<Finished> {
    let output = Arc::new(Mutex::new([Vec::new(), Vec::new()]));
    let sink = Arc::clone(&output);
    let status = wait_reading(child, deadline, move |stream, bytes| {
        sink.lock().unwrap()[stream as usize].extend_from_slice(bytes);
        true
    })?;
    let [stdout, stderr] = std::mem::take(&mut *output.lock().unwrap());
    Ok(Finished {
        status,
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    })
}

/// The loop itself: waits for `child` until `deadline`, handing every chunk
/// its piped stdout and stderr give to `take`, as it comes, from a thread
/// per pipe. When `take` returns `false` (enough output), or at the
/// deadline, the child is killed and reaped and the status is `None`.
pub fn wait_reading(
    mut child: Child,
    deadline: Instant,
    take: impl Fn(Stream, &[u8]) -> bool + Send + Sync + 'static,
) -> io::Result<Option<ExitStatus>> {
    let take = Arc::new(take);
    let enough = Arc::new(AtomicBool::new(false));
    let boxed = |pipe| -> Box<dyn Read + Send> { pipe };
    let pipes = [
        (
            Stream::Stdout,
            child.stdout.take().map(|p| boxed(Box::new(p))),
        ),
        (
            Stream::Stderr,
            child.stderr.take().map(|p| boxed(Box::new(p))),
        ),
    ];
    let readers: Vec<_> = pipes
        .into_iter()
        .filter_map(|(stream, pipe)| Some((stream, pipe?)))
        .map(|(stream, mut pipe)| {
            let (take, enough) = (Arc::clone(&take), Arc::clone(&enough));
            thread::spawn(move || {
                let mut chunk = [0u8; 4096];
                while let Ok(n @ 1..) = pipe.read(&mut chunk) {
                    if !take(stream, &chunk[..n]) {
                        enough.store(true, Ordering::SeqCst);
                        break;
                    }
                }
            })
        })
        .collect();
    let status = loop {
        let stop = Instant::now() >= deadline || enough.load(Ordering::SeqCst);
        match child.try_wait() {
            Ok(Some(status)) => break Ok(Some(status)),
            Ok(None) if !stop => thread::sleep(Duration::from_millis(5)),
            outcome => {
                let _ = child.kill();
                let _ = child.wait();
                break outcome.map(|_| None);
            }
        }
    };
    for reader in readers {
        let _ = reader.join();
    }
    // A child cut off by `take` may die of its closed pipe before the kill.
    match enough.load(Ordering::SeqCst) {
        true => status.map(|_| None),
        false => status,
    }
}
