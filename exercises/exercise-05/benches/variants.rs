// `cargo bench -p exercise-05`: your three variants against the sequential
// job, on the same range, with criterion. Read chapter 05
// (`book/src/05-parallelism.md`). A variant you have not written yet is
// skipped. For the whole picture (1 to 2x your cores, processes and
// threads side by side) run `cargo xtask measure cpu --mine`.
//
// The settings are short on purpose; for steadier figures run
// `cargo bench -p exercise-05 --bench variants -- --measurement-time 5`
// (name the bench: the library and the worker binary take no such option).

use std::hint::black_box;
use std::ops::Range;

use course_support::worker::Program;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use exercise_05::{count_inside, sum_processes, sum_rayon, sum_threads};

/// About 50 ms of sequential work on a laptop.
const POINTS: Range<u64> = 0..20_000_000;

fn workers() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// Runs `variant` once; false (with a note) if it is not written yet, or
/// gives a wrong answer.
fn ready(name: &str, variant: impl FnOnce() -> u64) -> bool {
    let expected = count_inside(0..1000);
    match course_support::written(variant) {
        Some(sum) if sum == expected => true,
        Some(sum) => {
            eprintln!("skipping {name}: it answered {sum}, not {expected}");
            false
        }
        None => {
            eprintln!("skipping {name}: not written yet (it still hits its `todo!()`)");
            false
        }
    }
}

fn variants(c: &mut Criterion) {
    let workers = workers();
    let worker = Program::new(env!(concat!("CARGO_BIN_EXE_", env!("CARGO_PKG_NAME"))));
    let mut group = c.benchmark_group("count_inside");
    group.bench_function("sequential", |b| b.iter(|| count_inside(black_box(POINTS))));
    if ready("threads", || sum_threads(0..1000, 2, count_inside)) {
        group.bench_function(BenchmarkId::new("threads", workers), |b| {
            b.iter(|| sum_threads(black_box(POINTS), workers, count_inside))
        });
    }
    if ready("rayon", || sum_rayon(0..1000, 2, count_inside)) {
        group.bench_function(BenchmarkId::new("rayon", workers), |b| {
            b.iter(|| sum_rayon(black_box(POINTS), workers, count_inside))
        });
    }
    if ready("processes", || {
        sum_processes(&worker, "inside", 0..1000, 2).unwrap_or(0)
    }) {
        group.bench_function(BenchmarkId::new("processes", workers), |b| {
            b.iter(|| {
                sum_processes(&worker, "inside", black_box(POINTS), workers)
                    .expect("a worker failed")
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = course_support::bench::config();
    targets = variants
}
criterion_main!(benches);
