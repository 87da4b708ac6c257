//! `wait`: a waiting job (chapters 05 and 06). Each request waits for a simulated reply
//! ([`solution_05::wait_for_replies`], 1 ms each); the CPU is idle meanwhile.
//! Chapter 08's `io` makes real requests to a local server instead.

use super::{Counts, Mode, Plan, PythonTwin, Spec, Workload, crates, range_plan};

pub const WORKLOAD: Workload = Workload {
    name: "wait",
    about: "waiting: requests that each wait 1 ms for a simulated reply (wait_for_replies)",
    unit: "requests",
    // 1 ms each, so about 0.2 s sequential.
    default_size: 200,
    // A sequential run of more than about 3 minutes is a mistake.
    max_size: 200_000,
    chapter: "05-parallelism.md",
    python: Some(PythonTwin {
        script: "io_bound.py",
        size_divisor: 1,
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
    range_plan(spec, solution_05::wait_for_replies, "wait", true)
}
