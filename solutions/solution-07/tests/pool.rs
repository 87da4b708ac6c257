// The tests live with the exercise, so learner and reference run the same file.
extern crate solution_07 as exercise_07;
#[path = "../../../exercises/exercise-07/tests/pool.rs"]
mod exercise_tests;
