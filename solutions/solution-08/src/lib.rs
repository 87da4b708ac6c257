//! # Exercise 08 · Best for: I/O-bound work
//!
//! Read first: the chapter "Best for: I/O-bound work" (`book/src/08-io-bound.md`;
//! `cargo xtask serve` shows the book).
//! Test your code: `cargo test -p exercise-08`
//! Measure it: `cargo xtask measure io --mine` (your four ways beside the
//! reference), or `cargo run --release -p exercise-08 --example io_throughput`
//! Stuck? `cargo xtask hint 08` gives a nudge, then a hint, then the solution.
//!
//! A request to a slow service spends nearly all its time *waiting*. Waiting
//! needs no CPU, so many requests can wait at once, even on one core. You
//! will fetch N resources from a local [`Server`] four ways:
//!
//! 1. [`fetch_sequential`]: one after the other (the baseline);
//! 2. [`fetch_threads`]: one scoped thread per request, all at once;
//! 3. [`fetch_pool`]: at most `workers` requests at once, from a fixed set of
//!    threads that share the list of requests;
//! 4. [`fetch_processes`]: worker processes, each fetching its share (the
//!    protocol of exercise 02, through [`course_support::worker`]).
//!
//! Each returns the bodies in the order of the names, or the first error in
//! that order. [`fetch_one`] (one request over one connection) is given, and
//! so is the server: the tests start one and ask it how many connections you
//! really had open at once.
//!
//! Write your code only between `// BEGIN YOUR CODE` and `// END YOUR CODE`.

use std::fmt;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::ExitCode;
use std::time::Duration;

use course_support::worker::{self, Program};

#[path = "../../../exercises/exercise-08/src/server.rs"]
pub mod server;

pub use server::{Server, ServerConfig, expected_body};

/// How long a client waits to connect, to send, or for an answer.
pub const CLIENT_TIMEOUT: Duration = Duration::from_secs(10);

/// Why a fetch failed. Its `Display` is one line.
#[derive(Debug)]
pub enum FetchError {
    /// Nobody answered at that address (connection refused, timed out).
    Connect { addr: SocketAddr, error: io::Error },
    /// The connection broke, or the answer did not come in time.
    Io { resource: String, error: io::Error },
    /// The server answered `ERR <message>`.
    Server { resource: String, message: String },
    /// The server answered something else, or nothing at all.
    BadAnswer { resource: String, answer: String },
    /// A worker process failed (its own one-line report).
    Worker(String),
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FetchError::Connect { addr, error } => {
                write!(f, "cannot connect to {addr}: {error}")
            }
            FetchError::Io { resource, error } => {
                write!(f, "fetching `{resource}` failed: {error}")
            }
            FetchError::Server { resource, message } => {
                write!(f, "the server refused `{resource}`: {message}")
            }
            FetchError::BadAnswer { resource, answer } => {
                write!(
                    f,
                    "the server answered `{resource}` with {answer:?}, not `OK <body>`"
                )
            }
            FetchError::Worker(report) => write!(f, "a worker process failed: {report}"),
        }
    }
}

impl std::error::Error for FetchError {}

// ANCHOR: fetch_one
/// Fetches one resource: connects, sends `GET <resource>`, reads one line.
/// Every step is bounded by [`CLIENT_TIMEOUT`], and the answer by 64 KiB.
pub fn fetch_one(addr: SocketAddr, resource: &str) -> Result<String, FetchError> {
    let io_error = |error| FetchError::Io {
        resource: resource.to_string(),
        error,
    };
    let mut stream = TcpStream::connect_timeout(&addr, CLIENT_TIMEOUT)
        .map_err(|error| FetchError::Connect { addr, error })?;
    stream
        .set_read_timeout(Some(CLIENT_TIMEOUT))
        .map_err(io_error)?;
    stream
        .set_write_timeout(Some(CLIENT_TIMEOUT))
        .map_err(io_error)?;
    stream
        .write_all(format!("GET {resource}\n").as_bytes())
        .map_err(io_error)?;
    let mut answer = String::new();
    BufReader::new(stream.take(64 * 1024))
        .read_line(&mut answer)
        .map_err(io_error)?;
    let line = answer.trim_end();
    if let Some(body) = line.strip_prefix("OK ") {
        Ok(body.to_string())
    } else if let Some(message) = line.strip_prefix("ERR ") {
        Err(FetchError::Server {
            resource: resource.to_string(),
            message: message.to_string(),
        })
    } else {
        let answer = if line.is_empty() {
            "nothing (it closed the connection)".to_string()
        } else {
            line.to_string()
        };
        Err(FetchError::BadAnswer {
            resource: resource.to_string(),
            answer,
        })
    }
}
// ANCHOR_END: fetch_one

// ANCHOR: fetch_sequential
/// Fetches every resource, one after the other.
pub fn fetch_sequential(
    addr: SocketAddr,
    names: &[String],
) -> Result<Vec<String>, FetchError> {
    // BEGIN YOUR CODE
    names.iter().map(|name| fetch_one(addr, name)).collect()
    // END YOUR CODE
}
// ANCHOR_END: fetch_sequential

