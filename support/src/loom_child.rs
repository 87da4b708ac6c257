//! Runs one test of the current test binary again, in a child process.
//!
//! Why: when loom finds a deadlock it panics with `deadlock; threads = ...`,
//! and the lock guards it unwinds through panic again, which aborts the whole
//! process. No `#[should_panic]` or `catch_unwind` survives an abort. So a
//! model that may deadlock is an `#[ignore]`d test, and a normal test runs it
//! in a child process (the test binary itself, `NAME --exact --ignored`) and
//! reads what happened from the child's exit status and output.
//!
//! This is plumbing, not the lesson of any exercise.
//!
//! ```no_run
//! use std::time::Duration;
//! use course_support::loom_child::{run_ignored_test, Outcome};
//!
//! #[test]
//! #[ignore = "run in a child process by `opposite_transfers`"]
//! fn opposite_transfers_model() {
//!     // loom::model(...) that may deadlock
//! }
//!
//! #[test]
//! fn opposite_transfers() {
//!     let run = run_ignored_test(module_path!(), "opposite_transfers_model", Duration::from_secs(60));
//!     assert_eq!(run.outcome, Outcome::Passed, "{}", run.report());
//! }
//! ```

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What loom prints when every thread of a model is blocked.
pub const LOOM_DEADLOCK: &str = "deadlock; threads =";

/// Set in the child, so that a child never starts children of its own.
const IN_CHILD: &str = "COURSE_SUPPORT_LOOM_CHILD";

/// Set in the child: the name of the parent's test.
pub const PARENT_TEST: &str = "COURSE_SUPPORT_PARENT_TEST";

/// How the child's one test ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The test passed.
    Passed,
    /// loom reported a deadlock (and the child aborted).
    Deadlocked,
    /// The test failed some other way: an assertion, a panic, a crash.
    Failed,
    /// The child was still running after the time limit, and was killed.
    TimedOut,
}

/// The result of [`run_ignored_test`].
#[derive(Debug)]
pub struct ChildRun {
    /// The test's full name inside the test binary, e.g. `models::opposite_transfers`.
    pub test: String,
    pub outcome: Outcome,
    /// How long the child was given.
    pub limit: Duration,
    /// Everything the child wrote to stdout (the test harness's lines, and
    /// loom's log when `LOOM_LOG` is set).
    pub stdout: String,
    /// Everything the child wrote to stderr (panic messages).
    pub stderr: String,
}

impl ChildRun {
    /// The child's panic messages, without the harness's noise: for a
    /// failure message.
    pub fn panic_messages(&self) -> String {
        // A panic during a panic prints a backtrace whatever RUST_BACKTRACE
        // says: skip it, from "stack backtrace:" to the next panic.
        let mut in_backtrace = false;
        // The recorded trace (`loom_model`) is read apart, not quoted here.
        let mut in_trace = false;
        let mut kept: Vec<&str> = Vec::new();
        for line in self.stderr.lines() {
            if line.starts_with("==== course-support trace: ") {
                in_trace = !line.ends_with(": end ====");
                continue;
            }
            if in_trace {
                continue;
            }
            if line.starts_with("stack backtrace:") {
                in_backtrace = true;
            } else if line.starts_with("thread '") || line.starts_with("thread caused") {
                in_backtrace = false;
            }
            let noise = line.trim().is_empty() || line.starts_with("note: ");
            if !in_backtrace && !noise {
                kept.push(line);
            }
        }
        // A deadlock report lists every thread's state and the abort noise
        // after it; the first few lines say it all.
        let shown = if kept.len() > 12 {
            &kept[..12]
        } else {
            &kept[..]
        };
        let mut text = shown.join("\n");
        if kept.len() > shown.len() {
            text.push_str(&format!("\n({} more lines)", kept.len() - shown.len()));
        }
        text
    }

    /// A multi-line account of the run, for an assertion message.
    pub fn report(&self) -> String {
        let what = match self.outcome {
            Outcome::Passed => "passed".to_string(),
            Outcome::Deadlocked => {
                "loom found a deadlock (the child process aborted)".to_string()
            }
            Outcome::Failed => "failed".to_string(),
            Outcome::TimedOut => "did not finish in time and was stopped".to_string(),
        };
        format!(
            "the child run of `{}` {what}. Its panic messages:\n{}",
            self.test,
            self.panic_messages()
        )
    }
}

