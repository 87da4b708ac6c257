//! Known wrong answers to exercise 03, kept as regression cases.
//!
//! Each one is a plausible answer that compiles, passes a quick test on one
//! thread, and is still wrong. The loom models must catch each (`loom_catches_wrong_*`),
//! so that a model grown too weak fails loudly; [`FiveSlotCounter`] needs a sixth
//! thread, so shuttle catches it and `loom_cannot_see_five_slot_counter` records why.
//!
//! They use `crate::sync`, that is loom's atomics and locks.

use crate::account::Withdraw;
use crate::counter::Counter;
use crate::sync::Mutex;
use crate::sync::atomic::{AtomicBool, AtomicU64, Ordering};

// ---- counters (parts a and b) ----------------------------------------------

// ANCHOR: load_then_store
/// A "fix" on one line that is still two atomic operations: a `load`, then a
/// `store`. Another thread can run between them.
pub struct LoadThenStoreCounter {
    value: AtomicU64,
}

impl Counter for LoadThenStoreCounter {
    fn new() -> Self {
        LoadThenStoreCounter {
            value: AtomicU64::new(0),
        }
    }
    fn increment(&self) {
        self.value
            .store(self.value.load(Ordering::SeqCst) + 1, Ordering::SeqCst);
    }
    fn get(&self) -> u64 {
        self.value.load(Ordering::SeqCst)
    }
}
// ANCHOR_END: load_then_store

/// `compare_exchange` without a retry loop: when another thread changed the
/// count first, the exchange fails, and the increment is silently dropped.
pub struct CasWithoutRetryCounter {
    value: AtomicU64,
}

impl Counter for CasWithoutRetryCounter {
    fn new() -> Self {
        CasWithoutRetryCounter {
            value: AtomicU64::new(0),
        }
    }
    fn increment(&self) {
        let seen = self.value.load(Ordering::SeqCst);
        let _ = self.value.compare_exchange(
            seen,
            seen + 1,
            Ordering::SeqCst,
            Ordering::SeqCst,
        );
    }
    fn get(&self) -> u64 {
        self.value.load(Ordering::SeqCst)
    }
}

// ANCHOR: lock_twice
/// A lock taken twice: once to read, once to write. Each guard is dropped at
/// the end of its statement, so the lock is free between the two.
pub struct LockTwiceCounter {
    value: Mutex<u64>,
}

impl Counter for LockTwiceCounter {
    fn new() -> Self {
        LockTwiceCounter {
            value: Mutex::new(0),
        }
    }
    fn increment(&self) {
        let seen = *self.value.lock().unwrap(); // guard dropped here
        *self.value.lock().unwrap() = seen + 1;
    }
    fn get(&self) -> u64 {
        *self.value.lock().unwrap()
    }
}
// ANCHOR_END: lock_twice

// ANCHOR: try_lock
/// A lock that is never waited for: when another thread holds it,
/// `try_lock` fails at once, and the increment is skipped.
pub struct TryLockCounter {
    value: Mutex<u64>,
}

impl Counter for TryLockCounter {
    fn new() -> Self {
        TryLockCounter {
            value: Mutex::new(0),
        }
    }
    fn increment(&self) {
        if let Ok(mut value) = self.value.try_lock() {
            *value += 1;
        } // busy: this increment is lost
    }
    fn get(&self) -> u64 {
        *self.value.lock().unwrap()
    }
}
// ANCHOR_END: try_lock

// ---- accounts (part c) -------------------------------------------------------

// ANCHOR: check_then_fetch_sub
/// Check, then act: both steps are atomic, but not the pair. Two threads can
/// both pass the check before either subtracts.
pub struct CheckThenFetchSubAccount {
    balance: AtomicU64,
}

impl Withdraw for CheckThenFetchSubAccount {
    fn with_balance(balance: u64) -> Self {
        CheckThenFetchSubAccount {
            balance: AtomicU64::new(balance),
        }
    }
    fn withdraw(&self, amount: u64) -> bool {
        if self.balance.load(Ordering::SeqCst) >= amount {
            self.balance.fetch_sub(amount, Ordering::SeqCst); // wraps below zero
            true
        } else {
            false
        }
    }
    fn balance(&self) -> u64 {
        self.balance.load(Ordering::SeqCst)
    }
}
// ANCHOR_END: check_then_fetch_sub

/// Check-then-act with `load` and `store` where `compare_exchange` is needed:
/// the store overwrites whatever another thread wrote after our load.
pub struct CheckThenStoreAccount {
    balance: AtomicU64,
}

