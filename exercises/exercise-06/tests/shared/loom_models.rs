//! loom models of the GIL's hand-off logic (included by `tests/loom.rs`).
//!
//! loom runs each model many times, once per interleaving of the threads'
//! steps (bounded: at most 3 preemptions), and checks every one.
//!
//! What loom cannot model here: **time**. Its `Condvar::wait_timeout` never
//! times out, so a waiter never asks for the GIL by itself. The models play
//! the timer instead: a thread calls `request_drop` itself, at every point
//! loom chooses, just as a timed-out waiter would.
//!
//! A wrong answer can make loom report a deadlock, and loom then aborts the
//! whole process. So each model is an `#[ignore]`d test that its wrapper
//! runs in a child process, and the wrapper reports what the child said.

use std::time::Duration;

use loom::cell::UnsafeCell;
use loom::sync::Arc;
use loom::sync::atomic::{AtomicBool, Ordering};
use loom::thread;

use course_support::loom_child::{ChildRun, Outcome, run_ignored_test};

use super::gil::{Gil, GilConfig};

const CHAPTER: &str = "Read chapter 06, \"The GIL\" (book/src/06-the-gil.md).";

fn config(force_switching: bool) -> GilConfig {
    GilConfig {
        switch_interval: Duration::from_secs(3600),
        check_every: 1,
        force_switching,
    }
}

fn explore(model: impl Fn() + Sync + Send + 'static) {
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = Some(3);
    builder.check(model);
}

/// Data that only the GIL protects: loom reports any two accesses that the
/// GIL failed to order.
struct Guarded(UnsafeCell<u64>);

impl Guarded {
    fn bump(&self) {
        self.0.with_mut(|value| unsafe { *value += 1 });
    }
    fn get(&self) -> u64 {
        self.0.with(|value| unsafe { *value })
    }
}

/// The scenario of the hand-off models: thread A holds the GIL and runs
/// two bytecodes; thread B, once A holds it, asks for the GIL (as a timed-out
/// waiter would) and takes it. Returns whether a tick of A handed over with
/// B not having run yet, and the number of hand-overs B itself made.
fn scenario(force_switching: bool, b_ticks: u32) -> (bool, usize) {
    let gil = Arc::new(Gil::new(config(force_switching)));
    let data = Arc::new(Guarded(UnsafeCell::new(0)));
    let ready = Arc::new(AtomicBool::new(false));
    let b_ran = Arc::new(AtomicBool::new(false));

    let b = {
        let (gil, data, ready, b_ran) =
            (gil.clone(), data.clone(), ready.clone(), b_ran.clone());
        thread::spawn(move || {
            while !ready.load(Ordering::SeqCst) {
                thread::yield_now();
            }
            gil.request_drop();
            let mut guard = gil.acquire();
            data.bump();
            b_ran.store(true, Ordering::SeqCst);
            let handed = (0..b_ticks).filter(|_| guard.tick()).count();
            data.bump();
            handed
        })
    };

    let mut went_nowhere = false;
    {
        let mut guard = gil.acquire();
        ready.store(true, Ordering::SeqCst);
        for _ in 0..2 {
            data.bump();
            if guard.tick() && !b_ran.load(Ordering::SeqCst) {
                went_nowhere = true;
            }
        }
    }
    let b_handed = b.join().unwrap();
    assert_eq!(
        data.get(),
        4,
        "updates made under the GIL were lost. {CHAPTER}"
    );
    (went_nowhere, b_handed)
}

#[test]
#[ignore = "a loom model: its wrapper `loom_mutual_exclusion` runs it in a child process"]
fn model_mutual_exclusion() {
    explore(|| {
        let gil = Arc::new(Gil::new(config(true)));
        let data = Arc::new(Guarded(UnsafeCell::new(0)));
        let workers: Vec<_> = (0..2)
            .map(|_| {
                let (gil, data) = (gil.clone(), data.clone());
                thread::spawn(move || {
                    let mut guard = gil.acquire();
                    data.bump();
                    guard.tick();
                    guard.allow_threads(|| {});
                    data.bump();
                })
            })
            .collect();
        for worker in workers {
            worker.join().unwrap();
        }
        assert_eq!(
            data.get(),
            4,
            "updates made under the GIL were lost. {CHAPTER}"
        );
    });
}

