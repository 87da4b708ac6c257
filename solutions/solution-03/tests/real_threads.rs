// The tests live with the exercise, so learner and reference run the same file.
extern crate solution_03 as exercise_03;
#[path = "../../../exercises/exercise-03/tests/real_threads.rs"]
mod exercise_tests;
