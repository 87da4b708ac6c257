// The tests live with the exercise, so learner and reference run the same file.
extern crate solution_11 as exercise_11;
#[path = "../../../exercises/exercise-11/tests/generator.rs"]
mod exercise_tests;
