// Compiles the *solution's* gil.rs against loom, and runs the exercise's models.
mod sync {
    // loom's types, each call recorded: a failure shows its interleaving.
    pub use course_support::recorded::sync::*;
}
#[path = "../src/gil.rs"]
#[allow(dead_code)]
mod gil;
#[path = "../../../exercises/exercise-06/tests/shared/loom_models.rs"]
mod models;
