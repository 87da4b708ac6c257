//! What two test files of exercise 02 share: the chapter, the worker
//! program, and `ask_worker` under a watchdog with its one hint.

use std::path::Path;

use exercise_02::{WorkerError, ask_worker};

pub const CHAPTER: &str =
    "Read chapter 02, \"Memory, part 2\" (book/src/02-memory-processes.md).";

/// This package's worker program, built by cargo for the tests.
pub const WORKER: &str = env!(concat!("CARGO_BIN_EXE_", env!("CARGO_PKG_NAME")));

/// What to look at when `ask_worker` fails or hangs.
pub const ASK_WORKER_HINT: &str = "did you drop the child's stdin after writing? The worker \
     reads until its input ends. And write from a separate thread: pipes hold only a few \
     kilobytes.";

/// `ask_worker` under a watchdog: a parent and child that wait for each
/// other fail the test with an explanation instead of hanging it.
#[track_caller]
pub fn ask(lines: Vec<String>) -> Result<Vec<u64>, WorkerError> {
    course_support::watchdog(
        course_support::DEFAULT_LIMIT,
        "ask_worker",
        &format!("{ASK_WORKER_HINT} {CHAPTER}"),
        move || ask_worker(Path::new(WORKER), &lines),
    )
}
