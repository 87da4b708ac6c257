//! loom's side of `measure checkers`: how many interleavings loom runs to
//! check a *correct* model exhaustively, and how long that takes, as the
//! threads grow.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde::Serialize;

/// One row: a correct model of `threads` threads, checked by loom.
#[derive(Clone, Debug, Serialize)]
pub struct LoomRow {
    /// Threads that take the locks, the model's main thread among them.
    pub threads: usize,
    /// loom's preemption bound (`None`: loom's default, unbounded).
    pub preemption_bound: Option<usize>,
    /// Interleavings run: all of them, or as many as fit in the budget.
    pub iterations: u64,
    pub seconds: f64,
    /// Whether loom ran every interleaving (false: the budget ran out first).
    pub finished: bool,
    pub budget_seconds: u64,
}

/// loom's limit on threads, the model's main thread among them
/// (`loom::MAX_THREADS`, 5 in loom 0.7.2).
pub const MAX_THREADS: usize = loom::MAX_THREADS;

/// loom checks its time budget only every this many iterations
/// (`Builder::checkpoint_interval`); small, so that a row stops on time.
const CHECK_EVERY: usize = 500;

/// The correct model: `threads` threads (the main one and `threads - 1`
/// spawned) each lock `a`, then `b`, and add 1 to both. One lock order, so
/// no deadlock; both locks held, so no lost update.
fn two_locks_in_order(
    threads: usize,
    iterations: Arc<AtomicU64>,
) -> impl Fn() + Send + Sync {
    use loom::sync::{Arc, Mutex};
    move || {
        iterations.fetch_add(1, Ordering::Relaxed);
        let locks = Arc::new((Mutex::new(0u64), Mutex::new(0u64)));
        let work = |locks: &(Mutex<u64>, Mutex<u64>)| {
            let mut a = locks.0.lock().unwrap();
            let mut b = locks.1.lock().unwrap();
            *a += 1;
            *b += 1;
        };
        let others: Vec<_> = (1..threads)
            .map(|_| {
                let locks = Arc::clone(&locks);
                loom::thread::spawn(move || work(&locks))
            })
            .collect();
        work(&locks);
        for other in others {
            other.join().unwrap();
        }
        let (a, b) = (*locks.0.lock().unwrap(), *locks.1.lock().unwrap());
        assert_eq!(
            (a, b),
            (threads as u64, threads as u64),
            "the correct model lost an update"
        );
    }
}

/// Checks the correct model with `threads` threads under loom, for at most
/// `budget`; `progress` is told of every iteration.
pub fn measure(
    threads: usize,
    preemption_bound: Option<usize>,
    budget: Duration,
    progress: impl Fn() + Send + Sync + 'static,
) -> LoomRow {
    assert!(
        (1..=MAX_THREADS).contains(&threads),
        "loom models 1 to {MAX_THREADS} threads"
    );
    let iterations = Arc::new(AtomicU64::new(0));
    let model = two_locks_in_order(threads, Arc::clone(&iterations));
    // Every setting is set here, so that no LOOM_* variable changes the figure.
    let mut builder = loom::model::Builder::new();
    builder.max_threads = threads;
    builder.max_branches = 1_000; // loom's default
    builder.max_permutations = None;
    builder.max_duration = Some(budget);
    builder.preemption_bound = preemption_bound;
    builder.checkpoint_file = None;
    builder.checkpoint_interval = CHECK_EVERY;
    builder.location = false;
    builder.log = false;
    let start = Instant::now();
    builder.check(move || {
        model();
        progress();
    });
    let elapsed = start.elapsed();
    let iterations = iterations.load(Ordering::Relaxed);
    // loom returns when it has run every interleaving, or when the budget has
    // run out at a check: before its iteration k * CHECK_EVERY, so after
    // k * CHECK_EVERY - 1 of them.
    let stopped =
        elapsed >= budget && iterations % CHECK_EVERY as u64 == CHECK_EVERY as u64 - 1;
    LoomRow {
        threads,
        preemption_bound,
        iterations,
        seconds: elapsed.as_secs_f64(),
        finished: !stopped,
        budget_seconds: budget.as_secs(),
    }
}
