// The bench lives with the exercise; this shim runs that same file on the
// reference solution.
extern crate solution_05 as exercise_05;
include!("../../../exercises/exercise-05/benches/variants.rs");
