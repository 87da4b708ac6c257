//! The loom models of exercise 04. They compile `src/bank.rs` and
//! `src/mailbox.rs` a second time, with `crate::sync` = loom's types (each
//! call recorded by `course_support::recorded::sync`, so that a failure
//! shows its interleaving), so that loom controls every lock and atomic and
//! can try every interleaving (up to a bound: see chapter 04,
//! book/src/04-deadlocks-and-ordering.md).
//!
//! Run them: `cargo test -p exercise-04 --test loom`

mod sync {
    // loom's types, each call recorded: a failure shows its interleaving.
    pub use course_support::recorded::sync::*;
}
#[allow(dead_code)] // the models use only part of the given code
#[path = "../src/bank.rs"]
mod bank;
#[allow(dead_code)]
#[path = "../src/mailbox.rs"]
mod mailbox;

#[path = "shared/loom_models.rs"]
mod models;
