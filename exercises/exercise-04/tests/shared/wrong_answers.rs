//! Plausible wrong answers to exercise 04, kept as regression cases: the
//! loom models in `loom_models.rs` must go on catching every one of them.
//! (Each was also pasted into the reference solution by hand, to confirm
//! that the exercise's own tests fail on it.)
//!
//! Spoiler warning: these are near misses of the answer.

use crate::bank::{Account, TransferError};
use crate::mailbox::Mailbox;
use crate::sync::MutexGuard;
use crate::sync::atomic::Ordering;

/// Checks the funds and moves the money, given both guards.
fn settle(
    mut from: MutexGuard<'_, u64>,
    mut to: MutexGuard<'_, u64>,
    amount: u64,
) -> Result<(), TransferError> {
    if *from < amount {
        return Err(TransferError::InsufficientFunds);
    }
    *from -= amount;
    *to += amount;
    Ok(())
}

/// Locks the smaller balance first; on a tie, argument order. Not a total
/// order: two accounts with the same balance tie, and balances change
/// between the peek and the lock anyway.
pub fn order_by_balance(
    from: &Account,
    to: &Account,
    amount: u64,
) -> Result<(), TransferError> {
    if from.id == to.id {
        return Err(TransferError::SameAccount);
    }
    if from.balance() <= to.balance() {
        let f = from.balance.lock().unwrap();
        let t = to.balance.lock().unwrap();
        settle(f, t, amount)
    } else {
        let t = to.balance.lock().unwrap();
        let f = from.balance.lock().unwrap();
        settle(f, t, amount)
    }
}

/// Locks in the order of the owners' names. Not a total order on accounts:
/// one owner can have two accounts, and then it falls back to argument order.
pub fn order_by_owner(
    from: &Account,
    to: &Account,
    amount: u64,
) -> Result<(), TransferError> {
    if from.id == to.id {
        return Err(TransferError::SameAccount);
    }
    if from.owner <= to.owner {
        let f = from.balance.lock().unwrap();
        let t = to.balance.lock().unwrap();
        settle(f, t, amount)
    } else {
        let t = to.balance.lock().unwrap();
        let f = from.balance.lock().unwrap();
        settle(f, t, amount)
    }
}

/// Locks in the order of the accounts' addresses in memory. A total order on
/// two different accounts, but (1) it is not the bank's order, which `total`
/// uses, and (2) the same account ties with itself and gets locked twice.
pub fn order_by_address(
    from: &Account,
    to: &Account,
    amount: u64,
) -> Result<(), TransferError> {
    if std::ptr::from_ref(from) <= std::ptr::from_ref(to) {
        let f = from.balance.lock().unwrap();
        let t = to.balance.lock().unwrap();
        settle(f, t, amount)
    } else {
        let t = to.balance.lock().unwrap();
        let f = from.balance.lock().unwrap();
        settle(f, t, amount)
    }
}

/// The bank's order, but a transfer to the same account locks it twice.
pub fn id_order_without_same_account_check(
    from: &Account,
    to: &Account,
    amount: u64,
) -> Result<(), TransferError> {
    if from.id <= to.id {
        let f = from.balance.lock().unwrap();
        let t = to.balance.lock().unwrap();
        settle(f, t, amount)
    } else {
        let t = to.balance.lock().unwrap();
        let f = from.balance.lock().unwrap();
        settle(f, t, amount)
    }
}

/// A total order, the wrong way round: transfers agree with each other, but
/// not with `total`, which locks in increasing id order.
pub fn descending_id_order(
    from: &Account,
    to: &Account,
    amount: u64,
) -> Result<(), TransferError> {
    if from.id == to.id {
        return Err(TransferError::SameAccount);
    }
    if from.id > to.id {
        let f = from.balance.lock().unwrap();
        let t = to.balance.lock().unwrap();
        settle(f, t, amount)
    } else {
        let t = to.balance.lock().unwrap();
        let f = from.balance.lock().unwrap();
        settle(f, t, amount)
    }
}

/// Never holds two locks, so it cannot deadlock; but between the two steps
/// the money is in neither account, and `total` can see that.
pub fn one_lock_at_a_time(
    from: &Account,
    to: &Account,
    amount: u64,
) -> Result<(), TransferError> {
    if from.id == to.id {
        return Err(TransferError::SameAccount);
    }
    {
        let mut f = from.balance.lock().unwrap();
        if *f < amount {
            return Err(TransferError::InsufficientFunds);
        }
        *f -= amount;
    }
    *to.balance.lock().unwrap() += amount;
    Ok(())
}

// ---- the mailbox ------------------------------------------------------------

pub fn send_relaxed(mailbox: &Mailbox, message: u64) {
    mailbox.message.store(message, Ordering::Relaxed);
    mailbox.ready.store(true, Ordering::Relaxed);
}

pub fn receive_relaxed(mailbox: &Mailbox) -> Option<u64> {
    mailbox
        .ready
        .load(Ordering::Relaxed)
        .then(|| mailbox.message.load(Ordering::Relaxed))
}

/// Release on the flag is right, but it needs an Acquire load to pair with.
pub fn send_release(mailbox: &Mailbox, message: u64) {
    mailbox.message.store(message, Ordering::Relaxed);
    mailbox.ready.store(true, Ordering::Release);
}

/// Acquire on the flag is right, but it needs a Release store to pair with.
pub fn receive_acquire(mailbox: &Mailbox) -> Option<u64> {
    mailbox
        .ready
        .load(Ordering::Acquire)
        .then(|| mailbox.message.load(Ordering::Relaxed))
}

/// The right orderings, the wrong order: the flag goes up before the message.
pub fn send_flag_first(mailbox: &Mailbox, message: u64) {
    mailbox.ready.store(true, Ordering::Release);
    mailbox.message.store(message, Ordering::Relaxed);
}

/// Release and Acquire on the message instead of the flag: they order
/// nothing that the reader relies on.
pub fn send_release_on_message(mailbox: &Mailbox, message: u64) {
    mailbox.message.store(message, Ordering::Release);
    mailbox.ready.store(true, Ordering::Relaxed);
}

pub fn receive_acquire_on_message(mailbox: &Mailbox) -> Option<u64> {
    mailbox
        .ready
        .load(Ordering::Relaxed)
        .then(|| mailbox.message.load(Ordering::Acquire))
}
