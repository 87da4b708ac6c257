//! The timing harness, written once for every workload.
//!
//! 1. Warm-up: the baseline runs once and gives the expected checksum; every
//!    variant runs once and must return it (a fast wrong answer is an error).
//!    A variant that panics with `todo!` is "not done yet"; any other panic
//!    or error is a failure. Variants that fail are not timed further.
//! 2. `rounds` rounds, interleaved: each round runs the baseline and every
//!    variant once (A B C, A B C, ...), starting one place later each round,
//!    so that drift on a shared machine hits them all alike. Every run's
//!    checksum is checked again.
//! 3. The median of each one's rounds, with its spread (the fastest and the
//!    slowest round); speedup = t(baseline) / t(variant), with the range of
//!    the rounds' paired ratios, and efficiency = speedup / workers, all from
//!    the same run (see [`super::measured`]). The samples stay in round
//!    order, so that round i of a variant pairs with round i of the baseline.
//!
//! A learner's variant (`--mine`) that runs far longer than the baseline is
//! taken for a deadlock: the command stops with a one-line error instead of
//! hanging (see [`learner_limit`]).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use super::measured::{Measured, Row, Status};
use super::workloads::{Job, Plan};

/// The message of the last panic, caught by our quiet panic hook (a panic
/// inside a scoped thread reaches `catch_unwind` only as "a scoped thread
/// panicked").
static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

/// How long one run of a learner's variant may take: 20 times the
/// sequential baseline, and at least 30 s. Far beyond any slow but working
/// answer; a deadlock never finishes at all.
pub fn learner_limit(baseline: Duration) -> Duration {
    (baseline * 20).max(Duration::from_secs(30))
}

/// Runs `job` once: its checksum and time, or what went wrong. With a
/// `limit` (a learner's variant, named `name`), a run that has not
/// finished by then ends the whole command with a one-line error: Rust
/// cannot stop a thread, and a deadlocked one never returns.
fn run_once(
    job: &Job,
    limit: Option<(Duration, &str, &str)>,
) -> (Result<u64, Status>, Duration) {
    *LAST_PANIC.lock().unwrap_or_else(|e| e.into_inner()) = None;
    let watchdog = limit.map(|(limit, name, tests)| {
        let (done, finished) = std::sync::mpsc::channel::<()>();
        let (name, tests) = (name.to_string(), tests.to_string());
        std::thread::spawn(move || {
            if let Err(std::sync::mpsc::RecvTimeoutError::Timeout) = finished.recv_timeout(limit) {
                eprintln!(
                    "\nerror: `{name}` has run for {} s, far longer than the sequential job: your code is most likely \
                     deadlocked, or waits for something that never comes. Its tests say more: {tests}",
                    limit.as_secs()
                );
                std::process::exit(1);
            }
        });
        done
    });
    let start = Instant::now();
    let outcome = catch_unwind(AssertUnwindSafe(job));
    let elapsed = start.elapsed();
    drop(watchdog);
    let result = match outcome {
        Ok(Ok(checksum)) => Ok(checksum),
        Ok(Err(message)) => Err(Status::Failed(one_line(&message))),
        Err(payload) => {
            let caught = course_support::panic_message(&*payload);
            let first = LAST_PANIC
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .take()
                .unwrap_or(caught);
            if first.starts_with("not yet implemented") {
                Err(Status::NotDone)
            } else {
                Err(Status::Failed(format!("panicked: {}", one_line(&first))))
            }
        }
    };
    (result, elapsed)
}

fn one_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" / ")
}

/// The rounds that fit in `budget`, when one round takes `pass` (the
/// warm-up ran each variant once): never fewer than 3, never more than asked.
fn fit_rounds(
    rounds: usize,
    budget: Option<Duration>,
    pass: Duration,
    bar: &ProgressBar,
) -> usize {
    let Some(budget) = budget else { return rounds };
    let fit = (budget.as_secs_f64() / pass.as_secs_f64().max(1e-9)) as usize;
    let capped = fit.clamp(3.min(rounds), rounds);
    if capped < rounds {
        bar.suspend(|| {
            eprintln!(
                "Capped: {capped} rounds instead of {rounds}, so that the run takes about \
                 two minutes here (one round takes {:.0} s); `--rounds {rounds}` runs them all.",
                pass.as_secs_f64()
            )
        });
    }
    capped
}

