//! The one shuttle driver of the exercises (03, 04 and 06), and the one
//! text that tells a learner how to replay what shuttle found.
//!
//! loom ([`crate::loom_model`]) tries *every* interleaving, but only of a
//! few threads: at most 5, the main one included (`MAX_THREADS` in loom
//! 0.7.2's `src/rt/mod.rs`). shuttle tries a *sample* of schedules, but of
//! many threads: each model here runs with 8 and 16. It runs a model
//! [`RUNS`] times under each of two schedulers, with a fixed seed, so every
//! run of a test tries the same schedules:
//!
//! * random: at every atomic operation or lock call, a random thread goes on;
//! * PCT (probabilistic concurrency testing): random priorities, the highest
//!   runnable thread goes on, and [`PCT_DEPTH`] - 1 random points lower one.
//!
//! What shuttle cannot see is weak memory: it treats every atomic as
//! `SeqCst` (shuttle-std 0.1.5, `src/sync/atomic/mod.rs`: "Shuttle models
//! *all* atomic operations as if they were using SeqCst ordering"; a `load`
//! reads the one current value). A bug that needs a stale read is loom's.
//!
//! A model is a function of the thread count that returns the closure
//! shuttle runs. [`Suite::verify`] wants every schedule to pass (the
//! learner's code), [`Suite::catches`] wants each (thread count, scheduler)
//! pair to find the bug (a known wrong answer), [`Suite::misses`] wants none
//! to find it (a bug that only loom can see). A failure prints shuttle's
//! schedule and the command that replays it ([`REPLAY`], [`REPLAY_THREADS`]).

use std::fmt;
use std::panic;

use shuttle::scheduler::{PctScheduler, RandomScheduler, ReplayScheduler};
use shuttle::{Config, Runner};

use crate::is_todo;
use crate::text::{indented, paragraphs};

/// The thread counts of every model: more than loom can run.
pub const THREADS: [usize; 2] = [8, 16];
/// Schedules tried per scheduler and thread count.
pub const RUNS: usize = 500;
/// PCT's depth: a schedule has `PCT_DEPTH - 1` priority changes.
pub const PCT_DEPTH: usize = 6;
/// Set to a schedule that shuttle printed, it replays that one schedule.
pub const REPLAY: &str = "SHUTTLE_REPLAY";
/// With [`REPLAY`]: the thread count of the schedule (8 if unset).
pub const REPLAY_THREADS: &str = "SHUTTLE_THREADS";
/// How shuttle's message starts when every thread is blocked, or when a
/// thread locks a `Mutex` it already holds.
pub const DEADLOCK: &str = "deadlock!";

/// Which of shuttle's schedulers picks the schedules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheduler {
    Pct,
    Random,
    /// The one schedule in [`REPLAY`].
    Replay,
}

impl fmt::Display for Scheduler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Scheduler::Pct => "its PCT scheduler",
            Scheduler::Random => "its random scheduler",
            Scheduler::Replay => "the replayed schedule",
        })
    }
}

/// Every (thread count, scheduler) pair to run; when replaying, only the
/// thread count of the failing schedule ([`REPLAY_THREADS`]), once.
pub fn runs() -> Vec<(usize, Scheduler)> {
    if std::env::var_os(REPLAY).is_some() {
        let threads = std::env::var(REPLAY_THREADS)
            .ok()
            .and_then(|n| n.trim().parse().ok());
        return vec![(threads.unwrap_or(THREADS[0]), Scheduler::Replay)];
    }
    let both = [Scheduler::Pct, Scheduler::Random];
    THREADS.iter().flat_map(|&n| both.map(|s| (n, s))).collect()
}

/// Fails the test with `message`. Not by `panic!`: shuttle's panic hook,
/// once installed, would print a bogus "failing schedule" for a panic
/// outside shuttle.
pub fn fail(message: String) -> ! {
    eprintln!("{message}");
    panic::resume_unwind(Box::new(message))
}

