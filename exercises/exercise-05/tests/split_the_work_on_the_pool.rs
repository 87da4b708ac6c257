//! Does `sum_rayon` hand pieces of the range to every thread of its pool?
//! The reference solution runs this very file too.
//!
//! A test binary of its own: its job waits for the other threads of the
//! pool, so a wrong answer can leave rayon's *global* pool stuck, and every
//! other rayon test of the same process would then time out too. Here it
//! can only fail itself.

use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};

use course_support::{DEFAULT_LIMIT, watchdog};
use exercise_05::{count_inside, sum_rayon};

const CHAPTER: &str =
    "Read chapter 05, \"Parallelism vs concurrency\" (book/src/05-parallelism.md).";

#[test]
fn sum_rayon_splits_the_range_over_the_pool() {
    for workers in [2, 3] {
        // The first `workers` calls of the job wait for each other: that only
        // ends if rayon handed pieces of the range to every thread. A call
        // outside a pool of `workers` threads (rayon's global pool, say) does
        // not wait, so that it cannot leave that pool stuck; it is reported.
        let barrier = Arc::new(Barrier::new(workers));
        let started = Arc::new(AtomicUsize::new(0));
        let wrong_pool = Arc::new(AtomicBool::new(false));
        let job = {
            let wrong_pool = Arc::clone(&wrong_pool);
            move |piece: Range<u64>| {
                let in_own_pool = rayon::current_thread_index().is_some()
                    && rayon::current_num_threads() == workers;
                if !in_own_pool {
                    wrong_pool.store(true, Ordering::SeqCst);
                } else if started.fetch_add(1, Ordering::SeqCst) < workers {
                    barrier.wait();
                }
                count_inside(piece)
            }
        };
        let got = watchdog(
            DEFAULT_LIMIT,
            &format!("sum_rayon with {workers} workers"),
            "rayon never ran the job on several threads of your pool at once. Give rayon \
             something to split, such as the range itself (`range.into_par_iter()`) or \
             `rayon::iter::split`, instead of calling the job once on the whole range. Read \
             chapter 05 (book/src/05-parallelism.md).",
            move || sum_rayon(0..10_000, workers, job),
        );
        assert!(
            !wrong_pool.load(Ordering::SeqCst),
            "sum_rayon with {workers} workers ran the job outside a pool of {workers} threads \
             (on rayon's global pool, or on the calling thread). Build a pool with \
             `rayon::ThreadPoolBuilder::new().num_threads(workers).build()` and run the work \
             inside `pool.install(|| ...)`. {CHAPTER}"
        );
        assert_eq!(
            got,
            count_inside(0..10_000),
            "sum_rayon gave the wrong answer. {CHAPTER}"
        );
    }
}