#[test]
#[ignore = "a loom model: its wrapper `loom_forced_switching_hands_over` runs it in a child process"]
fn model_forced_switching_hands_over() {
    explore(|| {
        let (went_nowhere, _) = scenario(true, 0);
        assert!(
            !went_nowhere,
            "the holder handed the GIL over and took it straight back. {CHAPTER}"
        );
    });
}

#[test]
#[ignore = "a loom model: its wrapper `loom_the_request_is_cleared_by_the_new_holder` runs it in a child process"]
fn model_the_request_is_cleared_by_the_new_holder() {
    explore(|| {
        let (_, b_handed) = scenario(true, 2);
        assert_eq!(
            b_handed, 0,
            "the new holder was asked to drop a GIL nobody had asked for since it took it. {CHAPTER}"
        );
    });
}

#[test]
#[ignore = "a loom model: its wrapper `loom_without_forced_switching_the_hand_over_can_go_nowhere` runs it"]
fn model_without_forced_switching() {
    explore(|| {
        let (went_nowhere, _) = scenario(false, 0);
        assert!(
            !went_nowhere,
            "went nowhere: the holder took the GIL straight back"
        );
    });
}

/// Runs one model in a child process (it may abort: see the top of this
/// file), for at most two minutes.
fn run_model(model: &str) -> ChildRun {
    run_ignored_test(module_path!(), model, Duration::from_secs(120))
}

/// The child's panic messages, indented, so that its own "test ... FAILED"
/// lines are not taken for this binary's.
fn printed(run: &ChildRun) -> String {
    run.panic_messages()
        .lines()
        .map(|l| format!("  | {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn must_pass(model: &str, what: &str) {
    let run = run_model(model);
    match run.outcome {
        Outcome::Passed => {}
        Outcome::TimedOut => panic!(
            "the loom model of how {what} did not finish within 2 minutes: a spin loop that never yields, or a \
             model too large to explore.\n{CHAPTER}"
        ),
        Outcome::Failed if run.stderr.contains("not yet implemented") => panic!(
            "the loom model of how {what} reached a `todo!` you have not replaced yet:\n{}\n{CHAPTER}",
            printed(&run)
        ),
        Outcome::Deadlocked | Outcome::Failed => panic!(
            "loom found an interleaving where {what} fails (a \"deadlock\" means every thread waits for another \
             one). What the model printed:\n{}\n{CHAPTER}",
            printed(&run)
        ),
    }
}

#[test]
fn loom_mutual_exclusion() {
    must_pass(
        "model_mutual_exclusion",
        "two threads with `tick` and `allow_threads` stay mutually exclusive",
    );
}

#[test]
fn loom_forced_switching_hands_over() {
    must_pass(
        "model_forced_switching_hands_over",
        "forced switching hands the GIL to the waiter",
    );
}

#[test]
fn loom_the_request_is_cleared_by_the_new_holder() {
    must_pass(
        "model_the_request_is_cleared_by_the_new_holder",
        "the new holder starts without a drop request",
    );
}

#[test]
fn loom_without_forced_switching_the_hand_over_can_go_nowhere() {
    // The counterexample that motivates forced switching: without it, loom
    // finds an interleaving where the dropping thread takes the GIL back
    // before the waiter runs.
    let run = run_model("model_without_forced_switching");
    assert!(
        run.outcome == Outcome::Failed && run.stderr.contains("went nowhere"),
        "with `force_switching: false`, `hand_over` must drop the GIL and take it straight back, without \
         waiting on `switch_cond`; loom should then find a hand-over that goes nowhere. What the model \
         printed:\n{}\n{CHAPTER}",
        printed(&run)
    );
}
