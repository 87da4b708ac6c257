//! The workloads `cargo xtask measure` knows, and the types they build.
//!
//! A workload turns a [`Spec`] (size, worker counts, `--mine`) into a
//! [`Plan`]: a sequential baseline and a list of [`Variant`]s, each a
//! closure that runs the job once and returns its checksum. The closures
//! call the solution crates' code (and the exercise's, for `--mine`, through
//! [`crates`]): the variants are written once, there, and only *called* here.

pub mod checkers;
pub mod comm;
pub mod cpu;
pub mod crates;
pub mod crossover;
pub mod gil;
pub mod io;
pub mod isolation;
pub mod litmus;
pub mod overhead;
pub mod wait;

use course_support::worker::Program;

/// Every workload, in the order `--help` lists them.
pub const ALL: &[&Workload] = &[
    &cpu::WORKLOAD,
    &wait::WORKLOAD,
    &gil::CONVOY,
    &overhead::WORKLOAD,
    &crossover::WORKLOAD,
    &io::WORKLOAD,
    &comm::WORKLOAD,
    &isolation::WORKLOAD,
    &litmus::WORKLOAD,
    &checkers::WORKLOAD,
];

/// Runs the job once and returns its checksum, or why it could not.
pub type Job = Box<dyn Fn() -> Result<u64, String>>;

/// A workload: what it is, its sizes, and how to build its variants.
pub struct Workload {
    /// The name on the command line: `cargo xtask measure NAME`.
    pub name: &'static str,
    /// One line: what the job does.
    pub about: &'static str,
    /// What `--size` counts ("points", "requests").
    pub unit: &'static str,
    /// About 1 s of sequential work on a current laptop core.
    pub default_size: u64,
    /// Larger sizes are refused as a mistake.
    pub max_size: u64,
    /// The chapter that explains it, for the report's header.
    pub chapter: &'static str,
    /// The Python twin, if there is one (`book/src/python/<script>`).
    pub python: Option<PythonTwin>,
    /// What the report compares: speedups or costs.
    pub mode: Mode,
    /// The worker counts tried (see `--max-workers`).
    pub counts: Counts,
    /// What one run moves, for the throughput columns (`None`: no columns).
    pub items: Option<Items>,
    /// The exercise whose code `--mine` adds ("05": feature `mine-05`), if any.
    pub mine: Option<&'static str>,
    /// Builds the baseline and the variants for a spec.
    pub plan: fn(&Spec) -> Plan,
    /// A workload that counts rather than times (litmus, checkers) measures
    /// and reports by itself; its `mode` and `plan` are then not used.
    pub reports: Option<Reports>,
}

/// How a self-reporting workload runs: the command's arguments, the size,
/// and the machine it runs on.
pub type Reports = fn(
    &crate::measure::Args,
    &Spec,
    crate::measure::machine::Machine,
) -> crate::course::Result<()>;

/// What a workload's report compares.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Mode {
    /// Speedup = t(sequential) / t(variant), against the number of workers.
    Speedup,
    /// The cost of one item of each variant, against `x` (a variant's
    /// `workers` field holds its x), and that cost relative to the
    /// `reference` variant's at the same x. The baseline only gives the
    /// checksum and is not shown.
    Cost {
        x_label: &'static str,
        reference: &'static str,
    },
    /// How many times longer than the baseline each variant took, against
    /// `x` (the workers field), on a log scale: for a job that the workers
    /// *slow down* (the convoy: round trips beside CPU-bound threads).
    Slowdown { x_label: &'static str },
}

impl Mode {
    /// Whether the report has a sequential baseline row and speedups.
    pub fn has_baseline(self) -> bool {
        matches!(self, Mode::Speedup | Mode::Slowdown { .. })
    }
}

/// The worker counts a workload is measured at.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Counts {
    /// 1, 2, 3, ... up to `--max-workers` (twice the logical cores by default).
    EveryUpTo,
    /// 1, 2, 4, 8, ... up to `--max-workers` (this by default): waiting
    /// work wants many more workers than cores.
    Doubling(usize),
    /// The workload picks its own (it ignores `--max-workers`).
    Own,
}

impl Counts {
    /// The counts for `--max-workers max` (or the default, on `cores`).
    pub fn list(self, max: Option<usize>, cores: usize) -> Vec<usize> {
        match self {
            Counts::EveryUpTo => match max {
                Some(max) => (1..=max).collect(),
                None => default_counts(cores),
            },
            Counts::Doubling(default) => {
                let max = max.unwrap_or(default);
                let mut list: Vec<usize> =
                    std::iter::successors(Some(1usize), |n| n.checked_mul(2))
                        .take_while(|&n| n <= max)
                        .collect();
                if list.last() != Some(&max) {
                    list.push(max);
                }
                list
            }
            Counts::Own => vec![1],
        }
    }
}

/// A default run tries at most this many worker counts, so that it takes
/// minutes, not a quarter of an hour, on a laptop with many cores.
pub const DEFAULT_COUNTS: usize = 6;

/// 1 to twice the cores, every count while that is at most
/// [`DEFAULT_COUNTS`]; beyond, the counts where the curve bends: 1, 2, half
/// the cores, the cores, one and a half and twice the cores.
fn default_counts(cores: usize) -> Vec<usize> {
    let top = 2 * cores.max(1);
    if top <= DEFAULT_COUNTS {
        return (1..=top).collect();
    }
    let mut counts = vec![1, 2, cores / 2, cores, cores + cores / 2, top];
    counts.retain(|&n| n >= 1);
    counts.sort_unstable();
    counts.dedup();
    counts
}

