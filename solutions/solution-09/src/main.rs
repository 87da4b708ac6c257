// The program is given and lives with the exercise; this shim builds that
// same file against the reference solution.
extern crate solution_09 as exercise_09;
include!("../../../exercises/exercise-09/src/main.rs");
