//! The one loom driver of the exercises (03, 04 and 06), and the one text
//! that tells a learner how to replay what loom found.
//!
//! * [`check`] runs a model like `loom::model`, bounded to [`PREEMPTIONS`];
//! * [`explore`] runs one in the calling test, [`in_child`] runs an
//!   `#[ignore]`d one in a child process (a model that may deadlock, which
//!   aborts: see [`crate::loom_child`]); both say what loom [`Found`];
//! * [`Suite`] turns that into the test's verdict: silence, or a message
//!   that says what went wrong, how to replay it, and which chapter to read.
//!
//! The models and what they assert are each exercise's lesson: they stay
//! in its `tests/shared/loom_models.rs`. Every execution is recorded
//! ([`crate::recorded`]); a failing one is shown as a table ([`Run::trace`])
//! and written as JSON for `cargo xtask trace` (see [`trace_out`]).

use std::cell::{Cell, RefCell};
use std::fmt;
use std::panic::{self, AssertUnwindSafe, Location};
use std::time::Duration;

use tracing_subscriber::EnvFilter;
use tracing_subscriber::util::SubscriberInitExt;

use crate::loom_child::{ChildRun, LOOM_DEADLOCK, Outcome, run_ignored_test};
use crate::recorded::{self, Trace};
use crate::{is_todo, panic_message};

mod expected;
mod text;
mod trace_out;
pub use expected::{TRACES, WRITE_TRACES, WRONG_PREFIXES};
use text::{indented, paragraphs, shown};
pub use trace_out::{TRACE_DIR, TraceText};

/// How many forced thread switches loom tries per run, unless
/// `LOOM_MAX_PREEMPTIONS` says otherwise. The course's models are tiny: 3
/// covers every interleaving of theirs that matters, in seconds.
pub const PREEMPTIONS: usize = 3;

/// How long [`in_child`] gives one model: generous, a model takes seconds.
pub const CHILD_LIMIT: Duration = Duration::from_secs(120);

thread_local! {
    /// Whether [`explore`] runs the model: it shows the trace itself.
    static EXPLORING: Cell<bool> = const { Cell::new(false) };
    /// The trace of the last failing execution that [`check`] saw.
    static LAST: RefCell<Option<Trace>> = const { RefCell::new(None) };
}

/// Runs `model` under loom, like `loom::model`: it panics with the first
/// failing interleaving's message, `LOOM_LOG` prints loom's log, and the
/// other `LOOM_*` variables work. Unlike it, at most [`PREEMPTIONS`]
/// preemptions unless `LOOM_MAX_PREEMPTIONS` is set, and every execution
/// is recorded: a failing one is printed as a table (and, with
/// [`TRACE_DIR`] set, written as JSON); a deadlock ends the process with
/// its table instead of an abort.
#[track_caller]
pub fn check<F>(model: F)
where
    F: Fn() + Sync + Send + 'static,
{
    check_at(model, Location::caller().file());
}

/// [`check`], for a model written in the file `at` (it names the exercise).
fn check_at<F>(model: F, at: &'static str)
where
    F: Fn() + Sync + Send + 'static,
{
    trace_out::install_deadlock_hook();
    let mut builder = loom::model::Builder::new();
    if builder.preemption_bound.is_none() {
        builder.preemption_bound = Some(PREEMPTIONS);
    }
    // `loom::model` installs this subscriber; a `Builder` does not. "off"
    // without LOOM_LOG keeps loom's own error lines out of a failure.
    let filter =
        EnvFilter::try_from_env("LOOM_LOG").unwrap_or_else(|_| EnvFilter::new("off"));
    let _log = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_test_writer()
        .without_time()
        .finish()
        .set_default();
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
        builder.check(move || {
            recorded::begin(at);
            model();
        })
    }));
    let execution = recorded::end();
    if let Err(payload) = outcome {
        let message = panic_message(&*payload);
        if let Some(execution) = execution.filter(|_| !message.lines().any(is_todo)) {
            let trace = execution.trace(&trace_out::test_name(), &message);
            trace_out::publish(&trace, EXPLORING.with(Cell::get));
            LAST.with(|last| *last.borrow_mut() = Some(trace));
        }
        panic::resume_unwind(payload);
    }
}

/// What loom found in a model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Found {
    /// Every interleaving it tried passed.
    Nothing,
    /// The model reached a `todo!()`: the code is not written yet.
    NotWritten(String),
    /// In one interleaving every thread was blocked.
    Deadlock(String),
    /// One interleaving failed an assertion, or panicked.
    Failure(String),
    /// The child run did not end within this time, and was stopped.
    TimedOut(Duration),
}

impl Found {
    fn from_panic(message: String) -> Found {
        if message.lines().any(is_todo) {
            Found::NotWritten(message)
        } else if message.contains(LOOM_DEADLOCK) {
            Found::Deadlock(message)
        } else {
            Found::Failure(message)
        }
    }

