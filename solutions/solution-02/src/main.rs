// The program is given and lives with the exercise; this shim builds that
// same file against the reference solution.
extern crate solution_02 as exercise_02;
include!("../../../exercises/exercise-02/src/main.rs");
