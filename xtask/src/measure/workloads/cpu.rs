//! `cpu`: a CPU-bound job. Count the points inside the quarter circle
//! ([`solution_05::count_inside`]), split three ways (chapter 05).

use super::{Counts, Mode, Plan, PythonTwin, Spec, Workload, crates, range_plan};

pub const WORKLOAD: Workload = Workload {
    name: "cpu",
    about: "CPU-bound: count the pseudo-random points inside the quarter circle (count_inside)",
    unit: "points",
    // About 1 s of sequential work on one core of a 2020s x86-64 machine.
    default_size: 900_000_000,
    max_size: 1 << 40,
    chapter: "05-parallelism.md",
    python: Some(PythonTwin {
        script: "cpu_bound.py",
        size_divisor: 2000,
        reference: None,
    }),
    mode: Mode::Speedup,
    counts: Counts::EveryUpTo,
    items: None,
    mine: Some(crates::CHAPTER_05.number),
    plan,
    reports: None,
};

fn plan(spec: &Spec) -> Plan {
    range_plan(spec, solution_05::count_inside, "inside", false)
}
