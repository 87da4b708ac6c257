//! Tests of exercise 03 on real threads (chapter 03,
//! `book/src/03-race-conditions.md`). The reference solution runs this very
//! file too.
//!
//! These check that your types do their job at all, on one thread and on
//! many. They cannot prove the absence of a race: a race that shows up once
//! in a million runs passes them. That is what the loom tests (`tests/loom.rs`)
//! are for.

use std::sync::Arc;
use std::thread;
use std::time::Duration;

use exercise_03::{Account, AtomicCounter, Counter, MutexCounter, RacyCounter, Withdraw};

const CHAPTER: &str = "Read chapter 03, \"The price of sharing: race conditions\" (book/src/03-race-conditions.md).";

const THREADS: u64 = 8;
const PER_THREAD: u64 = 20_000;

fn counts_alone<C: Counter>(name: &str) {
    let counter = C::new();
    assert_eq!(
        counter.get(),
        0,
        "a new {name} should start at 0. {CHAPTER}"
    );
    for _ in 0..1000 {
        counter.increment();
    }
    assert_eq!(
        counter.get(),
        1000,
        "{name}: 1000 calls of increment() on one thread. {CHAPTER}"
    );
}

/// `THREADS` threads increment one counter `PER_THREAD` times each.
fn count_together<C: Counter>(name: &'static str) -> u64 {
    course_support::watchdog(
        Duration::from_secs(60),
        &format!("{THREADS} threads incrementing one {name}"),
        "an increment that never returns: a lock that is never released, or a loop that never \
         ends?",
        || {
            let counter = Arc::new(C::new());
            let handles: Vec<_> = (0..THREADS)
                .map(|_| {
                    let counter = Arc::clone(&counter);
                    thread::spawn(move || {
                        for _ in 0..PER_THREAD {
                            counter.increment();
                        }
                    })
                })
                .collect();
            for handle in handles {
                handle.join().unwrap();
            }
            counter.get()
        },
    )
}

// ---- (a) --------------------------------------------------------------------------

#[test]
fn racy_counter_counts_on_one_thread() {
    // Racy, but not broken: alone, it must count.
    counts_alone::<RacyCounter>("RacyCounter");
}

// ---- (b) --------------------------------------------------------------------------

#[test]
fn atomic_counter_counts_on_one_thread() {
    counts_alone::<AtomicCounter>("AtomicCounter");
}

#[test]
fn atomic_counter_counts_every_increment_of_8_threads() {
    let count = count_together::<AtomicCounter>("AtomicCounter");
    assert_eq!(
        count,
        THREADS * PER_THREAD,
        "AtomicCounter lost {} of {} increments made by {THREADS} threads at once. {CHAPTER}",
        THREADS * PER_THREAD - count.min(THREADS * PER_THREAD),
        THREADS * PER_THREAD
    );
}

#[test]
fn mutex_counter_counts_on_one_thread() {
    counts_alone::<MutexCounter>("MutexCounter");
}

#[test]
fn mutex_counter_counts_every_increment_of_8_threads() {
    let count = count_together::<MutexCounter>("MutexCounter");
    assert_eq!(
        count,
        THREADS * PER_THREAD,
        "MutexCounter lost {} of {} increments made by {THREADS} threads at once. {CHAPTER}",
        THREADS * PER_THREAD - count.min(THREADS * PER_THREAD),
        THREADS * PER_THREAD
    );
}

// ---- (c) --------------------------------------------------------------------------

#[test]
fn account_follows_the_rules_on_one_thread() {
    let account = Account::with_balance(100);
    assert_eq!(
        account.balance(),
        100,
        "a new Account::with_balance(100) should hold 100. {CHAPTER}"
    );
    assert!(
        account.withdraw(30),
        "an account with 100 must pay out 30. {CHAPTER}"
    );
    assert_eq!(account.balance(), 70, "100 - 30 should leave 70. {CHAPTER}");
    assert!(
        !account.withdraw(71),
        "an account with 70 must refuse 71. {CHAPTER}"
    );
    assert_eq!(
        account.balance(),
        70,
        "a refused withdrawal must not change the balance. {CHAPTER}"
    );
    assert!(
        account.withdraw(70),
        "an account with 70 must pay out exactly 70. {CHAPTER}"
    );
    assert_eq!(
        account.balance(),
        0,
        "after paying out everything the balance should be 0. {CHAPTER}"
    );
    assert!(
        !account.withdraw(1),
        "an empty account must refuse 1. {CHAPTER}"
    );
    assert!(
        account.withdraw(0),
        "withdrawing 0 is always covered. {CHAPTER}"
    );
}

#[test]
fn account_pays_out_exactly_its_balance_to_8_threads() {
    const BALANCE: u64 = 10_000;
    const TRIES: u64 = 2_000; // per thread: 16 000 tries for 10 000 units
    let (paid, balance) = course_support::watchdog(
        Duration::from_secs(60),
        "8 threads withdrawing from one Account",
        "a withdraw loop that never ends? After a failed compare_exchange, continue with the \
         balance it returned.",
        || {
            let account = Arc::new(Account::with_balance(BALANCE));
            let handles: Vec<_> = (0..THREADS)
                .map(|_| {
                    let account = Arc::clone(&account);
                    thread::spawn(move || {
                        (0..TRIES).filter(|_| account.withdraw(1)).count() as u64
                    })
                })
                .collect();
            let paid: u64 = handles
                .into_iter()
                .map(|handle| handle.join().unwrap())
                .sum();
            (paid, account.balance())
        },
    );
    assert_eq!(
        (paid, balance),
        (BALANCE, 0),
        "8 threads tried 16 000 withdrawals of 1 from an Account holding {BALANCE}: exactly \
         {BALANCE} should be paid, leaving 0. {CHAPTER}"
    );
}
