//! Tests for exercise 07. The reference solution runs this very file too.
//!
//! They check what the pool *does*, never how fast: which threads ran the
//! jobs, what order the results come back in, what is left running after
//! `drop`. Jobs coordinate through barriers and channels, never through
//! sleeps, and anything that could hang runs under a watchdog.

use std::cell::RefCell;
use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use std::thread::{self, ThreadId};
use std::time::Duration;

use crossbeam_channel::{Sender, bounded, unbounded};
use exercise_07::{JobPanicked, Pool, overhead};

const CHAPTER: &str = "Read chapter 07, \"Overhead\" (book/src/07-overhead.md).";

fn watch<T: Send + 'static>(
    what: &str,
    hint: &str,
    work: impl FnOnce() -> T + Send + 'static,
) -> T {
    course_support::watchdog(Duration::from_secs(20), what, hint, work)
}

/// Runs `jobs` jobs that each wait at one barrier until all of them have
/// arrived: it returns only if the pool runs `jobs` jobs at the same time.
fn all_at_once(pool: &Pool, jobs: usize) -> Vec<Result<ThreadId, JobPanicked>> {
    let barrier = Arc::new(Barrier::new(jobs));
    pool.map((0..jobs).collect(), move |_: usize| {
        barrier.wait();
        thread::current().id()
    })
}

const FEWER_WORKERS: &str = "fewer workers than asked for are taking jobs: does `new` start `workers` threads, \
     and does each keep taking jobs (a worker that returns or panics is gone for good)?";

#[test]
fn map_returns_every_result_in_the_order_of_the_inputs() {
    let results = watch("Pool::map", FEWER_WORKERS, || {
        let pool = Pool::new(3);
        pool.map((0..100u64).collect(), |x| x * x)
    });
    let expected: Vec<Result<u64, JobPanicked>> =
        (0..100u64).map(|x| Ok(x * x)).collect();
    assert_eq!(
        results, expected,
        "map(0..100, x * x) gave wrong results. {CHAPTER}"
    );
}

#[test]
fn map_of_nothing_is_empty() {
    let results = watch(
        "Pool::map on no inputs",
        "with no inputs there is nothing to wait for",
        || {
            let pool = Pool::new(2);
            pool.map(Vec::<u64>::new(), |x| x)
        },
    );
    assert!(
        results.is_empty(),
        "map of no inputs gave {results:?}. {CHAPTER}"
    );
}

#[test]
fn results_come_back_in_submission_order_even_when_jobs_finish_in_reverse() {
    const JOBS: usize = 4;
    let results = watch(
        "Pool::map with jobs that finish in reverse order",
        "job i waits until job i + 1 has finished, so all 4 jobs must run at once on a pool of 4",
        || {
            let pool = Pool::new(JOBS);
            let (started_tx, started_rx) = unbounded::<usize>();
            let gates: Vec<(Sender<()>, _)> =
                (0..JOBS).map(|_| bounded::<()>(1)).collect();
            let waits: Vec<_> = gates.iter().map(|(_, rx)| rx.clone()).collect();
            thread::scope(|scope| {
                let pool = &pool;
                let mapping = scope.spawn(move || {
                    pool.map((0..JOBS).collect(), move |i: usize| {
                        started_tx.send(i).unwrap();
                        waits[i].recv().unwrap();
                        i * 10
                    })
                });
                // All jobs are running, so the queue is empty now.
                for _ in 0..JOBS {
                    started_rx.recv().unwrap();
                }
                for i in (0..JOBS).rev() {
                    gates[i].0.send(()).unwrap();
                    // Only job i's worker is free: this probe runs on it once
                    // job i (its result sent back included) is completely done.
                    let (probe_tx, probe_rx) = bounded(1);
                    pool.execute(move || probe_tx.send(()).unwrap());
                    probe_rx.recv().unwrap();
                }
                mapping.join().unwrap()
            })
        },
    );
    let expected: Vec<Result<usize, JobPanicked>> =
        (0..JOBS).map(|i| Ok(i * 10)).collect();
    assert_eq!(
        results, expected,
        "the jobs finished in the order 3, 2, 1, 0, and map returned them in that order: results must \
         come back in the order of the inputs. Send each job's index with its result. {CHAPTER}"
    );
}

