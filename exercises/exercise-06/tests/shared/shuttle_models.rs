//! shuttle models of the GIL (included by `tests/shuttle.rs`), with more
//! threads than loom can run.
//!
//! loom (`loom_models.rs`) tries every interleaving of two or three threads.
//! shuttle runs 8 and 16 threads that all want the GIL at once, each time in
//! another random order (random and PCT schedulers, fixed seeds, a bounded
//! number of runs; the driver is `course_support::shuttle_model`), and
//! checks that only one of them ever runs "bytecode" at a time and that
//! every one of them finishes. When every thread is blocked, shuttle says
//! so itself: the schedule fails with a message that starts `deadlock!`.
//!
//! Like loom, shuttle cannot model **time**: its `Condvar::wait_timeout`
//! never times out, so a waiter never asks for the GIL by itself. Each
//! thread plays its own timer: it calls `request_drop` just before it
//! waits, as a waiter whose switch interval ran out would.

use std::time::Duration;

use course_support::shuttle_model::{DEADLOCK, Suite};
use shuttle::thread;

use crate::sync::Arc;
use crate::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use super::gil::{Gil, GilConfig};

const CHAPTER: &str = "Read chapter 06, \"The GIL\" (book/src/06-the-gil.md).";

/// Where to replay these models, for the failure messages; the seed of
/// their schedules.
const SUITE: Suite = Suite {
    package: env!("CARGO_PKG_NAME"),
    target: env!("CARGO_CRATE_NAME"),
    chapter: CHAPTER,
    seed: 0x0006_5EED,
};

/// How a model fails when two threads hold the GIL at once.
const TWO_HOLDERS: &str = "TWO HOLDERS";
/// How a model fails when an update made under the GIL is lost.
const LOST: &str = "LOST UPDATE";

/// No wait ever times out (shuttle's never do anyway); every tick checks.
fn config(force_switching: bool) -> GilConfig {
    GilConfig {
        switch_interval: Duration::from_secs(3600),
        check_every: 1,
        force_switching,
    }
}

/// What the threads share: the GIL, how many threads are running bytecode
/// right now, and a count that only the GIL protects.
struct Shared {
    gil: Gil,
    running: AtomicUsize,
    count: AtomicU64,
}

impl Shared {
    /// One "bytecode" under the GIL: no other thread may be running one, and
    /// the count goes up by one with a plain load and store, which another
    /// holder could interleave with.
    fn bytecode(&self, who: &str) {
        let others = self.running.fetch_add(1, Ordering::SeqCst);
        assert!(
            others == 0,
            "{TWO_HOLDERS}: {who} ran bytecode while {others} other thread(s) did: the GIL let \
             two threads in at once."
        );
        let seen = self.count.load(Ordering::SeqCst);
        self.count.store(seen + 1, Ordering::SeqCst);
        self.running.fetch_sub(1, Ordering::SeqCst);
    }
}

/// `threads` threads each run `work` on the shared GIL, which must make
/// `bytecodes` calls of `Shared::bytecode`; then every thread must have
/// finished, and the count must be `threads * bytecodes`.
fn model(
    force_switching: bool,
    threads: usize,
    bytecodes: u64,
    work: fn(&Shared, &str),
) -> impl Fn() + Send + Sync {
    move || {
        let shared = Arc::new(Shared {
            gil: Gil::new(config(force_switching)),
            running: AtomicUsize::new(0),
            count: AtomicU64::new(0),
        });
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let shared = Arc::clone(&shared);
                let who = format!("thread {t}");
                thread::Builder::new()
                    .name(who.clone())
                    .spawn(move || work(&shared, &who))
                    .unwrap()
            })
            .collect();
        for handle in handles {
            handle.join().expect("a thread panicked");
        }
        let count = shared.count.load(Ordering::SeqCst);
        let expected = threads as u64 * bytecodes;
        assert!(
            count == expected,
            "{LOST}: {threads} threads each ran {bytecodes} bytecodes under the GIL, so the \
             count should be {expected}, but it is {count}."
        );
    }
}

/// Step 1: take the GIL, run a bytecode, give it back.
fn take_and_release(shared: &Shared, who: &str) {
    let _guard = shared.gil.acquire();
    shared.bytecode(who);
}

/// Steps 1 to 4: ask for the GIL as a timed-out waiter would, take it, run
/// bytecodes with a `tick` after each (which hands the GIL over when asked),
/// release it around a blocking call, and give it back.
fn the_whole_gil(shared: &Shared, who: &str) {
    shared.gil.request_drop();
    let mut guard = shared.gil.acquire();
    for _ in 0..2 {
        shared.bytecode(who);
        guard.tick();
    }
    guard.allow_threads(thread::yield_now);
    shared.bytecode(who);
}

/// The exercise's hint for what shuttle found in your GIL.
fn advice(message: &str) -> String {
    let advice = if message.contains(TWO_HOLDERS) || message.contains(LOST) {
        "Only the thread that holds the GIL may run: `take` must wait while `locked` is set, \
         and set it before it returns, all under the mutex."
    } else if message.contains(DEADLOCK) {
        "Every thread is waiting for a wake-up that nobody sends. `drop_gil` must wake a \
         waiter on `gil_cond`; `take` must wake the thread in `hand_over` (`switch_cond`), \
         which waits only while it is still the last holder. shuttle's `wait_timeout`, like \
         loom's, never times out: your GIL must not need a timeout to make progress."
    } else {
        ""
    };
    advice.to_string()
}

#[test]
fn shuttle_step1_many_threads_take_the_gil_one_at_a_time() {
    SUITE.verify("your GIL (step 1: `take` and `drop_gil`)", advice, |n| {
        model(true, n, 1, take_and_release)
    });
}

#[test]
fn shuttle_many_threads_hand_the_gil_over_and_all_finish() {
    SUITE.verify(
        "your GIL (steps 1 to 4, with forced switching)",
        advice,
        |n| model(true, n, 3, the_whole_gil),
    );
}

#[test]
fn shuttle_without_forced_switching_all_finish_too() {
    SUITE.verify(
        "your GIL (steps 1 to 4, without forced switching)",
        advice,
        |n| model(false, n, 3, the_whole_gil),
    );
}