    /// The panic message(s) of the failing interleaving ("" if none).
    pub fn message(&self) -> &str {
        match self {
            Found::NotWritten(m) | Found::Deadlock(m) | Found::Failure(m) => m,
            Found::Nothing | Found::TimedOut(_) => "",
        }
    }

    /// A failure whose message contains `text`: how a model's own
    /// assertion is told apart from any other panic.
    pub fn is_failure_with(&self, text: &str) -> bool {
        matches!(self, Found::Failure(m) if m.contains(text))
    }
}

impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Found::Nothing => write!(f, "nothing: every interleaving it tried passed"),
            Found::NotWritten(m) => write!(f, "a `todo!()`:\n{}", indented(m)),
            Found::Deadlock(m) => write!(f, "a deadlock:\n{}", indented(m)),
            Found::Failure(m) => write!(f, "a failing interleaving:\n{}", indented(m)),
            Found::TimedOut(limit) => write!(f, "no end within {limit:?}"),
        }
    }
}

/// A model's run: what loom found, and which test to run again to see it.
#[derive(Clone, Debug)]
pub struct Run {
    pub found: Found,
    /// The test's path in its test binary, as `--exact` wants it.
    pub test: String,
    /// Whether that test is `#[ignore]`d: a model for a child process.
    pub ignored: bool,
    /// The failing execution, if loom found one (not for a `todo!()`).
    pub trace: Option<TraceText>,
}

/// Runs `model` under [`check`] in the calling test, and catches its
/// failure. The model must not be able to deadlock: a deadlock ends the
/// process (use [`in_child`] for those).
#[track_caller]
pub fn explore<F>(model: F) -> Run
where
    F: Fn() + Sync + Send + 'static,
{
    LAST.with(|last| last.borrow_mut().take());
    let outer = EXPLORING.with(|e| e.replace(true));
    let at = Location::caller().file();
    // Quietly: the verdict below is the test's one message (a `todo!` in a
    // model thread would otherwise print a panic of its own first).
    let outcome = crate::catch_quietly(|| check_at(model, at));
    EXPLORING.with(|e| e.set(outer));
    let found = match outcome {
        Ok(()) => Found::Nothing,
        Err(caught) => Found::from_panic(caught.message),
    };
    let trace = LAST
        .with(|last| last.borrow_mut().take())
        .map(|t| TraceText::from(&t));
    // libtest names each test's thread by the test's path.
    let test = match std::thread::current().name() {
        Some(name) if name != "main" => name.to_string(),
        _ => "NAME_OF_THE_TEST".to_string(),
    };
    Run {
        found,
        test,
        ignored: false,
        trace,
    }
}

/// Runs the `#[ignore]`d test `model` (a model under [`check`]) in a child
/// process, for at most [`CHILD_LIMIT`]. Pass `module_path!()` of the
/// module that defines it.
pub fn in_child(module_path: &str, model: &str) -> Run {
    Run::from(&run_ignored_test(module_path, model, CHILD_LIMIT))
}

impl From<&ChildRun> for Run {
    fn from(run: &ChildRun) -> Run {
        let found = match run.outcome {
            Outcome::Passed => Found::Nothing,
            Outcome::TimedOut => Found::TimedOut(run.limit),
            Outcome::Deadlocked => Found::Deadlock(run.panic_messages()),
            // Just the `todo!`: the panics loom's clean-up adds after it (a
            // panic in a destructor, the abort) say nothing to a learner.
            Outcome::Failed if run.stderr.lines().any(is_todo) => {
                let todo: Vec<&str> = run.stderr.lines().filter(|l| is_todo(l)).collect();
                Found::NotWritten(todo.join("\n"))
            }
            Outcome::Failed => Found::Failure(run.panic_messages()),
        };
        Run {
            found,
            test: run.test.clone(),
            ignored: true,
            trace: TraceText::from_child(&run.stderr),
        }
    }
}

/// One exercise's loom test binary: where to replay its models, and which
/// chapter explains them.
///
/// ```
/// const SUITE: course_support::loom_model::Suite = course_support::loom_model::Suite {
///     package: env!("CARGO_PKG_NAME"),
///     target: env!("CARGO_CRATE_NAME"),
///     chapter: "Read chapter 03 (book/src/03-race-conditions.md).",
/// };
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Suite {
    /// The package, `env!("CARGO_PKG_NAME")`.
    pub package: &'static str,
    /// The test target, `env!("CARGO_CRATE_NAME")` (`loom`).
    pub target: &'static str,
    /// The sentence that ends every message: "Read chapter 03, ...".
    pub chapter: &'static str,
}

