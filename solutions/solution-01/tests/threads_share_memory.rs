// The tests live with the exercise, so learner and reference run the same file.
extern crate solution_01 as exercise_01;
#[path = "../../../exercises/exercise-01/tests/threads_share_memory.rs"]
mod exercise_tests;
