// `cargo run --release -p exercise-08 --example io_throughput`: requests per
// second against the number of workers, from a local server that answers
// each request after 10 ms. Read chapter 08 (`book/src/08-io-bound.md`).
//
// Options: `--latency-ms 10`, `--requests 160`, `--rounds 3`.
// The worker processes are this program itself, started with `--worker`.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use course_support::worker;
use exercise_08::{
    Server, ServerConfig, fetch_pool, fetch_processes, fetch_sequential, fetch_threads,
    resource_names,
};

fn option(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    match args.iter().position(|a| a == name) {
        Some(i) => args
            .get(i + 1)
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| {
                eprintln!("error: {name} needs a whole number");
                std::process::exit(2)
            }),
        None => default,
    }
}

fn main() -> ExitCode {
    if std::env::args().nth(1).as_deref() == Some("--worker") {
        return exercise_08::worker_main(std::env::args().skip(2));
    }
    if cfg!(debug_assertions) {
        eprintln!(
            "note: this is a debug build; add --release for figures worth comparing."
        );
    }
    let latency = Duration::from_millis(option("--latency-ms", 10).clamp(1, 1000));
    let requests = option("--requests", 160).clamp(1, 10_000) as usize;
    let rounds = option("--rounds", 3).clamp(1, 50) as usize;
    let server = Server::start(ServerConfig::with_latency(latency))
        .expect("cannot start the server on 127.0.0.1");
    let addr = server.addr();
    let names = resource_names(requests);
    let me = worker::this_program(["--worker"]).expect("cannot find this program");
    let load = std::fs::read_to_string("/proc/loadavg").map_or("unknown".into(), |l| {
        l.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
    });
    println!(
        "{requests} requests, {latency:?} latency each, median of {rounds} rounds; load average {load}\n"
    );

    // Median seconds of one way, checked against the expected bodies.
    let time = |fetch: &dyn Fn() -> Result<Vec<String>, exercise_08::FetchError>| -> f64 {
        let mut times: Vec<f64> = (0..rounds)
            .map(|_| {
                let start = Instant::now();
                let bodies = fetch().unwrap_or_else(|e| panic!("fetch failed: {e}"));
                let elapsed = start.elapsed().as_secs_f64();
                assert_eq!(bodies.len(), requests);
                elapsed
            })
            .collect();
        times.sort_by(f64::total_cmp);
        times[rounds / 2]
    };
    let sequential = time(&|| fetch_sequential(addr, &names));
    let row = |way: &str, workers: usize, seconds: f64| {
        println!(
            "{way:<18} {workers:>4} workers {:>8.1} ms {:>8.0} req/s {:>6.1}x sequential",
            seconds * 1e3,
            requests as f64 / seconds,
            sequential / seconds
        )
    };
    row("sequential", 1, sequential);
    for workers in [2, 4, 8, 16, 32, 64] {
        row("pool", workers, time(&|| fetch_pool(addr, &names, workers)));
    }
    row(
        "thread per request",
        requests,
        time(&|| fetch_threads(addr, &names)),
    );
    for processes in [4, 16] {
        row(
            "processes",
            processes,
            time(&|| fetch_processes(&me, addr, &names, processes)),
        );
    }
    println!(
        "\nthe server saw at most {} connections at once",
        server.peak_connections()
    );
    ExitCode::SUCCESS
}
