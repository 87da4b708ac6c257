//! shuttle's side of `measure checkers`: how many random schedules shuttle
//! runs before it first catches a *buggy* model, under its random and PCT
//! schedulers, over many seeds.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use serde::Serialize;
use shuttle::scheduler::{
    PctScheduler, RandomScheduler, Schedule, Scheduler, Task, TaskId,
};
use shuttle::{Config, Runner};

/// The buggy models.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub enum Model {
    /// Each thread loads the count, then stores it plus one: two threads
    /// that both load before either stores lose an update.
    LostUpdate,
    /// Five slots, each claimed before its count is updated; the sixth
    /// increment in flight finds every slot taken and updates one unclaimed.
    FiveSlots,
}

impl Model {
    pub fn label(self) -> &'static str {
        match self {
            Model::LostUpdate => "lost update (load, then store)",
            Model::FiveSlots => "five-slot counter",
        }
    }

    /// The label in a chart's legend.
    pub fn short(self) -> &'static str {
        match self {
            Model::LostUpdate => "lost update",
            Model::FiveSlots => "five slots",
        }
    }
}

/// A shuttle scheduler, as the table names it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub enum Sched {
    Random,
    /// PCT with this depth (`d - 1` priority change points a run).
    Pct(usize),
}

impl Sched {
    pub fn label(self) -> String {
        match self {
            Sched::Random => "random".to_string(),
            Sched::Pct(depth) => format!("PCT, depth {depth}"),
        }
    }
}

/// One row: a buggy model of `threads` threads under one scheduler, one
/// search per seed.
#[derive(Clone, Debug, Serialize)]
pub struct ShuttleRow {
    pub model: Model,
    pub threads: usize,
    pub scheduler: Sched,
    /// Per seed tried: the run that first failed, or `None` if none of
    /// `cap` runs did.
    pub first_failure: Vec<Option<u64>>,
    /// Per seed tried: the seconds its search took (to the first failure,
    /// or to the cap).
    pub search_seconds: Vec<f64>,
    /// Seeds not tried because the row's time budget ran out.
    pub seeds_skipped: usize,
    pub cap: u64,
    pub runs: u64,
    pub seconds: f64,
}

impl ShuttleRow {
    pub fn found(&self) -> usize {
        self.first_failure.iter().flatten().count()
    }

    /// The median of the runs to the first failure, a search that found
    /// nothing counting as more than `cap`: `None` if that is the median.
    pub fn median(&self) -> Option<f64> {
        let mut sorted = self.first_failure.clone();
        // None (not found) after every number.
        sorted.sort_by_key(|r| r.map_or((1, 0), |n| (0, n)));
        let n = sorted.len();
        if n == 0 {
            return None;
        }
        let (low, high) = (sorted[(n - 1) / 2]?, sorted[n / 2]?);
        Some((low + high) as f64 / 2.0)
    }

    /// The most runs any seed needed: `None` if a seed found nothing.
    pub fn max(&self) -> Option<u64> {
        self.first_failure
            .iter()
            .copied()
            .try_fold(0, |m, r| r.map(|r| m.max(r)))
    }

    /// The median time of a seed's search: to the end of the first failing
    /// run, or of the last run (shuttle's start of each search included).
    pub fn median_search_seconds(&self) -> Option<f64> {
        let mut sorted = self.search_seconds.clone();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        (n > 0).then(|| (sorted[(n - 1) / 2] + sorted[n / 2]) / 2.0)
    }
}

/// Runs the inner scheduler until the model reports a failure, `cap` runs
/// or the deadline, whichever comes first, and notes when that was.
struct UntilFound<S> {
    inner: S,
    found: Arc<AtomicBool>,
    deadline: Instant,
    stopped: Arc<OnceLock<Instant>>,
}

impl<S: Scheduler> Scheduler for UntilFound<S> {
    fn new_execution(&mut self) -> Option<Schedule> {
        let stop = self.found.load(Ordering::Relaxed) || Instant::now() >= self.deadline;
        let next = if stop {
            None
        } else {
            self.inner.new_execution()
        };
        if next.is_none() {
            self.stopped.get_or_init(Instant::now);
            // Let the inner scheduler reach its last run without running
            // them (after the clock stopped): shuttle's RandomScheduler,
            // dropped before that, prints its seed as a "failing seed".
            if stop {
                while self.inner.new_execution().is_some() {}
            }
        }
        next
    }

    fn next_task(
        &mut self,
        runnable: &[&Task],
        current: Option<TaskId>,
        is_yielding: bool,
    ) -> Option<TaskId> {
        self.inner.next_task(runnable, current, is_yielding)
    }

    fn next_u64(&mut self) -> u64 {
        self.inner.next_u64()
    }
}

