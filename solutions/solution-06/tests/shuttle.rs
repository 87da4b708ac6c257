// Compiles the *solution's* gil.rs against shuttle, and runs the exercise's models.
mod sync {
    // shuttle's types: shuttle decides which thread runs at each of their calls.
    pub use shuttle::sync::*;
}
#[path = "../src/gil.rs"]
#[allow(dead_code)]
mod gil;
#[path = "../../../exercises/exercise-06/tests/shared/shuttle_models.rs"]
mod models;
