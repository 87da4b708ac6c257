//! `litmus`: what this CPU does with the classic litmus tests (chapter 04,
//! "What your CPU does"), beside what the memory model allows and what
//! loom finds.
//!
//! Unlike the other workloads it counts outcomes instead of timing, so
//! `measure` hands it the command line and it reports by itself
//! (`report/litmus.rs`). A model-forbidden outcome that shows up is never
//! just counted: the command prints it as a bug and fails.

mod hardware;
#[cfg(test)]
mod loom_tests;
pub mod shapes;
#[cfg(test)]
mod tests;

use indicatif::{ProgressBar, ProgressStyle};

pub use hardware::{BATCH, Tally};
pub use shapes::{SHAPES, Shape, Strength};

use super::{Counts, Mode, Plan, Spec, Variant, Workload};
use crate::measure::Args;
use crate::measure::machine::Machine;

pub const WORKLOAD: Workload = Workload {
    name: "litmus",
    about: "memory orderings on this CPU: SB, MP, LB, 2+2W and IRIW, beside the model and loom",
    unit: "runs per test",
    // 16 tests in well under a minute on a 2-core machine, even a busy one.
    default_size: 5_000_000,
    max_size: 1_000_000_000,
    chapter: "04-deadlocks-and-ordering.md",
    python: None,
    // Not used: `reports` below measures and reports by itself.
    mode: Mode::Speedup,
    counts: Counts::Own,
    items: None,
    mine: None,
    plan,
    reports: Some(run),
};

/// The tests as the timing harness would see them (`measure` calls [`run`]
/// instead): each returns how many forbidden outcomes it saw, which must be
/// the baseline's 0.
fn plan(spec: &Spec) -> Plan {
    let size = spec.size;
    let variants = SHAPES
        .iter()
        .flat_map(|shape| Strength::ALL.map(|s| (shape, s)))
        .map(|(shape, strength)| {
            let name = format!("{} {}", shape.name, strength.label());
            Variant::new(name, 1, move || {
                Ok(forbidden_seen(
                    shape,
                    strength,
                    &hardware::run(shape, strength, size, &|_| {}),
                ))
            })
        })
        .collect();
    Plan::new(|| Ok(0), variants)
}

/// One test's run on this CPU.
pub struct TestRun {
    pub shape: &'static Shape,
    pub strength: Strength,
    pub runs: u64,
    pub tally: Tally,
}

/// Everything `measure litmus` saw, for the reports.
pub struct LitmusRun {
    pub machine: Machine,
    /// `std::env::consts::ARCH`: x86_64, aarch64, ...
    pub arch: &'static str,
    pub runs_per_test: u64,
    pub tests: Vec<TestRun>,
    /// Shapes not run, each with the reason.
    pub skipped: Vec<(&'static Shape, String)>,
}

/// How often a forbidden outcome was seen (0 unless something is broken).
pub fn forbidden_seen(shape: &Shape, strength: Strength, tally: &Tally) -> u64 {
    let outcomes = shape.outcomes();
    let forbidden = outcomes.iter().zip(&tally.counts);
    forbidden
        .filter(|(o, _)| !shape.allowed(strength, o))
        .map(|(_, n)| n)
        .sum::<u64>()
        + tally.impossible
}

impl LitmusRun {
    /// The loud report of every forbidden outcome seen, if any.
    pub fn bugs(&self) -> Vec<String> {
        let mut bugs = Vec::new();
        for test in &self.tests {
            let (shape, strength) = (test.shape, test.strength);
            for (outcome, &n) in shape.outcomes().iter().zip(&test.tally.counts) {
                if n > 0 && !shape.allowed(strength, outcome) {
                    bugs.push(format!(
                        "{} with {}: the outcome {} was seen {n} times, but the memory model \
                         forbids it",
                        shape.name,
                        strength.label(),
                        shape.label(outcome)
                    ));
                }
            }
            if test.tally.impossible > 0 {
                bugs.push(format!(
                    "{} with {}: {} runs read a value that no thread stored",
                    shape.name,
                    strength.label(),
                    test.tally.impossible
                ));
            }
        }
        bugs
    }
}

/// `cargo xtask measure litmus`.
pub fn run(args: &Args, spec: &Spec, machine: Machine) -> crate::course::Result<()> {
    let shapes: Vec<&'static Shape> = if spec.only.is_empty() {
        SHAPES.iter().collect()
    } else {
        let mut chosen = Vec::new();
        for name in &spec.only {
            let shape = SHAPES.iter().find(|s| s.name.eq_ignore_ascii_case(name));
            let names: Vec<&str> = SHAPES.iter().map(|s| s.name).collect();
            chosen.push(shape.ok_or_else(|| {
                format!(
                    "unknown test `{name}` for `litmus`; its tests are {}",
                    names.join(", ")
                )
            })?);
        }
        chosen
    };
    let mut result = LitmusRun {
        arch: std::env::consts::ARCH,
        runs_per_test: spec.size,
        tests: Vec::new(),
        skipped: Vec::new(),
        machine,
    };
    let (run, skip): (Vec<_>, Vec<_>) = shapes
        .into_iter()
        .partition(|s| s.cores() <= result.machine.cores);
    for shape in skip {
        let reason = format!(
            "skipped: its {} threads need {} cores to run at the same time, and this machine \
             has {}",
            shape.threads.len(),
            shape.cores(),
            result.machine.cores
        );
        result.skipped.push((shape, reason));
    }
    if !args.json {
        println!("{}", result.header());
    }
    if let Some(warning) = result.machine.busy_warning() {
        eprintln!(
            "warning: {warning} Here the counts, not times, change: a busy core overlaps less."
        );
    }
    let bar = if args.json {
        ProgressBar::hidden()
    } else {
        ProgressBar::new(spec.size * (run.len() * Strength::ALL.len()) as u64)
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {bar:30} {percent:>3}%  {msg}",
        )
        .expect("a valid template"),
    );
    for shape in run {
        for strength in Strength::ALL {
            bar.set_message(format!("{} with {}", shape.name, strength.label()));
            let tally = hardware::run(shape, strength, spec.size, &|n| bar.inc(n));
            result.tests.push(TestRun {
                shape,
                strength,
                runs: spec.size,
                tally,
            });
        }
    }
    bar.finish_and_clear();
    if args.json {
        println!("{}", result.json());
    } else {
        println!("{}", result.table(false));
    }
    if args.write_book {
        let stem = crate::measure::report::file_stem(&WORKLOAD, spec.size);
        result.write_book(&args.book_dir(), stem)?;
    }
    let bugs = result.bugs();
    if bugs.is_empty() {
        return Ok(());
    }
    eprintln!(
        "\n!!! BUG: this run saw {} outcome(s) that the memory model forbids.\n!!! {}\n!!! Either \
         this code is wrong (please report it) or the CPU or the compiler is.",
        bugs.len(),
        bugs.join("\n!!! ")
    );
    Err(format!(
        "{} forbidden outcome(s) observed; see above",
        bugs.len()
    ))
}
