//! `crate::sync` for the loom tests: loom's `Mutex`, `Condvar` and atomics
//! with std's API, each call recorded as a step of the current execution.
//!
//! ```ignore
//! mod sync {
//!     pub use course_support::recorded::sync::*;
//! }
//! ```
//!
//! One change to what loom explores: loom switches threads only at its own
//! operations, and releasing a lock is not one (`rt/mutex.rs`,
//! `release_lock`). A critical section without a loom operation inside
//! would then run as one step, and `try_lock` could never find the lock
//! taken. So each lock also sets a hidden atomic flag after it is taken and
//! clears it before it is released: a thread can be paused while it holds
//! the lock, as a real one can.

use std::fmt::Debug;
use std::ops::{Deref, DerefMut};
use std::panic::Location;
use std::sync::atomic::Ordering::SeqCst;
use std::sync::{PoisonError, TryLockError};

pub use loom::sync::{Arc, LockResult, TryLockResult, WaitTimeoutResult};

use super::{Op, granted, new_object, record};

pub mod atomic;

/// The op of a lock request that was never granted (a deadlock's last step).
pub(super) const BLOCKED: &str = "lock_blocked";

/// `std::sync::Mutex`, recorded: `lock`, `try_lock` and each guard's drop.
pub struct Mutex<T: ?Sized> {
    id: usize,
    /// Set while a thread holds the lock: the switch point described above.
    held: loom::sync::atomic::AtomicBool,
    show: fn(&T) -> String,
    inner: loom::sync::Mutex<T>,
}

/// `std::sync::MutexGuard`, recorded: dropping it is an `unlock` step.
pub struct MutexGuard<'a, T: ?Sized> {
    lock: &'a Mutex<T>,
    at: &'static Location<'static>,
    inner: Option<loom::sync::MutexGuard<'a, T>>,
}

/// A value as a table shows it: `State { locked: true }` as `{ locked: true }`.
fn shown<T: Debug + ?Sized>(value: &T) -> String {
    let text = format!("{value:?}");
    match text.find(" {") {
        Some(brace)
            if text[..brace]
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_') =>
        {
            text[brace + 1..].to_string()
        }
        _ => text,
    }
}

impl<T: Debug> Mutex<T> {
    /// A new unlocked mutex. (Its data must be `Debug`, to be shown.)
    #[track_caller]
    pub fn new(data: T) -> Mutex<T> {
        Mutex {
            id: new_object("mutex", Location::caller(), None),
            held: loom::sync::atomic::AtomicBool::new(false),
            show: shown::<T>,
            inner: loom::sync::Mutex::new(data),
        }
    }
}

impl<T: Debug + Default> Default for Mutex<T> {
    #[track_caller]
    fn default() -> Self {
        Mutex::new(T::default())
    }
}

impl<T: ?Sized> Mutex<T> {
    fn step(&self, op: &'static str, at: &Location<'_>, value: Option<String>) {
        step(self.id, op, at, None, value);
    }

    fn guard<'a>(
        &'a self,
        at: &'static Location<'static>,
        inner: loom::sync::MutexGuard<'a, T>,
    ) -> MutexGuard<'a, T> {
        MutexGuard {
            lock: self,
            at,
            inner: Some(inner),
        }
    }

    /// Takes the lock, waiting as long as another thread holds it.
    #[track_caller]
    pub fn lock(&self) -> LockResult<MutexGuard<'_, T>> {
        let at = Location::caller();
        // Shown until granted: if it never is, the table ends with it.
        self.step(BLOCKED, at, None);
        let inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        granted(self.id);
        self.step("lock", at, Some((self.show)(&inner)));
        self.held.swap(true, SeqCst);
        Ok(self.guard(at, inner))
    }

    /// Takes the lock if no thread holds it; never waits.
    #[track_caller]
    pub fn try_lock(&self) -> TryLockResult<MutexGuard<'_, T>> {
        let at = Location::caller();
        // A read-modify-write reads the latest value: never a stale "held".
        let got = if self.held.fetch_or(false, SeqCst) {
            None
        } else {
            self.inner.try_lock().ok()
        };
        match got {
            Some(inner) => {
                self.step("try_lock", at, Some((self.show)(&inner)));
                self.held.swap(true, SeqCst);
                Ok(self.guard(at, inner))
            }
            None => {
                self.step("try_lock", at, Some("busy".to_string()));
                Err(TryLockError::WouldBlock)
            }
        }
    }

    /// The data, without locking (nobody else can hold `&mut self`).
    pub fn get_mut(&mut self) -> LockResult<&mut T> {
        self.inner.get_mut()
    }
}

