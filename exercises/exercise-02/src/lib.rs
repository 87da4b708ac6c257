//! # Exercise 02 · Memory, part 2: processes don't share
//!
//! Read first: the chapter "Memory, part 2" (`book/src/02-memory-processes.md`;
//! `cargo xtask serve` shows the book).
//! Test your code: `cargo test -p exercise-02`
//! Stuck? `cargo xtask hint 02` gives a nudge, then a hint, then the solution.
//!
//! A process cannot see another process's memory, so work and results must
//! travel as bytes. You will write both ends of a tiny protocol:
//!
//! 1. [`parse_request`]: turn one line of text into a [`Request`].
//! 2. [`serve`]: the worker's loop. It reads requests from its standard input
//!    and writes one answer per request to its standard output. The worker
//!    program (`src/main.rs`, already written) just calls it.
//! 3. [`ask_worker`]: the parent's side. It starts the worker program, sends
//!    it requests through a pipe and reads the answers back.
//!
//! The protocol, one line per message:
//!
//! | request        | answer    | meaning                                        |
//! |----------------|-----------|------------------------------------------------|
//! | `sum 1 2 3`    | `ok 6`    | add up the numbers (none at all gives 0)       |
//! | `served`       | `ok 1`    | how many `sum` requests *this process* served  |
//! | `crash`        | (none)    | abort at once, as a real bug would             |
//!
//! Anything else is malformed: the worker prints one line `error: ...` to its
//! standard error and exits with code 2.
//!
//! Write your code only between `// BEGIN YOUR CODE` and `// END YOUR CODE`.

use std::fmt;
use std::io::{self, BufRead, Write};
use std::path::Path;
use std::process::ExitStatus;
use std::sync::atomic::{AtomicU64, Ordering};

/// How many `sum` requests [`serve`] has answered in *this* process.
///
/// Every process has its own copy of this counter. Threads of one process
/// share it; a child process counts in its own copy, which its parent never
/// sees.
static SERVED: AtomicU64 = AtomicU64::new(0);

/// The value of this process's [`SERVED`] counter.
pub fn served_in_this_process() -> u64 {
    SERVED.load(Ordering::SeqCst)
}

/// One request of the protocol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// `sum 1 2 3`: add up these numbers.
    Sum(Vec<u64>),
    /// `served`: how many `sum` requests this process has answered.
    Served,
    /// `crash`: abort the worker process at once.
    Crash,
}

// ANCHOR: parse_request
/// Parses one request line. Words are separated by spaces.
///
/// Errors are one short sentence, for example `"x" is not a number` or
/// `unknown request "foo" (expected sum, served or crash)`; an empty line is
/// `empty request`.
pub fn parse_request(line: &str) -> Result<Request, String> {
    // BEGIN YOUR CODE
    // TODO: split the line into words. "sum" followed by numbers (maybe none)
    //       is `Request::Sum`; "served" and "crash" take no arguments. Return
    //       the error sentences described above for anything else.
    let _ = line;
    todo!(
        "exercise 02: write `parse_request` (chapter 02, book/src/02-memory-processes.md)"
    )
    // END YOUR CODE
}
// ANCHOR_END: parse_request

// ANCHOR: serve
/// The worker's loop: answers each line of `input` with one line on `output`.
///
/// * `sum`: adds the numbers (an overflow is an error: `the sum does not fit
///   in a u64`), counts the request in [`SERVED`] and answers `ok <sum>`.
/// * `served`: answers `ok <count>` from [`SERVED`].
/// * `crash`: calls [`std::process::abort`].
///
/// Flush `output` after every answer, so that the other end sees it at once.
/// The first malformed line stops the loop: return `Err("line N: <what is
/// wrong>")`, N counting from 1. Reaching the end of `input` is success.
pub fn serve(input: impl BufRead, mut output: impl Write) -> Result<(), String> {
    // BEGIN YOUR CODE
    // TODO: for each line of `input` (numbered from 1): parse it, answer it
    //       with `writeln!(output, "ok {}", value)` and flush. Count each sum
    //       in SERVED (`SERVED.fetch_add(1, Ordering::SeqCst)`). Return
    //       `Err(format!("line {n}: {error}"))` at the first bad line.
    todo!("exercise 02: write `serve` (chapter 02, book/src/02-memory-processes.md)")
    // END YOUR CODE
}
// ANCHOR_END: serve

/// Everything that can go wrong when asking a worker process.
#[derive(Debug)]
pub enum WorkerError {
    /// The worker program could not be started at all.
    Spawn { program: String, error: io::Error },
    /// Talking to it through its pipes failed.
    Pipe(io::Error),
    /// It ended badly: a non-zero exit code or a signal (a crash).
    /// `message` is the first line it wrote to its standard error.
    Failed { status: ExitStatus, message: String },
    /// It answered something that is not `ok <number>`.
    BadAnswer(String),
    /// It ended without answering every request.
    MissingAnswers { expected: usize, got: usize },
}

impl fmt::Display for WorkerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WorkerError::Spawn { program, error } => {
                write!(f, "cannot start worker {program}: {error}")
            }
            WorkerError::Pipe(error) => write!(f, "lost the pipe to the worker: {error}"),
            WorkerError::Failed { status, message } if message.is_empty() => {
                write!(f, "worker failed ({status}) without a message")
            }
            WorkerError::Failed { status, message } => {
                write!(f, "worker failed ({status}): {message}")
            }
            WorkerError::BadAnswer(line) => {
                write!(f, "worker answered {line:?}, expected `ok <number>`")
            }
            WorkerError::MissingAnswers { expected, got } => {
                write!(
                    f,
                    "worker answered {got} of {expected} requests and stopped"
                )
            }
        }
    }
}

impl std::error::Error for WorkerError {}

// ANCHOR: ask_worker
/// Starts the worker program `program`, sends it `requests` (one per line)
/// and returns the number of each `ok <number>` answer, in order.
///
/// * Pipe the child's stdin, stdout and stderr (`Stdio::piped()`).
/// * Write the requests from a *separate thread*, then drop the child's
///   stdin so that it sees the end of its input. Pipes hold only a few
///   kilobytes: a parent that writes everything before reading anything
///   deadlocks as soon as the child's answers fill their pipe.
/// * Read every answer, wait for the child, and turn each failure into the
///   matching [`WorkerError`]. A failure of the worker wins over missing
///   answers: report its status and the first line of its stderr.
pub fn ask_worker(program: &Path, requests: &[String]) -> Result<Vec<u64>, WorkerError> {
    // BEGIN YOUR CODE
    // TODO: spawn `program` with piped stdin, stdout and stderr; write the
    //       requests from another thread and drop stdin; read stdout and
    //       stderr; wait; turn each failure into a `WorkerError`.
    //       (`use std::process::{Command, Stdio};` and `use std::io::Read;`
    //       inside this function bring in what you need.)
    todo!("exercise 02: write `ask_worker` (chapter 02, book/src/02-memory-processes.md)")
    // END YOUR CODE
}
// ANCHOR_END: ask_worker
