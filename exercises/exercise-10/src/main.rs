// The worker program of exercise 10: it runs `worker_main` (src/worker.rs).
// Try it by hand: `echo "1 0 crunch 10" | cargo run -q -p exercise-10`

fn main() -> std::process::ExitCode {
    exercise_10::worker::worker_main(std::env::args().skip(1).collect())
}
