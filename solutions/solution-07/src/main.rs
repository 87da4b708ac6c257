// The program is given and lives with the exercise; this shim builds that
// same file against the reference solution.
extern crate solution_07 as exercise_07;
include!("../../../exercises/exercise-07/src/main.rs");
