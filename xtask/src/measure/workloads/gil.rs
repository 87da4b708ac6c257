//! The toy GIL of chapter 06 (`solution_06`), in three workloads:
//!
//! * a `gil` variant of `cpu` and `wait`: the same job, run by threads that
//!   share one toy GIL (CPython's design, 5 ms switch interval), so that the
//!   GIL's rows sit beside the real threads', rayon's and the processes';
//! * `convoy`: UDP round trips over 127.0.0.1 beside CPU-bound threads under
//!   the GIL, at 5 ms and 1 ms switch intervals (the convoy effect).
//!
//! The code that runs lives in `exercises/exercise-06/src/workloads.rs`
//! (given code, which the solution reaches by `#[path]`);
//! this file only builds the variants.

use std::ops::Range;
use std::time::Duration;

use solution_06::GilConfig;
use solution_06::workloads::{convoy, gil_over_range};

use super::{Counts, Mode, Plan, PythonTwin, Spec, Variant, Workload};

/// The `gil` variant of a job over `0..size`, at each worker count: each
/// item is one bytecode, or (`blocking`) one blocking call made with the
/// GIL released.
pub fn variants(spec: &Spec, job: fn(Range<u64>) -> u64, blocking: bool) -> Vec<Variant> {
    let size = spec.size;
    spec.workers
        .iter()
        .map(|&workers| {
            Variant::new("gil", workers, move || {
                Ok(gil_over_range(
                    GilConfig::cpython(),
                    workers,
                    0..size,
                    job,
                    blocking,
                ))
            })
        })
        .collect()
}

pub const CONVOY: Workload = Workload {
    name: "convoy",
    about: "the convoy effect: UDP round trips over 127.0.0.1 beside N CPU-bound threads under the toy GIL, \
            at 5 ms and 1 ms switch intervals (N = workers; the baseline is the I/O thread alone)",
    unit: "round trips",
    // Alone about 2 ms; beside a CPU thread about 1 s at 5 ms on a quiet machine.
    default_size: 200,
    // Each round trip may cost two switch intervals.
    max_size: 20_000,
    chapter: "06-the-gil.md",
    python: Some(PythonTwin {
        script: "gil_convoy.py",
        size_divisor: 1,
        reference: None,
    }),
    mode: Mode::Slowdown {
        x_label: "CPU threads",
    },
    counts: Counts::EveryUpTo,
    items: None,
    mine: None,
    plan: convoy_plan,
    reports: None,
};

fn convoy_plan(spec: &Spec) -> Plan {
    let round_trips = u32::try_from(spec.size).unwrap_or(u32::MAX);
    let once = move |config: GilConfig, cpu_threads: usize| -> Result<u64, String> {
        convoy(config, round_trips, cpu_threads)
            .map(|report| report.checksum())
            .map_err(|e| e.to_string())
    };
    let mut variants = Vec::new();
    for (name, interval) in [("gil 5 ms", 5), ("gil 1 ms", 1)] {
        let config = GilConfig::cpython().with_interval(Duration::from_millis(interval));
        variants.extend(
            spec.workers.iter().map(|&workers| {
                Variant::new(name, workers, move || once(config, workers))
            }),
        );
    }
    Plan::new(move || once(GilConfig::cpython(), 0), variants)
}
