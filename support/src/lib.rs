//! Shared plumbing for the *Threads or Processes?* exercises.
//!
//! Only code that is *not* the lesson of any exercise lives here:
//!
//! * [`watchdog`]: a learner's deadlocking answer must make a test fail with
//!   a message, never hang the test run; [`explain`] adds a test's hint to
//!   any panic; [`panic_message`] reads a panic;
//! * [`written`]: is the learner's function written yet, or still a
//!   `todo!()`? ([`is_todo`] reads a panic message the same way);
//!   [`catch_quietly`] catches a panic without printing it, so that a test
//!   fails with one message;
//! * [`worker`]: the line protocol of worker processes (exercise 02 builds
//!   it by hand; later exercises use this copy);
//! * [`loom_child`]: runs a loom model that may abort in a child process;
//! * [`child`]: waits for a child process with a deadline (both of the above
//!   use it);
//! * `loom_model` (feature `loom`): the one loom driver of exercises 03, 04
//!   and 06, and its replay help; `recorded` (feature `loom`): the recorded
//!   `crate::sync` of their loom tests, and the failing execution's table;
//! * `shuttle_model` (feature `shuttle`): the one shuttle driver of the same
//!   exercises (8 and 16 threads, random and PCT schedules), and its replay
//!   help;
//! * `bench` (feature `criterion`): the one criterion configuration.

#[cfg(feature = "criterion")]
pub mod bench;
pub mod child;
pub mod loom_child;
#[cfg(feature = "loom")]
pub mod loom_model;
mod probe;
#[cfg(feature = "loom")]
pub mod recorded;
#[cfg(feature = "shuttle")]
pub mod shuttle_model;
#[cfg(any(feature = "loom", feature = "shuttle"))]
mod text;
pub mod worker;

pub use probe::{Caught, catch_quietly, is_todo, written};

use std::any::Any;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// How long a watched piece of test code may run before it is declared stuck.
///
/// Every watched piece of the exercises takes well under a second on a
/// quiet machine (0.3 s at most, most under 1 ms), so 10 s leaves room for
/// a busy 2-core machine and a debug build without making a learner wait
/// 20 s for a deadlock. [`SAY_AFTER`] tells them meanwhile.
pub const DEFAULT_LIMIT: Duration = Duration::from_secs(10);

/// After this long, a watchdog says on the terminal that it is still
/// waiting, so that a stuck test is never a silent wait.
pub const SAY_AFTER: Duration = Duration::from_secs(2);

/// [`watchdog`] with [`DEFAULT_LIMIT`], and `chapter` after the hint, so
/// that every failure of `work`, a timeout too, names the chapter to read.
#[track_caller]
pub fn watch<T, F>(chapter: &str, what: &str, hint: &str, work: F) -> T
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    let hint = format!("{hint} {chapter}");
    watchdog(DEFAULT_LIMIT, what, hint.trim(), work)
}

/// Runs `work` on a fresh thread and waits at most `limit` for it.
///
/// * If `work` returns, its value is returned.
/// * If `work` panics, the test fails with one message: `work`'s own (not
///   printed a second time), where it panicked, and `hint`.
/// * If `work` is still running after [`SAY_AFTER`], one line on the
///   terminal says so at once; after `limit`, this panics with a message
///   that explains the likely cause (`what` names the operation, `hint`
///   says what to look at). The stuck thread is left behind: Rust cannot
///   kill a thread, and the test binary exits once the test run ends.
///
/// ```
/// use course_support::{DEFAULT_LIMIT, watchdog};
/// let answer = watchdog(DEFAULT_LIMIT, "adding", "", || 40 + 2);
/// assert_eq!(answer, 42);
/// ```
#[track_caller]
pub fn watchdog<T, F>(limit: Duration, what: &str, hint: &str, work: F) -> T
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    let (done_tx, done_rx) = mpsc::channel();
    thread::Builder::new()
        .name(format!("watched: {what}"))
        .spawn(move || {
            // The receiver is gone only if the watchdog already gave up.
            let _ = done_tx.send(catch_quietly(work));
        })
        .expect("the watchdog could not start a thread");
    let first_wait = limit.min(SAY_AFTER);
    let outcome = match done_rx.recv_timeout(first_wait) {
        Err(mpsc::RecvTimeoutError::Timeout) if limit > first_wait => {
            say_still_waiting(what, limit);
            done_rx.recv_timeout(limit - first_wait)
        }
        outcome => outcome,
    };
    match outcome {
        Ok(Ok(value)) => value,
        Ok(Err(caught)) => panic!("{}", with_hint(&caught.to_string(), hint)),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            panic!(
                "{}",
                with_hint(&format!("{what} ended without a result"), hint)
            )
        }
        Err(mpsc::RecvTimeoutError::Timeout) => panic!(
            "{}",
            with_hint(
                &format!(
                    "{what} did not finish within {limit:?}. It is probably stuck: a \
                     deadlock (threads waiting for each other forever) or a wait that is \
                     never woken."
                ),
                hint
            )
        ),
    }
}

