//! Tests for exercise 06, step by step. The reference solution runs this
//! very file too.
//!
//! They check what your GIL *does*, never how fast: a test that needs a
//! thread to be waiting checks `Gil::waiting`, and threads meet through
//! channels and barriers, not sleeps. Most tests use a switch interval of
//! an hour, so that no wait ever times out by itself and the test decides
//! when a drop request happens (`Gil::request_drop`). Anything that could
//! hang runs under a watchdog that fails with a hint instead.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, mpsc};
use std::thread;
use std::time::Duration;

use course_support::watch;
use exercise_06::interpreter::{Instr, compute_free, run};
use exercise_06::workloads::{self, cpu_answer};
use exercise_06::{Gil, GilConfig, GilGuard};

const CHAPTER: &str = "Read chapter 06, \"The GIL\" (book/src/06-the-gil.md).";

/// No wait ever times out: only the test asks for the GIL to be dropped.
fn manual(check_every: u32) -> GilConfig {
    GilConfig {
        switch_interval: Duration::from_secs(3600),
        check_every,
        force_switching: true,
    }
}

/// Switches for real, every millisecond.
fn fast(check_every: u32) -> GilConfig {
    GilConfig {
        switch_interval: Duration::from_millis(1),
        check_every,
        force_switching: true,
    }
}

/// Waits (yielding, not sleeping) until `n` threads are inside `acquire`.
fn wait_for_waiters(gil: &Gil, n: usize) {
    while gil.waiting() < n {
        thread::yield_now();
    }
}

/// One `tick`, checked: while a drop request is pending, `tick` must hand
/// the GIL over within `check_every` ticks. A `tick` that never does fails
/// here, naming `tick`, instead of leaving a test to wait for its watchdog.
fn tick_checked(guard: &mut GilGuard<'_>, pending_for: &mut u64) -> bool {
    let pending = guard.gil().drop_requested();
    let handed = guard.tick();
    *pending_for = if handed || !pending {
        0
    } else {
        *pending_for + 1
    };
    let check_every = u64::from(guard.gil().config().check_every.max(1));
    assert!(
        *pending_for <= 2 * check_every + 1,
        "`tick` kept the GIL for {pending_for} ticks while a drop request was pending, with \
         check_every = {check_every}. Every `check_every` bytecodes, `tick` must look at \
         `drop_request` and, if it is set, call `hand_over` and return true. {CHAPTER}"
    );
    handed
}

/// Ticks until `tick` hands the GIL over (a drop request is pending).
fn tick_until_handed_over(guard: &mut GilGuard<'_>) -> u64 {
    let mut pending_for = 0;
    let mut ticks = 1;
    while !tick_checked(guard, &mut pending_for) {
        ticks += 1;
    }
    ticks
}

/// Runs `body(i)` on `n` scoped threads; a panic on one of them fails the
/// test once, with that thread's message (not once per thread, plus "a
/// scoped thread panicked").
fn on_threads(n: usize, body: impl Fn(usize) + Sync) {
    let outcomes: Vec<_> = thread::scope(|scope| {
        let handles: Vec<_> = (0..n)
            .map(|i| {
                let body = &body;
                scope.spawn(move || course_support::catch_quietly(|| body(i)))
            })
            .collect();
        handles.into_iter().map(|h| h.join()).collect()
    });
    for outcome in outcomes {
        if let Ok(Err(caught)) = outcome {
            panic!("{caught}");
        }
    }
}

/// Marks the GIL as held by one more thread, and checks it was the only one.
struct Inside<'a>(&'a AtomicUsize);

