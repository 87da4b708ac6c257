//! `checkers`: what loom and shuttle cost and find (chapter 04, "What a
//! test of concurrent code can prove"). loom checks a correct model
//! exhaustively: its iterations and time grow with the threads until a
//! row runs out of time. shuttle runs buggy models: how many random
//! schedules it needs before it first catches the bug, under its random
//! and PCT schedulers, over many seeds, with as many threads as you like.
//!
//! Like `litmus`, it counts instead of timing variants, so `measure` hands
//! it the command line and it reports by itself (`report/checkers.rs`).

mod loom_runs;
mod shuttle_runs;
#[cfg(test)]
mod tests;

use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

pub use loom_runs::LoomRow;
pub use shuttle_runs::{Model, Sched, ShuttleRow};

use super::{Counts, Mode, Plan, Spec, Variant, Workload};
use crate::measure::Args;
use crate::measure::machine::Machine;

pub const WORKLOAD: Workload = Workload {
    name: "checkers",
    about: "loom's exhaustive search against shuttle's random schedules: iterations, time, runs to a bug",
    unit: "seeds per shuttle row",
    default_size: 20,
    max_size: 1_000,
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

/// The parts `--only` can name.
pub const PARTS: [&str; 3] = ["loom", "lost-update", "five-slot"];

/// loom's rows: threads of the correct model, under each preemption bound,
/// and the time each row may take.
pub const LOOM_THREADS: [usize; 4] = [2, 3, 4, 5];
pub const LOOM_BUDGET: Duration = Duration::from_secs(60);
/// loom's default, none, and the course's tests' bound.
pub const LOOM_PREEMPTIONS: [Option<usize>; 2] = [None, Some(COURSE_PREEMPTIONS)];
/// `course_support::loom_model::PREEMPTIONS` (a test checks it): that
/// module needs course-support's `loom` feature, which only xtask's tests have.
pub const COURSE_PREEMPTIONS: usize = 3;

/// shuttle's rows: (model, threads), each under every scheduler below.
/// Five threads of the five-slot counter never lose an update: the control.
pub const SHUTTLE_ROWS: [(Model, usize); 7] = [
    (Model::LostUpdate, 2),
    (Model::LostUpdate, 4),
    (Model::LostUpdate, 8),
    (Model::LostUpdate, 16),
    (Model::FiveSlots, 5),
    (Model::FiveSlots, 8),
    (Model::FiveSlots, 16),
];
/// PCT at depth 3 (two priority changes a run) and 6 (five): the five-slot
/// counter's bug needs five threads preempted inside their updates.
pub const SCHEDULERS: [Sched; 3] = [Sched::Random, Sched::Pct(3), Sched::Pct(6)];
/// Runs per seed at most, and the time a row may take.
pub const SHUTTLE_CAP: u64 = 10_000;
pub const SHUTTLE_BUDGET: Duration = Duration::from_secs(10);

/// What `measure checkers` saw.
pub struct CheckersRun {
    pub machine: Machine,
    pub seeds: u64,
    pub loom: Vec<LoomRow>,
    /// loom rows not run (threads, preemption bound), each with the reason.
    pub loom_skipped: Vec<(usize, Option<usize>, String)>,
    pub shuttle: Vec<ShuttleRow>,
    pub seconds: f64,
}

/// The rows as the timing harness would see them (`measure` calls [`run`]
/// instead): each returns 0 when it finds what it should.
fn plan(spec: &Spec) -> Plan {
    let seeds = spec.size;
    let mut variants = Vec::new();
    for bound in LOOM_PREEMPTIONS {
        for threads in LOOM_THREADS {
            let name = format!("loom, preemption bound {bound:?}");
            variants.push(Variant::new(name, threads, move || {
                let row = loom_runs::measure(threads, bound, LOOM_BUDGET, || {});
                Ok(u64::from(!row.finished))
            }));
        }
    }
    for (model, threads) in SHUTTLE_ROWS {
        for sched in SCHEDULERS {
            let name = format!("shuttle {} {}", model.label(), sched.label());
            variants.push(Variant::new(name, threads, move || {
                let row = shuttle_runs::measure(
                    model,
                    threads,
                    sched,
                    seeds,
                    SHUTTLE_CAP,
                    SHUTTLE_BUDGET,
                    &|| {},
                );
                let expected = !(model == Model::FiveSlots && threads <= 5);
                Ok(u64::from((row.found() > 0) != expected))
            }));
        }
    }
    Plan::new(|| Ok(0), variants)
}

/// `cargo xtask measure checkers`.
pub fn run(args: &Args, spec: &Spec, machine: Machine) -> crate::course::Result<()> {
    if let Some(part) = spec.only.iter().find(|p| !PARTS.contains(&p.as_str())) {
        return Err(format!(
            "unknown part `{part}` for `checkers`; its parts are {}",
            PARTS.join(", ")
        ));
    }
    if std::env::var_os(shuttle_runs::SEED_VARIABLE).is_some() {
        return Err(format!(
            "{} is set: shuttle would use it instead of each row's seeds, so every seed \
             would give the same runs. Unset it and measure again.",
            shuttle_runs::SEED_VARIABLE
        ));
    }
    let wanted = |part: &str| spec.only.is_empty() || spec.only.iter().any(|p| p == part);
    let started = std::time::Instant::now();
    let mut result = CheckersRun {
        machine,
        seeds: spec.size,
        loom: Vec::new(),
        loom_skipped: Vec::new(),
        shuttle: Vec::new(),
        seconds: 0.0,
    };
    if !args.json {
        println!("{}", result.header());
    }
    if let Some(warning) = result.machine.busy_warning() {
        eprintln!("warning: {warning} Here the times, not the counts, change.");
    }
    let bar = if args.json {
        ProgressBar::hidden()
    } else {
        ProgressBar::no_length()
    };
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {pos:>9} {msg}")
            .expect("a valid template"),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    for bound in LOOM_PREEMPTIONS.into_iter().filter(|_| wanted("loom")) {
        for threads in LOOM_THREADS {
            let fewer = result
                .loom
                .iter()
                .find(|r| r.preemption_bound == bound && !r.finished);
            if let Some(fewer) = fewer {
                let why = format!(
                    "not run: {} threads already did not finish in {} s, and more threads \
                     only add interleavings",
                    fewer.threads,
                    LOOM_BUDGET.as_secs()
                );
                result.loom_skipped.push((threads, bound, why));
                continue;
            }
            bar.set_position(0);
            bar.set_message(format!("loom interleavings, {threads} threads"));
            let tick = bar.clone();
            let row =
                loom_runs::measure(threads, bound, LOOM_BUDGET, move || tick.inc(1));
            result.loom.push(row);
        }
    }
    for (model, threads) in SHUTTLE_ROWS {
        let part = match model {
            Model::LostUpdate => "lost-update",
            Model::FiveSlots => "five-slot",
        };
        if !wanted(part) {
            continue;
        }
        for sched in SCHEDULERS {
            bar.set_position(0);
            bar.set_message(format!(
                "seeds of shuttle, {}, {threads} threads, {}",
                model.label(),
                sched.label()
            ));
            let row = shuttle_runs::measure(
                model,
                threads,
                sched,
                spec.size,
                SHUTTLE_CAP,
                SHUTTLE_BUDGET,
                &|| bar.inc(1),
            );
            result.shuttle.push(row);
        }
    }
    bar.finish_and_clear();
    result.seconds = started.elapsed().as_secs_f64();
    if args.json {
        println!("{}", result.json());
    } else {
        println!("{}", result.table());
        eprintln!("measured in {:.0} s", result.seconds);
    }
    if args.write_book {
        let stem = crate::measure::report::file_stem(&WORKLOAD, spec.size);
        result.write_book(&args.book_dir(), stem)?;
    }
    // Five increments in flight never find every slot taken: a failure
    // there is a bug of the model, not a finding.
    let wrong =
        |r: &&ShuttleRow| r.model == Model::FiveSlots && r.threads <= 5 && r.found() > 0;
    match result.shuttle.iter().find(wrong) {
        Some(row) => Err(format!(
            "BUG: the five-slot counter lost an update with only {} threads ({}); \
             the model is wrong, not the checker",
            row.threads,
            row.scheduler.label()
        )),
        None => Ok(()),
    }
}
