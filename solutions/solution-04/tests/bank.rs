// The tests live with the exercise, so learner and reference run the same file.
extern crate solution_04 as exercise_04;
#[path = "../../../exercises/exercise-04/tests/bank.rs"]
mod exercise_tests;
