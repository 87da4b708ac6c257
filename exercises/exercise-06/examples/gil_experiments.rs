// # Exercise 06 · The GIL experiments
//
// Read first: the chapter "The GIL" (`book/src/06-the-gil.md`).
// Run: `cargo run --release -p exercise-06 --example gil_experiments`
// (add `-- --quick` for a short run). It times the chapter's three
// experiments on *your* GIL, side by side, in one run:
//
// 1. CPU-bound: 1, 2 and 4 threads under the GIL, against plain Rust
//    threads and worker processes;
// 2. I/O-bound: 8 threads that release the GIL while they block;
// 3. the convoy effect: UDP round trips over 127.0.0.1 beside one
//    CPU-bound thread, at 5 ms and 1 ms switch intervals.
//
// Timings on a busy machine are noise: close what you can, and compare
// ratios, not single figures.

use std::process::Command;
use std::time::{Duration, Instant};

use exercise_06::GilConfig;
use exercise_06::interpreter::compute_free;
use exercise_06::workloads::{self, PIECES, cpu_answer};

fn time<T>(f: impl FnOnce() -> T) -> (Duration, T) {
    let start = Instant::now();
    let value = f();
    (start.elapsed(), value)
}

fn ms(d: Duration) -> String {
    format!("{:>9.1} ms", d.as_secs_f64() * 1e3)
}

fn row(name: &str, took: Duration, base: Duration, note: &str) {
    let ratio = base.as_secs_f64() / took.as_secs_f64();
    println!("  {name:<34} {}  {ratio:>7.2}x  {note}", ms(took));
}

/// `processes` worker processes (this example again, with `--pieces`),
/// each computing its share of the pieces; returns the summed answer.
fn cpu_processes(processes: u64, total: u64) -> u64 {
    let exe = std::env::current_exe().expect("this example's path");
    let children: Vec<_> = (0..processes)
        .map(|p| {
            let mine = (0..PIECES).filter(|piece| piece % processes == p).count();
            Command::new(&exe)
                .args(["--pieces", &mine.to_string(), &(total / PIECES).to_string()])
                .stdout(std::process::Stdio::piped())
                .spawn()
                .expect("could not start a worker process")
        })
        .collect();
    children
        .into_iter()
        .map(|child| {
            let out = child.wait_with_output().expect("a worker process failed");
            String::from_utf8_lossy(&out.stdout)
                .trim()
                .parse::<u64>()
                .expect("a worker printed no number")
        })
        .fold(0, u64::wrapping_add)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|_| "unknown".into())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--pieces") {
        // A worker process: compute `count` pieces of `piece` bytecodes.
        let count: u64 = args[1].parse().expect("--pieces COUNT PIECE");
        let piece: u64 = args[2].parse().expect("--pieces COUNT PIECE");
        let sum = (0..count)
            .map(|_| compute_free(piece, 0))
            .fold(0, u64::wrapping_add);
        println!("{sum}");
        return;
    }
    let quick = args.iter().any(|a| a == "--quick");
    let cpython = GilConfig::cpython();
    let fast = cpython.with_interval(Duration::from_millis(1));

    println!(
        "The GIL experiments ({} run)",
        if quick { "quick" } else { "full" }
    );
    println!(
        "  {} CPUs, load average {} (a busy machine distorts every figure)\n",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        load_average()
    );

    // Calibrate: how many bytecodes make `intervals` switch intervals of work.
    let probe = 2_000_000;
    let (took, _) = time(|| compute_free(probe, 0));
    let intervals = if quick { 100.0 } else { 500.0 };
    let per_second = probe as f64 / took.as_secs_f64();
    let total = ((per_second * intervals * cpython.switch_interval.as_secs_f64()) as u64
        / PIECES)
        .max(1)
        * PIECES;

    println!(
        "1. CPU-bound: {total} bytecodes ({intervals} switch intervals of 5 ms), 5 ms interval"
    );
    let (seq, (value, _)) = time(|| workloads::cpu_gil(cpython, 1, total));
    assert_eq!(value, cpu_answer(total));
    row("sequential, under the GIL", seq, seq, "(the baseline)");
    for threads in [2, 4] {
        let (took, (value, stats)) = time(|| workloads::cpu_gil(cpython, threads, total));
        assert_eq!(value, cpu_answer(total));
        row(
            &format!("{threads} threads, under the GIL"),
            took,
            seq,
            &format!("{} switches", stats.switches),
        );
    }
    let no_force = GilConfig {
        force_switching: false,
        ..cpython
    };
    let (took, (value, stats)) = time(|| workloads::cpu_gil(no_force, 2, total));
    assert_eq!(value, cpu_answer(total));
    row(
        "2 threads, no forced switching",
        took,
        seq,
        &format!("{} switches", stats.switches),
    );
    let (free, value) = time(|| workloads::cpu_threads(1, total));
    assert_eq!(value, cpu_answer(total));
    row("1 Rust thread, no GIL", free, seq, "(the bytecodes alone)");
    for threads in [2, 4] {
        let (took, value) = time(|| workloads::cpu_threads(threads, total));
        assert_eq!(value, cpu_answer(total));
        row(
            &format!("{threads} Rust threads, no GIL"),
            took,
            free,
            "vs 1 Rust thread",
        );
    }
    for processes in [2, 4] {
        let (took, value) = time(|| cpu_processes(processes, total));
        assert_eq!(value, cpu_answer(total));
        row(
            &format!("{processes} processes, no GIL"),
            took,
            free,
            "vs 1 Rust thread",
        );
    }

    let (threads, calls, block) =
        (8, if quick { 5 } else { 20 }, Duration::from_millis(10));
    println!(
        "\n2. I/O-bound: {threads} threads x {calls} blocking calls of {block:?}, GIL released while blocked"
    );
    let (seq, _) = time(|| workloads::io_gil(cpython, 1, threads * calls, block));
    row("sequential, under the GIL", seq, seq, "(the baseline)");
    let (took, _) = time(|| workloads::io_gil(cpython, threads, calls, block));
    row(&format!("{threads} threads, under the GIL"), took, seq, "");

    let round_trips = if quick { 50 } else { 200 };
    println!(
        "\n3. Convoy: {round_trips} UDP round trips over 127.0.0.1, GIL released around send and recv"
    );
    let alone =
        workloads::convoy(cpython, round_trips, 0).expect("UDP over 127.0.0.1 failed");
    let per = |d: Duration| format!("{:.1} us per round trip", d.as_secs_f64() * 1e6);
    println!(
        "  {:<34} {}  {:>7}   {}",
        "alone",
        ms(alone.io_time),
        "",
        per(alone.per_round_trip())
    );
    let mut beside = Vec::new();
    for (name, config) in [
        ("beside a CPU thread, 5 ms interval", cpython),
        ("beside a CPU thread, 1 ms interval", fast),
    ] {
        let report =
            workloads::convoy(config, round_trips, 1).expect("UDP over 127.0.0.1 failed");
        let slower = report.io_time.as_secs_f64() / alone.io_time.as_secs_f64();
        println!(
            "  {name:<34} {}  {slower:>7.0}x slower, {}",
            ms(report.io_time),
            per(report.per_round_trip())
        );
        beside.push(report.io_time);
    }
    println!(
        "  a 1 ms interval makes the I/O thread {:.1}x faster than 5 ms",
        beside[0].as_secs_f64() / beside[1].as_secs_f64()
    );
}
