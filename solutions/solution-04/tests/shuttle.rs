// The tests live with the exercise. This shim compiles the *solution's*
// source against shuttle and runs the exercise's shuttle models on it.
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

#[path = "../../../exercises/exercise-04/tests/shared/shuttle_models.rs"]
mod models;
