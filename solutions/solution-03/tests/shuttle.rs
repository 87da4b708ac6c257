// The tests live with the exercise. This shim compiles the *solution's*
// source against shuttle and runs the exercise's shuttle models on it.
mod sync {
    // shuttle's types: shuttle decides which thread runs at each of their calls.
    pub use shuttle::sync::*;
}

#[path = "../src/account.rs"]
mod account;
#[path = "../src/counter.rs"]
mod counter;

#[path = "../../../exercises/exercise-03/tests/shared/shuttle_models.rs"]
mod models;