/// One exercise's shuttle test binary: where to replay its models, which
/// chapter explains them, and the seed of its schedules.
#[derive(Clone, Copy, Debug)]
pub struct Suite {
    /// The package, `env!("CARGO_PKG_NAME")`.
    pub package: &'static str,
    /// The test target, `env!("CARGO_CRATE_NAME")` (`shuttle`).
    pub target: &'static str,
    /// The sentence that ends every message: "Read chapter 03, ...".
    pub chapter: &'static str,
    /// The seed of both schedulers.
    pub seed: u64,
}

impl Suite {
    /// Runs `model` [`RUNS`] times under `scheduler` (once for
    /// [`Scheduler::Replay`]), and returns the message of the first
    /// schedule that panicked, if any (a deadlock's blocked threads one per
    /// line).
    ///
    /// Every panic prints as usual, after shuttle's failing schedule: when
    /// one thread panics while it holds a lock, the next one to take it
    /// panics on the poisoned lock, and shuttle reports *that* panic; the
    /// first one, printed above it, is the cause.
    pub fn explore(
        &self,
        scheduler: Scheduler,
        model: impl Fn() + Send + Sync + 'static,
    ) -> Result<(), String> {
        let mut config = Config::new();
        // Its warning about orderings other than SeqCst: the chapters say it.
        config.silence_warnings = true;
        let seed = self.seed;
        let run = move || match scheduler {
            Scheduler::Random => {
                let random = RandomScheduler::new_from_seed(seed, RUNS);
                Runner::new(random, config).run(model);
            }
            Scheduler::Pct => {
                let pct = PctScheduler::new_from_seed(seed, PCT_DEPTH, RUNS);
                Runner::new(pct, config).run(model);
            }
            Scheduler::Replay => {
                // shuttle wraps a long schedule over several lines: join them.
                let schedule: String = std::env::var(REPLAY)
                    .unwrap_or_default()
                    .split(|c: char| c.is_whitespace() || c == '"')
                    .collect();
                let replay = ReplayScheduler::new_from_encoded(&schedule);
                Runner::new(replay, config).run(model);
            }
        };
        // Quietly: the message comes once, in the failure below, not also
        // from the panic hook (shuttle still prints its schedule).
        crate::catch_quietly(run)
            .map_err(|caught| one_blocked_thread_a_line(&caught.message))
    }

    /// How to replay the schedule that failed with `threads` threads.
    pub fn replay_help(&self, threads: usize) -> String {
        // libtest names each test's thread after the test's full path.
        let current = std::thread::current();
        let test = current.name().unwrap_or("NAME_OF_THE_TEST");
        format!(
            "To replay exactly that schedule, copy the string that shuttle printed above, \
             between the quotes after the last `failing schedule:` (all of its lines), \
             and run:\n\n    {REPLAY_THREADS}={threads} {REPLAY}='<that string>' cargo test \
             -p {} --test {} {test} -- --exact",
            self.package, self.target
        )
    }

    /// For the learner's code: no schedule may fail, at any thread count,
    /// under either scheduler. `advice(message)` is the exercise's hint for
    /// a failure with that message ("" for none).
    pub fn verify<M, A>(&self, what: &str, advice: A, model: impl Fn(usize) -> M)
    where
        M: Fn() + Send + Sync + 'static,
        A: Fn(&str) -> String,
    {
        let chapter = self.chapter;
        for (threads, scheduler) in runs() {
            let Err(message) = self.explore(scheduler, model(threads)) else {
                continue;
            };
            if message.lines().any(is_todo) {
                fail(format!(
                    "{what} is not written yet: shuttle's model reached a `todo!()`:\n\n{}\n\n\
                     {chapter}",
                    indented(&message)
                ));
            }
            let poisoned = if message.contains("PoisonError") {
                "Another thread panicked first, while it held that lock: its panic is \
                 printed above, under `test panicked in task`."
            } else {
                ""
            };
            fail(paragraphs(&[
                &format!(
                    "shuttle found a schedule of {threads} threads in which {what} goes wrong \
                     ({scheduler}):\n\n{}",
                    indented(&message)
                ),
                &advice(&message),
                poisoned,
                "shuttle runs many threads (8 and 16 here, where loom stops at 5), each time \
                 in another random order, so it finds bugs that need many threads at once, \
                 though not with certainty.",
                &self.replay_help(threads),
                chapter,
            ]));
        }
    }

