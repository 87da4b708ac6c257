//! Parts (a) and (b) of exercise 03: counters that several threads
//! increment at once (chapter 03, `book/src/03-race-conditions.md`).
//!
//! Test: `cargo test -p exercise-03`. Hints: `cargo xtask hint 03`.
//!
//! Every counter here is shared through `&self`: each thread holds a shared
//! reference (through an `Arc`), and the type itself decides how the threads
//! may change the number inside. The compiler accepts all three types, the
//! broken one too: it rules out data races, not race conditions.

use crate::sync::Mutex;
use crate::sync::atomic::{AtomicU64, Ordering};

// ANCHOR: counter_trait
/// A counter that many threads increment at the same time, through `&self`.
///
/// The tests and the loom models are written against this trait, so they
/// can check your counters, and some known wrong ones, in the same way.
pub trait Counter: Send + Sync + 'static {
    /// A new counter at zero.
    fn new() -> Self;
    /// Adds one to the count.
    fn increment(&self);
    /// The current count.
    fn get(&self) -> u64;
}
// ANCHOR_END: counter_trait

// ANCHOR: racy_counter
/// Part (a): a counter that **loses updates**.
///
/// Each of its steps is atomic on its own, and there is no `unsafe`
/// anywhere, yet two threads that increment it at the same time can both
/// read the same old value, and one of the two increments vanishes.
pub struct RacyCounter {
    value: AtomicU64,
}

impl Counter for RacyCounter {
    fn new() -> Self {
        RacyCounter {
            value: AtomicU64::new(0),
        }
    }

    fn increment(&self) {
        // BEGIN YOUR CODE
        // TODO: read the count with one atomic operation (`self.value.load`),
        //       then write that value + 1 back with a second one
        //       (`self.value.store`). Use `Ordering::SeqCst` for both. Do NOT
        //       make it correct: loom must find the lost update.
        let _ = self;
        todo!(
            "exercise 03: write `RacyCounter::increment` (chapter 03, book/src/03-race-conditions.md)"
        )
        // END YOUR CODE
    }

    fn get(&self) -> u64 {
        self.value.load(Ordering::SeqCst)
    }
}
// ANCHOR_END: racy_counter

// ANCHOR: atomic_counter
/// Part (b), fix 1: one atomic read-modify-write.
pub struct AtomicCounter {
    value: AtomicU64,
}

impl Counter for AtomicCounter {
    fn new() -> Self {
        AtomicCounter {
            value: AtomicU64::new(0),
        }
    }

    fn increment(&self) {
        // BEGIN YOUR CODE
        // TODO: add one with a single atomic read-modify-write, so that no
        //       thread can run between the read and the write.
        let _ = self;
        todo!(
            "exercise 03: write `AtomicCounter::increment` (chapter 03, book/src/03-race-conditions.md)"
        )
        // END YOUR CODE
    }

    fn get(&self) -> u64 {
        self.value.load(Ordering::SeqCst)
    }
}
// ANCHOR_END: atomic_counter

// ANCHOR: mutex_counter
/// Part (b), fix 2: a lock held across the whole read-add-write.
pub struct MutexCounter {
    value: Mutex<u64>,
}

impl Counter for MutexCounter {
    fn new() -> Self {
        MutexCounter {
            value: Mutex::new(0),
        }
    }

    fn increment(&self) {
        // BEGIN YOUR CODE
        // TODO: lock `self.value` and add one while you hold the guard. Hold
        //       ONE guard across the read and the write.
        let _ = self;
        todo!(
            "exercise 03: write `MutexCounter::increment` (chapter 03, book/src/03-race-conditions.md)"
        )
        // END YOUR CODE
    }

    fn get(&self) -> u64 {
        *self.value.lock().unwrap()
    }
}
// ANCHOR_END: mutex_counter
