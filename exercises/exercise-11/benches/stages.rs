// `cargo bench -p exercise-11`: where does the time go? Read chapter 11
// (`book/src/11-capstone.md`).
//
// On a generated tree of about 5 MB (`Shape::BENCH`), it times
//
// * each stage alone, sequentially: `scan`, reading the files (`read`),
//   reading and parsing them (`read+parse`, your `analyse_file`), and
//   merging the per-file results into the report (`merge+report`);
// * what worker processes would pay on top: turning the per-file results
//   into text and back (`wire`), and a given pipeline that sends the files
//   to worker processes running your `analyse_file` (`processes (given)`);
// * the whole pipeline: `analyse_sequential` against your `analyse` with 1
//   worker and with one worker per core.
//
// A part you have not written yet is skipped. The settings are short on
// purpose; add `-- --measurement-time 5` for steadier figures. What a
// thread or a process costs to start, and when it pays, is what
// `cargo xtask measure cpu` and `cargo xtask measure io` show.

use std::hint::black_box;

use course_support::worker::{Program, run_workers};
use criterion::{BatchSize, BenchmarkId, Criterion, criterion_group, criterion_main};
use exercise_11::generate::{LogTree, Shape};
use exercise_11::{
    Config, Report, Stats, TOP, analyse, analyse_file, analyse_sequential, scan, wire,
};

/// Runs `part` once: its value, or `None` (with a note) if it is not
/// written yet.
fn ready<T>(name: &str, part: impl FnOnce() -> T) -> Option<T> {
    let value = course_support::written(part);
    if value.is_none() {
        eprintln!("skipping {name}: not written yet (it still hits a `todo!()`)");
    }
    value
}

fn stages(c: &mut Criterion) {
    let tree =
        LogTree::generate(11, Shape::BENCH).expect("cannot write the benchmark's logs");
    let root = tree.root().to_path_buf();
    let files = tree.log_files().to_vec();
    let bytes: u64 = files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    eprintln!(
        "the tree: {} log files, {:.1} MB, {} entries",
        files.len(),
        bytes as f64 / 1e6,
        tree.expected().entries
    );

    let mut group = c.benchmark_group("stages");
    if ready("scan", || scan(&root)).is_some() {
        group.bench_function("scan", |b| b.iter(|| scan(black_box(&root))));
    }
    group.bench_function("read", |b| {
        b.iter(|| {
            files
                .iter()
                .map(|f| std::fs::read_to_string(f).map_or(0, |t| t.len()))
                .sum::<usize>()
        })
    });
    if let Some(parts) = ready("read+parse", || {
        files
            .iter()
            .map(|f| analyse_file(f))
            .collect::<Vec<Stats>>()
    }) {
        group.bench_function("read+parse", |b| {
            b.iter(|| {
                files
                    .iter()
                    .map(|f| analyse_file(black_box(f)))
                    .collect::<Vec<Stats>>()
            })
        });
        if ready("merge", || Stats::default().merge(Stats::default())).is_some() {
            group.bench_function("merge+report", |b| {
                b.iter_batched(
                    || parts.clone(),
                    |parts| {
                        let mut total = Stats::default();
                        for part in parts {
                            total.merge(part);
                        }
                        Report::from_stats(total, TOP)
                    },
                    BatchSize::LargeInput,
                )
            });
        }
        group.bench_function("wire", |b| {
            b.iter(|| {
                let texts: Vec<String> = parts.iter().map(wire::encode_stats).collect();
                texts
                    .iter()
                    .map(|t| wire::decode_stats(t).expect("the wire format round-trips"))
                    .collect::<Vec<Stats>>()
            })
        });
    }
    group.finish();

    let mut group = c.benchmark_group("pipeline");
    if ready("analyse_sequential", || analyse_sequential(&root, TOP)).is_some() {
        group.bench_function("sequential", |b| {
            b.iter(|| analyse_sequential(black_box(&root), TOP))
        });
    }
    let worker = Program::new(env!(concat!("CARGO_BIN_EXE_", env!("CARGO_PKG_NAME"))))
        .arg("worker");
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut counts = vec![1, cores];
    counts.dedup();
    for workers in counts {
        let config = Config::new(workers, worker.clone());
        match ready("analyse", || analyse(&root, &config)) {
            Some(Ok(_)) => {
                group.bench_function(BenchmarkId::new("analyse", workers), |b| {
                    b.iter(|| analyse(black_box(&root), &config).expect("analyse failed"))
                });
            }
            Some(Err(e)) => {
                eprintln!("skipping analyse with {workers} workers: it failed: {e}")
            }
            None => {}
        }
    }
    if ready("processes (given)", || processes(&root, &worker, cores))
        .is_some_and(|r| r.is_ok())
    {
        group.bench_function(BenchmarkId::new("processes (given)", cores), |b| {
            b.iter(|| {
                processes(black_box(&root), &worker, cores).expect("a worker failed")
            })
        });
    }
    group.finish();
}

/// The pipeline with worker processes for read+parse, given so that you can
/// compare: one process per batch of files, each running your
/// `analyse_file` and `merge` (`exercise-11 worker`), its `Stats` sent back
/// as text.
fn processes(
    root: &std::path::Path,
    worker: &Program,
    workers: usize,
) -> Result<Report, String> {
    let found = scan(root);
    let batch = found.files.len().div_ceil(workers).max(1);
    let requests: Vec<String> = found
        .files
        .chunks(batch)
        .map(wire::encode_request)
        .collect();
    let mut total = Stats {
        unreadable: found.errors,
        ..Stats::default()
    };
    for answer in run_workers(worker, &requests).map_err(|e| e.to_string())? {
        total.merge(wire::decode_stats(&answer)?);
    }
    Ok(Report::from_stats(total, TOP))
}

criterion_group! {
    name = benches;
    config = course_support::bench::config();
    targets = stages
}
criterion_main!(benches);
