// The tests live with the exercise, so learner and reference run the same file.
extern crate solution_10 as exercise_10;
#[path = "../../../exercises/exercise-10/tests/supervisor.rs"]
mod exercise_tests;
