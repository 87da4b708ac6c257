// The worker program of exercise 09: it runs `worker_main` (src/worker.rs),
// which reads frames from standard input and answers with frames.

fn main() -> std::process::ExitCode {
    exercise_09::worker::worker_main(std::env::args().skip(1).collect())
}
