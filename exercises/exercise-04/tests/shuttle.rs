//! The shuttle tests of exercise 04 (chapter 04, `book/src/04-deadlocks-and-ordering.md`).
//!
//! loom tries every interleaving, but only of a few threads. shuttle goes the
//! other way: it runs 8 and 16 threads, picks a random schedule on each run
//! (random and PCT schedulers, fixed seeds, a bounded number of runs), and so
//! finds deadlocks among many tellers, though not with certainty. It cannot
//! find a wrong memory ordering: it treats every atomic as `SeqCst`.
//! This file compiles your `src/bank.rs` and `src/mailbox.rs` a third time,
//! with `crate::sync` pointing at shuttle's types. The models are in
//! `tests/shared/shuttle_models.rs`.
//!
//! Run only these: `cargo test -p exercise-04 --test shuttle`

mod sync {
    // shuttle's types: shuttle decides which thread runs at each of their calls.
    pub use shuttle::sync::*;
}

#[allow(dead_code)] // the models use only part of the given code
#[path = "../src/bank.rs"]
mod bank;
#[allow(dead_code)]
#[path = "../src/mailbox.rs"]
mod mailbox;

#[path = "shared/shuttle_models.rs"]
mod models;
