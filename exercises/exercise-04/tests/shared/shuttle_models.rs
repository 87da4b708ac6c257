//! The shuttle models of exercise 04 (chapter 04, `book/src/04-deadlocks-and-ordering.md`).
//!
//! Each model starts 8 or 16 threads on your code and checks the result once
//! they are all done. shuttle runs it again and again, each time with a
//! different random schedule (which thread runs at each lock call or atomic
//! operation), under two schedulers, random and PCT, with fixed seeds. The
//! driver is `course_support::shuttle_model`. shuttle reports a deadlock
//! itself: when every thread is blocked, or when a thread locks a `Mutex` it
//! already holds, the schedule fails with a message that starts `deadlock!`.
//!
//! loom (`loom_models.rs`) tries *every* interleaving, but of 2 threads;
//! shuttle tries a *sample*, but of many tellers moving money around at once.
//! And shuttle treats every atomic as `SeqCst`: it cannot see a missing
//! Release/Acquire pair in the mailbox (`shuttle_cannot_see_relaxed_mailbox`).
//!
//! * For your `transfer` and `Mailbox` the tests pass when shuttle finds
//!   *nothing*.
//! * The `shuttle_catches_wrong_*` tests run the same models on the known
//!   wrong answers (`wrong_answers.rs`) and pass when shuttle catches each one.

use course_support::shuttle_model::{DEADLOCK, Suite};
use shuttle::thread;

use crate::bank::{self, Account, TransferError};
use crate::mailbox::Mailbox;
use crate::sync::Arc;

#[path = "wrong_answers.rs"]
mod wrong_answers;
use wrong_answers::*;

const CHAPTER: &str = "Read chapter 04, \"Deadlocks and memory ordering\" (book/src/04-deadlocks-and-ordering.md).";

/// Where to replay these models, for the failure messages; the seed of
/// their schedules.
const SUITE: Suite = Suite {
    package: env!("CARGO_PKG_NAME"),
    target: env!("CARGO_CRATE_NAME"),
    chapter: CHAPTER,
    seed: 0x0004_5EED,
};

/// How `bank::total` fails when it sees money missing (or doubled).
const WRONG_TOTAL: &str = "MONEY LOST";
/// How a receiver fails when it sees the flag up but not the message.
const STALE: &str = "saw the flag up but read the message as";
/// shuttle's message when a thread locks a `Mutex` it already holds.
const RELOCK: &str = "tried to acquire a Mutex it already holds";

// ---- part 1: the bank -------------------------------------------------------

type Transfer = fn(&Account, &Account, u64) -> Result<(), TransferError>;

/// How many accounts the tellers share.
const ACCOUNTS: usize = 4;
/// What each account holds at the start.
const START: u64 = 100;

/// Four accounts, #1 and #2 Ada's, #3 and #4 Grace's, 100 each. They sit in
/// memory in *descending* id order, so that an order by address is not the
/// bank's; one owner has two accounts and all balances tie, so that an order
/// by owner or by balance cannot tell them apart.
fn accounts() -> Vec<Account> {
    (1..=ACCOUNTS as u64)
        .rev()
        .map(|id| Account::new(id, if id <= 2 { "Ada" } else { "Grace" }, START))
        .collect()
}

