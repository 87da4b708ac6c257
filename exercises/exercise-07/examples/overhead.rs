// `cargo run --release -p exercise-07 --example overhead`: what one worker
// costs on this machine, and what your pool costs per job. Read chapter 07
// (`book/src/07-overhead.md`).
//
// The worker process it times is this program itself, started again with
// `--worker` (it then answers `ping` with `ok pong`, like `src/main.rs`).

use std::process::ExitCode;
use std::time::{Duration, Instant};

use course_support::worker::{self, Program};
use exercise_07::Pool;
use exercise_07::overhead::{self, Memory};

/// Median time of `f`, over `runs` runs after one warm-up run.
fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    f();
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn micros(d: Duration) -> String {
    format!("{:>9.1} us", d.as_secs_f64() * 1e6)
}

fn show(what: &str, memory: Option<Memory>) {
    match memory {
        Some(m) => {
            let pss = m
                .pss_kib
                .map_or("not available".to_string(), |p| format!("{p:.0} KiB"));
            println!("  {what:<28} RSS {:>7.0} KiB   PSS {pss}", m.rss_kib);
        }
        None => println!("  {what:<28} not available on this platform (no /proc)"),
    }
}

fn main() -> ExitCode {
    if std::env::args().nth(1).as_deref() == Some("--worker") {
        return overhead::worker_main(std::env::args().skip(2));
    }
    if cfg!(debug_assertions) {
        eprintln!(
            "note: this is a debug build; add --release for figures worth comparing."
        );
    }
    let me: Program =
        worker::this_program(["--worker"]).expect("cannot find this program");
    let load = std::fs::read_to_string("/proc/loadavg").map_or("unknown".into(), |l| {
        l.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
    });
    println!("load average at start: {load} (figures from a busy machine are noisy)\n");

    println!("spawn + join (median of 200):");
    let thread = median(200, overhead::spawn_join_thread);
    let scoped = median(200, overhead::spawn_join_scoped);
    let rayon = median(200, overhead::spawn_join_rayon);
    let process = median(50, || {
        overhead::spawn_wait_process(&me).expect("the worker process failed")
    });
    println!("  std thread                 {}", micros(thread));
    println!("  scoped thread              {}", micros(scoped));
    println!("  rayon task                 {}", micros(rayon));
    println!(
        "  worker process (ping)      {}   (median of 50)",
        micros(process)
    );
    println!(
        "  process / thread           {:>9.1} x",
        process.as_secs_f64() / thread.as_secs_f64()
    );

    println!("\nmemory per idle worker:");
    show("thread (of 64)", overhead::thread_memory(64));
    show(
        "process (of 8)",
        overhead::process_memory(&me, 8).expect("the worker processes failed"),
    );

    const JOBS: usize = 10_000;
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let pool = Pool::new(workers);
    let per_job = median(21, || {
        overhead::with_pool(&pool, JOBS, 0);
    }) / JOBS as u32;
    println!(
        "\nyour pool ({workers} workers), {JOBS} empty jobs through map: {} per job",
        micros(per_job)
    );
    ExitCode::SUCCESS
}
