// The worker program of exercise 07: the smallest worker process there is.
// It answers `ping` with `ok pong` (the protocol of exercise 02) until its
// input ends. The chapter "Overhead" (`book/src/07-overhead.md`) times how
// long starting it and waiting for it takes. You write nothing here.
//
// Try it: `echo ping | cargo run -q -p exercise-07`

fn main() -> std::process::ExitCode {
    exercise_07::overhead::worker_main(std::env::args().skip(1))
}
