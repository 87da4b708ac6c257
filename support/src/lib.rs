//! Shared plumbing for the *Threads or Processes?* exercises.
//!
//! Only code that is *not* the lesson of any exercise lives here:
//!
//! * [`watchdog`]: a learner's deadlocking answer must make a test fail with
//!   a message, never hang the test run; [`panic_message`] reads a panic;
//! * [`written`]: is the learner's function written yet, or still a
//!   `todo!()`? ([`is_todo`] reads a panic message the same way);
//! * [`worker`]: the line protocol of worker processes (exercise 02 builds
//!   it by hand; later exercises use this copy);
//! * [`loom_child`]: runs a loom model that may abort in a child process;
//! * [`child`]: waits for a child process with a deadline (both of the above
//!   use it);
//! * `loom_model` (feature `loom`): the one loom driver of exercises 03, 04
//!   and 06, and its replay help;
//! * `bench` (feature `criterion`): the one criterion configuration.

#[cfg(feature = "criterion")]
pub mod bench;
pub mod child;
pub mod loom_child;
#[cfg(feature = "loom")]
pub mod loom_model;
mod probe;
pub mod worker;

pub use probe::{is_todo, written};

use std::any::Any;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// How long a watched piece of test code may run before it is declared stuck.
///
/// Generous on purpose: the tests run in debug builds on slow, shared
/// machines, and a false alarm is worse than a slow failure.
pub const DEFAULT_LIMIT: Duration = Duration::from_secs(20);

/// Runs `work` on a fresh thread and waits at most `limit` for it.
///
/// * If `work` returns, its value is returned.
/// * If `work` panics, the panic is passed on unchanged, so the test fails
///   with the learner's (or the assertion's) own message.
/// * If `work` is still running after `limit`, this panics with a message
///   that explains the likely cause (`what` names the operation, `hint` says
///   what to look at). The stuck thread is left behind: Rust cannot kill a
///   thread, and the test binary exits once the test run ends.
///
/// ```
/// use std::time::Duration;
/// let answer = course_support::watchdog(Duration::from_secs(5), "adding", "", || 40 + 2);
/// assert_eq!(answer, 42);
/// ```
pub fn watchdog<T, F>(limit: Duration, what: &str, hint: &str, work: F) -> T
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    let (done_tx, done_rx) = mpsc::channel();
    let worker = thread::Builder::new()
        .name(format!("watched: {what}"))
        .spawn(move || {
            let value = work();
            // The receiver is gone only if the watchdog already gave up.
            let _ = done_tx.send(());
            value
        })
        .expect("the watchdog could not start a thread");
    match done_rx.recv_timeout(limit) {
        // Finished, or panicked (the sender was dropped while unwinding):
        // `join` tells the two apart.
        Ok(()) | Err(mpsc::RecvTimeoutError::Disconnected) => match worker.join() {
            Ok(value) => value,
            Err(payload) => std::panic::resume_unwind(payload),
        },
        Err(mpsc::RecvTimeoutError::Timeout) => {
            let mut message = format!(
                "{what} did not finish within {limit:?}. It is probably stuck: a deadlock \
                 (threads waiting for each other forever) or a wait that is never woken."
            );
            if !hint.is_empty() {
                message.push_str("\nHint: ");
                message.push_str(hint);
            }
            panic!("{message}");
        }
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
    fn a_panic_is_passed_on_with_its_own_message() {
        let caught = std::panic::catch_unwind(|| {
            watchdog(Duration::from_secs(5), "panicking", "", || -> () {
                panic!("the learner's message")
            })
        })
        .unwrap_err();
        assert_eq!(panic_message(&*caught), "the learner's message");
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
