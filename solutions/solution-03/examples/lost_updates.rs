// The example lives with the exercise; this shim runs that same file on the
// reference solution.
extern crate solution_03 as exercise_03;
include!("../../../exercises/exercise-03/examples/lost_updates.rs");
