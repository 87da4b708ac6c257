//! The loom tests of exercise 03 (chapter 03, `book/src/03-race-conditions.md`).
//!
//! This file compiles your `src/counter.rs` and `src/account.rs` a second
//! time, with `crate::sync` pointing at loom's types instead of `std::sync`
//! (`course_support::recorded::sync`: loom's, with every call recorded, so
//! that a failure shows the interleaving that broke it, step by step).
//! loom then runs each model many times, once for every order in which the
//! threads' atomic operations and locks can interleave (up to a bound).
//! The models themselves are in `tests/shared/loom_models.rs`.
//!
//! Run only these: `cargo test -p exercise-03 --test loom`

mod sync {
    // loom's types, each call recorded: a failure shows its interleaving.
    pub use course_support::recorded::sync::*;
}

#[path = "../src/account.rs"]
mod account;
#[path = "../src/counter.rs"]
mod counter;

#[path = "shared/loom_models.rs"]
mod models;
