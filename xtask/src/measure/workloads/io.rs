//! `io`: an I/O-bound job. Each request waits for a simulated reply
//! ([`solution_05::wait_for_replies`], 1 ms each); the CPU is idle meanwhile.

use super::{Plan, PythonTwin, Spec, Workload, chapter_05_variants};

pub const WORKLOAD: Workload = Workload {
    name: "io",
    about: "I/O-bound: requests that each wait 1 ms for a simulated reply (wait_for_replies)",
    unit: "requests",
    // 1 ms each, so about 0.2 s sequential.
    default_size: 200,
    // A sequential run of more than about 3 minutes is a mistake.
    max_size: 200_000,
    chapter: "05-parallelism.md",
    python: Some(PythonTwin {
        script: "io_bound.py",
        size_divisor: 1,
    }),
    plan,
};

fn plan(spec: &Spec) -> Plan {
    let size = spec.size;
    Plan {
        baseline: Box::new(move || Ok(solution_05::wait_for_replies(0..size))),
        variants: chapter_05_variants(spec, solution_05::wait_for_replies, "wait")
            .into_iter()
            .chain(super::gil::variants(
                spec,
                solution_05::wait_for_replies,
                true,
            ))
            .collect(),
    }
}
