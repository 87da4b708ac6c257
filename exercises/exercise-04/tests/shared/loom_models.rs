//! loom models for exercise 04, shared by the exercise and the solution.
//!
//! Each model is generic: it takes the code to check as a function, so the
//! same model checks your answer, the given naive code, and the known wrong
//! answers in `wrong_answers.rs` (which must keep failing).
//!
//! The bank models may deadlock. When loom finds a deadlock the whole test
//! process ends, so those models are `#[ignore]`d tests that a normal test
//! runs in a child process. The driver and the replay help are
//! `course_support::loom_model`. A failing model shows its execution as a
//! table (chapter 03, "Reading a failing interleaving"); the known wrong
//! answers' executions are committed in `book/src/generated/traces/`.

use course_support::loom_model::{Found, Run, Suite, check, explore, in_child};
use course_support::recorded::{self, named, role};
use loom::thread;

use crate::sync::Arc;

use crate::bank::{self, Account, TransferError};
use crate::mailbox::Mailbox;

#[path = "wrong_answers.rs"]
mod wrong_answers;

const CHAPTER: &str = "Read chapter 04, \"Deadlocks and memory ordering\" (book/src/04-deadlocks-and-ordering.md).";

/// Where to replay these models, for the failure messages.
const SUITE: Suite = Suite {
    package: env!("CARGO_PKG_NAME"),
    target: env!("CARGO_CRATE_NAME"),
    chapter: CHAPTER,
};

// ---- part 1: transfers ------------------------------------------------------

type Transfer = fn(&Account, &Account, u64) -> Result<(), TransferError>;

/// An account whose lock a failure's table calls "account #1".
fn account(id: u64, owner: &str, balance: u64) -> Account {
    named(&format!("account #{id}"), || {
        Account::new(id, owner, balance)
    })
}

/// Two transfers between the same two accounts, in opposite directions, at
/// the same time. Both accounts belong to Ada and hold the same balance, so
/// an order by owner or by balance cannot tell them apart.
fn opposite_transfers(transfer: Transfer) {
    check(move || {
        let accounts = Arc::new([account(1, "Ada", 100), account(2, "Ada", 100)]);
        role("transfer(#2 -> #1, 20)");
        let theirs = {
            let accounts = Arc::clone(&accounts);
            thread::spawn(move || {
                role("transfer(#1 -> #2, 30)");
                transfer(&accounts[0], &accounts[1], 30)
            })
        };
        let mine = transfer(&accounts[1], &accounts[0], 20);
        let theirs = theirs.join().unwrap();
        assert_eq!(
            (theirs, mine),
            (Ok(()), Ok(())),
            "transfer(#1 -> #2, 30) and transfer(#2 -> #1, 20), both from 100, must both succeed. {CHAPTER}"
        );
        assert_eq!(
            (accounts[0].balance(), accounts[1].balance()),
            (90, 110),
            "after transfer(#1 -> #2, 30) and transfer(#2 -> #1, 20), from 100 each, the balances are wrong. {CHAPTER}"
        );
    });
}

/// A transfer while another thread takes a snapshot with `bank::total`,
/// which locks in the bank's order (increasing id). The accounts sit in
/// memory in the opposite order (id 2 first), so an order by address is not
/// the bank's order.
fn transfer_beside_total(transfer: Transfer) {
    check(move || {
        let accounts = Arc::new([account(2, "Grace", 100), account(1, "Ada", 100)]);
        role("bank::total(#2, #1)");
        let mover = {
            let accounts = Arc::clone(&accounts);
            thread::spawn(move || {
                role("transfer(#1 -> #2, 30)");
                transfer(&accounts[1], &accounts[0], 30)
            })
        };
        let seen = bank::total(&[&accounts[0], &accounts[1]]);
        assert_eq!(
            seen, 200,
            "bank::total saw {seen} while a transfer ran, not 200: the money was in neither account (or in \
             both) for a moment. Hold both locks from the check to the last write. {CHAPTER}"
        );
        assert_eq!(
            mover.join().unwrap(),
            Ok(()),
            "transfer(#1 -> #2, 30) from 100 must succeed. {CHAPTER}"
        );
        assert_eq!(
            (accounts[1].balance(), accounts[0].balance()),
            (70, 130),
            "after transfer(#1 -> #2, 30), from 100 each, the balances are wrong. {CHAPTER}"
        );
    });
}

