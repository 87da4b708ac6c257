// The tests live with the exercise, so learner and reference run the same file.
extern crate solution_02 as exercise_02;
#[path = "../../../exercises/exercise-02/tests/memory_is_separate.rs"]
mod exercise_tests;
