//! The litmus checks of exercise 04, run against the reference solution: the
//! solution's own `src/litmus.rs`, compiled with `crate::sync` =
//! `loom::sync`, and the models from the exercise.

mod sync {
    pub use loom::sync::*;
}
#[path = "../src/litmus.rs"]
mod litmus;

#[path = "../../../exercises/exercise-04/tests/litmus/models.rs"]
mod models;
