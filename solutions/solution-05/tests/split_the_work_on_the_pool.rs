// The tests live with the exercise, so learner and reference run the same file.
extern crate solution_05 as exercise_05;
#[path = "../../../exercises/exercise-05/tests/split_the_work_on_the_pool.rs"]
mod exercise_tests;
