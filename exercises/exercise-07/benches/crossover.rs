// `cargo bench -p exercise-07`: one batch of equal tasks, run sequentially,
// with a new thread per task, through your pool and through rayon, at
// several task sizes. Read chapter 07 (`book/src/07-overhead.md`): the task
// size where a way of running them starts to pay off is the *crossover*.
//
// Criterion reports the time of one whole batch; divide by `TASKS` for the
// cost per task. A pool you have not written yet is skipped. The settings
// are short on purpose; add `-- --measurement-time 5` for steadier figures.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use exercise_07::Pool;
use exercise_07::overhead::{sequential, thread_per_task, with_pool, with_rayon};

/// Tasks per batch.
const TASKS: usize = 64;
/// Task sizes, in units of `overhead::task` (a few nanoseconds each).
const SIZES: [u64; 4] = [10, 1_000, 10_000, 100_000];

fn workers() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// Your pool, or `None` (with a note) if it is not written yet.
fn ready_pool() -> Option<Pool> {
    let probe = course_support::written(|| {
        let pool = Pool::new(workers());
        (with_pool(&pool, 4, 10) == sequential(4, 10)).then_some(pool)
    });
    match probe {
        Some(Some(pool)) => Some(pool),
        Some(None) => {
            eprintln!("skipping the pool: it gives a wrong answer");
            None
        }
        None => {
            eprintln!("skipping the pool: not written yet (it still hits a `todo!()`)");
            None
        }
    }
}

fn crossover(c: &mut Criterion) {
    let pool = ready_pool();
    let mut group = c.benchmark_group(format!("batch of {TASKS} tasks"));
    for units in SIZES {
        group.bench_with_input(BenchmarkId::new("sequential", units), &units, |b, &u| {
            b.iter(|| sequential(TASKS, black_box(u)))
        });
        group.bench_with_input(
            BenchmarkId::new("thread per task", units),
            &units,
            |b, &u| b.iter(|| thread_per_task(TASKS, black_box(u))),
        );
        if let Some(pool) = &pool {
            group.bench_with_input(BenchmarkId::new("pool", units), &units, |b, &u| {
                b.iter(|| with_pool(pool, TASKS, black_box(u)))
            });
        }
        group.bench_with_input(BenchmarkId::new("rayon", units), &units, |b, &u| {
            b.iter(|| with_rayon(TASKS, black_box(u)))
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = course_support::bench::config();
    targets = crossover
}
criterion_main!(benches);
