//! Faults across processes: a supervisor of worker processes.
//!
//! Each worker (`src/main.rs`) answers jobs one at a time, one line each way.
//! A job may crash its worker or never answer. The supervisor notices, gets
//! rid of that worker, and tries the job again on a fresh one, up to
//! [`Config::retries`] times. Every job ends up in the [`Report`] exactly
//! once: done, with its value, or failed, with every fault it met.

use std::fmt;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::thread;
use std::time::Duration;

use crossbeam_channel::{Receiver, RecvTimeoutError, unbounded};

use crate::jobs::{Job, parse_answer, request};

/// How to start a worker: a program and its arguments. It is the course's
/// one `Program`, from `course-support`: plumbing, not this lesson (you
/// build the supervisor that restarts what it starts).
pub use course_support::worker::Program;

/// How the supervisor works.
#[derive(Debug, Clone)]
pub struct Config {
    /// How many worker processes run at the same time.
    pub workers: usize,
    /// How long a worker may take to answer one job before it counts as hung.
    pub timeout: Duration,
    /// How many times a failed job is tried again, each time on a fresh
    /// worker. A job is tried at most `retries + 1` times in all.
    pub retries: u32,
}

/// Why one attempt at a job failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// The worker could not be started (the job never ran).
    CannotStart(String),
    /// The worker ended without answering: a crash, a signal or an exit.
    /// `stderr` is what it wrote to its standard error, trimmed.
    Crashed { status: ExitStatus, stderr: String },
    /// The worker did not answer within the timeout; it was killed.
    Hung { after: Duration },
    /// The worker answered something that is not `ok <id> <value>` for this
    /// job; it was killed.
    BadAnswer(String),
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fault::CannotStart(why) => write!(f, "cannot start a worker: {why}"),
            Fault::Crashed { status, stderr } => match stderr.lines().last() {
                Some(line) => write!(f, "the worker died ({status}): {line}"),
                None => write!(f, "the worker died ({status})"),
            },
            Fault::Hung { after } => {
                write!(f, "no answer within {after:?}: the worker was killed")
            }
            Fault::BadAnswer(line) => write!(f, "the worker answered {line:?}"),
        }
    }
}

/// A job that finished.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Done {
    pub id: u64,
    pub value: u64,
    /// On which try it succeeded: 1 is the first.
    pub attempts: u32,
}

/// A job that failed on every try.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failed {
    pub id: u64,
    /// One fault per try, in order.
    pub faults: Vec<Fault>,
}

/// Every job, exactly once: in `done` or in `failed`, each sorted by id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub done: Vec<Done>,
    pub failed: Vec<Failed>,
}

/// One running worker process, with a thread that reads its answers.
#[derive(Debug)]
pub struct WorkerProcess {
    child: Child,
    stdin: ChildStdin,
    /// The worker's answers, one line each. Disconnects when the worker's
    /// stdout closes: it exited, crashed, or was killed.
    answers: Receiver<String>,
}

impl WorkerProcess {
    /// Starts a worker. Its stderr is kept, for [`WorkerProcess::reap`].
    pub fn start(program: &Program) -> io::Result<WorkerProcess> {
        let mut child = Command::new(&program.path)
            .args(&program.args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        let stdin = child.stdin.take().expect("stdin is piped");
        let stdout = child.stdout.take().expect("stdout is piped");
        let (lines, answers) = unbounded();
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if lines.send(line).is_err() {
                    break;
                }
            }
        });
        Ok(WorkerProcess {
            child,
            stdin,
            answers,
        })
    }

    /// The worker's process id.
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// Sends one request line. An error means the worker is gone.
    pub fn send(&mut self, line: &str) -> io::Result<()> {
        writeln!(self.stdin, "{line}")?;
        self.stdin.flush()
    }

    /// Where the worker's answers arrive, one line each.
    pub fn answers(&self) -> &Receiver<String> {
        &self.answers
    }

    /// Waits for the worker to end (it has ended, or is ending), and returns
    /// its exit status and its stderr, trimmed.
    pub fn reap(self) -> (ExitStatus, String) {
        let WorkerProcess {
            mut child, stdin, ..
        } = self;
        drop(stdin);
        let status = child.wait().expect("wait for a worker");
        let mut stderr = String::new();
        if let Some(mut pipe) = child.stderr.take() {
            let _ = pipe.read_to_string(&mut stderr);
        }
        (status, stderr.trim().to_string())
    }

    /// Kills the worker at once (SIGKILL on Unix), and reaps it.
    pub fn kill(mut self) -> (ExitStatus, String) {
        let _ = self.child.kill();
        self.reap()
    }

    /// Ends a healthy worker: closes its stdin, so that it exits, and reaps it.
    pub fn close(self) -> (ExitStatus, String) {
        self.reap()
    }

    // ANCHOR: ask
    /// Runs `job` (try number `attempt`, from 0) on this worker and waits at
    /// most `timeout` for its answer.
    ///
    /// * An answer `ok <id> <value>` for this job: `Ok((self, value))`, the
    ///   worker is handed back for the next job.
    /// * No answer within `timeout`: the worker is killed and reaped, `Err(Fault::Hung)`.
    /// * The answers disconnect (the worker died) or the request cannot be
    ///   sent: the worker is reaped, `Err(Fault::Crashed)` with its status and stderr.
    /// * Any other answer: the worker is killed, `Err(Fault::BadAnswer)`.
    ///
    /// On every `Err`, the worker process is gone: no process is left behind.
    pub fn ask(
        mut self,
        job: &Job,
        attempt: u32,
        timeout: Duration,
    ) -> Result<(WorkerProcess, u64), Fault> {
        // BEGIN YOUR CODE
        // TODO: send `request(job, attempt)` with `self.send`. Then wait for one
        //       answer with `self.answers.recv_timeout(timeout)`:
        //       - Ok(line): `parse_answer(&line)`; for this job's id return
        //         Ok((self, value)); otherwise `self.kill()` and Err(BadAnswer).
        //       - Timeout: `self.kill()` (it might answer later!), Err(Hung).
        //       - Disconnected (or a failed send): `self.reap()`, Err(Crashed).
        let _ = RecvTimeoutError::Timeout;
        todo!(
            "exercise 10: write `WorkerProcess::ask` (chapter 10, book/src/10-fault-isolation.md)"
        )
        // END YOUR CODE
    }
    // ANCHOR_END: ask
}

