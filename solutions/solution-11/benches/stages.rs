// The bench lives with the exercise; this shim runs that same file on the
// reference solution.
extern crate solution_11 as exercise_11;
include!("../../../exercises/exercise-11/benches/stages.rs");
