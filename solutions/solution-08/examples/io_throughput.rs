// The example lives with the exercise; this shim runs that same file on the
// reference solution.
extern crate solution_08 as exercise_08;
include!("../../../exercises/exercise-08/examples/io_throughput.rs");
