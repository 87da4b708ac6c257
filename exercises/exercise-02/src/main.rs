// The worker program of exercise 02. It is already written: it only runs
// the library's `serve` on this process's standard input and output.
//
// Try it by hand: `echo "sum 1 2 3" | cargo run -q -p exercise-02`

use std::io;
use std::process::ExitCode;

fn main() -> ExitCode {
    match exercise_02::serve(io::stdin().lock(), io::stdout().lock()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            // One line, so that the parent can pass it on as it is.
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}
