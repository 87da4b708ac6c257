//! `crossover`: where a worker pays for itself, chapter 07. One batch of
//! SIZE equal tasks ([`solution_07::overhead::task`]) run four ways
//! ([`solution_07::overhead`]'s batch: sequential, a thread per task, the
//! pool, rayon), at task sizes from 1 to 100,000 units. The report gives the
//! time per task and its ratio to the sequential time; the crossover of a
//! way is the task size where that ratio falls below 1.

use std::cell::OnceCell;
use std::rc::Rc;

use solution_07::overhead::{sequential, thread_per_task, with_rayon};

use super::crates::{self, Crate, Pool, Pools};
use super::{Counts, Items, Mode, Plan, Spec, Workload};

pub const WORKLOAD: Workload = Workload {
    name: "crossover",
    about: "SIZE equal tasks of 1 to 100,000 units each, run sequentially, by a thread per task, by the \
            pool and by rayon: the task size where each starts to pay (chapter 07)",
    unit: "tasks per batch",
    default_size: 1000,
    // 100,000 units take about 0.1 ms: a batch of 100,000 such tasks is 10 s.
    max_size: 100_000,
    chapter: "07-overhead.md",
    python: None,
    mode: Mode::Cost {
        x_label: "units per task",
        reference: "sequential",
    },
    counts: Counts::Own,
    items: Some(Items {
        name: "tasks",
        per_run: |size, _| size,
        bytes_each: None,
    }),
    mine: Some(crates::CHAPTER_07.number),
    plan,
    reports: None,
};

/// The task sizes, in units (one unit is a few nanoseconds).
pub const UNITS: [u64; 6] = [1, 10, 100, 1_000, 10_000, 100_000];

/// The checksum: the number of tasks, once the batch gave the sequential answer.
fn checked(tasks: usize, units: u64, got: u64, expected: u64) -> Result<u64, String> {
    if got == expected {
        Ok(tasks as u64)
    } else {
        Err(format!("{units} units: {got}, not {expected}"))
    }
}

/// A way to run a batch: `(tasks, units) -> answer`.
type Way = Rc<dyn Fn(usize, u64) -> u64>;

/// The batch through a crate's pool, made on first use inside the harness:
/// a `todo!` in the learner's `Pool::new` then reads as "not done yet".
fn through_pool(krate: Crate<Pools>, workers: usize) -> Way {
    let pool: OnceCell<Box<dyn Pool>> = OnceCell::new();
    Rc::new(move |tasks, units| {
        pool.get_or_init(|| (krate.start)(workers))
            .batch(tasks, units)
    })
}

fn plan(spec: &Spec) -> Plan {
    let tasks = spec.size as usize;
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    // Every way must give the sequential answer; the checksum is then the
    // number of tasks, the same for every task size.
    let answers: Vec<u64> = UNITS
        .iter()
        .map(|&units| sequential(tasks, units))
        .collect();
    let mut variants = Vec::new();
    let mut add = |krate: &Crate<Pools>, name: &str, way: Way| {
        for (&units, &expected) in UNITS.iter().zip(&answers) {
            let way = Rc::clone(&way);
            variants.push(krate.variant(name, units as usize, move || {
                checked(tasks, units, way(tasks, units), expected)
            }));
        }
    };
    let reference = crates::CHAPTER_07.reference;
    add(&reference, "sequential", Rc::new(sequential));
    add(&reference, "thread per task", Rc::new(thread_per_task));
    add(&reference, "pool", through_pool(reference, cores));
    add(&reference, "rayon", Rc::new(with_rayon));
    // `--mine`: the same batch through your pool (exercise 07).
    if let Some(mine) = crates::CHAPTER_07.learner(spec) {
        add(&mine, "pool", through_pool(mine, cores));
    }
    Plan::new(move || Ok(tasks as u64), variants)
}
