//! Part 1 of exercise 04: transfers that cannot deadlock.
//!
//! Read first: chapter 04, "Deadlocks and memory ordering"
//! (`book/src/04-deadlocks-and-ordering.md`).
//! Test your code: `cargo test -p exercise-04`. Stuck? `cargo xtask hint 04`.
//!
//! Every [`Account`] has its own lock, so transfers between different
//! accounts run in parallel. A transfer must hold *both* accounts' locks, or
//! someone could see the money in neither account (or in both). Holding two
//! locks is where deadlocks come from: [`transfer_naive`] has one. Write
//! [`transfer`], which does the same job and cannot deadlock.

use crate::sync::Mutex;

// ANCHOR: account
/// A bank account: a unique id, an owner, and a balance behind its own lock.
///
/// Ids are unique: no two accounts share one. Owners are not: one person
/// may have several accounts.
///
/// **The bank's lock order:** code that holds the locks of several accounts
/// at once takes them in increasing `id` order. [`total`] does.
#[derive(Debug)]
pub struct Account {
    pub id: u64,
    pub owner: String,
    pub balance: Mutex<u64>,
}
// ANCHOR_END: account

impl Account {
    pub fn new(id: u64, owner: &str, balance: u64) -> Account {
        Account {
            id,
            owner: owner.to_string(),
            balance: Mutex::new(balance),
        }
    }

    /// The balance right now (it takes and releases the account's lock).
    pub fn balance(&self) -> u64 {
        *self.balance.lock().unwrap()
    }
}

/// Why a transfer was refused. A refused transfer changes nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransferError {
    /// `from` holds less than `amount`.
    InsufficientFunds,
    /// `from` and `to` are the same account.
    SameAccount,
}

// ANCHOR: transfer_naive
/// Moves `amount` from `from` to `to`, taking the locks in argument order.
///
/// **This deadlocks.** Thread 1 runs `transfer_naive(a, b, ..)` and locks
/// `a`; thread 2 runs `transfer_naive(b, a, ..)` and locks `b`. Now thread 1
/// waits for `b`, which thread 2 holds, and thread 2 waits for `a`, which
/// thread 1 holds. Neither ever lets go.
pub fn transfer_naive(
    from: &Account,
    to: &Account,
    amount: u64,
) -> Result<(), TransferError> {
    let mut from_balance = from.balance.lock().unwrap();
    let mut to_balance = to.balance.lock().unwrap(); // may wait forever
    if *from_balance < amount {
        return Err(TransferError::InsufficientFunds);
    }
    *from_balance -= amount;
    *to_balance += amount;
    Ok(())
}
// ANCHOR_END: transfer_naive

// ANCHOR: total
/// The sum of all balances, as one consistent snapshot: it holds every
/// account's lock at once, taken in the bank's lock order (increasing id).
pub fn total(accounts: &[&Account]) -> u64 {
    let mut in_order = accounts.to_vec();
    in_order.sort_by_key(|account| account.id);
    in_order.dedup_by_key(|account| account.id);
    let guards: Vec<_> = in_order
        .iter()
        .map(|account| account.balance.lock().unwrap())
        .collect();
    guards.iter().map(|balance| **balance).sum()
}
// ANCHOR_END: total

// ANCHOR: transfer
/// Moves `amount` from `from` to `to`, as one step that no other thread can
/// see half done, and without any chance of a deadlock.
///
/// * `Err(TransferError::SameAccount)` if `from` and `to` are the same
///   account (same id); nothing changes.
/// * `Err(TransferError::InsufficientFunds)` if `from` holds less than
///   `amount`; nothing changes.
/// * `Ok(())` otherwise: `from` has `amount` less and `to` has `amount` more.
pub fn transfer(from: &Account, to: &Account, amount: u64) -> Result<(), TransferError> {
    // BEGIN YOUR CODE
    // TODO: hold both locks while you check and move the money, like
    //       `transfer_naive`, but take the two locks in the bank's lock order
    //       (see `Account`), whatever the order of the arguments.
    // TODO: what does your order say when both arguments are the same account?
    todo!(
        "exercise 04: write `transfer` (chapter 04, book/src/04-deadlocks-and-ordering.md)"
    )
    // END YOUR CODE
}
// ANCHOR_END: transfer
