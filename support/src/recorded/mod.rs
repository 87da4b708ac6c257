//! A recorded loom execution: what each thread did, step by step, with the
//! values it read and wrote, so that a failing model can show *the*
//! interleaving that broke it (chapter 03, "Reading a failing interleaving").
//!
//! * [`sync`]: `Mutex`, `MutexGuard`, `Condvar` and the atomics, thin
//!   wrappers over loom's with std's API; the loom tests of exercises 03, 04
//!   and 06 take them as their `crate::sync`. Each call records one [`Step`]
//!   of the current execution, at the caller's line (`#[track_caller]`).
//! * [`Execution`]: the steps of the current loom execution; the driver
//!   (`loom_model::check`) starts a new one for every interleaving, so a
//!   failure shows only the execution that failed.
//! * [`named`], [`unrecorded`], [`role`]: how a model labels what it shows.
//!
//! **Stale loads.** loom 0.7.2 does not tell which store a load read
//! (`rt/atomic.rs` keeps that to itself). So each atomic keeps here the
//! values stored into it, in execution order; a load is *stale* when the
//! value it returned is not the one the latest of those stores wrote. A
//! stale load of an older store that wrote the same value cannot be seen,
//! and changes nothing.

mod json;
mod names;
pub mod sync;
mod table;

use std::cell::RefCell;
use std::fmt;
use std::panic::Location;

pub use names::normalize;

/// One operation of one thread, as the trace JSON and the table show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// loom's thread index: 0 runs the model, 1.. were spawned by it.
    pub thread: usize,
    /// `load`, `store`, `swap`, `fetch_add`, ..., `compare_exchange`, `lock`,
    /// `lock_blocked` (asked for a lock and never got it), `try_lock`,
    /// `unlock`, `wait`, `woken`, `notify_one`, `notify_all`, `fence`.
    pub op: &'static str,
    /// The name of the lock or atomic ("balance", "account #1").
    pub object: String,
    /// The memory ordering of an atomic operation.
    pub ordering: Option<String>,
    /// The learner's line: `src/counter.rs:52`.
    pub location: String,
    /// What the step read or wrote: `1`, `1 -> 2`, `busy`.
    pub value: Option<String>,
    /// For a load: it returned an older value than the latest store wrote.
    pub stale: bool,
}

/// A lock or atomic of the current execution.
#[derive(Debug)]
struct Object {
    kind: &'static str,
    /// The field or variable it was made for, read from its creation line.
    field: String,
    /// The [`named`] scope it was made in: (scope number, label).
    scope: Option<(usize, String)>,
    hidden: bool,
    /// The values stored into an atomic, the initial one first.
    stores: Vec<String>,
}

/// The steps of the current loom execution of this (OS) thread's model.
#[derive(Debug, Default)]
pub struct Execution {
    objects: Vec<Object>,
    /// The steps, each with its object's number (named when shown).
    steps: Vec<Raw>,
    roles: Vec<(usize, String)>,
    scopes: usize,
    scope: Option<(usize, String)>,
    hidden: usize,
    /// Where the model was started from: it names the exercise.
    model_at: String,
}

thread_local! {
    // loom runs every thread of a model on the test's own OS thread, so a
    // thread-local holds one model's execution, apart from other tests.
    static CURRENT: RefCell<Option<Execution>> = const { RefCell::new(None) };
}

/// Starts recording a new execution (the driver calls it at the start of
/// every interleaving); `model_at` is where the model was checked from.
pub fn begin(model_at: &str) {
    let execution = Execution {
        model_at: model_at.to_string(),
        ..Execution::default()
    };
    CURRENT.with(|current| *current.borrow_mut() = Some(execution));
}

/// Stops recording and returns what was recorded, if anything.
pub fn end() -> Option<Execution> {
    CURRENT.with(|current| current.borrow_mut().take())
}

/// Runs `f` on the current execution, if one is being recorded.
fn with<R>(f: impl FnOnce(&mut Execution) -> R) -> Option<R> {
    CURRENT.with(|current| current.borrow_mut().as_mut().map(f))
}

/// A snapshot of the steps recorded so far in this execution: a model can
/// read what happened to explain a failure (the mailbox does).
pub fn steps() -> Vec<Step> {
    with(|e| e.named_steps()).unwrap_or_default()
}

/// The locks and atomics made inside `make` are shown as `label` (or
/// `label.field` when it made several): `named("account #1", || Account::new(..))`.
pub fn named<T>(label: &str, make: impl FnOnce() -> T) -> T {
    let outer = with(|e| {
        e.scopes += 1;
        e.scope.replace((e.scopes, label.to_string()))
    });
    let made = make();
    with(|e| e.scope = outer.flatten());
    made
}

/// Runs `f` without recording its steps, nor the objects it makes: for a
/// model's single-threaded warm-up, which no interleaving can break.
pub fn unrecorded<T>(f: impl FnOnce() -> T) -> T {
    with(|e| e.hidden += 1);
    let result = f();
    with(|e| e.hidden -= 1);
    result
}

/// Names the role of the current loom thread in the table ("transfer(#1 -> #2, 30)").
pub fn role(name: &str) {
    let thread = thread_index();
    with(|e| {
        e.roles.retain(|(t, _)| *t != thread);
        e.roles.push((thread, name.to_string()));
    });
}