/// Runs the `#[ignore]`d test `name` of the current test binary in a child
/// process and waits at most `limit` for it.
///
/// Pass `module_path!()` from the module that defines the test: the test
/// harness names tests by their path without the crate's name, which is what
/// this removes. The child inherits the environment, so `LOOM_LOG`,
/// `LOOM_CHECKPOINT_FILE` and friends work in it too.
///
/// # Panics
/// If the child cannot start, if the harness ran no test of that name (a
/// typo in `name` must not pass silently), or if called inside a child.
pub fn run_ignored_test(module_path: &str, name: &str, limit: Duration) -> ChildRun {
    assert!(
        std::env::var_os(IN_CHILD).is_none(),
        "run_ignored_test was called inside a child run: an #[ignore]d model must not start children"
    );
    let test = match module_path.split_once("::") {
        Some((_crate, inner)) => format!("{inner}::{name}"),
        None => name.to_string(),
    };
    let exe = std::env::current_exe().expect("the test binary cannot find its own path");
    let child = Command::new(exe)
        .args([
            test.as_str(),
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(IN_CHILD, "1")
        // The parent's test names the child's trace file (`loom_model`).
        .env(PARENT_TEST, std::thread::current().name().unwrap_or(""))
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("could not start the test binary again as a child process");

    let finished = crate::child::wait_until(child, Instant::now() + limit)
        .expect("could not wait for the child process");
    let (status, stdout, stderr) = (finished.status, finished.stdout, finished.stderr);

    let outcome = match status {
        None => Outcome::TimedOut,
        Some(_) if stderr.contains(LOOM_DEADLOCK) => Outcome::Deadlocked,
        Some(status) if status.success() => {
            assert!(
                stdout.contains("1 passed"),
                "the child run of `{test}` ran no test: is there an #[ignore]d test of that name?\n{stdout}"
            );
            Outcome::Passed
        }
        Some(_) => Outcome::Failed,
    };
    ChildRun {
        test,
        outcome,
        limit,
        stdout,
        stderr,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMIT: Duration = Duration::from_secs(60);

    #[test]
    #[ignore = "run in a child process by the tests below"]
    fn child_passes() {}

    #[test]
    #[ignore = "run in a child process by the tests below"]
    fn child_panics() {
        panic!("the child's own message");
    }

    #[test]
    #[ignore = "run in a child process by the tests below"]
    fn child_reports_a_deadlock_and_aborts() {
        eprintln!("thread 'x' panicked at loom: {LOOM_DEADLOCK} [(Id(0), Blocked)]");
        std::process::abort();
    }

    #[test]
    #[ignore = "run in a child process by the tests below"]
    fn child_hangs() {
        std::thread::sleep(Duration::from_secs(3600));
    }

    #[test]
    fn a_passing_child_is_reported_as_passed() {
        let run = run_ignored_test(module_path!(), "child_passes", LIMIT);
        assert_eq!(run.outcome, Outcome::Passed, "{}", run.report());
        assert_eq!(run.test, "loom_child::tests::child_passes");
    }

    #[test]
    fn a_panicking_child_is_reported_with_its_message() {
        let run = run_ignored_test(module_path!(), "child_panics", LIMIT);
        assert_eq!(run.outcome, Outcome::Failed, "{}", run.report());
        assert!(
            run.panic_messages().contains("the child's own message"),
            "{}",
            run.report()
        );
    }

    #[test]
    fn an_aborting_child_with_a_loom_deadlock_is_a_deadlock() {
        let run = run_ignored_test(
            module_path!(),
            "child_reports_a_deadlock_and_aborts",
            LIMIT,
        );
        assert_eq!(run.outcome, Outcome::Deadlocked, "{}", run.report());
        assert!(run.report().contains("deadlock"));
    }

    #[test]
    fn a_hanging_child_is_stopped() {
        let run =
            run_ignored_test(module_path!(), "child_hangs", Duration::from_millis(300));
        assert_eq!(run.outcome, Outcome::TimedOut, "{}", run.report());
    }

    #[test]
    #[should_panic(expected = "ran no test")]
    fn a_misspelt_name_is_an_error_not_a_pass() {
        run_ignored_test(module_path!(), "no_such_child", LIMIT);
    }
}
