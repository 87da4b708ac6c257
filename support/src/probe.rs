//! "Is it written yet?": run a learner's function and tell a `todo!()` apart
//! from an answer, without printing the `todo!`'s panic.
//!
//! The benches and examples skip what the learner has not written yet; the
//! loom tests say "not written yet" instead of "loom found a bug".

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use crate::panic_message;

thread_local! {
    /// Whether this thread is inside [`written`]: only its `todo!`s are quiet.
    static PROBING: Cell<bool> = const { Cell::new(false) };
}

/// Whether a panic message is that of `todo!()` or `unimplemented!()`: code
/// that is not written yet.
///
/// ```
/// assert!(course_support::is_todo("not yet implemented: exercise 05"));
/// assert!(!course_support::is_todo("attempt to add with overflow"));
/// ```
pub fn is_todo(message: &str) -> bool {
    let message = message.trim_start();
    message.starts_with("not yet implemented") || message.starts_with("not implemented")
}

/// Runs `f` (a learner's code) and returns its value, or `None` if it is not
/// written yet: it panicked with `todo!()` or `unimplemented!()`, and that
/// panic's message is not printed. Any other panic is passed on, with its
/// message: a bug is not "not written yet".
///
/// Only the calling thread's `todo!` is quiet; a `todo!` on a thread that `f`
/// starts prints as usual (and its thread's failure reaches `f`'s caller as
/// whatever `f` makes of it).
///
/// ```
/// assert_eq!(course_support::written(|| 40 + 2), Some(42));
/// assert_eq!(course_support::written(|| -> u64 { todo!() }), None);
/// ```
pub fn written<T>(f: impl FnOnce() -> T) -> Option<T> {
    // The hook is process-wide and tests run in parallel: installed once, it
    // silences only a probing thread's `todo!` and passes every other panic
    // to the hook that was there before.
    static QUIET_TODO: Once = Once::new();
    QUIET_TODO.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !(PROBING.with(Cell::get) && is_todo(&panic_message(info.payload()))) {
                previous(info);
            }
        }));
    });
    let outer = PROBING.with(|p| p.replace(true));
    // `f`'s state is not looked at again after a panic.
    let outcome = panic::catch_unwind(AssertUnwindSafe(f));
    PROBING.with(|p| p.set(outer));
    match outcome {
        Ok(value) => Some(value),
        Err(payload) if is_todo(&panic_message(&*payload)) => None,
        Err(payload) => panic::resume_unwind(payload),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_is_returned() {
        assert_eq!(written(|| "done"), Some("done"));
    }

    #[test]
    fn todo_and_unimplemented_are_not_written_yet() {
        assert_eq!(written(|| -> u8 { todo!("exercise 99") }), None);
        assert_eq!(written(|| -> u8 { unimplemented!() }), None);
    }

    #[test]
    fn any_other_panic_is_passed_on() {
        let caught = panic::catch_unwind(|| written(|| -> u8 { panic!("a real bug") }))
            .unwrap_err();
        assert_eq!(panic_message(&*caught), "a real bug");
    }

    #[test]
    fn probes_nest() {
        let inner = written(|| written(|| -> u8 { todo!() }));
        assert_eq!(inner, Some(None));
        assert!(!PROBING.with(Cell::get));
    }

    #[test]
    fn a_message_that_merely_mentions_todo_is_not_one() {
        assert!(is_todo("not yet implemented"));
        assert!(is_todo("not implemented: exercise 10"));
        assert!(!is_todo("it said: not yet implemented"));
    }
}
