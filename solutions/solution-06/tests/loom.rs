// Compiles the *solution's* gil.rs against loom, and runs the exercise's models.
mod sync {
    pub use loom::sync::*;
}
#[path = "../src/gil.rs"]
#[allow(dead_code)]
mod gil;
#[path = "../../../exercises/exercise-06/tests/shared/loom_models.rs"]
mod models;
