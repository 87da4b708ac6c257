//! Quiet panics: run a learner's function and catch its panic without
//! printing it, so that a test fails with one message, not two.
//!
//! * [`written`]: "is it written yet?": a `todo!()` is `None`, unprinted;
//!   the benches and examples skip what the learner has not written yet;
//! * [`catch_quietly`]: any panic is caught unprinted, with where it
//!   happened, for a test to pass on inside its own message (the watchdog,
//!   the loom driver).
//!
//! With `RUST_BACKTRACE` set (not `0`), [`catch_quietly`]'s panics print as
//! usual, backtrace and all: the learner asked for them.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::fmt;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use crate::panic_message;

/// Which of a thread's panics the hook keeps to itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Quiet {
    Nothing,
    Todos,
    All,
}

thread_local! {
    /// What this thread is inside: [`written`], [`catch_quietly`] or neither.
    /// loom runs a model's threads on the calling thread, so they count too.
    static QUIET: Cell<Quiet> = const { Cell::new(Quiet::Nothing) };
    /// Where this thread's last unprinted panic happened.
    static LOCATION: RefCell<Option<String>> = const { RefCell::new(None) };
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

/// Whether `RUST_BACKTRACE` asks for backtraces.
fn backtrace_wanted() -> bool {
    std::env::var_os("RUST_BACKTRACE").is_some_and(|value| value != "0")
}

/// Installs, once, the process-wide hook that keeps a quiet thread's panics
/// to itself and passes every other panic to the hook that was there before
/// (tests run in parallel: only the quiet thread is affected).
fn install_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let quiet = match QUIET.with(Cell::get) {
                Quiet::Nothing => false,
                Quiet::Todos => is_todo(&panic_message(info.payload())),
                Quiet::All => !backtrace_wanted(),
            };
            if quiet {
                let at = info.location().map(ToString::to_string);
                LOCATION.with(|location| *location.borrow_mut() = at);
            } else {
                previous(info);
            }
        }));
    });
}

/// Runs `f` with this thread's panics at least as quiet as `quiet`.
fn quietly<T>(quiet: Quiet, f: impl FnOnce() -> T) -> std::thread::Result<T> {
    install_hook();
    let outer = QUIET.with(|q| q.replace(quiet.max(q.get())));
    // `f`'s state is not looked at again after a panic.
    let outcome = panic::catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(outer));
    outcome
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
    match quietly(Quiet::Todos, f) {
        Ok(value) => Some(value),
        Err(payload) if is_todo(&panic_message(&*payload)) => None,
        Err(payload) => panic::resume_unwind(payload),
    }
}

/// A panic that [`catch_quietly`] caught without printing it.
pub struct Caught {
    /// The panic's message.
    pub message: String,
    /// Where it panicked, `file:line:column`, if the hook saw it.
    pub location: Option<String>,
    /// The payload, for `std::panic::resume_unwind`.
    pub payload: Box<dyn Any + Send>,
}

impl fmt::Debug for Caught {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Caught")
            .field("message", &self.message)
            .field("location", &self.location)
            .finish_non_exhaustive()
    }
}

impl fmt::Display for Caught {
    /// The message, then `(at file:line:column)` on a line of its own.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)?;
        match &self.location {
            // A message passed on from another thread already says where.
            Some(_) if self.message.contains("\n(it panicked at ") => Ok(()),
            Some(location) => write!(f, "\n(it panicked at {location})"),
            None => Ok(()),
        }
    }
}

/// Runs `f` and catches its panic without printing it, so that the caller
/// can fail once, with a message that quotes this one. Panics on the
/// calling thread are quiet, including those of loom's model threads (loom
/// runs them on the calling thread); threads that `f` spawns print as usual.
/// With `RUST_BACKTRACE` set, nothing is quiet.
///
/// ```
/// let caught = course_support::catch_quietly(|| -> u8 { panic!("boom") }).unwrap_err();
/// assert_eq!(caught.message, "boom");
/// assert_eq!(course_support::catch_quietly(|| 7).unwrap(), 7);
/// ```
pub fn catch_quietly<T>(f: impl FnOnce() -> T) -> Result<T, Caught> {
    LOCATION.with(|location| location.borrow_mut().take());
    quietly(Quiet::All, f).map_err(|payload| Caught {
        message: panic_message(&*payload),
        location: LOCATION.with(|location| location.borrow_mut().take()),
        payload,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quiet_now() -> bool {
        QUIET.with(Cell::get) != Quiet::Nothing
    }

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
        assert!(!quiet_now());
    }

    #[test]
    fn a_caught_panic_keeps_its_message_and_place() {
        let caught = catch_quietly(|| -> u8 { panic!("a real bug") }).unwrap_err();
        assert_eq!(caught.message, "a real bug");
        if !backtrace_wanted() {
            let location = caught.location.as_deref().unwrap_or("");
            assert!(location.contains("probe.rs:"), "{location}");
            assert!(caught.to_string().contains("(it panicked at "), "{caught}");
        }
        assert!(!quiet_now());
    }

    #[test]
    fn a_bug_inside_written_inside_catch_quietly_stays_quiet() {
        let caught =
            catch_quietly(|| written(|| -> u8 { panic!("a real bug") })).unwrap_err();
        assert_eq!(caught.message, "a real bug");
    }

    #[test]
    fn a_message_that_merely_mentions_todo_is_not_one() {
        assert!(is_todo("not yet implemented"));
        assert!(is_todo("not implemented: exercise 10"));
        assert!(!is_todo("it said: not yet implemented"));
    }
}
