// The example lives with the exercise; this shim runs that same file on the
// reference solution.
extern crate solution_06 as exercise_06;
include!("../../../exercises/exercise-06/examples/gil_experiments.rs");