/// The model's closure: it reports a wrong count through `found`, instead
/// of panicking (a panic would make shuttle print the schedule).
fn model(
    which: Model,
    threads: usize,
    found: Arc<AtomicBool>,
) -> impl Fn() + Send + Sync {
    use shuttle::sync::Arc;
    use shuttle::sync::atomic::{AtomicBool, AtomicU64, Ordering::SeqCst};
    move || {
        let total = match which {
            Model::LostUpdate => {
                let count = Arc::new(AtomicU64::new(0));
                let handles: Vec<_> = (0..threads)
                    .map(|_| {
                        let count = Arc::clone(&count);
                        shuttle::thread::spawn(move || {
                            let seen = count.load(SeqCst);
                            count.store(seen + 1, SeqCst);
                        })
                    })
                    .collect();
                handles.into_iter().for_each(|h| h.join().unwrap());
                count.load(SeqCst)
            }
            Model::FiveSlots => {
                let slots: Arc<[(AtomicBool, AtomicU64); 5]> =
                    Arc::new(Default::default());
                let handles: Vec<_> = (0..threads)
                    .map(|_| {
                        let slots = Arc::clone(&slots);
                        shuttle::thread::spawn(move || {
                            for (busy, count) in slots.iter() {
                                if busy
                                    .compare_exchange(false, true, SeqCst, SeqCst)
                                    .is_ok()
                                {
                                    let seen = count.load(SeqCst);
                                    count.store(seen + 1, SeqCst);
                                    busy.store(false, SeqCst);
                                    return;
                                }
                            }
                            // Every slot taken, "impossible with five
                            // threads": the bug adds to the last slot
                            // without claiming it.
                            let seen = slots[4].1.load(SeqCst);
                            slots[4].1.store(seen + 1, SeqCst);
                        })
                    })
                    .collect();
                handles.into_iter().for_each(|h| h.join().unwrap());
                slots.iter().map(|(_, count)| count.load(SeqCst)).sum()
            }
        };
        if total != threads as u64 {
            found.store(true, std::sync::atomic::Ordering::Relaxed);
        }
    }
}

/// One seed's search: the first run (1-based) that catches the model, if
/// one of `cap` does before `deadline`; how many runs it took; and the
/// seconds from the start to that run's end.
fn search(
    which: Model,
    threads: usize,
    sched: Sched,
    seed: u64,
    cap: u64,
    deadline: Instant,
) -> (Option<u64>, u64, f64) {
    let found = Arc::new(AtomicBool::new(false));
    let stopped = Arc::new(OnceLock::new());
    let mut config = Config::new();
    config.silence_warnings = true; // every atomic here is SeqCst anyway
    let body = model(which, threads, Arc::clone(&found));
    let inner: Box<dyn Scheduler + Send> = match sched {
        Sched::Random => Box::new(RandomScheduler::new_from_seed(seed, cap as usize)),
        Sched::Pct(depth) => {
            Box::new(PctScheduler::new_from_seed(seed, depth, cap as usize))
        }
    };
    let scheduler = UntilFound {
        inner,
        found: Arc::clone(&found),
        deadline,
        stopped: Arc::clone(&stopped),
    };
    let start = Instant::now();
    let runs = Runner::new(scheduler, config).run(body) as u64;
    let end = stopped.get().copied().unwrap_or_else(Instant::now);
    let seconds = end.duration_since(start).as_secs_f64();
    (found.load(Ordering::Relaxed).then_some(runs), runs, seconds)
}

/// Searches with `seeds` seeds, at most `cap` runs each and `budget` for
/// the row; `progress` is told of each seed done.
pub fn measure(
    which: Model,
    threads: usize,
    sched: Sched,
    seeds: u64,
    cap: u64,
    budget: Duration,
    progress: &dyn Fn(),
) -> ShuttleRow {
    let start = Instant::now();
    let deadline = start + budget;
    let mut row = ShuttleRow {
        model: which,
        threads,
        scheduler: sched,
        first_failure: Vec::new(),
        search_seconds: Vec::new(),
        seeds_skipped: 0,
        cap,
        runs: 0,
        seconds: 0.0,
    };
    for seed in 0..seeds {
        if Instant::now() >= deadline {
            row.seeds_skipped += 1;
        } else {
            let (first, runs, seconds) =
                search(which, threads, sched, SEED_BASE + seed, cap, deadline);
            // A search the deadline cut short found nothing in fewer runs
            // than the cap: it does not count as a seed tried.
            if first.is_some() || runs >= cap {
                row.first_failure.push(first);
                row.search_seconds.push(seconds);
            } else {
                row.seeds_skipped += 1;
            }
            row.runs += runs;
        }
        progress();
    }
    row.seconds = start.elapsed().as_secs_f64();
    row
}

/// The first seed; each row tries `SEED_BASE`, `SEED_BASE + 1`, ...
pub const SEED_BASE: u64 = 0x00C0_FFEE;

/// What shuttle's schedulers read instead of the seed they are given.
pub const SEED_VARIABLE: &str = "SHUTTLE_RANDOM_SEED";
