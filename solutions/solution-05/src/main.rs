// The program is given and lives with the exercise; this shim builds that
// same file against the reference solution.
extern crate solution_05 as exercise_05;
include!("../../../exercises/exercise-05/src/main.rs");