impl Suite {
    /// How to see the interleaving that `run` found again: the one replay
    /// help of the course.
    pub fn replay(&self, run: &Run) -> String {
        let Suite {
            package, target, ..
        } = self;
        let test = &run.test;
        let ignored = if run.ignored { " --ignored" } else { "" };
        let number = package.rsplit('-').next().unwrap_or(package);
        let file = std::env::temp_dir()
            .join(format!("loom-{package}-{}.json", test.replace("::", ".")));
        let file = file.display();
        let command =
            format!("cargo test -p {package} --test {target} -- --exact {test}{ignored}");
        format!(
            "How to see that interleaving again (chapter 03, \"Reading a failing \
             interleaving\"):\n\
             \x20 1. The table above, as JSON (one object per step):\n\
             \x20      cargo xtask trace {number}\n\
             \x20 2. loom's own log of every step; the last run before the failure is the \
             failing one:\n\
             \x20      LOOM_LOG=trace LOOM_LOCATION=1 {command} --nocapture\n\
             \x20 3. In a long run, record the failing interleaving, then replay only that one \
             with the log on:\n\
             \x20      LOOM_CHECKPOINT_FILE={file} LOOM_CHECKPOINT_INTERVAL=1 {command}\n\
             \x20      LOOM_CHECKPOINT_FILE={file} LOOM_LOG=trace LOOM_LOCATION=1 {command} \
             --nocapture\n\
             \x20    and delete {file} once you have changed your code (loom would \
             start from it)."
        )
    }

    /// The learner's message for a model of `code` (e.g. "your
    /// `transfer`") that should have found nothing, or `None` if it did
    /// not. `expected` says what must hold in every interleaving; `advice`
    /// (may be empty) is the exercise's own hint for what was found.
    pub fn complaint(
        &self,
        run: &Run,
        code: &str,
        expected: &str,
        advice: &str,
    ) -> Option<String> {
        let chapter = self.chapter;
        let (what, explanation, replay) = match &run.found {
            Found::Nothing => return None,
            Found::NotWritten(m) => {
                return Some(paragraphs(&[
                    &format!(
                        "{code} is not written yet: loom's model reached a `todo!()`:"
                    ),
                    &indented(m),
                    &format!("Expected: {expected}\n{chapter}"),
                ]));
            }
            Found::Deadlock(m) => (
                format!(
                    "loom found a DEADLOCK in {code}: in one interleaving every thread waited \
                     for another one (for a lock it held, or a wake-up only it could send), so \
                     none could ever go on.{}",
                    shown(run, "loom's report (`Blocked` threads wait):", m)
                ),
                "A program that runs fine a thousand times can still do this on the next run.",
                true,
            ),
            Found::Failure(m) if m.contains("maximum number of branches") => (
                format!(
                    "loom found an interleaving in which {code} goes wrong:\n{}",
                    indented(m)
                ),
                "loom gave up on an interleaving that never ended: the code seems to loop \
                 forever when another thread gets in its way.",
                true,
            ),
            Found::Failure(m) => (
                format!(
                    "loom found an interleaving in which {code} goes wrong.{}",
                    shown(run, "Its message:", m)
                ),
                "loom runs the model once for every order in which its threads' steps can \
                 interleave, and stops at the first that goes wrong: on real hardware such an \
                 order may come once in a million runs, which is why an ordinary test can pass.",
                true,
            ),
            Found::TimedOut(limit) => (
                format!("loom's model of {code} did not finish within {limit:?}."),
                "Some interleaving never ends (a loop that waits without ever blocking or \
                 yielding), or there are too many to explore.",
                false,
            ),
        };
        let expected = format!("Expected: {expected}\n{explanation}");
        let replay = if replay {
            self.replay(run)
        } else {
            String::new()
        };
        Some(paragraphs(&[&what, &expected, advice, &replay, chapter]))
    }

    /// Fails the test with [`Suite::complaint`] unless loom found nothing.
    #[track_caller]
    pub fn expect_nothing(&self, run: &Run, code: &str, expected: &str, advice: &str) {
        if let Some(complaint) = self.complaint(run, code, expected, advice) {
            panic!("{complaint}");
        }
    }

    /// For a known wrong answer (`what`, e.g. "the known wrong answer
    /// `LockTwiceCounter` (tests/shared/wrong_answers.rs)"): fails the test
    /// unless loom caught it the way `caught` says.
    #[track_caller]
    pub fn expect_caught(
        &self,
        run: &Run,
        what: &str,
        caught: impl FnOnce(&Found) -> bool,
    ) {
        if !caught(&run.found) {
            panic!(
                "loom no longer catches {what} as it should: a model has become too weak, or \
                 the code now fails another way. {}\nWhat loom found: {}",
                self.chapter, run.found
            );
        }
    }
}

#[cfg(test)]
mod tests;
