// The example lives with the exercise; this shim runs that same file on the
// reference solution.
extern crate solution_07 as exercise_07;
include!("../../../exercises/exercise-07/examples/overhead.rs");
