//! loom models of the GIL's hand-off logic (included by `tests/loom.rs`).
//!
//! loom runs each model many times, once per interleaving of the threads'
//! steps (bounded: at most 3 preemptions), and checks every one. The driver
//! and the replay help are `course_support::loom_model`.
//!
//! What loom cannot model here: **time**. Its `Condvar::wait_timeout` never
//! times out, so a waiter never asks for the GIL by itself. The models play
//! the timer instead: a thread calls `request_drop` itself, at every point
//! loom chooses, just as a timed-out waiter would.
//!
//! A wrong answer can make loom report a deadlock, which ends the whole
//! process (with the table of the execution that deadlocked). So each model is an `#[ignore]`d test that its wrapper
//! runs in a child process, and the wrapper reports what the child said.

use std::time::Duration;

use loom::cell::UnsafeCell;
use loom::thread;

use course_support::loom_model::{Found, Run, Suite, check, in_child};
use course_support::recorded::{named, role};

use crate::sync::Arc;
use crate::sync::atomic::{AtomicBool, Ordering};

use super::gil::{Gil, GilConfig};

const CHAPTER: &str = "Read chapter 06, \"The GIL\" (book/src/06-the-gil.md).";

/// Where to replay these models, for the failure messages.
const SUITE: Suite = Suite {
    package: env!("CARGO_PKG_NAME"),
    target: env!("CARGO_CRATE_NAME"),
    chapter: CHAPTER,
};

fn config(force_switching: bool) -> GilConfig {
    GilConfig {
        switch_interval: Duration::from_secs(3600),
        check_every: 1,
        force_switching,
    }
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
    let gil = Arc::new(named("gil", || Gil::new(config(force_switching))));
    let data = Arc::new(Guarded(UnsafeCell::new(0)));
    let ready = Arc::new(AtomicBool::new(false));
    let b_ran = Arc::new(AtomicBool::new(false));

    let b = {
        let (gil, data, ready, b_ran) =
            (gil.clone(), data.clone(), ready.clone(), b_ran.clone());
        thread::spawn(move || {
            role("B: wait for A to hold the GIL, request_drop(), acquire()");
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
    role("A: acquire(), then two bytecodes, each with a tick()");
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
    check(|| {
        let gil = Arc::new(named("gil", || Gil::new(config(true))));
        let data = Arc::new(Guarded(UnsafeCell::new(0)));
        role("joins both workers");
        let workers: Vec<_> = (0..2)
            .map(|_| {
                let (gil, data) = (gil.clone(), data.clone());
                thread::spawn(move || {
                    role("acquire(), tick(), allow_threads(), release");
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
    check(|| {
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
    check(|| {
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
    check(|| {
        let (went_nowhere, _) = scenario(false, 0);
        assert!(
            !went_nowhere,
            "went nowhere: the holder took the GIL straight back"
        );
    });
}

/// Runs one model in a child process (it may abort: see the top of this
/// file).
fn run_model(model: &str) -> Run {
    in_child(module_path!(), model)
}

/// Fails unless loom found nothing wrong in `model`, which checks that
/// `expected`.
fn must_pass(model: &str, expected: &str) {
    SUITE.expect_nothing(&run_model(model), "your GIL", expected, "");
}

#[test]
fn loom_mutual_exclusion() {
    must_pass(
        "model_mutual_exclusion",
        "two threads that `tick` and `allow_threads` stay mutually exclusive: no update made \
         under the GIL is lost, in any interleaving.",
    );
}

#[test]
fn loom_forced_switching_hands_over() {
    must_pass(
        "model_forced_switching_hands_over",
        "with forced switching, a hand-over gives the GIL to the waiter: the holder never \
         takes it straight back.",
    );
}

#[test]
fn loom_the_request_is_cleared_by_the_new_holder() {
    must_pass(
        "model_the_request_is_cleared_by_the_new_holder",
        "the new holder starts without a drop request: nobody asks it to drop the GIL before \
         a waiter asks again.",
    );
}

#[test]
fn loom_without_forced_switching_the_hand_over_can_go_nowhere() {
    // The counterexample that motivates forced switching: without it, loom
    // finds an interleaving where the dropping thread takes the GIL back
    // before the waiter runs.
    let run = run_model("model_without_forced_switching");
    if !run.found.is_failure_with("went nowhere") {
        // Another failure is worth watching; nothing or a `todo!` is not.
        let replay = match run.found {
            Found::Failure(_) | Found::Deadlock(_) => SUITE.replay(&run),
            _ => String::new(),
        };
        panic!(
            "with `force_switching: false`, `hand_over` must drop the GIL and take it straight \
             back, without waiting on `switch_cond`; loom should then find a hand-over that goes \
             nowhere. What loom found: {}\n{replay}\n{CHAPTER}",
            run.found
        );
    }
}
