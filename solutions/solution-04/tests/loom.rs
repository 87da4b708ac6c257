//! The loom models of exercise 04, run against the reference solution: the
//! solution's own source, compiled with `crate::sync` = `loom::sync`, and the
//! models from the exercise.

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

#[path = "../../../exercises/exercise-04/tests/shared/loom_models.rs"]
mod models;