impl<'a> Inside<'a> {
    fn enter(count: &'a AtomicUsize, what: &str) -> Inside<'a> {
        let before = count.fetch_add(1, Ordering::SeqCst);
        assert_eq!(
            before, 0,
            "{what}: two threads held the GIL at the same time. {CHAPTER}"
        );
        Inside(count)
    }
}

impl Drop for Inside<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

// ---- step 1: a plain lock ------------------------------------------------------

#[test]
fn step1_the_gil_can_be_taken_again_after_release() {
    watch(
        CHAPTER,
        "taking the GIL, releasing it, and taking it again",
        "`drop_gil` must set `locked` back to false, and `take` must wait only while it is true.",
        || {
            let gil = Gil::new(manual(100));
            for _ in 0..3 {
                let guard = gil.acquire();
                drop(guard);
            }
            assert_eq!(
                gil.stats().switches,
                3,
                "each `acquire` is a new holder: `switch_number` counts them. {CHAPTER}"
            );
        },
    );
}

#[test]
fn step1_a_waiter_gets_in_only_after_the_holder_leaves() {
    watch(
        CHAPTER,
        "a second thread waiting for the GIL",
        "`take` waits on `gil_cond` while `locked`; `drop_gil` must notify it.",
        || {
            let gil = Arc::new(Gil::new(manual(100)));
            let guard = gil.acquire();
            let (in_tx, in_rx) = mpsc::channel();
            let other = {
                let gil = Arc::clone(&gil);
                thread::spawn(move || {
                    let _guard = gil.acquire();
                    in_tx.send(()).unwrap();
                })
            };
            wait_for_waiters(&gil, 1);
            // It must stay out while we hold the GIL (a bounded wait for
            // something that must *not* happen).
            assert!(
                in_rx.recv_timeout(Duration::from_millis(200)).is_err(),
                "a second thread took the GIL while the first still held it. {CHAPTER}"
            );
            drop(guard);
            in_rx
                .recv()
                .expect("the waiting thread never got the GIL after it was released");
            other.join().unwrap();
        },
    );
}

#[test]
fn step1_never_two_holders() {
    watch(
        CHAPTER,
        "4 threads taking turns on the GIL",
        "take the GIL only when `locked` is false, checked in a loop under the mutex.",
        || {
            // Step 1 only: no `tick` here, each thread lets go by itself.
            let gil = Gil::new(fast(3));
            let inside = AtomicUsize::new(0);
            let total = AtomicU64::new(0);
            on_threads(4, |_| {
                for _ in 0..50 {
                    let _guard = gil.acquire();
                    for _ in 0..20 {
                        let _me = Inside::enter(&inside, "4 threads taking turns");
                        // A non-atomic read-modify-write, safe only under the GIL.
                        let seen = total.load(Ordering::Relaxed);
                        thread::yield_now();
                        total.store(seen + 1, Ordering::Relaxed);
                    }
                }
            });
            assert_eq!(
                total.into_inner(),
                4 * 50 * 20,
                "updates were lost: the GIL let two threads in. {CHAPTER}"
            );
        },
    );
}

// ---- step 2: the switch interval and the drop request -------------------------------

#[test]
fn step2_a_drop_request_is_honoured_within_check_every_ops() {
    watch(
        CHAPTER,
        "a holder asked to drop the GIL",
        "`tick` looks at the drop request every `check_every` bytecodes and calls `hand_over`.",
        || {
            // Whether the waiter runs *during* the hand-over is step 3's test:
            // here it only has to get the GIL in the end.
            const N: u32 = 50;
            let gil = Arc::new(Gil::new(manual(N)));
            let mut guard = gil.acquire();
            let other = {
                let gil = Arc::clone(&gil);
                thread::spawn(move || drop(gil.acquire()))
            };
            wait_for_waiters(&gil, 1);
            gil.request_drop();
            let handed_over_at = (1..=10 * u64::from(N)).find(|_| guard.tick());
            let Some(at) = handed_over_at else {
                panic!(
                    "a drop request was pending, yet 10 x check_every = {} calls of `tick` never \
                     handed the GIL over: `tick` must look at `drop_request` every `check_every` \
                     bytecodes and call `hand_over`. {CHAPTER}",
                    10 * N
                );
            };
            assert!(
                at <= u64::from(N),
                "`tick` honoured the drop request only after {at} ticks; check_every is {N}. \
                 {CHAPTER}"
            );
            drop(guard);
            other.join().unwrap();
        },
    );
}

#[test]
fn step2_without_a_request_the_holder_keeps_the_gil() {
    watch(
        CHAPTER,
        "a holder that nobody asks to drop the GIL",
        "hand the GIL over only when the drop request is set.",
        || {
            let gil = Gil::new(manual(10));
            let mut guard = gil.acquire();
            let handed = (0..10_000).filter(|_| guard.tick()).count();
            assert_eq!(
                handed, 0,
                "with no drop request, `tick` handed the GIL over {handed} times. {CHAPTER}"
            );
            assert_eq!(guard.ops(), 10_000);
        },
    );
}

#[test]
fn step2_a_waiter_that_times_out_asks_for_the_gil() {
    watch(
        CHAPTER,
        "a CPU-bound holder and a waiter, 1 ms switch interval",
        "the waiter asks from `take`: wait with `wait_timeout(switch_interval)`, and when it times out \
         and `switch_number` has not changed, call `request_drop`. The holder answers from `tick`, \
         which this test checks as it goes: if only the watchdog complains, look at `take`.",
        || {
            let gil = Gil::new(fast(10));
            let other_ran = AtomicBool::new(false);
            let mut guard = gil.acquire();
            thread::scope(|scope| {
                scope.spawn(|| {
                    let _guard = gil.acquire();
                    other_ran.store(true, Ordering::SeqCst);
                });
                // The holder never stops on its own: only a drop request,
                // made by the waiter when its wait times out, lets it in.
                let mut pending_for = 0;
                while !other_ran.load(Ordering::SeqCst) {
                    tick_checked(&mut guard, &mut pending_for);
                }
                drop(guard);
            });
            assert!(
                gil.stats().drop_requests >= 1,
                "the waiter got in without a drop request. {CHAPTER}"
            );
        },
    );
}

#[test]
fn step2_a_waiter_asks_only_after_a_wait_that_timed_out() {
    watch(
        CHAPTER,
        "a holder that drops and retakes the GIL beside a waiter, 1 h switch interval",
        "in `take`, call `request_drop` only when the wait timed out (`wait_timeout` says \
         `timed_out()`), the GIL is still held, and `switch_number` has not changed.",
        || {
            // No wait can time out within an hour, so no drop may be
            // requested. But the waiter is woken when the holder drops the
            // GIL, and usually finds it taken back already.
            let gil = Gil::new(manual(1));
            for _ in 0..100 {
                thread::scope(|scope| {
                    let mut guard = gil.acquire();
                    scope.spawn(|| drop(gil.acquire()));
                    wait_for_waiters(&gil, 1);
                    // Time for the waiter to reach its wait, and then to wake
                    // while the GIL is held again (the test holds either way).
                    thread::sleep(Duration::from_millis(1));
                    guard.allow_threads(|| ());
                    thread::sleep(Duration::from_millis(1));
                });
            }
            let asked = gil.stats().drop_requests;
            assert_eq!(
                asked, 0,
                "a waiter asked for the GIL {asked} times though no wait timed out: woken \
                 by a drop and finding the GIL taken again is no reason to ask. {CHAPTER}"
            );
        },
    );
}

#[test]
fn step2_the_new_holder_starts_without_a_pending_request() {
    watch(
        CHAPTER,
        "a hand-over, then a new holder",
        "the thread that takes the GIL clears the drop request: it has been served.",
        || {
            let gil = Arc::new(Gil::new(manual(10)));
            let mut guard = gil.acquire();
            let (handed_tx, handed_rx) = mpsc::channel();
            let other = {
                let gil = Arc::clone(&gil);
                thread::spawn(move || {
                    let mut guard = gil.acquire();
                    // Nobody asked since this thread took the GIL.
                    let handed = (0..1000).filter(|_| guard.tick()).count();
                    handed_tx.send(handed).unwrap();
                })
            };
            wait_for_waiters(&gil, 1);
            gil.request_drop();
            tick_until_handed_over(&mut guard);
            drop(guard);
            let handed = handed_rx.recv().unwrap();
            other.join().unwrap();
            assert_eq!(
                handed, 0,
                "the new holder was asked to drop the GIL {handed} times, though nobody asked after it took it. {CHAPTER}"
            );
            assert!(
                !gil.drop_requested(),
                "a drop request is still pending at the end. {CHAPTER}"
            );
        },
    );
}

// ---- step 3: forced switching ----------------------------------------------------------

#[test]
fn step3_forced_switching_hands_the_gil_to_the_waiter() {
    watch(
        CHAPTER,
        "forced switching",
        "in `hand_over`, after dropping the GIL, wait on `switch_cond` while `last_holder` is still you.",
        || {
            for round in 0..20 {
                let gil = Arc::new(Gil::new(manual(5)));
                let other_ran = Arc::new(AtomicBool::new(false));
                let mut guard = gil.acquire();
                let other = {
                    let (gil, other_ran) = (Arc::clone(&gil), Arc::clone(&other_ran));
                    thread::spawn(move || {
                        let _guard = gil.acquire();
                        other_ran.store(true, Ordering::SeqCst);
                    })
                };
                wait_for_waiters(&gil, 1);
                gil.request_drop();
                tick_until_handed_over(&mut guard);
                assert!(
                    other_ran.load(Ordering::SeqCst),
                    "round {round}: the holder handed the GIL over and took it straight back before the waiter \
                     ran. {CHAPTER}"
                );
                drop(guard);
                other.join().unwrap();
            }
        },
    );
}

#[test]
fn step3_two_cpu_threads_take_turns() {
    watch(
        CHAPTER,
        "two CPU-bound threads that each need the other to make progress, 1 ms interval",
        "without forced switching, the thread that drops the GIL takes it straight back.",
        || {
            let gil = Gil::new(fast(20));
            let progress = [AtomicU64::new(0), AtomicU64::new(0)];
            on_threads(2, |me| {
                let mut guard = gil.acquire();
                // Run until the *other* thread has had 5 turns.
                let (mut turns, mut pending_for) = (0, 0);
                while progress[1 - me].load(Ordering::SeqCst) < 5 && turns < 5 + 1_000 {
                    if tick_checked(&mut guard, &mut pending_for) {
                        turns += 1;
                        progress[me].store(turns, Ordering::SeqCst);
                    }
                }
                progress[me].store(1_000_000, Ordering::SeqCst);
            });
            assert!(
                gil.stats().switches >= 10,
                "the two threads switched only {} times. {CHAPTER}",
                gil.stats().switches
            );
        },
    );
}

// ---- step 4: releasing the GIL around blocking calls ---------------------------------------

#[test]
fn step4_a_thread_blocked_in_io_lets_another_run() {
    watch(
        CHAPTER,
        "a thread waiting for a message inside `allow_threads`, from a thread that needs the GIL to send it",
        "`allow_threads` must drop the GIL before the blocking call and take it back after.",
        || {
            let gil = Arc::new(Gil::new(manual(100)));
            let mut guard = gil.acquire();
            let (tx, rx) = mpsc::channel();
            let other = {
                let gil = Arc::clone(&gil);
                thread::spawn(move || {
                    let _guard = gil.acquire();
                    // The receiver is gone only if the test already failed.
                    let _ = tx.send("ran under the GIL");
                })
            };
            let message = guard.allow_threads(|| rx.recv());
            assert_eq!(message, Ok("ran under the GIL"), "{CHAPTER}");
            drop(guard);
            other.join().unwrap();
        },
    );
}

#[test]
fn step4_the_gil_is_held_again_after_the_blocking_call() {
    watch(
        CHAPTER,
        "3 threads alternating blocking calls and GIL-protected work",
        "after the blocking call, `allow_threads` must take the GIL back.",
        || {
            let gil = Gil::new(fast(5));
            let inside = AtomicUsize::new(0);
            on_threads(3, |_| {
                let mut guard = gil.acquire();
                for _ in 0..200 {
                    {
                        let _me = Inside::enter(&inside, "after `allow_threads`");
                        thread::yield_now();
                    }
                    guard.allow_threads(thread::yield_now);
                    guard.tick();
                }
            });
        },
    );
}

// ---- the interpreter ------------------------------------------------------------------------

#[test]
fn interpreter_runs_every_bytecode() {
    watch(
        CHAPTER,
        "the interpreter alone, nobody asking for the GIL",
        "with no drop request pending, `tick` must not hand the GIL over: there is nobody to \
         hand it to, so waiting for a new holder waits for ever.",
        || {
            let gil = Gil::new(manual(100));
            let report = run(&gil, [Instr::Compute(1000), Instr::Compute(234)]);
            assert_eq!(
                report.bytecodes, 1234,
                "`run` must `tick` once per bytecode. {CHAPTER}"
            );
            assert_eq!(
                report.value,
                compute_free(1234, 0),
                "`run` must apply `bytecode` to `report.value`. {CHAPTER}"
            );
            assert_eq!(report.hand_overs, 0, "{CHAPTER}");
        },
    );
}

#[test]
fn interpreter_counts_its_hand_overs() {
    watch(
        CHAPTER,
        "the interpreter asked to drop the GIL once",
        "count a hand-over each time `tick` returns true.",
        || {
            let gil = Gil::new(manual(10));
            thread::scope(|scope| {
                let ask = Instr::BlockingKeepsGil(Box::new(|| {
                    scope.spawn(|| drop(gil.acquire()));
                    wait_for_waiters(&gil, 1);
                    gil.request_drop();
                }));
                let report = run(&gil, [ask, Instr::Compute(1000)]);
                assert_eq!(
                    report.hand_overs, 1,
                    "one drop request, one hand-over. {CHAPTER}"
                );
                assert_eq!(report.bytecodes, 1000, "{CHAPTER}");
            });
        },
    );
}

#[test]
fn interpreter_releases_the_gil_around_blocking_calls() {
    watch(
        CHAPTER,
        "4 interpreter threads meeting at a barrier inside blocking calls",
        "`Instr::Blocking` runs inside `allow_threads`; `Instr::BlockingKeepsGil` does not.",
        || {
            let gil = Gil::new(manual(100));
            let barrier = Barrier::new(4);
            on_threads(4, |_| {
                run(
                    &gil,
                    [
                        Instr::Compute(10),
                        Instr::blocking(|| {
                            barrier.wait();
                        }),
                        Instr::Compute(10),
                    ],
                );
            });
        },
    );
}

// ---- the experiments run on your GIL ---------------------------------------------------------

#[test]
fn the_experiments_compute_the_right_answers() {
    watch(
        CHAPTER,
        "the chapter's experiments, in miniature",
        "make the step tests pass first.",
        || {
            // On this thread first: a `todo!` then fails the test once, here,
            // not once on each of the experiments' threads.
            run(&Gil::new(manual(100)), [Instr::Compute(1)]);
            let total = 40_000;
            for threads in [1, 2, 4] {
                let (value, _) = workloads::cpu_gil(fast(100), threads, total);
                assert_eq!(
                    value,
                    cpu_answer(total),
                    "cpu_gil with {threads} threads. {CHAPTER}"
                );
                assert_eq!(workloads::cpu_threads(threads, total), cpu_answer(total));
            }
            workloads::io_gil(fast(100), 4, 3, Duration::from_millis(1));
            for cpu_threads in [0, 1, 2] {
                let report = workloads::convoy(fast(100), 5, cpu_threads)
                    .expect("a UDP round trip over 127.0.0.1 failed");
                assert_eq!(report.checksum(), 10);
                assert_eq!(report.cpu_bytecodes > 0, cpu_threads > 0, "{CHAPTER}");
            }
            let square = |r: std::ops::Range<u64>| r.map(|i| i * i).sum::<u64>();
            for (threads, blocking) in [(1, false), (3, false), (3, true)] {
                let sum =
                    workloads::gil_over_range(fast(7), threads, 5..105, square, blocking);
                assert_eq!(
                    sum,
                    square(5..105),
                    "gil_over_range with {threads} threads. {CHAPTER}"
                );
            }
        },
    );
}
