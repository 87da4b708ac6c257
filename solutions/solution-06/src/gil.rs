//! # Exercise 06 · The GIL, part 1: the lock
//!
//! Read first: the chapter "The GIL" (`book/src/06-the-gil.md`;
//! `cargo xtask serve` shows the book).
//! Test your code: `cargo test -p exercise-06`
//! Stuck? `cargo xtask hint 06` gives a nudge, then a hint, then the solution.
//!
//! You build CPython's global interpreter lock, the way `Python/ceval_gil.h`
//! (`ceval_gil.c` since 3.12) builds it, in four steps. Each step has its own tests:
//!
//! 1. a plain lock: [`Gil::take`] and [`Gil::drop_gil`];
//! 2. the switch interval: a waiter whose wait times out asks the holder to
//!    drop the GIL, and the holder looks at that request every
//!    `check_every` bytecodes ([`GilGuard::tick`]);
//! 3. forced switching: the thread that drops the GIL on request waits
//!    until another thread has taken it ([`Gil::hand_over`]);
//! 4. blocking calls release the GIL and take it back afterwards
//!    ([`GilGuard::allow_threads`], CPython's `Py_BEGIN_ALLOW_THREADS`).
//!
//! Write your code only between `// BEGIN YOUR CODE` and `// END YOUR CODE`.
//!
//! This file uses `crate::sync` instead of `std::sync`, so that the loom
//! tests (`tests/loom.rs`) can compile it again against loom's versions.

use std::time::Duration;

use crate::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::PoisonError;

use crate::sync::{Condvar, Mutex, MutexGuard};

/// How a [`Gil`] switches between threads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GilConfig {
    /// How long a waiting thread waits before it asks the holder to drop the
    /// GIL. CPython: `sys.getswitchinterval()`, 5 ms by default.
    pub switch_interval: Duration,
    /// The holder looks at a drop request once every this many bytecodes.
    /// (CPython looks at its "eval breaker" at certain bytecodes, such as
    /// backward jumps and calls: about every few bytecodes of a loop.)
    pub check_every: u32,
    /// Whether a thread that drops the GIL on request waits until another
    /// thread has taken it (CPython's `FORCE_SWITCHING`, on since 3.2).
    pub force_switching: bool,
}

impl GilConfig {
    /// CPython's defaults: a 5 ms switch interval, with forced switching.
    /// The toy checks every 100 bytecodes.
    pub const fn cpython() -> GilConfig {
        GilConfig {
            switch_interval: Duration::from_millis(5),
            check_every: 100,
            force_switching: true,
        }
    }

    /// The same, with another switch interval (`sys.setswitchinterval`).
    pub const fn with_interval(self, switch_interval: Duration) -> GilConfig {
        GilConfig {
            switch_interval,
            ..self
        }
    }
}

/// What the mutex inside the GIL protects (`struct _gil_runtime_state`).
#[derive(Debug, Default)]
struct State {
    /// Whether some thread holds the GIL.
    locked: bool,
    /// The ticket of the thread that took the GIL last (0: nobody yet).
    last_holder: u64,
    /// How many times the GIL went to a *different* thread.
    switch_number: u64,
}

/// Counters a [`Gil`] keeps about itself, for tests and experiments.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GilStats {
    /// How many times the GIL went to a different thread.
    pub switches: u64,
    /// How many drop requests were made (by waiters that timed out, or by
    /// [`Gil::request_drop`]).
    pub drop_requests: u64,
    /// How many times a holder gave the GIL up because it was asked to.
    pub hand_overs: u64,
}

/// A toy global interpreter lock, built like CPython's.
///
/// Only the thread that holds it may run "bytecode". Take it with
/// [`Gil::acquire`]; the returned [`GilGuard`] gives it back when dropped.
pub struct Gil {
    config: GilConfig,
    state: Mutex<State>,
    /// Signalled when the GIL is dropped: a waiter may take it.
    gil_cond: Condvar,
    /// Signalled when a thread takes the GIL: a thread that dropped it on
    /// request (forced switching) may go on.
    switch_cond: Condvar,
    /// Set by a waiter that waited a whole switch interval in vain.
    drop_request: AtomicBool,
    // Bookkeeping, for tests and experiments.
    next_ticket: AtomicU64,
    waiting: AtomicUsize,
    drop_requests: AtomicU64,
    hand_overs: AtomicU64,
}

