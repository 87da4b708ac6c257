// The program of exercise 11. You write nothing here: see `src/lib.rs`.
//
// * `cargo run --release -p exercise-11 -- demo` generates a tree of logs,
//   analyses it with your `analyse` and prints the report.
// * `cargo run --release -p exercise-11 -- DIR` analyses a folder of your own.
// * `exercise-11 worker` is a worker process, for `analyse` to start if you
//   choose processes for a stage (chapter: `book/src/11-capstone.md`).
//
// Add a number of workers after the folder (`demo 4`); the default is one
// per core.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use course_support::worker::this_program;
use exercise_11::generate::{LogTree, Shape};
use exercise_11::{Config, analyse};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let workers = match args.get(1).map(|n| n.parse::<usize>()) {
        None => std::thread::available_parallelism().map_or(2, |n| n.get()),
        Some(Ok(n)) if n > 0 => n,
        Some(_) => {
            return usage("the number of workers must be a whole number, at least 1");
        }
    };
    let (_tree, root) = match args.first().map(String::as_str) {
        Some("worker") => return exercise_11::worker_main(),
        Some("demo") => match LogTree::generate(11, Shape::BENCH) {
            Ok(tree) => {
                let root = tree.root().to_path_buf();
                (Some(tree), root)
            }
            Err(e) => return usage(&format!("cannot generate the logs: {e}")),
        },
        Some(dir) if !dir.starts_with('-') => (None, PathBuf::from(dir)),
        _ => return usage("tell me what to analyse"),
    };
    let worker = match this_program(["worker"]) {
        Ok(program) => program,
        Err(e) => return usage(&format!("cannot find this program: {e}")),
    };
    let start = Instant::now();
    match analyse(&root, &Config::new(workers, worker)) {
        Ok(report) => {
            print!("{report}");
            println!(
                "analysed {} with {workers} workers in {:.1?}",
                root.display(),
                start.elapsed()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn usage(problem: &str) -> ExitCode {
    eprintln!("error: {problem}");
    eprintln!(
        "usage: exercise-11 demo [WORKERS] | exercise-11 DIR [WORKERS] | exercise-11 worker"
    );
    ExitCode::from(2)
}