// ANCHOR: supervise
/// Runs every job in worker processes started from `program`, with
/// `config.workers` workers at a time, and reports each job exactly once.
///
/// * A worker serves job after job, as long as it stays healthy.
/// * When an attempt fails ([`WorkerProcess::ask`] returns a [`Fault`]), the
///   job is tried again, on a fresh worker, until it succeeds or has failed
///   `config.retries + 1` times.
/// * Returns when every job is done or failed, and every worker has ended.
pub fn supervise(program: &Program, jobs: Vec<Job>, config: &Config) -> Report {
    // BEGIN YOUR CODE
    // TODO: put every job in a channel (`unbounded()`) and drop its sender.
    //       In `thread::scope`, start `config.workers` threads. Each keeps an
    //       `Option<WorkerProcess>`, takes jobs from the queue, and for each job
    //       tries up to `config.retries + 1` times: reuse its worker or
    //       `WorkerProcess::start` a fresh one (an error is Fault::CannotStart),
    //       then `ask`. Ok: keep the worker, the job is Done. Err: note the
    //       fault; the worker is gone, so the next try starts a fresh one.
    //       Send each outcome (Done or Failed) on a second channel; at the end,
    //       `close` the thread's worker. Collect the outcomes into a Report
    //       sorted by id.
    todo!("exercise 10: write `supervise` (chapter 10, book/src/10-fault-isolation.md)")
    // END YOUR CODE
}
// ANCHOR_END: supervise

// ANCHOR: thread_pool
/// The same jobs on a pool of `workers` threads in *this* process, for
/// comparison. A panic is caught and fails only its job. Only `crunch` and
/// `panic` can run here: the other faults would take the whole process down,
/// so they are refused.
pub fn thread_pool(jobs: Vec<Job>, workers: usize) -> Report {
    use crate::jobs::{Task, crunch};
    let (queue, next_jobs) = unbounded();
    jobs.into_iter()
        .for_each(|job| queue.send(job).expect("the queue is open"));
    drop(queue);
    let (outcomes, reports) = unbounded::<Result<Done, Failed>>();
    thread::scope(|scope| {
        for _ in 0..workers.max(1) {
            let (next_jobs, outcomes) = (next_jobs.clone(), outcomes.clone());
            scope.spawn(move || {
                for job in next_jobs {
                    let outcome = match job.task {
                        Task::Crunch(n) => Ok(crunch(n)),
                        Task::Panic => std::panic::catch_unwind(|| -> u64 {
                            panic!("job {} panics on purpose", job.id)
                        })
                        .map_err(|p| crate::isolation::panic_text(&*p)),
                        other => {
                            Err(format!("`{other}` would take this whole process down"))
                        }
                    };
                    let _ = outcomes.send(match outcome {
                        Ok(value) => Ok(Done {
                            id: job.id,
                            value,
                            attempts: 1,
                        }),
                        Err(why) => Err(Failed {
                            id: job.id,
                            faults: vec![Fault::BadAnswer(why)],
                        }),
                    });
                }
            });
        }
    });
    drop(outcomes);
    let mut report = Report::default();
    for outcome in reports {
        match outcome {
            Ok(done) => report.done.push(done),
            Err(failed) => report.failed.push(failed),
        }
    }
    report.done.sort_by_key(|d| d.id);
    report.failed.sort_by_key(|f| f.id);
    report
}
// ANCHOR_END: thread_pool
