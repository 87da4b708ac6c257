//! # Exercise 05 · Parallelism vs concurrency: split one job three ways
//!
//! Read first: the chapter "Parallelism vs concurrency"
//! (`book/src/05-parallelism.md`; `cargo xtask serve` shows the book).
//! Test your code: `cargo test -p exercise-05`
//! Measure it: `cargo xtask measure cpu --mine` (and `cargo bench -p exercise-05`)
//! Stuck? `cargo xtask hint 05` gives a nudge, then a hint, then the solution.
//!
//! A *job* here is any function that takes a range of numbers and returns a
//! checksum, like [`count_inside`]. Running it on the whole range is the
//! sequential answer. You will get the same answer faster by splitting the
//! range over several workers, three ways:
//!
//! 1. [`sum_threads`]: scoped threads, one per piece of the range;
//! 2. [`sum_rayon`]: rayon, in a pool of exactly `workers` threads;
//! 3. [`sum_processes`]: worker processes, one per piece, each sent its piece
//!    over a pipe (the protocol of exercise 02, through
//!    [`course_support::worker`]).
//!
//! The checksums of the pieces add up to the checksum of the whole range.
//! Write your code only between `// BEGIN YOUR CODE` and `// END YOUR CODE`.

use std::ops::Range;
use std::process::ExitCode;

use course_support::worker::{self, Program, WorkerError};

// ANCHOR: count_inside
/// The CPU-bound job: how many of the points with the given numbers fall
/// inside the quarter circle of radius 1 (a Monte Carlo estimate of pi:
/// about `pi / 4` of all points do).
///
/// Point `i` is made from the 64 bits of [`mix`]`(i)`: the high 32 bits are
/// `x`, the low 32 bits `y`, both read as fractions of 2^32. The point is
/// inside when `x * x + y * y < 2^64`. Every point costs the same, so equal
/// pieces of the range are equal work.
pub fn count_inside(points: Range<u64>) -> u64 {
    let mut inside = 0;
    for i in points {
        let bits = mix(i);
        let (x, y) = (bits >> 32, bits & 0xffff_ffff);
        // x * x and y * y fit in 64 bits; their sum is below 2^64 exactly
        // when adding them does not overflow.
        inside += u64::from(!(x * x).overflowing_add(y * y).1);
    }
    inside
}
// ANCHOR_END: count_inside

/// SplitMix64's output function: turns `i` into 64 well-mixed bits. The same
/// `i` always gives the same bits, so every run gets the same checksum.
pub fn mix(i: u64) -> u64 {
    let mut z = i.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// How long one simulated request of [`wait_for_replies`] waits.
pub const REPLY_LATENCY: std::time::Duration = std::time::Duration::from_millis(1);

/// The I/O-bound job: for each number, "send a request" and wait
/// [`REPLY_LATENCY`] for its reply (a sleep stands in for the network). The
/// CPU is idle meanwhile. The checksum adds up the top 24 bits of [`mix`]
/// of each number, so a skipped or repeated request changes it.
pub fn wait_for_replies(requests: Range<u64>) -> u64 {
    let mut checksum = 0;
    for i in requests {
        std::thread::sleep(REPLY_LATENCY);
        checksum += mix(i) >> 40;
    }
    checksum
}

/// The jobs a worker process can run, by the name a request gives them:
/// `inside` is [`count_inside`], `wait` is [`wait_for_replies`].
pub fn job_named(name: &str) -> Option<fn(Range<u64>) -> u64> {
    match name {
        "inside" => Some(count_inside),
        "wait" => Some(wait_for_replies),
        _ => None,
    }
}

/// Cuts `range` into at most `parts` contiguous pieces of nearly equal
/// length (they differ by at most 1), in order, none of them empty.
///
/// ```
/// assert_eq!(solution_05::split(0..10, 3), vec![0..4, 4..7, 7..10]);
/// assert_eq!(solution_05::split(5..7, 4), vec![5..6, 6..7]);
/// assert!(solution_05::split(3..3, 2).is_empty());
/// ```
///
/// # Panics
/// If `parts` is 0.
pub fn split(range: Range<u64>, parts: usize) -> Vec<Range<u64>> {
    assert!(parts >= 1, "cannot split into 0 parts");
    let len = range.end.saturating_sub(range.start);
    let parts = (parts as u64).min(len);
    let mut pieces = Vec::with_capacity(parts as usize);
    let mut start = range.start;
    for k in 0..parts {
        // The first `len % parts` pieces get one number more.
        let piece = len / parts + u64::from(k < len % parts);
        pieces.push(start..start + piece);
        start += piece;
    }
    pieces
}

// ANCHOR: sum_threads
/// Runs `job` on `range` split into `workers` pieces ([`split`]), each piece
/// on its own scoped thread, all at the same time, and adds up their
/// checksums.
///
/// # Panics
/// If `workers` is 0, or if `job` panics.
pub fn sum_threads<F>(range: Range<u64>, workers: usize, job: F) -> u64
where
    F: Fn(Range<u64>) -> u64 + Sync,
{
    assert!(workers >= 1, "workers must be at least 1, got 0");
    // BEGIN YOUR CODE
    let job = &job;
    std::thread::scope(|scope| {
        // Start every thread first, then join them: joining inside the
        // same loop would run the pieces one after the other.
        let handles: Vec<_> = split(range, workers)
            .into_iter()
            .map(|piece| scope.spawn(move || job(piece)))
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().expect("a worker thread panicked"))
            .sum()
    })
    // END YOUR CODE
}
// ANCHOR_END: sum_threads

