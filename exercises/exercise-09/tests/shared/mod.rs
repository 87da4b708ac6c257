//! Helpers shared by this exercise's test files.
#![allow(dead_code)]

use std::time::Duration;

pub const CHAPTER: &str =
    "Read chapter 09, \"Communication\" (book/src/09-communication.md).";

/// Runs `work` under a watchdog: a pipeline that never shuts down fails the
/// test with `hint` instead of hanging it.
pub fn watched<T, F>(what: &str, hint: &str, work: F) -> T
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    course_support::watchdog(
        Duration::from_secs(20),
        what,
        &format!("{hint} {CHAPTER}"),
        work,
    )
}

pub fn texts(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| format!("item {i}: {}", "ab".repeat(i % 7)))
        .collect()
}