#[test]
fn a_fixed_set_of_workers_runs_every_job() {
    let (threads, together) = watch("Pool::map on a pool of 3", FEWER_WORKERS, || {
        let pool = Pool::new(3);
        assert_eq!(pool.size(), 3, "Pool::new(3).size(). {CHAPTER}");
        let threads = pool.map((0..60).collect(), |_: u32| thread::current().id());
        let together = all_at_once(&pool, 3);
        (threads, together)
    });
    let me = thread::current().id();
    let mut distinct = HashSet::new();
    for thread in threads.into_iter().chain(together) {
        let thread = thread.unwrap_or_else(|e| {
            panic!("a job that does not panic reported {e}. {CHAPTER}")
        });
        distinct.insert(thread);
    }
    assert!(
        !distinct.contains(&me),
        "a job ran on the caller's thread, not on a worker. {CHAPTER}"
    );
    assert_eq!(
        distinct.len(),
        3,
        "63 jobs on a pool of 3 ran on {} different threads: a pool starts its workers once, and they \
         run every job (a new thread per job is what the pool is there to avoid). {CHAPTER}",
        distinct.len()
    );
}

#[test]
fn a_panicking_job_is_reported_and_the_pool_keeps_working() {
    let (results, together) =
        watch("Pool::map with a panicking job", FEWER_WORKERS, || {
            let pool = Pool::new(2);
            let results = pool.map(vec![1, 2, 3, 4], |x: u32| {
                if x == 2 {
                    panic!("job two broke");
                }
                x * 100
            });
            // Both workers must still be there.
            let together = all_at_once(&pool, 2);
            (results, together)
        });
    assert_eq!(results[0], Ok(100), "the job before the panic. {CHAPTER}");
    match &results[1] {
        Err(JobPanicked { index, message }) => {
            assert_eq!(
                *index, 1,
                "JobPanicked.index is the input's position. {CHAPTER}"
            );
            assert_eq!(
                message, "job two broke",
                "JobPanicked.message is the panic's own message. {CHAPTER}"
            );
        }
        other => panic!(
            "the panicking job should give Err(JobPanicked), not {other:?}. {CHAPTER}"
        ),
    }
    assert_eq!(
        &results[2..],
        &[Ok(300), Ok(400)],
        "the jobs after the panic. {CHAPTER}"
    );
    assert!(
        together.iter().all(Result::is_ok),
        "jobs after the panic failed: {together:?}. {CHAPTER}"
    );
}

#[test]
fn a_job_that_panics_does_not_kill_its_worker() {
    let (panicked, together) = watch(
        "a pool after two panicking jobs",
        "a job panicked and its worker stopped taking jobs: run each job inside `std::panic::catch_unwind`",
        || {
            let pool = Pool::new(2);
            // Each worker that runs one of these dies, unless it catches the panic.
            pool.execute(|| panic!("first execute job broke"));
            pool.execute(|| panic!("second execute job broke"));
            // These need both workers at once, after both panics.
            let together = all_at_once(&pool, 2);
            (pool.panicked_jobs(), together)
        },
    );
    assert!(
        together.iter().all(Result::is_ok),
        "jobs after the panics failed: {together:?}. {CHAPTER}"
    );
    assert_eq!(
        panicked, 2,
        "panicked_jobs() after 2 panicking `execute` jobs: count them in `worker_loop`. {CHAPTER}"
    );
}

/// Sends this thread's id on `exits` when the thread ends (a thread-local's
/// destructor runs as its thread exits).
struct ExitNotice {
    exits: Sender<ThreadId>,
    thread: ThreadId,
}

impl Drop for ExitNotice {
    fn drop(&mut self) {
        let _ = self.exits.send(self.thread);
    }
}

thread_local! {
    static EXIT_NOTICE: RefCell<Option<ExitNotice>> = const { RefCell::new(None) };
}

fn notify_exit(exits: &Sender<ThreadId>) {
    EXIT_NOTICE.with(|notice| {
        notice.borrow_mut().get_or_insert_with(|| ExitNotice {
            exits: exits.clone(),
            thread: thread::current().id(),
        });
    });
}

/// How long each of the first jobs keeps its worker busy. It is not needed
/// for a right answer (`drop` must wait however long the jobs take); it
/// makes a `drop` that returns too early show up.
const HOLD: Duration = Duration::from_millis(300);