/// What one run of the job moves: `per_run(size, x)` items called `name`,
/// of `bytes_each(size, x)` bytes each where that means something (`x` is
/// the row's workers, or a cost workload's x). The report turns them into
/// items per second (and bytes per second).
#[derive(Clone, Copy)]
pub struct Items {
    pub name: &'static str,
    pub per_run: fn(u64, usize) -> u64,
    pub bytes_each: Option<fn(u64, usize) -> u64>,
}

/// How to run a workload's Python script (see `python.rs`).
pub struct PythonTwin {
    /// The script, relative to `book/src/python/`.
    pub script: &'static str,
    /// Python gets `size / size_divisor` (at least 1): it is that much slower.
    pub size_divisor: u64,
    /// For a cost workload, the Python variant its costs are compared with
    /// (`None`: the twin of the workload's own reference).
    pub reference: Option<&'static str>,
}

/// What to measure, from the command line.
#[derive(Clone, Debug)]
pub struct Spec {
    pub size: u64,
    /// Each variant runs at each of these worker counts.
    pub workers: Vec<usize>,
    /// Also time the learner's exercise crate (see [`crates`]).
    pub mine: bool,
    /// Only these variants (empty: all).
    pub only: Vec<String>,
}

impl Spec {
    /// The worker program for the crate `name` (see [`crates::worker`]):
    /// this very binary, started again with `__worker NAME`.
    pub fn worker_program(&self, name: &str) -> Program {
        course_support::worker::this_program(["__worker", name])
            .expect("cannot find the running program")
    }
}

/// One way to run the job, at one worker count.
pub struct Variant {
    /// "threads", or "mine: threads" for the learner's code.
    pub name: String,
    pub workers: usize,
    /// Whether this is the learner's code (`--mine`): its failures are
    /// reported, not fatal.
    pub mine: bool,
    pub run: Job,
}

impl Variant {
    pub fn new(
        name: impl Into<String>,
        workers: usize,
        run: impl Fn() -> Result<u64, String> + 'static,
    ) -> Variant {
        Variant {
            name: name.into(),
            workers,
            mine: false,
            run: Box::new(run),
        }
    }

    /// The same variant, marked as the learner's: its name gets `mine: `.
    pub fn mine(mut self) -> Variant {
        self.name = format!("mine: {}", self.name);
        self.mine = true;
        self
    }

    /// The name without `mine: `, as `--only` names it.
    pub fn base_name(&self) -> &str {
        self.name.strip_prefix("mine: ").unwrap_or(&self.name)
    }
}

/// What the harness runs: the sequential baseline, then the variants.
pub struct Plan {
    /// Runs the job sequentially; every variant must return its checksum.
    pub baseline: Job,
    pub variants: Vec<Variant>,
    /// Run once after the timing: lines the report adds under its table
    /// (what a workload measures besides time, such as memory).
    pub notes: Option<Box<dyn FnOnce() -> Vec<String>>>,
}

impl Plan {
    pub fn new(
        baseline: impl Fn() -> Result<u64, String> + 'static,
        variants: Vec<Variant>,
    ) -> Plan {
        Plan {
            baseline: Box::new(baseline),
            variants,
            notes: None,
        }
    }
}

pub fn find(name: &str) -> Option<&'static Workload> {
    ALL.iter().copied().find(|w| w.name == name)
}

/// The plan of a job over a range `0..size` (`cpu`, `wait`): the job run
/// sequentially, the variants of chapter 05, and the toy GIL's (each item
/// one bytecode, or with `blocking` one blocking call with the GIL released).
pub fn range_plan(
    spec: &Spec,
    job: crates::RangeJob,
    process_job: &'static str,
    blocking: bool,
) -> Plan {
    let size = spec.size;
    let variants = chapter_05_variants(spec, job, process_job)
        .into_iter()
        .chain(gil::variants(spec, job, blocking))
        .collect();
    Plan::new(move || Ok(job(0..size)), variants)
}

/// The three variants of chapter 05 for a job over a range `0..size`:
/// scoped threads, rayon, and worker processes running the worker job
/// `process_job`, each from the solution crate and, with `--mine`, from the
/// exercise crate. Later workloads over a range reuse it.
pub fn chapter_05_variants(
    spec: &Spec,
    job: crates::RangeJob,
    process_job: &'static str,
) -> Vec<Variant> {
    let size = spec.size;
    let crates = crates::CHAPTER_05.crates(spec);
    let mut variants = Vec::new();
    for krate in &crates {
        variants.extend(spec.workers.iter().map(|&workers| {
            let threads = krate.threads;
            krate.variant("threads", workers, move || {
                Ok(threads(0..size, workers, job))
            })
        }));
    }
    for krate in &crates {
        variants.extend(spec.workers.iter().map(|&workers| {
            let rayon = krate.rayon;
            krate.variant("rayon", workers, move || Ok(rayon(0..size, workers, job)))
        }));
    }
    for krate in &crates {
        let program = spec.worker_program(krate.name);
        variants.extend(spec.workers.iter().map(|&workers| {
            let (program, processes) = (program.clone(), krate.processes);
            krate.variant("processes", workers, move || {
                processes(&program, process_job, 0..size, workers)
            })
        }));
    }
    variants
}
