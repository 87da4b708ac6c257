// The tests live with the exercise, so learner and reference run the same file.
extern crate solution_06 as exercise_06;
#[path = "../../../exercises/exercise-06/tests/gil.rs"]
mod exercise_tests;
