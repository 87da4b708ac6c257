// The worker process of exercise 05: `cargo run -p exercise-05` starts one
// by hand. Type `inside 0 1000000` and press Enter; it answers
// `ok <checksum>`. Ctrl-D (end of input) stops it.
//
// Read the chapter "Parallelism vs concurrency" (`book/src/05-parallelism.md`).
// [`sum_processes`](exercise_05::sum_processes) starts this program as its
// workers. You write nothing here: see `src/lib.rs`.

fn main() -> std::process::ExitCode {
    exercise_05::worker_main(std::env::args().skip(1))
}