/// A transfer from an account to itself, while another thread moves money
/// out of it.
fn transfer_to_itself(transfer: Transfer) {
    check(move || {
        let accounts = Arc::new([account(1, "Ada", 100), account(2, "Ada", 0)]);
        role("transfer(#1 -> #1, 50)");
        let other = {
            let accounts = Arc::clone(&accounts);
            thread::spawn(move || {
                role("transfer(#1 -> #2, 10)");
                transfer(&accounts[0], &accounts[1], 10)
            })
        };
        let result = transfer(&accounts[0], &accounts[0], 50);
        assert_eq!(
            result,
            Err(TransferError::SameAccount),
            "a transfer from account #1 to itself must be refused with SameAccount. {CHAPTER}"
        );
        assert_eq!(
            other.join().unwrap(),
            Ok(()),
            "transfer(#1 -> #2, 10) from 100 must succeed. {CHAPTER}"
        );
        assert_eq!(
            (accounts[0].balance(), accounts[1].balance()),
            (90, 10),
            "a refused transfer to the same account must change nothing. {CHAPTER}"
        );
    });
}

/// Runs the `#[ignore]`d model `model` in a child process.
fn child(model: &str) -> Run {
    in_child(module_path!(), model)
}

/// Asserts that the child run of a model of *your* code passed, and says
/// what loom found if not.
fn expect_your_model_to_pass(run: Run, code: &str, expected: &str) {
    let advice = match run.found {
        Found::Deadlock(_) => {
            "Take the two locks in one order that every piece of code agrees on, whatever \
             the order of the arguments."
        }
        Found::TimedOut(_) => {
            "Or a lock that loom cannot see: use `crate::sync::Mutex`, not `std::sync::Mutex`."
        }
        _ => "",
    };
    SUITE.expect_nothing(&run, code, expected, advice);
}

/// What the known wrong answer `name` is, for a failure message.
fn wrong_answer(name: &str) -> String {
    format!("the known wrong answer `{name}` (tests/shared/wrong_answers.rs)")
}

#[test]
#[ignore = "may deadlock: run in a child process by naive_transfer_deadlocks_and_loom_finds_it"]
fn model_opposite_transfers_naive() {
    opposite_transfers(bank::transfer_naive);
}

#[test]
#[ignore = "may deadlock: run in a child process by transfers_in_opposite_directions_never_deadlock"]
fn model_opposite_transfers_yours() {
    opposite_transfers(bank::transfer);
}

#[test]
#[ignore = "may deadlock: run in a child process by transfer_and_total_share_one_lock_order"]
fn model_transfer_beside_total_yours() {
    transfer_beside_total(bank::transfer);
}

#[test]
#[ignore = "may deadlock: run in a child process by transfer_to_the_same_account_is_refused"]
fn model_transfer_to_itself_yours() {
    transfer_to_itself(bank::transfer);
}

/// The given `transfer_naive` locks in argument order: loom must find its
/// deadlock. (This passes before you write any code: it shows the problem.)
#[test]
fn naive_transfer_deadlocks_and_loom_finds_it() {
    SUITE.expect_caught(
        &child("model_opposite_transfers_naive"),
        "the deadlock of the given `transfer_naive`",
        |found| matches!(found, Found::Deadlock(_)),
    );
}

#[test]
fn transfers_in_opposite_directions_never_deadlock() {
    expect_your_model_to_pass(
        child("model_opposite_transfers_yours"),
        "your `transfer`",
        "two threads run transfer(#1 -> #2, 30) and transfer(#2 -> #1, 20) at once (both \
         accounts are Ada's, with 100 each): both succeed, without a deadlock, in every \
         interleaving.",
    );
}