// ANCHOR: sum_rayon
/// Runs `job` on `range` with rayon, in a thread pool of exactly `workers`
/// threads (not rayon's global pool, whose size you do not choose), and adds
/// up the checksums. Let rayon decide how to cut the range.
///
/// # Panics
/// If `workers` is 0, if the pool cannot be built, or if `job` panics.
pub fn sum_rayon<F>(range: Range<u64>, workers: usize, job: F) -> u64
where
    F: Fn(Range<u64>) -> u64 + Sync,
{
    assert!(workers >= 1, "workers must be at least 1, got 0");
    // BEGIN YOUR CODE
    use rayon::prelude::*;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(workers)
        .build()
        .expect("cannot build a rayon pool");
    pool.install(|| {
        // `rayon::iter::split` first cuts the range into enough pieces for
        // every thread of the pool, then again whenever an idle thread
        // steals one; each piece it ends up with runs `job` once.
        rayon::iter::split(range, |piece| {
            let middle = piece.start + (piece.end - piece.start) / 2;
            if middle == piece.start {
                (piece, None)
            } else {
                (piece.start..middle, Some(middle..piece.end))
            }
        })
        .map(&job)
        .sum()
    })
    // END YOUR CODE
}
// ANCHOR_END: sum_rayon

// ANCHOR: sum_processes
/// Runs the job named `job` (see [`job_named`]) on `range` in `workers`
/// worker processes started from `worker`: one process per piece of
/// [`split`], each sent the request `"<job> <start> <end>"`. Each answers
/// `ok <checksum>`; adds up the checksums.
///
/// [`course_support::worker::run_workers`] starts the processes, sends the
/// requests and collects the answers, all at the same time.
///
/// # Errors
/// A worker that fails, and an answer that is not a number.
///
/// # Panics
/// If `workers` is 0.
pub fn sum_processes(
    worker: &Program,
    job: &str,
    range: Range<u64>,
    workers: usize,
) -> Result<u64, WorkerError> {
    assert!(workers >= 1, "workers must be at least 1, got 0");
    // BEGIN YOUR CODE
    let requests: Vec<String> = split(range, workers)
        .iter()
        .map(|piece| format!("{job} {} {}", piece.start, piece.end))
        .collect();
    let answers = worker::run_workers(worker, &requests)?;
    let mut total = 0;
    for (n, (answer, request)) in answers.iter().zip(&requests).enumerate() {
        total += answer.parse::<u64>().map_err(|_| WorkerError {
            worker: n,
            request: request.clone(),
            problem: format!("answered `{answer}`, which is not a checksum"),
        })?;
    }
    Ok(total)
    // END YOUR CODE
}
// ANCHOR_END: sum_processes

// ANCHOR: worker_main
/// The worker process: answers `<job> <start> <end>` with
/// `ok <checksum of job(start..end)>` until its stdin closes.
///
/// `args` are the program's arguments. The tests start workers with
/// `--trace DIR --expect N`: then the job `trace` is available too (see
/// [`trace`]).
pub fn worker_main(args: impl IntoIterator<Item = String>) -> ExitCode {
    let args: Vec<String> = args.into_iter().collect();
    let tracing = match args.as_slice() {
        [] => None,
        [flag, dir, expect_flag, expect]
            if flag == "--trace" && expect_flag == "--expect" =>
        {
            match expect.parse() {
                Ok(expect) => Some((std::path::PathBuf::from(dir), expect)),
                Err(_) => return usage(&args),
            }
        }
        _ => return usage(&args),
    };
    worker::serve(|request| {
        let (name, range) = worker::parse_range_request(request)?;
        let checksum = match (name, &tracing) {
            ("trace", Some((dir, expect))) => trace(dir, *expect, range)?,
            _ => job_named(name).ok_or_else(|| {
                format!("unknown job `{name}`; the jobs are `inside` and `wait`")
            })?(range),
        };
        Ok(checksum.to_string())
    })
}
// ANCHOR_END: worker_main

fn usage(args: &[String]) -> ExitCode {
    eprintln!(
        "error: unexpected arguments {args:?}; a worker takes none (or `--trace DIR --expect N` in tests)"
    );
    ExitCode::from(worker::BAD_REQUEST_EXIT)
}

/// The job `trace`, for the tests: writes `DIR/<pid>-<start>-<end>`, then
/// waits until `expect` such files exist (at most 20 s), so it succeeds only
/// if `expect` workers run at the same time. Its checksum is
/// [`count_inside`] of the range.
pub fn trace(
    dir: &std::path::Path,
    expect: usize,
    range: Range<u64>,
) -> Result<u64, String> {
    let name = format!("{}-{}-{}", std::process::id(), range.start, range.end);
    std::fs::write(dir.join(name), b"")
        .map_err(|e| format!("cannot write to {}: {e}", dir.display()))?;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let seen = std::fs::read_dir(dir)
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
            .count();
        if seen >= expect {
            return Ok(count_inside(range));
        }
        if std::time::Instant::now() > deadline {
            return Err(format!(
                "only {seen} of {expect} workers were running at the same time: start every worker \
                 before you wait for any"
            ));
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}