    /// For a known wrong answer (`what`): every (thread count, scheduler)
    /// pair must find a schedule whose panic message `caught` accepts.
    pub fn catches<M>(
        &self,
        what: &str,
        caught: impl Fn(&str) -> bool,
        model: impl Fn(usize) -> M,
    ) where
        M: Fn() + Send + Sync + 'static,
    {
        self.catches_under(&[Scheduler::Pct, Scheduler::Random], what, caught, model);
    }

    /// [`Suite::catches`], with only these schedulers: for a bug that one
    /// of them finds too rarely to count on (the caller says why).
    pub fn catches_under<M>(
        &self,
        schedulers: &[Scheduler],
        what: &str,
        caught: impl Fn(&str) -> bool,
        model: impl Fn(usize) -> M,
    ) where
        M: Fn() + Send + Sync + 'static,
    {
        let chapter = self.chapter;
        for (threads, scheduler) in runs() {
            if scheduler != Scheduler::Replay && !schedulers.contains(&scheduler) {
                continue;
            }
            match self.explore(scheduler, model(threads)) {
                Err(found) if caught(&found) => {}
                Err(found) => fail(format!(
                    "shuttle no longer catches {what} as it should: with {threads} threads, \
                     {scheduler} found another failure:\n\n{}\n\n{chapter}",
                    indented(&found)
                )),
                Ok(()) => fail(format!(
                    "shuttle did NOT catch {what}: {RUNS} schedules of {threads} threads \
                     ({scheduler}) all passed. The model has become too weak to find this \
                     bug. {chapter}"
                )),
            }
        }
    }

    /// For a bug that shuttle cannot see (`what`), and `why`: no schedule
    /// may fail, at any thread count, under either scheduler.
    pub fn misses<M>(&self, what: &str, why: &str, model: impl Fn(usize) -> M)
    where
        M: Fn() + Send + Sync + 'static,
    {
        for (threads, scheduler) in runs() {
            if let Err(found) = self.explore(scheduler, model(threads)) {
                fail(format!(
                    "shuttle caught {what}, which it should not be able to see: {why}\n\
                     With {threads} threads, {scheduler} found:\n\n{}\n\n\
                     If shuttle now models this, the chapter and this test must say so. {}",
                    indented(&found),
                    self.chapter
                ));
            }
        }
    }
}

/// shuttle's deadlock message, `deadlock! blocked tasks: [a (task a(0)),
/// b (task b(1), pending future)]`, with one blocked thread's name a line.
fn one_blocked_thread_a_line(message: &str) -> String {
    let Some(mut rest) = message
        .strip_prefix("deadlock! blocked tasks: [")
        .and_then(|rest| rest.strip_suffix(']'))
    else {
        return message.to_string();
    };
    let mut names = Vec::new();
    while let Some((name, after)) = rest.split_once(" (task ") {
        names.push(name);
        // Past the `)` that closes `(task `: the next name follows `, `.
        let mut depth = 1;
        let end = after.find(|c| {
            depth += match c {
                '(' => 1,
                ')' => -1,
                _ => 0,
            };
            depth == 0
        });
        let Some(end) = end else { break };
        rest = after[end + 1..].trim_start_matches(", ");
    }
    if names.is_empty() {
        return message.to_string();
    }
    format!(
        "{DEADLOCK} every thread is blocked, waiting for another:\n  {}",
        names.join("\n  ")
    )
}

#[cfg(test)]
mod tests;