/// `threads - 1` tellers move money between neighbours on a ring of the four
/// accounts (teller `t` between `accounts[t % 4]` and the next one), there
/// and back, while an auditor takes two snapshots with `bank::total`. The
/// first four tellers go forth first, the next four back first, and so on,
/// so that transfers run both ways at once. Every transfer must succeed,
/// nobody may deadlock, `total` must always see 400, and every account ends
/// with 100. Then, if `to_itself`, a transfer from #4 to itself must be
/// refused as `SameAccount`.
fn bank_model(
    name: &'static str,
    transfer: Transfer,
    to_itself: bool,
    threads: usize,
) -> impl Fn() + Send + Sync {
    move || {
        let accounts = Arc::new(accounts());
        let total_of = |accounts: &[Account]| {
            let all: Vec<&Account> = accounts.iter().collect();
            bank::total(&all)
        };
        let auditor = {
            let accounts = Arc::clone(&accounts);
            thread::Builder::new()
                .name("auditor: bank::total, twice".into())
                .spawn(move || {
                    for _ in 0..2 {
                        let seen = total_of(&accounts);
                        assert!(
                            seen == START * ACCOUNTS as u64,
                            "{WRONG_TOTAL}: bank::total saw {seen}, not 400, while the tellers \
                             ran {name}: for a moment the money was in neither account (or in \
                             both)."
                        );
                    }
                })
                .unwrap()
        };
        let tellers: Vec<_> = (0..threads - 1)
            .map(|t| {
                let accounts = Arc::clone(&accounts);
                let (a, b) = (t % ACCOUNTS, (t + 1) % ACCOUNTS);
                let (ida, idb) = (accounts[a].id, accounts[b].id);
                let forth_first = (t / ACCOUNTS).is_multiple_of(2);
                let role = if forth_first {
                    format!("teller {t}: #{ida} -> #{idb}, then back")
                } else {
                    format!("teller {t}: #{idb} -> #{ida}, then back")
                };
                thread::Builder::new()
                    .name(role)
                    .spawn(move || {
                        let amount = 1 + t as u64 % 3;
                        let (from, to) = if forth_first { (a, b) } else { (b, a) };
                        for (from, to) in [(from, to), (to, from)] {
                            let result = transfer(&accounts[from], &accounts[to], amount);
                            assert!(
                                result == Ok(()),
                                "{name}(#{} -> #{}, {amount}) returned {result:?}, not Ok(()): \
                                 no account ever holds less than 50 here.",
                                accounts[from].id,
                                accounts[to].id
                            );
                        }
                    })
                    .unwrap()
            })
            .collect();
        for teller in tellers {
            teller.join().expect("a teller panicked");
        }
        auditor.join().expect("the auditor panicked");
        // Once they are all done: a transfer to the same account. (Alone, so
        // that a lock taken twice is the one failure shuttle reports.)
        if to_itself {
            let result = transfer(&accounts[0], &accounts[0], 10);
            assert!(
                result == Err(TransferError::SameAccount),
                "{name}(#4 -> #4, 10), a transfer to the same account, returned {result:?}, \
                 not Err(SameAccount)."
            );
        }
        let balances: Vec<u64> = accounts.iter().map(Account::balance).collect();
        assert!(
            balances.iter().all(|&b| b == START),
            "{WRONG_TOTAL}: every teller moved money there and back, so every account should \
             hold 100 again, but after {name} the accounts #4, #3, #2, #1 hold {balances:?}."
        );
    }
}

/// The exercise's hint for what shuttle found in your `transfer`.
fn transfer_advice(message: &str) -> String {
    let advice = if message.contains(RELOCK) {
        "A thread locked an account whose lock it already held: refuse a transfer from an \
         account to itself (same id) before you lock anything."
    } else if message.contains(DEADLOCK) {
        "The threads formed a cycle, each holding one lock and waiting for the next one's. \
         Take the two locks in the bank's order (increasing id), whatever the order of the \
         arguments; `total` locks in that order too."
    } else if message.contains(WRONG_TOTAL) {
        "Hold both locks from the check of the funds to the last write."
    } else {
        ""
    };
    advice.to_string()
}

#[test]
fn shuttle_transfers_never_deadlock_and_conserve_money() {
    SUITE.verify("your `transfer`", transfer_advice, |n| {
        bank_model("transfer", bank::transfer, true, n)
    });
}

/// The given `transfer_naive` locks in argument order: shuttle must find its
/// deadlock. (This passes before you write any code: it shows the problem.)
#[test]
fn shuttle_finds_the_naive_deadlock() {
    SUITE.catches("the deadlock of the given `transfer_naive`", cycle, |n| {
        bank_model("transfer_naive", bank::transfer_naive, false, n)
    });
}

// ---- part 1: the known wrong answers (tests/shared/wrong_answers.rs) ---------------

/// A deadlock of threads waiting for each other, not a lock taken twice.
fn cycle(message: &str) -> bool {
    message.contains(DEADLOCK) && !message.contains(RELOCK)
}

/// A lock taken twice by the thread that holds it.
fn relock(message: &str) -> bool {
    message.contains(RELOCK)
}

/// `total` saw the money in neither account, or in both.
fn wrong_total(message: &str) -> bool {
    message.contains(WRONG_TOTAL)
}

macro_rules! catches_wrong_transfer {
    ($($test:ident: $wrong:ident, $to_itself:expr, $caught:expr;)*) => {$(
        #[test]
        fn $test() {
            SUITE.catches(
                concat!("the known wrong answer `", stringify!($wrong),
                        "` (tests/shared/wrong_answers.rs)"),
                $caught,
                |n| bank_model(stringify!($wrong), $wrong, $to_itself, n),
            );
        }
    )*};
}