// ANCHOR: fetch_threads
/// Fetches every resource at once: one scoped thread per name.
pub fn fetch_threads(
    addr: SocketAddr,
    names: &[String],
) -> Result<Vec<String>, FetchError> {
    // BEGIN YOUR CODE
    std::thread::scope(|scope| {
        let handles: Vec<_> = names
            .iter()
            .map(|name| scope.spawn(move || fetch_one(addr, name)))
            .collect();
        // Join them all before looking at any result: the first error in
        // the order of the names wins, not the first to happen.
        let results: Vec<_> = handles
            .into_iter()
            .map(|h| h.join().expect("fetch_one does not panic"))
            .collect();
        results.into_iter().collect()
    })
    // END YOUR CODE
}
// ANCHOR_END: fetch_threads

// ANCHOR: fetch_pool
/// Fetches every resource with at most `workers` requests open at once:
/// `workers` scoped threads (fewer if there are fewer names) that each take
/// the next name not yet taken, until none is left.
///
/// # Panics
/// If `workers` is 0.
pub fn fetch_pool(
    addr: SocketAddr,
    names: &[String],
    workers: usize,
) -> Result<Vec<String>, FetchError> {
    assert!(workers >= 1, "a pool needs at least 1 worker, got 0");
    // BEGIN YOUR CODE
    use std::sync::atomic::{AtomicUsize, Ordering};
    let next = AtomicUsize::new(0);
    let mut slots: Vec<Option<Result<String, FetchError>>> =
        (0..names.len()).map(|_| None).collect();
    std::thread::scope(|scope| {
        let next = &next;
        let handles: Vec<_> = (0..workers.min(names.len()))
            .map(|_| {
                scope.spawn(move || {
                    let mut done = Vec::new();
                    // Each index is taken exactly once, so this loop runs at
                    // most `names.len()` times in all.
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(name) = names.get(index) else { break };
                        done.push((index, fetch_one(addr, name)));
                    }
                    done
                })
            })
            .collect();
        for handle in handles {
            for (index, result) in handle.join().expect("fetch_one does not panic") {
                slots[index] = Some(result);
            }
        }
    });
    slots
        .into_iter()
        .map(|slot| slot.expect("every index was taken"))
        .collect()
    // END YOUR CODE
}
// ANCHOR_END: fetch_pool

// ANCHOR: fetch_processes
/// Fetches every resource with `processes` worker processes at once: cuts
/// `names` into that many contiguous shares (fewer if there are fewer
/// names), and sends each worker one request `fetch <addr> <name> <name>...`
/// with [`worker::run_workers`]. Each answers `ok <body> <body>...`.
///
/// A worker that fails becomes [`FetchError::Worker`] with its report.
///
/// # Panics
/// If `processes` is 0.
pub fn fetch_processes(
    worker: &Program,
    addr: SocketAddr,
    names: &[String],
    processes: usize,
) -> Result<Vec<String>, FetchError> {
    assert!(processes >= 1, "at least 1 worker process, got 0");
    // BEGIN YOUR CODE
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let share = names.len().div_ceil(processes);
    let requests: Vec<String> = names
        .chunks(share)
        .map(|chunk| format!("fetch {addr} {}", chunk.join(" ")))
        .collect();
    let answers = worker::run_workers(worker, &requests)
        .map_err(|e| FetchError::Worker(e.to_string()))?;
    let bodies: Vec<String> = answers
        .iter()
        .flat_map(|answer| answer.split_whitespace())
        .map(str::to_string)
        .collect();
    if bodies.len() != names.len() {
        return Err(FetchError::Worker(format!(
            "{} bodies came back for {} names",
            bodies.len(),
            names.len()
        )));
    }
    Ok(bodies)
    // END YOUR CODE
}
// ANCHOR_END: fetch_processes

// ANCHOR: worker
/// The worker process's answer to one request `fetch <addr> <name>...`: the
/// bodies, in order, separated by spaces, fetched one after the other.
pub fn worker_answer(request: &str) -> Result<String, String> {
    let mut words = request.split_whitespace();
    if words.next() != Some("fetch") {
        return Err(format!(
            "expected `fetch <addr> <name>...`, got `{request}`"
        ));
    }
    let addr: SocketAddr = words
        .next()
        .ok_or("`fetch` needs an address")?
        .parse()
        .map_err(|e| format!("a bad address in `{request}`: {e}"))?;
    let bodies: Vec<String> = words
        .map(|name| fetch_one(addr, name))
        .collect::<Result<_, _>>()
        .map_err(|e| e.to_string())?;
    Ok(bodies.join(" "))
}

/// The worker program's `main` (`src/main.rs`, and the example's workers):
/// serves `fetch` requests until its input ends.
pub fn worker_main<I: IntoIterator<Item = String>>(args: I) -> ExitCode {
    if let Some(extra) = args.into_iter().next() {
        eprintln!("error: the worker takes no arguments, got `{extra}`");
        return ExitCode::from(worker::BAD_REQUEST_EXIT);
    }
    worker::serve(worker_answer)
}
// ANCHOR_END: worker

/// The names `resource-0`, `resource-1`, ...: `count` of them.
pub fn resource_names(count: usize) -> Vec<String> {
    (0..count).map(|i| format!("resource-{i}")).collect()
}
