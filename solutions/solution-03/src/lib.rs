//! # Exercise 03 · The price of sharing: race conditions
//!
//! Read first: the chapter "The price of sharing: race conditions"
//! (`book/src/03-race-conditions.md`; `cargo xtask serve` shows the book).
//! Test your code: `cargo test -p exercise-03`
//! Stuck? `cargo xtask hint 03` gives a nudge, then a hint, then the solution.
//!
//! Rust will not let two threads touch the same memory without
//! synchronisation (a *data race*). It does let them take turns in the wrong
//! order (a *race condition*). Here you write one, watch loom find it, and
//! fix it:
//!
//! * (a) [`RacyCounter`]: a counter that *loses updates* when two threads
//!   increment it at the same time. The test passes when loom finds the lost
//!   update.
//! * (b) [`AtomicCounter`] and [`MutexCounter`]: the same counter, fixed
//!   twice: with one atomic read-modify-write, and with a lock.
//! * (c) [`Account::withdraw`]: "take the money only if the balance covers
//!   it", without a check-then-act race, using `compare_exchange`.
//!
//! See it on real hardware: `cargo run -p exercise-03 --release --example lost_updates`
//!
//! Write your code only between `// BEGIN YOUR CODE` and `// END YOUR CODE`,
//! in `src/counter.rs` and `src/account.rs`.

#[path = "../../../exercises/exercise-03/src/sync.rs"]
pub mod sync;

mod account;
mod counter;

pub use account::{Account, Withdraw};
pub use counter::{AtomicCounter, Counter, MutexCounter, RacyCounter};