/// Runs the plan: warm-up, then `rounds` interleaved rounds. `learner` is
/// the exercise of the `--mine` variants ("07"), for their error messages.
///
/// # Errors
/// If the baseline itself fails: there is nothing to compare with.
pub fn run(
    plan: Plan,
    rounds: usize,
    budget: Option<Duration>,
    show_progress: bool,
    learner: Option<&str>,
) -> Result<Measured, String> {
    // Panics are reported in the table; keep them off the terminal. The
    // hook is process-wide: a panic of another test of the same test binary
    // (libtest names its threads by their test path) is not ours, and goes
    // to the previous hook.
    let previous = std::sync::Arc::new(std::panic::take_hook());
    let forward = std::sync::Arc::clone(&previous);
    let ours = std::thread::current().name().map(str::to_string);
    std::panic::set_hook(Box::new(move |info| {
        let name = std::thread::current().name().map(str::to_string);
        if name.as_deref().is_some_and(|n| n.contains("::")) && name != ours {
            return forward(info);
        }
        let message = course_support::panic_message(info.payload());
        let mut last = LAST_PANIC.lock().unwrap_or_else(|e| e.into_inner());
        if last.is_none() {
            *last = Some(message);
        }
    }));
    let result = run_quietly(plan, rounds, budget, show_progress, learner);
    drop(std::panic::take_hook());
    match std::sync::Arc::try_unwrap(previous) {
        Ok(previous) => std::panic::set_hook(previous),
        Err(shared) => std::panic::set_hook(Box::new(move |info| shared(info))),
    }
    result
}