/// Proof that the current thread holds the [`Gil`]. Dropping it releases
/// the GIL.
pub struct GilGuard<'g> {
    gil: &'g Gil,
    /// Who we are: every `acquire` gets a fresh ticket (CPython compares
    /// thread states; a ticket plays that part).
    ticket: u64,
    /// Bytecodes run since this guard was made.
    ops: u64,
}

impl Gil {
    /// A GIL that nobody holds yet.
    pub fn new(config: GilConfig) -> Gil {
        Gil {
            config,
            state: Mutex::new(State::default()),
            gil_cond: Condvar::new(),
            switch_cond: Condvar::new(),
            drop_request: AtomicBool::new(false),
            next_ticket: AtomicU64::new(1),
            waiting: AtomicUsize::new(0),
            drop_requests: AtomicU64::new(0),
            hand_overs: AtomicU64::new(0),
        }
    }

    /// The settings this GIL was made with.
    pub fn config(&self) -> GilConfig {
        self.config
    }

    /// Takes the GIL, waiting as long as needed (CPython's `take_gil`).
    pub fn acquire(&self) -> GilGuard<'_> {
        let ticket = self.next_ticket.fetch_add(1, Ordering::Relaxed);
        self.waiting.fetch_add(1, Ordering::SeqCst);
        self.take(ticket);
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        GilGuard {
            gil: self,
            ticket,
            ops: 0,
        }
    }

    /// How many threads are inside [`Gil::acquire`] right now (waiting, or
    /// about to). Tests use it to know that a thread has started waiting.
    pub fn waiting(&self) -> usize {
        self.waiting.load(Ordering::SeqCst)
    }

    /// Whether a drop request is pending.
    pub fn drop_requested(&self) -> bool {
        self.drop_request.load(Ordering::SeqCst)
    }

    /// The counters so far.
    pub fn stats(&self) -> GilStats {
        GilStats {
            switches: self.lock_state().switch_number,
            drop_requests: self.drop_requests.load(Ordering::Relaxed),
            hand_overs: self.hand_overs.load(Ordering::Relaxed),
        }
    }

    /// Asks the holder to drop the GIL at its next check
    /// (`SET_GIL_DROP_REQUEST`). A waiter calls this when its wait times
    /// out; tests call it directly, because loom cannot model a timeout.
    pub fn request_drop(&self) {
        self.drop_requests.fetch_add(1, Ordering::Relaxed);
        self.drop_request.store(true, Ordering::SeqCst);
    }

    /// The state, even if a thread panicked while holding its mutex (a
    /// panicking test must not hide the first failure behind a second).
    fn lock_state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    // ANCHOR: take
    /// Takes the GIL for the thread with this `ticket` (`take_gil`).
    ///
    /// While another thread holds it, wait on `gil_cond`, for at most one
    /// switch interval at a time. If a wait times out and the GIL has not
    /// changed hands meanwhile (`switch_number` is the same), ask the holder
    /// to drop it with [`Gil::request_drop`]. Once it is free, take it:
    /// `locked`, `last_holder` and, if the holder changed, `switch_number`.
    /// Then wake a thread waiting in [`Gil::hand_over`] (`switch_cond`), and
    /// clear the drop request: it has been served.
    fn take(&self, ticket: u64) {
        // BEGIN YOUR CODE
        let mut state = self.lock_state();
        while state.locked {
            let switches_seen = state.switch_number;
            let (next, wait) = self
                .gil_cond
                .wait_timeout(state, self.config.switch_interval)
                .unwrap_or_else(PoisonError::into_inner);
            state = next;
            if wait.timed_out() && state.locked && state.switch_number == switches_seen {
                self.request_drop();
            }
        }
        state.locked = true;
        if state.last_holder != ticket {
            state.last_holder = ticket;
            state.switch_number += 1;
        }
        self.switch_cond.notify_all();
        self.drop_request.store(false, Ordering::SeqCst);
        // END YOUR CODE
    }
    // ANCHOR_END: take

    // ANCHOR: drop_gil
    /// Drops the GIL held by `ticket` (`drop_gil`), and wakes one waiter.
    fn drop_gil(&self, ticket: u64) {
        let state = self.lock_state();
        assert!(
            state.locked && state.last_holder == ticket,
            "a thread dropped a GIL it does not hold (locked: {}, last holder: {}, this thread: {ticket}). \
             `take` must set `locked` and `last_holder`. {CHAPTER}",
            state.locked,
            state.last_holder,
        );
        // BEGIN YOUR CODE
        let mut state = state;
        state.locked = false;
        drop(state);
        self.gil_cond.notify_one();
        // END YOUR CODE
    }
    // ANCHOR_END: drop_gil

    // ANCHOR: hand_over
    /// The holder `ticket` was asked to drop the GIL: drop it, and take it
    /// back after other threads had their turn.
    ///
    /// With `force_switching`, wait on `switch_cond` until another thread
    /// has taken the GIL (`last_holder` is no longer `ticket`) before you
    /// try to take it back. Without it, the thread that just dropped the
    /// GIL usually takes it straight back, before the woken waiter runs.
    fn hand_over(&self, ticket: u64) {
        self.hand_overs.fetch_add(1, Ordering::Relaxed);
        // BEGIN YOUR CODE
        self.drop_gil(ticket);
        if self.config.force_switching {
            let mut state = self.lock_state();
            while state.last_holder == ticket {
                state = self
                    .switch_cond
                    .wait(state)
                    .unwrap_or_else(PoisonError::into_inner);
            }
        }
        self.take(ticket);
        // END YOUR CODE
    }
    // ANCHOR_END: hand_over
}

