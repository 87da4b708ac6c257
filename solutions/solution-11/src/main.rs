// The program is given and lives with the exercise; this shim builds that
// same file against the reference solution.
extern crate solution_11 as exercise_11;
include!("../../../exercises/exercise-11/src/main.rs");
