//! The synchronisation types of exercise 04 (chapter 04,
//! `book/src/04-deadlocks-and-ordering.md`).
//!
//! `bank.rs` and `mailbox.rs` take their locks and atomics from
//! `crate::sync`. In the library that is `std::sync`. The loom tests
//! (`tests/loom.rs`) compile those same files a second time with a
//! `crate::sync` that is loom's, each call recorded
//! (`course_support::recorded::sync`), so that loom sees every lock and
//! every atomic operation, and can try every order of them. The shuttle tests
//! (`tests/shuttle.rs`) compile them a third time against `shuttle::sync`,
//! to try random schedules of 8 and 16 threads.
//!
//! Test your code: `cargo test -p exercise-04`. Stuck? `cargo xtask hint 04`.

pub use std::sync::*;