fn run_quietly(
    plan: Plan,
    rounds: usize,
    budget: Option<Duration>,
    show_progress: bool,
    learner: Option<&str>,
) -> Result<Measured, String> {
    let Plan {
        baseline,
        variants,
        notes,
    } = plan;
    let tests = format!("cargo test -p exercise-{}", learner.unwrap_or("NN"));
    let total = (1 + variants.len()) * (1 + rounds);
    let bar = if show_progress {
        ProgressBar::new(total as u64)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} runs  {msg}",
        )
        .expect("a valid template"),
    );

    bar.set_message("warm-up: sequential");
    let warm_up = Instant::now();
    let checksum = match run_once(&baseline, None).0 {
        Ok(checksum) => checksum,
        Err(status) => {
            bar.finish_and_clear();
            return Err(format!("the sequential baseline failed: {status:?}"));
        }
    };
    let limit = learner_limit(warm_up.elapsed());
    fn limit_for<'a>(
        variant: &'a super::workloads::Variant,
        limit: Duration,
        tests: &'a str,
    ) -> Option<(Duration, &'a str, &'a str)> {
        variant
            .mine
            .then_some((limit, variant.name.as_str(), tests))
    }
    bar.inc(1);

    let mut rows: Vec<Row> = Vec::with_capacity(variants.len());
    for variant in &variants {
        bar.set_message(format!("warm-up: {} x{}", variant.name, variant.workers));
        let status = match run_once(&variant.run, limit_for(variant, limit, &tests)).0 {
            Ok(got) if got == checksum => Status::Ok,
            Ok(got) => Status::Wrong {
                got,
                expected: checksum,
            },
            Err(status) => status,
        };
        rows.push(Row {
            variant: variant.name.clone(),
            workers: variant.workers,
            mine: variant.mine,
            status,
            samples: Vec::new(),
        });
        bar.inc(1);
    }

    let rounds = fit_rounds(rounds, budget, warm_up.elapsed(), &bar);
    bar.set_length(((1 + variants.len()) * (1 + rounds)) as u64);
    let mut baseline_samples = Vec::with_capacity(rounds);
    // Index 0 is the baseline, i + 1 is variant i.
    let entries = 1 + variants.len();
    for round in 0..rounds {
        for k in 0..entries {
            let index = (round + k) % entries;
            bar.set_message(format!("round {}/{rounds}", round + 1));
            if index == 0 {
                let (result, elapsed) = run_once(&baseline, None);
                match result {
                    Ok(got) if got == checksum => baseline_samples.push(elapsed),
                    other => {
                        bar.finish_and_clear();
                        return Err(format!(
                            "the sequential baseline changed its answer: {other:?}, not {checksum}"
                        ));
                    }
                }
            } else {
                let row = &mut rows[index - 1];
                if row.status == Status::Ok {
                    let (result, elapsed) = run_once(
                        &variants[index - 1].run,
                        limit_for(&variants[index - 1], limit, &tests),
                    );
                    match result {
                        Ok(got) if got == checksum => row.samples.push(elapsed),
                        Ok(got) => {
                            row.status = Status::Wrong {
                                got,
                                expected: checksum,
                            };
                            row.samples.clear();
                        }
                        Err(status) => {
                            row.status = status;
                            row.samples.clear();
                        }
                    }
                }
            }
            bar.inc(1);
        }
    }
    let notes = match notes {
        Some(notes) => {
            bar.set_message("notes");
            notes()
        }
        None => Vec::new(),
    };
    bar.finish_and_clear();
    Ok(Measured {
        checksum,
        baseline: baseline_samples,
        rows,
        notes,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_default_rounds_are_cut_to_fit_two_minutes_and_never_below_three() {
        let bar = ProgressBar::hidden();
        let budget = Some(Duration::from_secs(120));
        let s = Duration::from_secs;
        assert_eq!(fit_rounds(5, budget, s(10), &bar), 5);
        assert_eq!(fit_rounds(5, budget, s(30), &bar), 4);
        assert_eq!(fit_rounds(5, budget, s(40), &bar), 3);
        assert_eq!(fit_rounds(5, budget, s(100), &bar), 3);
        // Rounds asked for (no budget) all run; fewer than 3 stay as asked.
        assert_eq!(fit_rounds(5, None, s(100), &bar), 5);
        assert_eq!(fit_rounds(2, budget, s(100), &bar), 2);
    }

    use super::*;
    use crate::measure::workloads::Variant;

    #[test]
    fn a_learner_variant_may_take_twenty_times_the_baseline_and_at_least_30_s() {
        assert_eq!(
            learner_limit(Duration::from_millis(10)),
            Duration::from_secs(30)
        );
        assert_eq!(
            learner_limit(Duration::from_secs(2)),
            Duration::from_secs(40)
        );
    }

    #[test]
    fn wrong_unfinished_and_failing_variants_are_told_apart() {
        let plan = Plan::new(
            || Ok(42),
            vec![
                Variant::new("right", 2, || Ok(42)),
                Variant::new("wrong", 2, || Ok(41)),
                Variant::new("todo", 2, || todo!("exercise 05: write it")).mine(),
                Variant::new("error", 2, || {
                    Err("worker 0 (request `x`): exited with 2".into())
                }),
                Variant::new("thread panic", 2, || {
                    std::thread::scope(|s| {
                        s.spawn(|| panic!("inside a worker thread"));
                    });
                    Ok(42)
                }),
            ],
        );
        let measured = run(plan, 3, None, false, Some("05")).unwrap();
        let status: Vec<&Status> = measured.rows.iter().map(|r| &r.status).collect();
        assert_eq!(status[0], &Status::Ok);
        assert_eq!(
            status[1],
            &Status::Wrong {
                got: 41,
                expected: 42
            }
        );
        assert_eq!(status[2], &Status::NotDone);
        assert_eq!(
            status[3],
            &Status::Failed("worker 0 (request `x`): exited with 2".into())
        );
        assert_eq!(
            status[4],
            &Status::Failed("panicked: inside a worker thread".into())
        );
        assert_eq!(measured.rows[0].samples.len(), 3);
        assert!(measured.rows[1].samples.is_empty());
        assert_eq!(measured.baseline.len(), 3);
        // The learner's unfinished variant is not a failure of the course.
        assert_eq!(measured.reference_failures(), 3);
    }
}
