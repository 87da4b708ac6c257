//! Tests for exercise 05, threads and rayon. The reference solution runs
//! this very file too.
//!
//! They check that your answer is right and that the work was really split
//! over several threads running at the same time; never how fast it is
//! (`cargo xtask measure cpu --mine` shows that).

use std::collections::HashSet;
use std::ops::Range;
use std::sync::{Arc, Barrier, Mutex};
use std::thread::{self, ThreadId};

use course_support::watch;
use exercise_05::{count_inside, split, sum_rayon, sum_threads};

const CHAPTER: &str =
    "Read chapter 05, \"Parallelism vs concurrency\" (book/src/05-parallelism.md).";

/// One call of the job: the thread it ran on and the piece it got.
#[derive(Clone, Debug)]
struct Call {
    thread: ThreadId,
    piece: Range<u64>,
    /// `rayon::current_num_threads()` where it ran.
    pool_size: usize,
    /// Whether it ran on a thread of a rayon pool.
    in_pool: bool,
}

type Calls = Arc<Mutex<Vec<Call>>>;

fn recording_job(calls: &Calls) -> impl Fn(Range<u64>) -> u64 + Sync + Send + 'static {
    let calls = Arc::clone(calls);
    move |piece: Range<u64>| {
        calls.lock().unwrap().push(Call {
            thread: thread::current().id(),
            piece: piece.clone(),
            pool_size: rayon::current_num_threads(),
            in_pool: rayon::current_thread_index().is_some(),
        });
        count_inside(piece)
    }
}

/// Checks that the recorded pieces cover `range` exactly once, and returns
/// the distinct threads that ran them.
fn check_cover(
    calls: &Calls,
    range: Range<u64>,
    caller: ThreadId,
    what: &str,
) -> HashSet<ThreadId> {
    let mut calls = calls.lock().unwrap().clone();
    calls.retain(|call| !call.piece.is_empty());
    calls.sort_by_key(|call| call.piece.start);
    let mut next = range.start;
    for call in &calls {
        assert!(
            call.piece.start == next,
            "{what}: the pieces do not cover {range:?} exactly once: a piece starts at {} where {next} \
             was expected (pieces seen: {:?}). {CHAPTER}",
            call.piece.start,
            calls.iter().map(|c| c.piece.clone()).collect::<Vec<_>>()
        );
        next = call.piece.end;
    }
    assert!(
        next == range.end,
        "{what}: the pieces stop at {next}, short of {}. {CHAPTER}",
        range.end
    );
    assert!(
        calls.iter().all(|call| call.thread != caller),
        "{what}: a piece ran on the calling thread itself; every piece must run on a worker thread. {CHAPTER}"
    );
    calls.iter().map(|call| call.thread).collect()
}

fn ranges() -> Vec<Range<u64>> {
    vec![0..1000, 7..12_345, 1_000_000..1_000_003, 42..42, 0..1]
}

#[test]
fn split_cuts_nearly_equal_pieces_in_order() {
    assert_eq!(split(0..10, 3), vec![0..4, 4..7, 7..10]);
    assert_eq!(split(0..3, 8), vec![0..1, 1..2, 2..3]);
    assert!(split(9..9, 2).is_empty());
    for parts in 1..=9 {
        let pieces = split(100..1100, parts);
        assert_eq!(pieces.len(), parts);
        let lens: Vec<u64> = pieces.iter().map(|p| p.end - p.start).collect();
        assert!(
            lens.iter().max().unwrap() - lens.iter().min().unwrap() <= 1,
            "{lens:?}"
        );
        assert_eq!(pieces.first().unwrap().start, 100);
        assert_eq!(pieces.last().unwrap().end, 1100);
    }
}

#[test]
fn sum_threads_gives_the_sequential_answer() {
    for range in ranges() {
        for workers in [1, 2, 3, 4, 7] {
            let expected = count_inside(range.clone());
            let r = range.clone();
            let got = watch(CHAPTER, "sum_threads", "", move || {
                sum_threads(r, workers, count_inside)
            });
            assert_eq!(
                got, expected,
                "sum_threads({range:?}, {workers} workers, count_inside) returned {got}, but the \
                 sequential answer is {expected}. {CHAPTER}"
            );
        }
    }
}