impl Withdraw for CheckThenStoreAccount {
    fn with_balance(balance: u64) -> Self {
        CheckThenStoreAccount {
            balance: AtomicU64::new(balance),
        }
    }
    fn withdraw(&self, amount: u64) -> bool {
        let current = self.balance.load(Ordering::SeqCst);
        if current < amount {
            return false;
        }
        self.balance.store(current - amount, Ordering::SeqCst);
        true
    }
    fn balance(&self) -> u64 {
        self.balance.load(Ordering::SeqCst)
    }
}

/// A lock that guards the check and the act separately: it is dropped
/// between them, so another withdrawal can slip in.
pub struct LockDroppedBetweenCheckAndActAccount {
    balance: Mutex<u64>,
}

impl Withdraw for LockDroppedBetweenCheckAndActAccount {
    fn with_balance(balance: u64) -> Self {
        LockDroppedBetweenCheckAndActAccount {
            balance: Mutex::new(balance),
        }
    }
    fn withdraw(&self, amount: u64) -> bool {
        let enough = *self.balance.lock().unwrap() >= amount; // guard dropped here
        if enough {
            let mut balance = self.balance.lock().unwrap();
            *balance = balance.wrapping_sub(amount);
        }
        enough
    }
    fn balance(&self) -> u64 {
        *self.balance.lock().unwrap()
    }
}

/// `compare_exchange` once, without a loop: it never overdraws, but when
/// another thread withdrew first it refuses, although the money is there.
pub struct CasWithoutRetryAccount {
    balance: AtomicU64,
}

impl Withdraw for CasWithoutRetryAccount {
    fn with_balance(balance: u64) -> Self {
        CasWithoutRetryAccount {
            balance: AtomicU64::new(balance),
        }
    }
    fn withdraw(&self, amount: u64) -> bool {
        let current = self.balance.load(Ordering::SeqCst);
        current >= amount
            && self
                .balance
                .compare_exchange(
                    current,
                    current - amount,
                    Ordering::SeqCst,
                    Ordering::SeqCst,
                )
                .is_ok()
    }
    fn balance(&self) -> u64 {
        self.balance.load(Ordering::SeqCst)
    }
}

/// Subtract first, undo if it went below zero: the balance is wrong for a
/// moment (here it wraps around to a huge number), and a third thread that
/// withdraws in that moment is paid from money that is not there.
pub struct FetchSubThenUndoAccount {
    balance: AtomicU64,
}

impl Withdraw for FetchSubThenUndoAccount {
    fn with_balance(balance: u64) -> Self {
        FetchSubThenUndoAccount {
            balance: AtomicU64::new(balance),
        }
    }
    fn withdraw(&self, amount: u64) -> bool {
        let before = self.balance.fetch_sub(amount, Ordering::SeqCst);
        if before < amount {
            self.balance.fetch_add(amount, Ordering::SeqCst); // undo
            false
        } else {
            true
        }
    }
    fn balance(&self) -> u64 {
        self.balance.load(Ordering::SeqCst)
    }
}

// ---- a bug that needs six threads (shuttle, not loom) -------------------------

/// How many threads the author of [`FiveSlotCounter`] expected, at most.
pub const SLOTS: usize = 5;

// ANCHOR: five_slot_counter
/// A counter split into five slots, "one per thread", so that threads do not
/// fight over one atomic. An increment claims a free slot (its `taken` flag,
/// with `compare_exchange`), adds one to it with a plain load and store, as
/// nobody else touches a slot it holds, and frees the slot; `get` adds them
/// up. When all five are taken, which "cannot happen" with five threads, it
/// uses the last slot without claiming it, and races with that slot's holder.
///
/// With five threads or fewer, an increment always finds a free slot, so no
/// update is ever lost: loom, which runs five threads at most (the main one
/// included), cannot catch this. A sixth thread can: shuttle runs 8 and 16.
pub struct FiveSlotCounter {
    taken: [AtomicBool; SLOTS],
    slots: [AtomicU64; SLOTS],
}

impl Counter for FiveSlotCounter {
    fn new() -> Self {
        FiveSlotCounter {
            taken: std::array::from_fn(|_| AtomicBool::new(false)),
            slots: std::array::from_fn(|_| AtomicU64::new(0)),
        }
    }
    fn increment(&self) {
        let claimed = (0..SLOTS).find(|&i| {
            self.taken[i]
                .compare_exchange(false, true, Ordering::SeqCst, Ordering::SeqCst)
                .is_ok()
        });
        // Every slot taken "cannot happen": use the last one anyway.
        let slot = &self.slots[claimed.unwrap_or(SLOTS - 1)];
        slot.store(slot.load(Ordering::SeqCst) + 1, Ordering::SeqCst);
        if let Some(i) = claimed {
            self.taken[i].store(false, Ordering::SeqCst);
        }
    }
    fn get(&self) -> u64 {
        self.slots
            .iter()
            .map(|slot| slot.load(Ordering::SeqCst))
            .sum()
    }
}
// ANCHOR_END: five_slot_counter