// Only `id_order_without_same_account_check` needs the transfer to itself:
// the others must be caught by a cycle among the tellers and the auditor.
catches_wrong_transfer! {
    shuttle_catches_wrong_order_by_balance: order_by_balance, false, cycle;
    shuttle_catches_wrong_order_by_owner: order_by_owner, false, cycle;
    shuttle_catches_wrong_order_by_address: order_by_address, false, cycle;
    shuttle_catches_wrong_id_order_without_same_account_check:
        id_order_without_same_account_check, true, relock;
    shuttle_catches_wrong_descending_id_order: descending_id_order, false, cycle;
    shuttle_catches_wrong_one_lock_at_a_time: one_lock_at_a_time, false, wrong_total;
}

// ---- part 2: the mailbox ----------------------------------------------------------

type SendFn = fn(&Mailbox, u64);
type ReceiveFn = fn(&Mailbox) -> Option<u64>;

/// One thread sends 42 while `threads - 1` receivers each call `receive`
/// until it returns `Some`: each must get 42, twice in a row.
fn mailbox_model(
    send: SendFn,
    receive: ReceiveFn,
    threads: usize,
) -> impl Fn() + Send + Sync {
    move || {
        let mailbox = Arc::new(Mailbox::new());
        let receivers: Vec<_> = (1..threads)
            .map(|r| {
                let mailbox = Arc::clone(&mailbox);
                thread::Builder::new()
                    .name(format!("receiver {r}"))
                    .spawn(move || {
                        let seen = loop {
                            if let Some(message) = receive(&mailbox) {
                                break message;
                            }
                            thread::yield_now(); // let shuttle run the sender
                        };
                        assert!(
                            seen == 42,
                            "a receiver {STALE} {seen}, not 42: the flag was up before the \
                             message was written."
                        );
                        let again = receive(&mailbox);
                        assert!(
                            again == Some(42),
                            "a receiver got 42, then {again:?}: the message must stay."
                        );
                    })
                    .unwrap()
            })
            .collect();
        let sender = {
            let mailbox = Arc::clone(&mailbox);
            thread::Builder::new()
                .name("sender: send(42)".into())
                .spawn(move || send(&mailbox, 42))
                .unwrap()
        };
        sender.join().expect("the sender panicked");
        for receiver in receivers {
            receiver.join().expect("a receiver panicked");
        }
    }
}

#[test]
fn shuttle_every_receiver_gets_the_message() {
    let advice = |message: &str| {
        if message.contains(STALE) {
            "Write the message first, then raise the flag: no ordering can make visible a \
             write that comes after the flag."
        } else if message.contains("max_steps") {
            "A receiver waited forever: `send` must raise the flag, and `try_receive` must \
             return Some once it is up."
        } else {
            ""
        }
        .to_string()
    };
    SUITE.verify(
        "your `Mailbox::send` and `Mailbox::try_receive`",
        advice,
        |n| mailbox_model(Mailbox::send, Mailbox::try_receive, n),
    );
}

#[test]
fn shuttle_catches_wrong_flag_before_message() {
    // An error in the order of the steps, not in their orderings: shuttle
    // finds the schedule in which a receiver runs between the two stores.
    SUITE.catches(
        "the known wrong answer `send_flag_first` (tests/shared/wrong_answers.rs)",
        |message| message.contains(STALE),
        |n| mailbox_model(send_flag_first, receive_acquire, n),
    );
}

/// The one-sided wrong answers: loom catches each (`loom_rejects_wrong_*`
/// in loom_models.rs), shuttle cannot.
#[test]
fn shuttle_cannot_see_relaxed_mailbox() {
    // Each of these pairs lacks one end (or both) of the Release/Acquire
    // pair on the flag, so on a weak memory a receiver can see the flag up
    // and still read the old message. shuttle cannot produce that stale
    // read: it treats every atomic as SeqCst (shuttle-std 0.1.5, which
    // shuttle 0.9.10 re-exports, src/sync/atomic/mod.rs: "Shuttle models
    // *all* atomic operations as if they were using SeqCst ordering"), and a
    // load there reads the one current value. Under SeqCst, a flag written
    // after the message means the message is there. So every schedule passes.
    let relaxed: [(&str, SendFn, ReceiveFn); 4] = [
        ("all Relaxed", send_relaxed, receive_relaxed),
        ("Release, Relaxed load", send_release, receive_relaxed),
        ("Relaxed store, Acquire", send_relaxed, receive_acquire),
        (
            "Release/Acquire on the message, Relaxed on the flag",
            send_release_on_message,
            receive_acquire_on_message,
        ),
    ];
    for (what, send, receive) in relaxed {
        SUITE.misses(
            &format!("the known wrong answer \"{what}\" (tests/shared/wrong_answers.rs)"),
            "shuttle treats every atomic as SeqCst, so it never shows a stale read; only \
             loom (loom_rejects_wrong_*) can catch a missing Release/Acquire pair.",
            |n| mailbox_model(send, receive, n),
        );
    }
}
