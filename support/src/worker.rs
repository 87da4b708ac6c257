//! Worker processes that speak the course's line protocol.
//!
//! The protocol (the same one exercise 02 builds by hand) is plain text over
//! the child's stdin and stdout, one line each way:
//!
//! * a **request** is one line, `<command> <args...>`, for example
//!   `inside 0 1000000`;
//! * the **response** is one line, `ok <value>`;
//! * a request the worker cannot understand makes it print one line
//!   `error: ...` to its stderr and exit with code 2.
//!
//! This module is the one home of that plumbing for the exercises after 02,
//! where the pipes are not the lesson:
//!
//! * the parent's side, [`run_workers`]: start one child per request, send
//!   each its request, collect every answer, and turn a crash or a bad exit
//!   into a one-line [`WorkerError`] that quotes the worker's own stderr;
//! * the child's side, [`serve`]: the loop that reads requests and answers
//!   them until its stdin closes.
//!
//! The parent waits for *every* child before it returns, even when one of
//! them failed, so no process is left behind; a child that never answers is
//! killed at a deadline ([`run_workers_within`]). A worker never waits for more
//! input than one line per request, and the parent closes each child's stdin
//! right after its request, so a worker that misreads a request exits instead
//! of hanging.

use std::ffi::{OsStr, OsString};
use std::fmt;
use std::io::{self, BufRead, Write};
use std::path::PathBuf;
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

/// The exit code of a worker that got a request it cannot understand.
pub const BAD_REQUEST_EXIT: u8 = 2;

/// How to start a worker process: a program and the arguments it needs.
///
/// ```
/// let worker = course_support::worker::Program::new("my-worker").arg("--verbose");
/// assert_eq!(worker.to_string(), "my-worker --verbose");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Program {
    pub path: PathBuf,
    pub args: Vec<OsString>,
}

impl Program {
    pub fn new(path: impl Into<PathBuf>) -> Program {
        Program {
            path: path.into(),
            args: Vec::new(),
        }
    }

    /// Adds one argument (builder style).
    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Program {
        self.args.push(arg.as_ref().to_os_string());
        self
    }

    fn command(&self) -> Command {
        let mut command = Command::new(&self.path);
        command.args(&self.args);
        command
    }
}

impl fmt::Display for Program {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        for arg in &self.args {
            write!(f, " {}", arg.to_string_lossy())?;
        }
        Ok(())
    }
}

/// Why a worker gave no answer. Its `Display` is one line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkerError {
    /// Which worker (0 is the first request).
    pub worker: usize,
    /// The request it was sent.
    pub request: String,
    /// What went wrong, with the worker's own stderr line when it gave one.
    pub problem: String,
}

impl fmt::Display for WorkerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "worker {} (request `{}`): {}",
            self.worker, self.request, self.problem
        )
    }
}

impl std::error::Error for WorkerError {}

/// Starts one worker process per request, sends each its request, and
/// returns their answers (the `<value>` of `ok <value>`) in request order.
///
/// All workers are started before any answer is read, so they run at the
/// same time. Every child is waited for, even after a failure; the first
/// failure (in request order) is returned.
///
/// # Errors
/// A worker that cannot be started, exits with an error, crashes, or answers
/// something other than one `ok <value>` line.
pub fn run_workers(
    program: &Program,
    requests: &[String],
) -> Result<Vec<String>, WorkerError> {
    run_workers_within(program, requests, WORKER_LIMIT)
}

/// How long [`run_workers`] waits for its workers at most. Far longer than
/// any job of this course takes; it only guarantees that a worker that
/// never answers cannot hang its parent forever.
pub const WORKER_LIMIT: Duration = Duration::from_secs(3600);

/// [`run_workers`], waiting at most `limit` for all the answers together. A
/// worker still running then is killed, and reported as a [`WorkerError`]
/// that says so.
pub fn run_workers_within(
    program: &Program,
    requests: &[String],
    limit: Duration,
) -> Result<Vec<String>, WorkerError> {
    let deadline = Instant::now() + limit;
    let mut children: Vec<Result<Child, WorkerError>> =
        Vec::with_capacity(requests.len());
    for (worker, request) in requests.iter().enumerate() {
        children.push(start(program, worker, request));
    }
    // Collect every child, so that none is left running, then report.
    let answers: Vec<Result<String, WorkerError>> = children
        .into_iter()
        .zip(requests)
        .enumerate()
        .map(|(worker, (child, request))| {
            child.and_then(|child| collect(child, worker, request, deadline, limit))
        })
        .collect();
    answers.into_iter().collect()
}

fn start(program: &Program, worker: usize, request: &str) -> Result<Child, WorkerError> {
    let fail = |problem: String| WorkerError {
        worker,
        request: request.to_string(),
        problem,
    };
    if request.contains('\n') {
        return Err(fail("a request must be one line".into()));
    }
    let mut child = program
        .command()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| fail(format!("cannot start `{program}`: {e}")))?;
    // Send the request and close stdin: the worker sees end of input after
    // it. A worker that already died shows up when it is collected.
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let _ = writeln!(stdin, "{request}");
    drop(stdin);
    Ok(child)
}