#[test]
fn transfer_and_total_share_one_lock_order() {
    expect_your_model_to_pass(
        child("model_transfer_beside_total_yours"),
        "your `transfer`",
        "one thread runs transfer(#1 -> #2, 30) while another runs bank::total, which locks \
         in increasing id order: no deadlock, and total always sees 200.",
    );
}

#[test]
fn transfer_to_the_same_account_is_refused() {
    expect_your_model_to_pass(
        child("model_transfer_to_itself_yours"),
        "your `transfer`",
        "transfer(#1 -> #1, 50) is refused with SameAccount, without a deadlock, while \
         another thread runs transfer(#1 -> #2, 10).",
    );
}

// ---- part 1: known wrong answers must stay caught ----------------------------

macro_rules! wrong_transfer {
    ($test:ident, $model:ident, $scenario:ident, $wrong:ident, $caught:pat) => {
        #[test]
        #[ignore = "may deadlock: run in a child process by the test of the same wrong answer"]
        fn $model() {
            $scenario(wrong_answers::$wrong);
        }

        #[test]
        fn $test() {
            let run = child(stringify!($model));
            SUITE.expect_caught(&run, &wrong_answer(stringify!($wrong)), |found| {
                matches!(found, $caught)
            });
            SUITE.expect_trace(&run, &child(stringify!($model)));
        }
    };
}

wrong_transfer!(
    loom_rejects_wrong_order_by_balance,
    model_wrong_order_by_balance,
    opposite_transfers,
    order_by_balance,
    Found::Deadlock(_)
);
wrong_transfer!(
    loom_rejects_wrong_order_by_owner,
    model_wrong_order_by_owner,
    opposite_transfers,
    order_by_owner,
    Found::Deadlock(_)
);
wrong_transfer!(
    loom_rejects_wrong_order_by_address_beside_total,
    model_wrong_order_by_address_beside_total,
    transfer_beside_total,
    order_by_address,
    Found::Deadlock(_)
);
wrong_transfer!(
    loom_rejects_wrong_order_by_address_to_itself,
    model_wrong_order_by_address_to_itself,
    transfer_to_itself,
    order_by_address,
    Found::Deadlock(_)
);
wrong_transfer!(
    loom_rejects_wrong_id_order_without_same_account_check,
    model_wrong_id_order_without_same_account_check,
    transfer_to_itself,
    id_order_without_same_account_check,
    Found::Deadlock(_)
);
wrong_transfer!(
    loom_rejects_wrong_descending_id_order,
    model_wrong_descending_id_order,
    transfer_beside_total,
    descending_id_order,
    Found::Deadlock(_)
);
wrong_transfer!(
    loom_rejects_wrong_one_lock_at_a_time,
    model_wrong_one_lock_at_a_time,
    transfer_beside_total,
    one_lock_at_a_time,
    Found::Failure(_)
);

// ---- part 2: the mailbox ----------------------------------------------------------

type SendFn = fn(&Mailbox, u64);
type ReceiveFn = fn(&Mailbox) -> Option<u64>;

/// What the reader saw when the flag was up but the message was not there.
const STALE: &str = "saw the flag up but read the message as";

/// The model: one thread sends 42; this thread waits until `try_receive`
/// returns `Some`, and checks that it is 42.
fn publish(send: SendFn, receive: ReceiveFn) -> impl Fn() + Sync + Send + 'static {
    move || {
        let mailbox = Arc::new(Mailbox::new());
        role("try_receive() until Some, then check it is 42");
        let writer = {
            let mailbox = Arc::clone(&mailbox);
            thread::spawn(move || {
                role("send(42)");
                send(&mailbox, 42)
            })
        };
        let seen = loop {
            if let Some(message) = receive(&mailbox) {
                break message;
            }
            thread::yield_now(); // let loom run the writer
        };
        assert!(
            seen == 42,
            "loom found an interleaving in which the reader {STALE} {seen}, not 42: the reader saw the \
             flag's new value before the message's. Nothing made the write of the message \
             happen-before the read of it. {} {CHAPTER}",
            missing_pair()
        );
        writer.join().unwrap();
    }
}

