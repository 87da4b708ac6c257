//! Faults inside one process: a panic ends only its own thread, and a lock
//! it held is poisoned.

use std::any::Any;
use std::sync::{Mutex, MutexGuard};
use std::thread;

/// The text of a panic's payload: `panic!("...")` carries a `&str` or a
/// `String`. (The course's shared helper does the downcasting.)
pub fn panic_text(payload: &(dyn Any + Send)) -> String {
    course_support::panic_message(payload)
}

/// A job for [`run_isolated`]: it may borrow from the caller.
pub type ThreadJob<'a, T> = Box<dyn FnOnce() -> T + Send + 'a>;

// ANCHOR: run_isolated
/// Runs every job on its own thread, all at the same time, and returns their
/// results in the order of `jobs`: `Ok(value)`, or `Err(message)` for a job
/// that panicked (the panic's message, see [`panic_text`]).
///
/// A panic must fail only its own job: the others finish, and
/// `run_isolated` itself returns normally.
pub fn run_isolated<'a, T: Send + 'a>(
    jobs: Vec<ThreadJob<'a, T>>,
) -> Vec<Result<T, String>> {
    // BEGIN YOUR CODE
    // TODO: inside `thread::scope`, spawn one thread per job (collect the
    //       handles first, so that all run at once), then join each handle and
    //       turn `Err(payload)` into `Err(panic_text(&*payload))`.
    todo!(
        "exercise 10: write `run_isolated` (chapter 10, book/src/10-fault-isolation.md)"
    )
    // END YOUR CODE
}
// ANCHOR_END: run_isolated

/// A tiny ledger with an invariant: `total` is the sum of `entries`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Ledger {
    pub entries: Vec<u64>,
    pub total: u64,
}

// ANCHOR: ledger_add
impl Ledger {
    /// Records `amount`. Panics if the total would overflow, *after* the
    /// entry was pushed: a panic here leaves the ledger inconsistent.
    pub fn add(&mut self, amount: u64) {
        self.entries.push(amount);
        self.total = self
            .total
            .checked_add(amount)
            .expect("the ledger's total overflowed");
    }

    /// Whether the invariant holds: `total` is the sum of `entries`.
    pub fn is_consistent(&self) -> bool {
        self.entries.iter().map(|&e| e as u128).sum::<u128>() == self.total as u128
    }
}
// ANCHOR_END: ledger_add

/// What [`lock_recovering`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recovery {
    /// The lock was not poisoned.
    NotPoisoned,
    /// A thread panicked while holding the lock, but the ledger is consistent.
    Consistent,
    /// The ledger was inconsistent; these entries, at its end, were removed
    /// because `total` did not count them (an `add` that panicked half-way).
    Repaired { removed: Vec<u64> },
}

// ANCHOR: lock_recovering
/// Locks `ledger` even if a panicking thread poisoned it, and says what it
/// found. After it, the ledger is consistent and the lock no longer
/// poisoned.
///
/// A poisoned ledger that is inconsistent is repaired by removing entries
/// from its end until the invariant holds again (an interrupted `add` is
/// undone). If the entries run out first, `total` is set to 0.
pub fn lock_recovering(ledger: &Mutex<Ledger>) -> (MutexGuard<'_, Ledger>, Recovery) {
    // BEGIN YOUR CODE
    // TODO: `ledger.lock()` gives `Err(poisoned)` if a thread panicked while
    //       holding it; `poisoned.into_inner()` still gives you the guard. Check
    //       `is_consistent()`; if it does not hold, pop entries from the end
    //       until it does (or set `total` to 0 when none is left). Then
    //       `ledger.clear_poison()` and return the guard with what you found.
    let _ = ledger;
    todo!(
        "exercise 10: write `lock_recovering` (chapter 10, book/src/10-fault-isolation.md)"
    )
    // END YOUR CODE
}
// ANCHOR_END: lock_recovering
