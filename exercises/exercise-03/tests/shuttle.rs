//! The shuttle tests of exercise 03 (chapter 03, `book/src/03-race-conditions.md`).
//!
//! loom tries every interleaving, but only of a few threads. shuttle goes the
//! other way: it runs 8 and 16 threads, picks a random schedule on each run
//! (random and PCT schedulers, fixed seeds, a bounded number of runs), and so
//! finds races that need many threads in flight, though not with certainty.
//! This file compiles your `src/counter.rs` and `src/account.rs` a third time,
//! with `crate::sync` pointing at shuttle's types. The models are in
//! `tests/shared/shuttle_models.rs`.
//!
//! Run only these: `cargo test -p exercise-03 --test shuttle`

mod sync {
    // shuttle's types: shuttle decides which thread runs at each of their calls.
    pub use shuttle::sync::*;
}

#[path = "../src/account.rs"]
mod account;
#[path = "../src/counter.rs"]
mod counter;

#[path = "shared/shuttle_models.rs"]
mod models;