#[test]
#[ignore = "run in a child process by a_sent_message_is_received_whole"]
fn model_publish_yours() {
    check(publish(Mailbox::send, Mailbox::try_receive));
}

/// In a child process too: a panic in the middle of a loom model (your
/// `todo!()`, say) can abort the whole test binary.
#[test]
fn a_sent_message_is_received_whole() {
    expect_your_model_to_pass(
        child("model_publish_yours"),
        "your `Mailbox::send` and `Mailbox::try_receive`",
        "one thread sends 42; the other waits until try_receive returns Some, and that is \
         42, in every interleaving.",
    );
}

/// Which end of the Release/Acquire pair on the flag this execution
/// lacked, read from its recorded steps (`course_support::recorded`).
fn missing_pair() -> String {
    let steps = recorded::steps();
    let find = |object: &str, op: &str| {
        steps.iter().rposition(|s| {
            s.object == object && s.op == op && s.value.as_deref() != Some("false")
        })
    };
    let (Some(up), Some(seen)) = (find("ready", "store"), find("ready", "load")) else {
        return String::new();
    };
    let written = match find("message", "store") {
        Some(written) if written < up => written,
        _ => {
            return "The flag went up BEFORE the message was written: no ordering can make \
                    visible a write that comes after the flag."
                .to_string();
        }
    };
    let ordering = |i: usize| steps[i].ordering.clone().unwrap_or_default();
    let (store, load) = (ordering(up), ordering(seen));
    let releases = matches!(store.as_str(), "Release" | "AcqRel" | "SeqCst");
    let acquires = matches!(load.as_str(), "Acquire" | "AcqRel" | "SeqCst");
    let pair = match (releases, acquires) {
        (true, false) => format!(
            "The flag's store is {store}, but its load is {load}: the Acquire end of the pair \
             is missing."
        ),
        (false, true) => format!(
            "The flag's load is {load}, but its store is {store}: the Release end of the pair \
             is missing."
        ),
        _ => format!(
            "The flag's store is {store} and its load is {load}: neither end of the \
             Release/Acquire pair is there."
        ),
    };
    match ordering(written).as_str() {
        "Relaxed" => pair,
        on_message => format!(
            "{pair} ({on_message} on the message orders nothing the reader relies on: the \
             pair belongs on the flag.)"
        ),
    }
}

/// Asserts that the mailbox model catches a known wrong pair of orderings,
/// with the committed execution.
fn expect_stale_read_caught(send: SendFn, receive: ReceiveFn, wrong: &str) {
    let run = explore(publish(send, receive));
    SUITE.expect_caught(
        &run,
        &format!("{} with a stale read", wrong_answer(wrong)),
        |found| found.is_failure_with(STALE),
    );
    SUITE.expect_trace(&run, &explore(publish(send, receive)));
}

#[test]
fn loom_rejects_wrong_all_relaxed() {
    expect_stale_read_caught(
        wrong_answers::send_relaxed,
        wrong_answers::receive_relaxed,
        "all Relaxed",
    );
}

#[test]
fn loom_rejects_wrong_release_without_acquire() {
    expect_stale_read_caught(
        wrong_answers::send_release,
        wrong_answers::receive_relaxed,
        "Release, Relaxed load",
    );
}

#[test]
fn loom_rejects_wrong_acquire_without_release() {
    expect_stale_read_caught(
        wrong_answers::send_relaxed,
        wrong_answers::receive_acquire,
        "Relaxed store, Acquire",
    );
}

#[test]
fn loom_rejects_wrong_flag_before_message() {
    expect_stale_read_caught(
        wrong_answers::send_flag_first,
        wrong_answers::receive_acquire,
        "flag stored before the message",
    );
}

#[test]
fn loom_rejects_wrong_orderings_on_the_message() {
    expect_stale_read_caught(
        wrong_answers::send_release_on_message,
        wrong_answers::receive_acquire_on_message,
        "Release/Acquire on the message, Relaxed on the flag",
    );
}
