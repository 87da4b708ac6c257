//! # Exercise 07 · Overhead: a worker pool on crossbeam channels
//!
//! Read first: the chapter "Overhead" (`book/src/07-overhead.md`;
//! `cargo xtask serve` shows the book).
//! Test your code: `cargo test -p exercise-07`
//! Measure it: `cargo xtask measure crossover --mine` (your pool beside the
//! reference and rayon), `cargo run --release -p exercise-07 --example overhead`
//! and `cargo bench -p exercise-07`
//! Stuck? `cargo xtask hint 07` gives a nudge, then a hint, then the solution.
//!
//! Starting a thread costs tens of microseconds. A *pool* pays that cost once:
//! it starts a fixed set of workers, and then hands them jobs through a
//! queue. You will build one on `crossbeam-channel`:
//!
//! 1. [`Pool::new`]: start the workers, each running [`worker_loop`] on the
//!    receiving end of one job queue.
//! 2. [`worker_loop`]: run jobs until the queue closes. A job that panics
//!    must not take its worker down with it.
//! 3. [`Pool::map`]: run one job per input and return the results *in the
//!    order of the inputs*, whatever order the jobs finish in. A job that
//!    panics gives an `Err` in its slot.
//! 4. `Drop for Pool`: a graceful shutdown. Close the queue, let the workers
//!    finish every job already queued, and join them all.
//!
//! [`Pool::execute`] (send one job) is given. So is the module [`overhead`]:
//! the things the chapter measures (spawn costs, memory per worker, and the
//! same batch of tasks run by thread-per-task, by your pool and by rayon).
//!
//! Write your code only between `// BEGIN YOUR CODE` and `// END YOUR CODE`.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::JoinHandle;

use crossbeam_channel::{Receiver, Sender};

#[path = "../../../exercises/exercise-07/src/overhead.rs"]
pub mod overhead;

/// One job for the pool: a closure that runs once, on some worker.
pub type Job = Box<dyn FnOnce() + Send + 'static>;

/// The report of a job of [`Pool::map`] that panicked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobPanicked {
    /// Which input it was (0 is the first).
    pub index: usize,
    /// The panic's message (see [`course_support::panic_message`]).
    pub message: String,
}

impl fmt::Display for JobPanicked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "job {} panicked: {}", self.index, self.message)
    }
}

impl std::error::Error for JobPanicked {}

// ANCHOR: pool
/// A fixed set of worker threads that take jobs from one queue.
pub struct Pool {
    /// The sending end of the job queue. `None` once the pool shuts down:
    /// dropping the last sender is what tells the workers to stop.
    jobs: Option<Sender<Job>>,
    /// One handle per worker thread, to join them on shutdown.
    workers: Vec<JoinHandle<()>>,
    /// How many jobs given to [`Pool::execute`] panicked.
    panicked: Arc<AtomicUsize>,
}
// ANCHOR_END: pool

impl Pool {
    // ANCHOR: new
    /// Starts a pool of `workers` threads, all waiting for jobs.
    ///
    /// Make one unbounded crossbeam channel of [`Job`]s. Keep the sender in
    /// the pool; give each worker thread a clone of the receiver (crossbeam
    /// receivers may be cloned: every job goes to exactly one of them) and a
    /// clone of the `panicked` counter, and run [`worker_loop`] on it.
    ///
    /// # Panics
    /// If `workers` is 0, or a thread cannot be started.
    pub fn new(workers: usize) -> Pool {
        assert!(workers >= 1, "a pool needs at least 1 worker, got 0");
        let panicked = Arc::new(AtomicUsize::new(0));
        // BEGIN YOUR CODE
        let (sender, receiver) = crossbeam_channel::unbounded::<Job>();
        let workers = (0..workers)
            .map(|i| {
                let receiver = receiver.clone();
                let panicked = Arc::clone(&panicked);
                std::thread::Builder::new()
                    .name(format!("pool-worker-{i}"))
                    .spawn(move || worker_loop(receiver, panicked))
                    .expect("cannot start a worker thread")
            })
            .collect();
        Pool {
            jobs: Some(sender),
            workers,
            panicked,
        }
        // END YOUR CODE
    }
    // ANCHOR_END: new

    /// How many worker threads the pool has.
    pub fn size(&self) -> usize {
        self.workers.len()
    }