#[test]
fn dropping_the_pool_runs_every_queued_job_and_joins_its_workers() {
    let (done, exited) = watch(
        "dropping a pool with queued jobs",
        "does `drop` drop the sender *before* joining? A worker waits for jobs until every sender is gone.",
        || {
            let pool = Pool::new(2);
            let done = Arc::new(AtomicUsize::new(0));
            let (exits_tx, exits_rx) = unbounded();
            let (started_tx, started_rx) = unbounded();
            let (_hold_tx, hold_rx) = unbounded::<()>();
            for _ in 0..2 {
                let (exits_tx, started_tx, hold_rx) =
                    (exits_tx.clone(), started_tx.clone(), hold_rx.clone());
                pool.execute(move || {
                    notify_exit(&exits_tx);
                    started_tx.send(()).unwrap();
                    let _ = hold_rx.recv_timeout(HOLD);
                });
            }
            // Both workers are busy: the next 40 jobs wait in the queue.
            started_rx.recv().unwrap();
            started_rx.recv().unwrap();
            for _ in 0..40 {
                let (done, exits_tx) = (Arc::clone(&done), exits_tx.clone());
                pool.execute(move || {
                    notify_exit(&exits_tx);
                    done.fetch_add(1, Ordering::SeqCst);
                });
            }
            drop(pool);
            let done = done.load(Ordering::SeqCst);
            let exited: HashSet<ThreadId> = exits_rx.try_iter().collect();
            (done, exited.len())
        },
    );
    assert_eq!(
        done, 40,
        "when drop returned, {done} of the 40 queued jobs had run: a graceful shutdown lets the workers \
         finish the queue, and waits for them. {CHAPTER}"
    );
    assert_eq!(
        exited,
        2,
        "when drop returned, {} of the 2 worker threads were still running: join every worker in `drop`. \
         {CHAPTER}",
        2 - exited
    );
}

#[test]
fn a_pool_can_be_shared_by_threads() {
    let sums = watch("Pool::map from 4 threads at once", FEWER_WORKERS, || {
        let pool = Pool::new(2);
        let sums = Mutex::new(Vec::new());
        thread::scope(|scope| {
            for t in 0..4u64 {
                let (pool, sums) = (&pool, &sums);
                scope.spawn(move || {
                    let results =
                        pool.map((0..50).map(|i| t * 1000 + i).collect(), |x: u64| x);
                    let sum: u64 = results.into_iter().map(Result::unwrap).sum();
                    sums.lock().unwrap().push((t, sum));
                });
            }
        });
        let mut sums = sums.into_inner().unwrap();
        sums.sort();
        sums
    });
    let expected: Vec<(u64, u64)> = (0..4)
        .map(|t| (t, (0..50).map(|i| t * 1000 + i).sum()))
        .collect();
    assert_eq!(
        sums, expected,
        "each caller of map gets its own results, and only those. {CHAPTER}"
    );
}

#[test]
fn with_pool_gives_the_sequential_answer() {
    let (pool_answer, sequential) = watch("overhead::with_pool", FEWER_WORKERS, || {
        let pool = Pool::new(2);
        (
            overhead::with_pool(&pool, 50, 1_000),
            overhead::sequential(50, 1_000),
        )
    });
    assert_eq!(
        pool_answer, sequential,
        "the batch through your pool. {CHAPTER}"
    );
}

#[test]
fn the_given_variants_agree() {
    let sequential = overhead::sequential(20, 500);
    assert_eq!(
        overhead::thread_per_task(20, 500),
        sequential,
        "thread_per_task. {CHAPTER}"
    );
    assert_eq!(
        overhead::with_rayon(20, 500),
        sequential,
        "with_rayon. {CHAPTER}"
    );
}

#[test]
fn the_worker_program_answers_a_ping() {
    let worker = course_support::worker::Program::new(env!(concat!(
        "CARGO_BIN_EXE_",
        env!("CARGO_PKG_NAME")
    )));
    let outcome = watch("the worker program", "", move || {
        overhead::spawn_wait_process(&worker)
    });
    outcome.unwrap_or_else(|e| panic!("the worker program: {e}. {CHAPTER}"));
}
