// The tests live with the exercise, so learner and reference run the same file.
extern crate solution_09 as exercise_09;
#[path = "../../../exercises/exercise-09/tests/pipeline.rs"]
mod exercise_tests;