    /// How many jobs given to [`Pool::execute`] have panicked so far. (The
    /// jobs of [`Pool::map`] report their panics in their results instead.)
    pub fn panicked_jobs(&self) -> usize {
        self.panicked.load(Ordering::SeqCst)
    }

    // ANCHOR: execute
    /// Queues one job; some worker will run it. Returns at once.
    pub fn execute<F>(&self, job: F)
    where
        F: FnOnce() + Send + 'static,
    {
        let jobs = self.jobs.as_ref().expect("the pool is shutting down");
        jobs.send(Box::new(job))
            .expect("every worker of the pool has stopped");
    }
    // ANCHOR_END: execute

    // ANCHOR: map
    /// Runs `f` on every input, one job per input, on the pool's workers, and
    /// returns the results in the order of `inputs`.
    ///
    /// * Jobs finish in any order: number them, have each send
    ///   `(index, result)` back on a channel of its own, and put each result
    ///   into its slot.
    /// * A job whose `f` panics gives `Err(JobPanicked { index, message })`
    ///   in its slot (catch the panic inside the job with
    ///   [`std::panic::catch_unwind`]); the other jobs are not affected.
    ///
    /// `f` is shared by all the jobs, so put it in an [`Arc`].
    pub fn map<T, R, F>(&self, inputs: Vec<T>, f: F) -> Vec<Result<R, JobPanicked>>
    where
        T: Send + 'static,
        R: Send + 'static,
        F: Fn(T) -> R + Send + Sync + 'static,
    {
        // BEGIN YOUR CODE
        let count = inputs.len();
        let f = Arc::new(f);
        let (results_tx, results_rx) = crossbeam_channel::unbounded();
        for (index, input) in inputs.into_iter().enumerate() {
            let f = Arc::clone(&f);
            let results = results_tx.clone();
            self.execute(move || {
                let outcome =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(input)))
                        .map_err(|payload| JobPanicked {
                            index,
                            message: course_support::panic_message(&*payload),
                        });
                // The receiver lives until every job has answered.
                let _ = results.send((index, outcome));
            });
        }
        // Only the jobs hold senders now: the loop below ends when the last
        // job has answered (or was dropped without answering).
        drop(results_tx);
        let mut slots: Vec<Option<Result<R, JobPanicked>>> =
            (0..count).map(|_| None).collect();
        for (index, outcome) in results_rx {
            slots[index] = Some(outcome);
        }
        slots
            .into_iter()
            .enumerate()
            .map(|(index, slot)| {
                slot.unwrap_or_else(|| {
                    Err(JobPanicked {
                        index,
                        message: "the job was lost before it answered".to_string(),
                    })
                })
            })
            .collect()
        // END YOUR CODE
    }
    // ANCHOR_END: map
}

// ANCHOR: worker_loop
/// One worker: takes jobs from `jobs` and runs them, until the queue is
/// closed (every sender dropped) and empty.
///
/// Run each job inside [`std::panic::catch_unwind`] (wrap it in
/// [`std::panic::AssertUnwindSafe`]), so that a panicking job ends only itself, not the
/// worker; count such a job in `panicked`.
pub fn worker_loop(jobs: Receiver<Job>, panicked: Arc<AtomicUsize>) {
    // BEGIN YOUR CODE
    // `for` on a receiver blocks for each job, and ends once the channel is
    // closed *and* empty: the jobs queued before shutdown all still run.
    for job in jobs {
        if std::panic::catch_unwind(std::panic::AssertUnwindSafe(job)).is_err() {
            panicked.fetch_add(1, Ordering::SeqCst);
        }
    }
    // END YOUR CODE
}
// ANCHOR_END: worker_loop

// ANCHOR: drop
impl Drop for Pool {
    /// A graceful shutdown: every job already queued still runs, and every
    /// worker thread has ended when this returns.
    ///
    /// Drop the sender first (take it out of `self.jobs`), so that the
    /// workers see the queue close once it is empty; then join each worker.
    fn drop(&mut self) {
        // BEGIN YOUR CODE
        drop(self.jobs.take());
        for worker in self.workers.drain(..) {
            // A worker never panics (it catches its jobs' panics), so an
            // error here has nothing left to report.
            let _ = worker.join();
        }
        // END YOUR CODE
    }
}
// ANCHOR_END: drop