fn collect(
    child: Child,
    worker: usize,
    request: &str,
    deadline: Instant,
    limit: Duration,
) -> Result<String, WorkerError> {
    let fail = |problem: String| WorkerError {
        worker,
        request: request.to_string(),
        problem,
    };
    let output = crate::child::wait_until(child, deadline)
        .map_err(|e| fail(format!("lost the worker: {e}")))?;
    let Some(status) = output.status else {
        return Err(fail(format!(
            "gave no answer within {limit:?}, so it was stopped"
        )));
    };
    let (stdout, stderr) = (&output.stdout, &output.stderr);
    let said = stderr
        .lines()
        .find(|line| !line.trim().is_empty())
        .map(str::trim);
    if !status.success() {
        return Err(fail(match said {
            Some(line) => format!("exited with {status}: {line}"),
            None => format!("exited with {status} and printed nothing to stderr"),
        }));
    }
    let lines: Vec<&str> = stdout.lines().collect();
    match lines.as_slice() {
        [line] => match line.strip_prefix("ok ") {
            Some(value) => Ok(value.trim().to_string()),
            None => Err(fail(format!("answered `{line}` instead of `ok <value>`"))),
        },
        [] => Err(fail("exited without an answer".into())),
        _ => Err(fail(format!(
            "answered {} lines to one request, instead of one",
            lines.len()
        ))),
    }
}

/// The worker's side: reads requests from stdin, one per line, and answers
/// each with `ok <value>` on stdout, until stdin closes.
///
/// `handle` gets the request line and returns the value, or the reason it
/// cannot understand the request; then this prints `error: <reason>` to
/// stderr and returns exit code 2 at once. Empty lines are skipped.
///
/// Use it as the whole `main` of a worker binary:
///
/// ```no_run
/// use std::process::ExitCode;
/// fn main() -> ExitCode {
///     course_support::worker::serve(|request| match request {
///         "ping" => Ok("pong".to_string()),
///         other => Err(format!("unknown request `{other}`")),
///     })
/// }
/// ```
pub fn serve<F>(handle: F) -> ExitCode
where
    F: FnMut(&str) -> Result<String, String>,
{
    serve_on(
        io::stdin().lock(),
        io::stdout().lock(),
        io::stderr().lock(),
        handle,
    )
}

/// [`serve`] on any reader and writers (so that it can be tested).
pub fn serve_on<R, W, E, F>(
    input: R,
    mut output: W,
    mut errors: E,
    mut handle: F,
) -> ExitCode
where
    R: BufRead,
    W: Write,
    E: Write,
    F: FnMut(&str) -> Result<String, String>,
{
    for line in input.lines() {
        let line = match line {
            Ok(line) => line,
            Err(e) => {
                let _ = writeln!(errors, "error: cannot read the request: {e}");
                return ExitCode::from(BAD_REQUEST_EXIT);
            }
        };
        let request = line.trim();
        if request.is_empty() {
            continue;
        }
        match handle(request) {
            Ok(value) => {
                // The answer must stay one line.
                let value = value.replace('\n', " ");
                if writeln!(output, "ok {value}")
                    .and_then(|()| output.flush())
                    .is_err()
                {
                    return ExitCode::FAILURE; // the parent is gone
                }
            }
            Err(reason) => {
                let _ = writeln!(errors, "error: {}", reason.replace('\n', " "));
                return ExitCode::from(BAD_REQUEST_EXIT);
            }
        }
    }
    ExitCode::SUCCESS
}

/// The program that is running now, as a worker [`Program`] with `args`:
/// for a binary that starts copies of itself as workers.
pub fn this_program<I, S>(args: I) -> io::Result<Program>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut program = Program::new(std::env::current_exe()?);
    for arg in args {
        program = program.arg(arg);
    }
    Ok(program)
}

/// Parses a request `<command> <lo> <hi>` into its parts, for workers whose
/// requests name a half-open range of numbers.
///
/// ```
/// use course_support::worker::parse_range_request;
/// assert_eq!(parse_range_request("inside 10 20"), Ok(("inside", 10..20)));
/// assert!(parse_range_request("inside 20 10").is_err());
/// assert!(parse_range_request("inside ten 20").is_err());
/// ```
pub fn parse_range_request(
    request: &str,
) -> Result<(&str, std::ops::Range<u64>), String> {
    let words: Vec<&str> = request.split_whitespace().collect();
    let [command, lo, hi] = words.as_slice() else {
        return Err(format!("expected `<command> <lo> <hi>`, got `{request}`"));
    };
    let number = |word: &str| {
        word.parse::<u64>()
            .map_err(|_| format!("`{word}` is not a whole number (in `{request}`)"))
    };
    let (lo, hi) = (number(lo)?, number(hi)?);
    if lo > hi {
        return Err(format!(
            "the range {lo}..{hi} runs backwards (in `{request}`)"
        ));
    }
    Ok((command, lo..hi))
}

#[cfg(test)]
mod tests;
