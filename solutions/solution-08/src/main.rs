// The program is given and lives with the exercise; this shim builds that
// same file against the reference solution.
extern crate solution_08 as exercise_08;
include!("../../../exercises/exercise-08/src/main.rs");
