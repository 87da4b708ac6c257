//! Tests of `transfer` on real threads (std's `Mutex`), outside loom. They
//! check the bookkeeping, and that many threads transferring both ways at
//! once finish. A deadlock makes a test fail after a while, never hang: the
//! work runs under `course_support::watchdog`.
//!
//! The loom models (`tests/loom.rs`) check every interleaving of smaller
//! cases; these check that your code also survives the real thing.

use std::sync::Arc;
use std::thread;
use std::time::Duration;

use exercise_04::bank::{Account, TransferError, total, transfer};

const CHAPTER: &str = "Read chapter 04, \"Deadlocks and memory ordering\" (book/src/04-deadlocks-and-ordering.md).";
const LIMIT: Duration = Duration::from_secs(20);
const LOCK_ORDER: &str = "take the two locks in one fixed order, the bank's (increasing account id), whatever the \
                          order of the arguments; and refuse a transfer to the same account before you lock anything.";

#[test]
fn transfer_moves_the_money() {
    course_support::watchdog(
        LIMIT,
        "transfer(#1 -> #2, 30), then transfer(#2 -> #1, 80)",
        LOCK_ORDER,
        || {
            let (a, b) = (Account::new(1, "Ada", 100), Account::new(2, "Grace", 50));
            assert_eq!(
                transfer(&a, &b, 30),
                Ok(()),
                "transfer(#1 -> #2, 30) from 100 must succeed. {CHAPTER}"
            );
            assert_eq!(
                (a.balance(), b.balance()),
                (70, 80),
                "after transfer(#1 -> #2, 30): wrong balances. {CHAPTER}"
            );
            assert_eq!(
                transfer(&b, &a, 80),
                Ok(()),
                "transfer(#2 -> #1, 80) from 80 must succeed. {CHAPTER}"
            );
            assert_eq!(
                (a.balance(), b.balance()),
                (150, 0),
                "after transfer(#2 -> #1, 80): wrong balances. {CHAPTER}"
            );
        },
    );
}

#[test]
fn transfer_refuses_when_funds_are_short() {
    course_support::watchdog(LIMIT, "transfer(#2 -> #1, 51) from 50", LOCK_ORDER, || {
        let (a, b) = (Account::new(1, "Ada", 100), Account::new(2, "Grace", 50));
        assert_eq!(
            transfer(&b, &a, 51),
            Err(TransferError::InsufficientFunds),
            "transfer(#2 -> #1, 51) from a balance of 50 must be refused. {CHAPTER}"
        );
        assert_eq!(
            (a.balance(), b.balance()),
            (100, 50),
            "a refused transfer must change nothing. {CHAPTER}"
        );
    });
}

#[test]
fn transfer_to_itself_is_refused_without_hanging() {
    course_support::watchdog(LIMIT, "transfer(#1 -> #1, 10)", LOCK_ORDER, || {
        let a = Account::new(1, "Ada", 100);
        assert_eq!(
            transfer(&a, &a, 10),
            Err(TransferError::SameAccount),
            "a transfer from an account to itself must be refused with SameAccount. {CHAPTER}"
        );
        assert_eq!(
            a.balance(),
            100,
            "a refused transfer must change nothing. {CHAPTER}"
        );
    });
}

#[test]
fn many_threads_transfer_both_ways_and_finish() {
    // 4 threads move money around a ring of 3 accounts, in both directions,
    // while a 5th takes snapshots with `total`. Argument-order locking
    // deadlocks here within a few thousand transfers, usually far sooner.
    course_support::watchdog(
        LIMIT,
        "4 threads transferring between 3 accounts",
        LOCK_ORDER,
        || {
            let accounts: Arc<Vec<Account>> =
                Arc::new((1..=3).map(|id| Account::new(id, "Ada", 1_000)).collect());
            let movers: Vec<_> = (0..4)
                .map(|worker| {
                    let accounts = Arc::clone(&accounts);
                    thread::spawn(move || {
                        for round in 0..5_000usize {
                            let from = (round + worker) % 3;
                            let to = if worker % 2 == 0 {
                                (from + 1) % 3
                            } else {
                                (from + 2) % 3
                            };
                            let _ = transfer(
                                &accounts[from],
                                &accounts[to],
                                (round % 7) as u64,
                            );
                        }
                    })
                })
                .collect();
            let auditor = {
                let accounts = Arc::clone(&accounts);
                thread::spawn(move || {
                    for _ in 0..2_000 {
                        let seen = total(&[&accounts[0], &accounts[1], &accounts[2]]);
                        assert_eq!(
                            seen, 3_000,
                            "`total` saw {seen}, not 3000, during the transfers. {CHAPTER}"
                        );
                    }
                })
            };
            for mover in movers {
                mover.join().expect("a transferring thread panicked");
            }
            auditor.join().expect("the auditing thread panicked");
            let end = total(&[&accounts[0], &accounts[1], &accounts[2]]);
            assert_eq!(
                end, 3_000,
                "transfers must not create or destroy money: the total is {end}, not 3000. {CHAPTER}"
            );
        },
    );
}
