//! The synchronisation types of exercise 03 (chapter 03,
//! `book/src/03-race-conditions.md`).
//!
//! The code in `counter.rs` and `account.rs` takes its atomics and locks from
//! `crate::sync`. In the library that is `std::sync`. The loom tests
//! (`tests/loom.rs`) compile those same files a second time with a
//! `crate::sync` that is loom's, each call recorded
//! (`course_support::recorded::sync`), so that loom sees every atomic
//! operation and every lock, and can try every order of them. The shuttle
//! tests (`tests/shuttle.rs`) compile them a third time against
//! `shuttle::sync`, to try random schedules of 8 and 16 threads.

pub use std::sync::*;