impl<T: Debug + ?Sized> Debug for Mutex<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mutex").finish_non_exhaustive()
    }
}

impl<T: ?Sized> Deref for MutexGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.inner.as_ref().expect("a guard holds its lock")
    }
}

impl<T: ?Sized> DerefMut for MutexGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        self.inner.as_mut().expect("a guard holds its lock")
    }
}

impl<T: ?Sized + Debug> Debug for MutexGuard<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        Debug::fmt(&**self, f)
    }
}

impl<T: ?Sized> Drop for MutexGuard<'_, T> {
    fn drop(&mut self) {
        if let Some(inner) = self.inner.take() {
            if !std::thread::panicking() {
                self.lock.held.swap(false, SeqCst);
            }
            // Shown at the line that took the lock: a drop has no line.
            self.lock
                .step("unlock", self.at, Some((self.lock.show)(&inner)));
            drop(inner);
        }
    }
}

/// `std::sync::Condvar`, recorded: `wait` (the lock is let go), `woken` (it
/// is held again), `notify_one`, `notify_all`.
#[derive(Debug)]
pub struct Condvar {
    id: usize,
    inner: loom::sync::Condvar,
}

impl Condvar {
    #[track_caller]
    pub fn new() -> Condvar {
        Condvar {
            id: new_object("condvar", Location::caller(), None),
            inner: loom::sync::Condvar::new(),
        }
    }

    fn step(
        &self,
        op: &'static str,
        at: &Location<'_>,
        lock: Option<usize>,
        value: Option<String>,
    ) {
        step(self.id, op, at, lock, value);
    }

    /// Lets go of the lock, sleeps until notified, takes the lock again.
    #[track_caller]
    pub fn wait<'a, T>(&self, guard: MutexGuard<'a, T>) -> LockResult<MutexGuard<'a, T>> {
        Ok(self.wait_both(guard).0)
    }

    /// loom never times out (`loom::sync::Condvar::wait_timeout`): in a
    /// model, a wait with a timeout is a plain [`Condvar::wait`].
    #[track_caller]
    pub fn wait_timeout<'a, T>(
        &self,
        guard: MutexGuard<'a, T>,
        timeout: std::time::Duration,
    ) -> LockResult<(MutexGuard<'a, T>, WaitTimeoutResult)> {
        let _ = timeout;
        Ok(self.wait_both(guard))
    }

    #[track_caller]
    fn wait_both<'a, T>(
        &self,
        mut guard: MutexGuard<'a, T>,
    ) -> (MutexGuard<'a, T>, WaitTimeoutResult) {
        let at = Location::caller();
        let lock = guard.lock;
        let inner = guard.inner.take().expect("a guard holds its lock");
        lock.held.swap(false, SeqCst);
        self.step("wait", at, Some(lock.id), Some((lock.show)(&inner)));
        let (inner, result) = self
            .inner
            .wait_timeout(inner, std::time::Duration::MAX)
            .unwrap_or_else(PoisonError::into_inner);
        self.step("woken", at, Some(lock.id), Some((lock.show)(&inner)));
        lock.held.swap(true, SeqCst);
        guard.inner = Some(inner);
        (guard, result)
    }

    /// Waits while `condition` holds, as `std::sync::Condvar::wait_while`.
    #[track_caller]
    pub fn wait_while<'a, T, F>(
        &self,
        mut guard: MutexGuard<'a, T>,
        mut condition: F,
    ) -> LockResult<MutexGuard<'a, T>>
    where
        F: FnMut(&mut T) -> bool,
    {
        while condition(&mut *guard) {
            guard = self.wait(guard)?;
        }
        Ok(guard)
    }

    #[track_caller]
    pub fn notify_one(&self) {
        self.inner.notify_one();
        self.step("notify_one", Location::caller(), None, None);
    }

    #[track_caller]
    pub fn notify_all(&self) {
        self.inner.notify_all();
        self.step("notify_all", Location::caller(), None, None);
    }
}

impl Default for Condvar {
    #[track_caller]
    fn default() -> Self {
        Condvar::new()
    }
}

/// Records one step on a lock or condition variable (no memory ordering).
fn step(
    object: usize,
    op: &'static str,
    at: &Location<'_>,
    lock: Option<usize>,
    value: Option<String>,
) {
    let op = Op {
        object,
        op,
        ordering: None,
        at,
        value,
        lock,
    };
    record(op, None, None);
}