/// loom's index of the current thread (0 runs the model).
fn thread_index() -> usize {
    let id = format!("{:?}", loom::thread::current().id()); // "ThreadId(1)"
    id.trim_start_matches("ThreadId(")
        .trim_end_matches(')')
        .parse()
        .unwrap_or(0)
}

/// Registers a new lock or atomic made at `at`; returns its number.
fn new_object(kind: &'static str, at: &Location<'_>, initial: Option<String>) -> usize {
    let field = names::field_at(at).unwrap_or_else(|| kind.to_string());
    with(|e| {
        e.objects.push(Object {
            kind,
            field,
            scope: e.scope.clone(),
            hidden: e.hidden > 0,
            stores: initial.into_iter().collect(),
        });
        e.objects.len() - 1
    })
    .unwrap_or(usize::MAX)
}

/// A step as recorded: objects by number, named when shown.
#[derive(Debug)]
struct Raw {
    object: usize,
    /// For a condvar's `wait` and `woken`: the lock it lets go of and takes.
    lock: Option<usize>,
    step: Step,
}

/// What a wrapper tells [`record`] about one operation.
struct Op<'a> {
    object: usize,
    op: &'static str,
    ordering: Option<std::sync::atomic::Ordering>,
    at: &'a Location<'a>,
    value: Option<String>,
    lock: Option<usize>,
}

/// Records one step; for a load (`read`), whether it was stale; for a write,
/// the value it stored. Nothing is recorded while the thread unwinds: drops
/// after a failure are not part of it.
fn record(op: Op<'_>, read: Option<&str>, stored: Option<String>) {
    if std::thread::panicking() {
        return;
    }
    let thread = thread_index();
    with(|e| {
        let Some(object) = e.objects.get_mut(op.object) else {
            return;
        };
        let stale = read.is_some_and(|v| object.stores.last().is_some_and(|l| l != v));
        object.stores.extend(stored);
        if object.hidden || e.hidden > 0 {
            return;
        }
        let step = Step {
            thread,
            op: op.op,
            object: String::new(),
            ordering: op.ordering.map(|o| format!("{o:?}")),
            location: format!("{}:{}", normalize(op.at.file()), op.at.line()),
            value: op.value,
            stale,
        };
        e.steps.push(Raw {
            object: op.object,
            lock: op.lock,
            step,
        });
    });
}

/// Removes this thread's `lock_blocked` step on `object`: it got the lock.
fn granted(object: usize) {
    let thread = thread_index();
    with(|e| {
        let pending = e.steps.iter().rposition(|r| {
            r.object == object && r.step.thread == thread && r.step.op == sync::BLOCKED
        });
        if let Some(index) = pending {
            e.steps.remove(index);
        }
    });
}

/// A finished execution, ready to show: the JSON of `cargo xtask trace`,
/// and the table of a failing test.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trace {
    /// The exercise's number, "03".
    pub exercise: String,
    /// The test that ran the model, as `--exact` wants it.
    pub test: String,
    /// Each thread's role, by loom's index.
    pub threads: Vec<String>,
    pub steps: Vec<Step>,
    /// The broken invariant: the failure's message, or who waits for whom.
    pub verdict: String,
}

impl Execution {
    /// The steps so far, each with its object's name.
    fn named_steps(&self) -> Vec<Step> {
        let names = names::display_names(&self.objects, &self.steps);
        let name = |o: usize| names.get(o).cloned().unwrap_or_default();
        self.steps
            .iter()
            .map(|raw| Step {
                object: name(raw.object),
                // "state: { locked: true }": which lock a wait lets go of.
                value: match (raw.lock, &raw.step.value) {
                    (Some(lock), Some(value)) => Some(format!("{}: {value}", name(lock))),
                    (_, value) => value.clone(),
                },
                ..raw.step.clone()
            })
            .collect()
    }

    /// The trace of this execution, which failed with `message` in `test`.
    pub fn trace(self, test: &str, message: &str) -> Trace {
        // A lock never granted is where its thread stays: last.
        let (mut steps, blocked): (Vec<Step>, Vec<Step>) = self
            .named_steps()
            .into_iter()
            .partition(|s| s.op != sync::BLOCKED);
        steps.extend(blocked);
        let threads = (0..=steps.iter().map(|s| s.thread).max().unwrap_or(0))
            .map(|t| match self.roles.iter().find(|(r, _)| *r == t) {
                Some((_, role)) => role.clone(),
                None if t == 0 => "the model's main thread".to_string(),
                None => "spawned by the model".to_string(),
            })
            .collect();
        let verdict = if message.contains(crate::loom_child::LOOM_DEADLOCK) {
            table::deadlock(&steps, message)
        } else {
            message.trim().to_string()
        };
        Trace {
            exercise: names::exercise_of(&self.model_at),
            test: test.to_string(),
            threads,
            steps,
            verdict,
        }
    }
}

impl Trace {
    /// The documented JSON of `cargo xtask trace`, one step per line.
    pub fn to_json(&self) -> String {
        json::write(self)
    }

    /// The per-thread table that a failing test prints.
    pub fn table(&self) -> String {
        table::render(self)
    }
}

impl fmt::Display for Trace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.table())
    }
}

#[cfg(test)]
mod tests;
