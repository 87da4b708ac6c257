//! `isolation`: the price of fault isolation, chapter 10. SIZE small jobs
//! (`crunch 10000` each, a few microseconds) run in one thread (the
//! baseline), on a pool of N threads ([`solution_10::supervisor::thread_pool`]),
//! and on N supervised worker processes ([`solution_10::supervisor::supervise`]):
//! one request line and one answer line through pipes per job.

use std::time::Duration;

use solution_10::jobs::{Job, Task, crunch};
use solution_10::supervisor::{Config, Report, supervise, thread_pool};

use super::{Counts, Items, Mode, Plan, PythonTwin, Spec, Variant, Workload};

pub const WORKLOAD: Workload = Workload {
    name: "isolation",
    about: "SIZE small jobs (crunch 10000) on N threads vs N supervised worker processes (chapter 10)",
    unit: "jobs",
    default_size: 20_000,
    max_size: 10_000_000,
    chapter: "10-fault-isolation.md",
    // Python's crunch is about a hundred times slower: it runs a hundredth
    // of the jobs, on ThreadPoolExecutor and ProcessPoolExecutor.
    python: Some(PythonTwin {
        script: "isolation.py",
        size_divisor: 100,
        reference: None,
    }),
    mode: Mode::Speedup,
    counts: Counts::EveryUpTo,
    items: Some(Items {
        name: "jobs",
        per_run: |size, _| size,
        bytes_each: None,
    }),
    mine: None,
    plan,
    reports: None,
};

const ROUNDS: u64 = 10_000;

fn jobs(size: u64) -> Vec<Job> {
    (0..size)
        .map(|id| Job {
            id,
            task: Task::Crunch(ROUNDS),
        })
        .collect()
}

/// The checksum: the xor of every job's value, once every job is done.
fn checksum(report: Report, size: u64) -> Result<u64, String> {
    if let Some(failed) = report.failed.first() {
        return Err(format!(
            "job {} failed: {}",
            failed.id,
            failed
                .faults
                .last()
                .map(|f| f.to_string())
                .unwrap_or_default()
        ));
    }
    if report.done.len() as u64 != size {
        return Err(format!("{} of {size} jobs done", report.done.len()));
    }
    Ok(report.done.iter().fold(0, |x, done| x ^ done.value))
}

fn plan(spec: &Spec) -> Plan {
    let size = spec.size;
    // solution-10's `Program` is course-support's: no conversion needed.
    let program = spec.worker_program("solution-10");
    let mut variants = Vec::new();
    for &workers in &spec.workers {
        variants.push(Variant::new("threads", workers, move || {
            checksum(thread_pool(jobs(size), workers), size)
        }));
    }
    for &workers in &spec.workers {
        let program = program.clone();
        // The timeout is a safety net here, not part of the measurement.
        let config = Config {
            workers,
            timeout: Duration::from_secs(60),
            retries: 0,
        };
        variants.push(Variant::new("supervised processes", workers, move || {
            checksum(supervise(&program, jobs(size), &config), size)
        }));
    }
    Plan::new(
        move || Ok((0..size).fold(0, |x, _| x ^ crunch(ROUNDS))),
        variants,
    )
}