#[test]
fn sum_threads_gives_each_worker_thread_one_piece() {
    for workers in [2, 3, 5] {
        let calls: Calls = Arc::default();
        let job = recording_job(&calls);
        let what = format!("sum_threads(0..1000, {workers} workers)");
        let (got, caller) = watch(CHAPTER, "sum_threads", "", move || {
            (sum_threads(0..1000, workers, job), thread::current().id())
        });
        assert_eq!(
            got,
            count_inside(0..1000),
            "{what} gave the wrong answer. {CHAPTER}"
        );
        let threads = check_cover(&calls, 0..1000, caller, &what);
        let pieces = calls
            .lock()
            .unwrap()
            .iter()
            .filter(|c| !c.piece.is_empty())
            .count();
        assert!(
            pieces == workers,
            "{what}: the job ran on {pieces} pieces; cut the range with `split(range, workers)` so \
             that each worker gets one piece. {CHAPTER}"
        );
        assert!(
            threads.len() == workers,
            "{what}: {pieces} pieces ran on only {} distinct threads; spawn one thread per piece. {CHAPTER}",
            threads.len()
        );
    }
}

#[test]
fn sum_threads_runs_the_pieces_at_the_same_time() {
    for workers in [2, 4] {
        // Each piece waits until all `workers` pieces have started: that
        // only ends if they all run at once.
        let barrier = Arc::new(Barrier::new(workers));
        let job = move |piece: Range<u64>| {
            barrier.wait();
            count_inside(piece)
        };
        let got = watch(
            CHAPTER,
            &format!(
                "sum_threads with {workers} workers whose pieces wait for each other"
            ),
            "the pieces ran one after the other. Spawn every thread first, and only then join \
             them: joining a thread right after spawning it waits for it to finish before the \
             next one starts.",
            move || sum_threads(0..1000, workers, job),
        );
        assert_eq!(
            got,
            count_inside(0..1000),
            "sum_threads gave the wrong answer. {CHAPTER}"
        );
    }
}

#[test]
fn sum_rayon_gives_the_sequential_answer() {
    for range in ranges() {
        for workers in [1, 2, 3, 7] {
            let expected = count_inside(range.clone());
            let r = range.clone();
            let got = watch(CHAPTER, "sum_rayon", "", move || {
                sum_rayon(r, workers, count_inside)
            });
            assert_eq!(
                got, expected,
                "sum_rayon({range:?}, {workers} workers, count_inside) returned {got}, but the \
                 sequential answer is {expected}. {CHAPTER}"
            );
        }
    }
}

#[test]
fn sum_rayon_runs_in_a_pool_of_exactly_workers_threads() {
    // A global-pool answer has one size, the machine's; these differ.
    for workers in [1, 3, 6] {
        let calls: Calls = Arc::default();
        let job = recording_job(&calls);
        let what = format!("sum_rayon(0..2000, {workers} workers)");
        let (got, caller) = watch(CHAPTER, "sum_rayon", "", move || {
            (sum_rayon(0..2000, workers, job), thread::current().id())
        });
        assert_eq!(
            got,
            count_inside(0..2000),
            "{what} gave the wrong answer. {CHAPTER}"
        );
        check_cover(&calls, 0..2000, caller, &what);
        for call in calls.lock().unwrap().iter() {
            assert!(
                call.in_pool && call.pool_size == workers,
                "{what}: the job ran {}, not in a pool of {workers} threads. Build one with \
                 `rayon::ThreadPoolBuilder::new().num_threads(workers).build()` and run the work \
                 inside `pool.install(|| ...)`. {CHAPTER}",
                if call.in_pool {
                    format!("in a pool of {} threads", call.pool_size)
                } else {
                    "outside any rayon pool".into()
                }
            );
        }
    }
}

// `sum_rayon_splits_the_range_over_the_pool` lives in its own test binary,
// tests/split_the_work_on_the_pool.rs: see why there.
