//! # Exercise 10 · Fault isolation: panics, poisoning and a supervisor
//!
//! Read first: the chapter "Fault isolation" (`book/src/10-fault-isolation.md`;
//! `cargo xtask serve` shows the book).
//! Test your code: `cargo test -p exercise-10`
//! Stuck? `cargo xtask hint 10` gives a nudge, then a hint, then the solution.
//!
//! What does a failure take down with it? You will write:
//!
//! 1. [`isolation::run_isolated`] (`src/isolation.rs`): run jobs on threads
//!    so that a panic fails only its own job.
//! 2. [`isolation::lock_recovering`]: take a lock that a panicking thread
//!    poisoned, check the data behind it, and repair it if needed.
//! 3. [`supervisor::WorkerProcess::ask`] and [`supervisor::supervise`]
//!    (`src/supervisor.rs`): run jobs in worker processes (`src/worker.rs`),
//!    notice a crash or a hang, retry the job on a fresh worker, and report
//!    every job exactly once.
//!
//! Write your code only between `// BEGIN YOUR CODE` and `// END YOUR CODE`.

pub mod isolation;
#[path = "../../../exercises/exercise-10/src/jobs.rs"]
pub mod jobs;
pub mod supervisor;
#[path = "../../../exercises/exercise-10/src/worker.rs"]
pub mod worker;
