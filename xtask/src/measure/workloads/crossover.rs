//! `crossover`: where a worker pays for itself, chapter 07. One batch of
//! SIZE equal tasks ([`solution_07::overhead::task`]) run four ways
//! ([`solution_07::overhead`]'s batch: sequential, a thread per task, the
//! pool, rayon), at task sizes from 1 to 100,000 units. The report gives the
//! time per task and its ratio to the sequential time; the crossover of a
//! way is the task size where that ratio falls below 1.

use solution_07::Pool;
use std::rc::Rc;

use solution_07::overhead::{sequential, thread_per_task, with_pool, with_rayon};

use super::{Counts, Items, Mode, Plan, Spec, Variant, Workload};

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
    mine: Some("07"),
    plan,
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

fn plan(spec: &Spec) -> Plan {
    let tasks = spec.size as usize;
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let pool = Pool::new(cores);
    type Way = Rc<dyn Fn(usize, u64) -> u64>;
    let ways: [(&str, Way); 4] = [
        ("sequential", Rc::new(sequential)),
        ("thread per task", Rc::new(thread_per_task)),
        (
            "pool",
            Rc::new(move |tasks, units| with_pool(&pool, tasks, units)),
        ),
        ("rayon", Rc::new(with_rayon)),
    ];
    // Every way must give the sequential answer; the checksum is then the
    // number of tasks, the same for every task size.
    let answers: Vec<u64> = UNITS
        .iter()
        .map(|&units| sequential(tasks, units))
        .collect();
    let mut variants = Vec::new();
    for (name, way) in &ways {
        for (&units, &expected) in UNITS.iter().zip(&answers) {
            let way = Rc::clone(way);
            variants.push(Variant::new(*name, units as usize, move || {
                checked(tasks, units, way(tasks, units), expected)
            }));
        }
    }
    // `--mine`: the same batch through your pool (exercise 07). It is made
    // on first use, inside the harness, so a `todo!` in `Pool::new` reads
    // as "not done yet".
    #[cfg(feature = "mine-07")]
    if spec.mine {
        let mine = Rc::new(std::cell::OnceCell::new());
        for (&units, &expected) in UNITS.iter().zip(&answers) {
            let mine = Rc::clone(&mine);
            variants.push(
                Variant::new("pool", units as usize, move || {
                    let pool = mine.get_or_init(|| exercise_07::Pool::new(cores));
                    checked(
                        tasks,
                        units,
                        exercise_07::overhead::with_pool(pool, tasks, units),
                        expected,
                    )
                })
                .mine(),
            );
        }
    }
    Plan::new(move || Ok(tasks as u64), variants)
}
