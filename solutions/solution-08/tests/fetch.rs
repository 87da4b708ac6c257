// The tests live with the exercise, so learner and reference run the same file.
extern crate solution_08 as exercise_08;
#[path = "../../../exercises/exercise-08/tests/fetch.rs"]
mod exercise_tests;