/// Where every failure message of this exercise sends the learner.
const CHAPTER: &str = "Read chapter 06, \"The GIL\" (book/src/06-the-gil.md).";

impl GilGuard<'_> {
    /// The GIL this guard holds.
    pub fn gil(&self) -> &Gil {
        self.gil
    }

    /// How many bytecodes ran under this guard.
    pub fn ops(&self) -> u64 {
        self.ops
    }

    // ANCHOR: tick
    /// Counts one bytecode. Every `check_every` bytecodes, look at the drop
    /// request; if it is set, hand the GIL over ([`Gil::hand_over`]).
    ///
    /// Returns whether this call handed the GIL over (and, by the time it
    /// returns, took it back).
    pub fn tick(&mut self) -> bool {
        self.ops += 1;
        // BEGIN YOUR CODE
        // The cheap test first: loading a flag that is almost always false
        // costs less than a division on every bytecode.
        if !self.gil.drop_request.load(Ordering::SeqCst) {
            return false;
        }
        let check_every = u64::from(self.gil.config.check_every.max(1));
        if !self.ops.is_multiple_of(check_every) {
            return false;
        }
        self.gil.hand_over(self.ticket);
        true
        // END YOUR CODE
    }
    // ANCHOR_END: tick

    // ANCHOR: allow_threads
    /// Runs a blocking call (I/O, a sleep, a long computation in C) with the
    /// GIL released, and takes the GIL back afterwards: CPython's
    /// `Py_BEGIN_ALLOW_THREADS` ... `Py_END_ALLOW_THREADS`, PyO3's
    /// `Python::detach`.
    pub fn allow_threads<R>(&mut self, blocking: impl FnOnce() -> R) -> R {
        // BEGIN YOUR CODE
        self.gil.drop_gil(self.ticket);
        let result = blocking();
        self.gil.take(self.ticket);
        result
        // END YOUR CODE
    }
    // ANCHOR_END: allow_threads
}

impl Drop for GilGuard<'_> {
    fn drop(&mut self) {
        let held = {
            let state = self.gil.lock_state();
            state.locked && state.last_holder == self.ticket
        };
        // While a test unwinds from a panic (inside `allow_threads`, say),
        // the GIL may already be released: don't panic a second time.
        if held || !std::thread::panicking() {
            self.gil.drop_gil(self.ticket);
        }
    }
}