/// One line on the terminal, now: the test harness shows a test's own
/// output only after the test ends, so this writes past it.
fn say_still_waiting(what: &str, limit: Duration) {
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr().lock(),
        "note: {what}: still running after {SAY_AFTER:?}, when it should take well under a \
         second. It may be stuck; the test fails after {limit:?}."
    );
}

/// Runs `f` and returns its value; if it panics, fails with one message:
/// its own, where it panicked, and `hint` (as [`watchdog`] does, on the
/// calling thread and without a time limit).
///
/// ```
/// let caught = std::panic::catch_unwind(|| {
///     course_support::explain("check `serve`.", || -> u8 { panic!("overflow") })
/// })
/// .unwrap_err();
/// let message = course_support::panic_message(&*caught);
/// assert!(message.starts_with("overflow"), "{message}");
/// assert!(message.ends_with("Hint: check `serve`."), "{message}");
/// ```
#[track_caller]
pub fn explain<T>(hint: &str, f: impl FnOnce() -> T) -> T {
    match catch_quietly(f) {
        Ok(value) => value,
        Err(caught) => panic!("{}", with_hint(&caught.to_string(), hint)),
    }
}

/// `message`, then `Hint: hint` on a line of its own unless it is empty.
fn with_hint(message: &str, hint: &str) -> String {
    if hint.is_empty() {
        message.to_string()
    } else {
        format!("{message}\nHint: {hint}")
    }
}

/// The text of a panic payload, for reporting a caught panic.
///
/// ```
/// let payload = std::panic::catch_unwind(|| panic!("boom {}", 1)).unwrap_err();
/// assert_eq!(course_support::panic_message(&*payload), "boom 1");
/// ```
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_string()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "(a panic without a message)".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_finished_job_returns_its_value() {
        assert_eq!(watchdog(Duration::from_secs(5), "sum", "", || 1 + 1), 2);
    }

    #[test]
    fn a_panic_is_passed_on_with_its_own_message_and_the_hint() {
        let caught = std::panic::catch_unwind(|| {
            watchdog(
                Duration::from_secs(5),
                "panicking",
                "look here",
                || -> () { panic!("the learner's message") },
            )
        })
        .unwrap_err();
        let message = panic_message(&*caught);
        assert!(message.starts_with("the learner's message"), "{message}");
        assert!(message.ends_with("\nHint: look here"), "{message}");
    }

    #[test]
    fn a_stuck_job_fails_with_an_explanation_instead_of_hanging() {
        let caught = std::panic::catch_unwind(|| {
            watchdog(
                Duration::from_millis(50),
                "waiting forever",
                "check the lock order",
                || {
                    // Blocks until the test binary exits.
                    let (_keep, rx) = mpsc::channel::<()>();
                    let _ = rx.recv();
                },
            )
        })
        .unwrap_err();
        let message = panic_message(&*caught);
        assert!(
            message.contains("waiting forever did not finish within 50ms"),
            "{message}"
        );
        assert!(message.contains("deadlock"), "{message}");
        assert!(message.contains("Hint: check the lock order"), "{message}");
    }
}
