//! Helpers shared by this exercise's test files.
#![allow(dead_code)]

use std::path::PathBuf;
use std::time::Duration;

use exercise_10::supervisor::{Config, Program};

pub const CHAPTER: &str =
    "Read chapter 10, \"Fault isolation\" (book/src/10-fault-isolation.md).";

/// This package's worker program, built by cargo for the tests.
pub const WORKER: &str = env!(concat!("CARGO_BIN_EXE_", env!("CARGO_PKG_NAME")));

/// Runs `work` under a watchdog, so that a stuck supervisor fails the test
/// with `hint` instead of hanging it.
pub fn watched<T, F>(what: &str, hint: &str, work: F) -> T
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    course_support::watchdog(
        Duration::from_secs(60),
        what,
        &format!("{hint} {CHAPTER}"),
        work,
    )
}

/// The supervisor's settings in these tests. The timeout is behaviour, not
/// a speed test: a healthy job answers in microseconds, and 2 s leaves room
/// for a loaded machine.
pub fn config(workers: usize, retries: u32) -> Config {
    Config {
        workers,
        timeout: Duration::from_secs(2),
        retries,
    }
}

/// A fresh, empty folder in which every worker writes a file named after
/// its process id.
pub fn pid_dir(test: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("exercise-10-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("make a temporary folder");
    dir
}

/// The worker program, told to note its process id in `dir`.
pub fn worker_noting_pids(dir: &PathBuf) -> Program {
    Program::new(WORKER).arg("--pid-dir").arg(dir)
}

/// Checks that every worker that noted its id in `dir` is gone: exited and
/// reaped (on Linux, where `/proc` shows it; elsewhere this checks nothing).
pub fn assert_all_workers_gone(dir: &PathBuf) {
    let pids: Vec<String> = std::fs::read_dir(dir)
        .expect("read the pid folder")
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!pids.is_empty(), "no worker was started. {CHAPTER}");
    if cfg!(target_os = "linux") {
        for pid in &pids {
            assert!(
                !std::path::Path::new("/proc").join(pid).exists(),
                "worker process {pid} is still there after `supervise` returned: kill a hung worker, and wait for \
                 (reap) every worker, even a dead one. {CHAPTER}"
            );
        }
    }
    let _ = std::fs::remove_dir_all(dir);
}
