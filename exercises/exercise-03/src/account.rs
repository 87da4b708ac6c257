//! Part (c) of exercise 03: a check-then-act race, fixed with
//! `compare_exchange` (chapter 03, `book/src/03-race-conditions.md`).
//!
//! Test: `cargo test -p exercise-03`. Hints: `cargo xtask hint 03`.
//!
//! "Withdraw only if the balance covers it" is two steps: *check* the
//! balance, then *act* on it. If another thread withdraws between the two,
//! the check is stale and the account pays out more than it holds.

use crate::sync::atomic::{AtomicU64, Ordering};

// ANCHOR: withdraw_trait
/// An account that many threads withdraw from at the same time.
pub trait Withdraw: Send + Sync + 'static {
    /// An account holding `balance`.
    fn with_balance(balance: u64) -> Self;
    /// Takes `amount` out and returns `true` if the balance covers it.
    /// Otherwise changes nothing and returns `false`.
    fn withdraw(&self, amount: u64) -> bool;
    /// The current balance.
    fn balance(&self) -> u64;
}
// ANCHOR_END: withdraw_trait

// ANCHOR: account
/// Part (c): an account whose balance is one atomic number.
pub struct Account {
    balance: AtomicU64,
}

impl Withdraw for Account {
    fn with_balance(balance: u64) -> Self {
        Account {
            balance: AtomicU64::new(balance),
        }
    }

    fn withdraw(&self, amount: u64) -> bool {
        // BEGIN YOUR CODE
        // TODO: if the balance is below `amount`, return false. Otherwise
        //       subtract it with `compare_exchange(current, current - amount, ..)`,
        //       which writes only if the balance is still `current`. If another
        //       thread changed it first, check again with the balance it returns.
        todo!(
            "exercise 03: write `Account::withdraw` (chapter 03, book/src/03-race-conditions.md)"
        )
        // END YOUR CODE
    }

    fn balance(&self) -> u64 {
        self.balance.load(Ordering::SeqCst)
    }
}
// ANCHOR_END: account
