// The tests live with the exercise. This shim compiles the *solution's*
// source against loom and runs the exercise's loom models on it.
mod sync {
    // loom's types, each call recorded: a failure shows its interleaving.
    pub use course_support::recorded::sync::*;
}

#[path = "../src/account.rs"]
mod account;
#[path = "../src/counter.rs"]
mod counter;

#[path = "../../../exercises/exercise-03/tests/shared/loom_models.rs"]
mod models;
