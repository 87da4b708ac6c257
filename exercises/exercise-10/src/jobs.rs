//! The jobs of this exercise, and how they travel as one line of text.
//!
//! A request is `<id> <attempt> <task>`, for example `7 0 crunch 1000`; the
//! answer is `ok <id> <value>`. `attempt` counts from 0: some test tasks
//! behave differently on a retry, so that faults are deterministic.

use std::fmt;

/// What a job asks a worker to do. Only [`Task::Crunch`] is real work; the
/// others are faults, injected on purpose by the tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Task {
    /// `crunch N`: [`crunch`]`(N)`, some CPU work with a checkable answer.
    Crunch(u64),
    /// `abort`: the worker aborts (killed by SIGABRT on Unix).
    Abort,
    /// `panic`: the job panics. The worker is built to abort on a panic, as
    /// with `panic = "abort"`.
    Panic,
    /// `exit C`: the worker exits with code C.
    Exit(u8),
    /// `hang`: the job never ends.
    Hang,
    /// `stack-overflow`: infinite recursion.
    StackOverflow,
    /// `crash-until K N`: aborts on attempts 0 to K-1, then crunches N.
    CrashUntil(u32, u64),
    /// `slow-once MS N`: on attempt 0, sleeps MS milliseconds before it
    /// answers; on later attempts answers at once. Crunches N.
    SlowOnce(u64, u64),
    /// `wrong-id N`: crunches N but answers with the id of another job (one
    /// more than its own), as a confused worker would.
    WrongId(u64),
}

/// One job: a number that names it, and its task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Job {
    pub id: u64,
    pub task: Task,
}

impl fmt::Display for Task {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Task::Crunch(n) => write!(f, "crunch {n}"),
            Task::Abort => write!(f, "abort"),
            Task::Panic => write!(f, "panic"),
            Task::Exit(code) => write!(f, "exit {code}"),
            Task::Hang => write!(f, "hang"),
            Task::StackOverflow => write!(f, "stack-overflow"),
            Task::CrashUntil(k, n) => write!(f, "crash-until {k} {n}"),
            Task::SlowOnce(ms, n) => write!(f, "slow-once {ms} {n}"),
            Task::WrongId(n) => write!(f, "wrong-id {n}"),
        }
    }
}

/// The request line for `job`'s attempt number `attempt` (no newline).
pub fn request(job: &Job, attempt: u32) -> String {
    format!("{} {attempt} {}", job.id, job.task)
}

/// Parses a request line into the job and the attempt number.
pub fn parse_request(line: &str) -> Result<(Job, u32), String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let number = |i: usize| -> Result<u64, String> {
        let word = words
            .get(i)
            .ok_or_else(|| format!("`{line}` is too short"))?;
        word.parse()
            .map_err(|_| format!("`{word}` is not a number (in `{line}`)"))
    };
    let id = number(0)?;
    let attempt = number(1)? as u32;
    let task = match (words.get(2).copied(), words.len()) {
        (Some("crunch"), 4) => Task::Crunch(number(3)?),
        (Some("abort"), 3) => Task::Abort,
        (Some("panic"), 3) => Task::Panic,
        (Some("exit"), 4) => Task::Exit(number(3)? as u8),
        (Some("hang"), 3) => Task::Hang,
        (Some("stack-overflow"), 3) => Task::StackOverflow,
        (Some("crash-until"), 5) => Task::CrashUntil(number(3)? as u32, number(4)?),
        (Some("slow-once"), 5) => Task::SlowOnce(number(3)?, number(4)?),
        (Some("wrong-id"), 4) => Task::WrongId(number(3)?),
        _ => return Err(format!("unknown request `{line}`")),
    };
    Ok((Job { id, task }, attempt))
}

/// Parses an answer line `ok <id> <value>`.
pub fn parse_answer(line: &str) -> Option<(u64, u64)> {
    let mut words = line.strip_prefix("ok ")?.split_whitespace();
    let id = words.next()?.parse().ok()?;
    let value = words.next()?.parse().ok()?;
    words.next().is_none().then_some((id, value))
}

/// `n` rounds of a xorshift generator: CPU work whose answer a test can
/// check, and that the optimiser cannot skip.
pub fn crunch(n: u64) -> u64 {
    let mut x = n ^ 0x9E37_79B9_7F4A_7C15;
    for _ in 0..n {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    x
}
