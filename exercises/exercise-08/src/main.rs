// The worker program of exercise 08: `cargo run -p exercise-08` starts one
// by hand. It answers `fetch <addr> <name>...` with `ok <body>...`,
// fetching the names one after the other (the protocol of exercise 02).
//
// Read the chapter "Best for: I/O-bound work" (`book/src/08-io-bound.md`).
// [`fetch_processes`](exercise_08::fetch_processes) starts this program as
// its workers. You write nothing here: see `src/lib.rs`.

fn main() -> std::process::ExitCode {
    exercise_08::worker_main(std::env::args().skip(1))
}
