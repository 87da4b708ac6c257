//! loom models for exercise 04, shared by the exercise and the solution.
//!
//! Each model is generic: it takes the code to check as a function, so the
//! same model checks your answer, the given naive code, and the known wrong
//! answers in `wrong_answers.rs` (which must keep failing).
//!
//! The bank models may deadlock. When loom finds a deadlock it aborts the
//! whole test process, so those models are `#[ignore]`d tests that a normal
//! test runs in a child process (`course_support::loom_child`).

use std::panic::{self, AssertUnwindSafe};
use std::time::Duration;

use course_support::loom_child::{ChildRun, Outcome, run_ignored_test};
use loom::sync::Arc;
use loom::thread;

use crate::bank::{self, Account, TransferError};
use crate::mailbox::Mailbox;

#[path = "wrong_answers.rs"]
mod wrong_answers;

const CHAPTER: &str = "Read chapter 04, \"Deadlocks and memory ordering\" (book/src/04-deadlocks-and-ordering.md).";

/// Generous: a child runs one small model, which takes about a second.
const CHILD_LIMIT: Duration = Duration::from_secs(120);

/// How to watch the interleaving loom found, for the `#[ignore]`d model `test`.
fn how_to_see(test: &str) -> String {
    format!(
        "To watch the interleaving loom found, record it, then replay it with a log of every step:\n  \
         LOOM_CHECKPOINT_FILE=loom-04.json LOOM_CHECKPOINT_INTERVAL=1 cargo test -p exercise-04 --test loom -- --exact {test} --ignored --nocapture\n  \
         LOOM_LOG=trace LOOM_LOCATION=1 LOOM_CHECKPOINT_FILE=loom-04.json LOOM_CHECKPOINT_INTERVAL=1 cargo test -p exercise-04 --test loom -- --exact {test} --ignored --nocapture\n\
         (the file is written in exercises/exercise-04/; delete it before you check a new version of your code). \
         The chapter's section \"Reading loom's log\" explains the output."
    )
}

/// Runs a loom model, with the preemption bound set to 3 unless
/// `LOOM_MAX_PREEMPTIONS` says otherwise, and with loom's log switched on by
/// `LOOM_LOG` (as `loom::model` does).
fn check<F>(model: F)
where
    F: Fn() + Sync + Send + 'static,
{
    use tracing_subscriber::util::SubscriberInitExt;
    let mut builder = loom::model::Builder::new();
    if builder.preemption_bound.is_none() {
        builder.preemption_bound = Some(3);
    }
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_env("LOOM_LOG"))
        .with_test_writer()
        .without_time()
        .finish();
    let _log = subscriber.set_default();
    builder.check(model);
}

// ---- part 1: transfers ------------------------------------------------------

type Transfer = fn(&Account, &Account, u64) -> Result<(), TransferError>;

/// Two transfers between the same two accounts, in opposite directions, at
/// the same time. Both accounts belong to Ada and hold the same balance, so
/// an order by owner or by balance cannot tell them apart.
fn opposite_transfers(transfer: Transfer) {
    check(move || {
        let accounts =
            Arc::new([Account::new(1, "Ada", 100), Account::new(2, "Ada", 100)]);
        let theirs = {
            let accounts = Arc::clone(&accounts);
            thread::spawn(move || transfer(&accounts[0], &accounts[1], 30))
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
        let accounts =
            Arc::new([Account::new(2, "Grace", 100), Account::new(1, "Ada", 100)]);
        let mover = {
            let accounts = Arc::clone(&accounts);
            thread::spawn(move || transfer(&accounts[1], &accounts[0], 30))
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
        let accounts = Arc::new([Account::new(1, "Ada", 100), Account::new(2, "Ada", 0)]);
        let other = {
            let accounts = Arc::clone(&accounts);
            thread::spawn(move || transfer(&accounts[0], &accounts[1], 10))
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
fn child(model: &str) -> ChildRun {
    run_ignored_test(module_path!(), model, CHILD_LIMIT)
}

/// Asserts that the child run of a model of *your* code passed, and says
/// what loom found if not.
fn expect_your_model_to_pass(run: ChildRun, code: &str, scenario: &str) {
    let test = &run.test;
    match run.outcome {
        Outcome::Passed => {}
        Outcome::Failed if run.stderr.contains("not yet implemented") => panic!(
            "your {code}: not written yet, it still panics with `todo!()` ({scenario}). {CHAPTER}\n{}",
            run.panic_messages()
        ),
        Outcome::Deadlocked => panic!(
            "loom found a DEADLOCK in your {code} ({scenario}): in one interleaving, every thread was \
             waiting for a lock that another thread (or itself) held, so none could ever go on. A program \
             that runs fine a thousand times can still do this on the next run. Take the two locks in one \
             order that every piece of code agrees on, whatever the order of the arguments. {CHAPTER}\n\n\
             loom's report (`Blocked` threads wait for a lock):\n{}\n\n{}",
            run.panic_messages(),
            how_to_see(test)
        ),
        Outcome::Failed => panic!(
            "loom found an interleaving in which your {code} goes wrong ({scenario}). {CHAPTER}\n\n\
             What failed:\n{}\n\n{}",
            run.panic_messages(),
            how_to_see(test)
        ),
        Outcome::TimedOut => panic!(
            "the loom model of your {code} ({scenario}) did not finish within {CHILD_LIMIT:?}: a loop \
             that never ends, or a lock that loom cannot see (use `crate::sync::Mutex`, not \
             `std::sync::Mutex`). {CHAPTER}"
        ),
    }
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
    let run = child("model_opposite_transfers_naive");
    assert_eq!(
        run.outcome,
        Outcome::Deadlocked,
        "loom should find the deadlock of `transfer_naive`. {CHAPTER}\n{}",
        run.report()
    );
}

#[test]
fn transfers_in_opposite_directions_never_deadlock() {
    expect_your_model_to_pass(
        child("model_opposite_transfers_yours"),
        "`transfer`",
        "two threads: transfer(#1 -> #2, 30) and transfer(#2 -> #1, 20); both accounts are Ada's, with 100 each",
    );
}

#[test]
fn transfer_and_total_share_one_lock_order() {
    expect_your_model_to_pass(
        child("model_transfer_beside_total_yours"),
        "`transfer`",
        "two threads: transfer(#1 -> #2, 30) and bank::total, which locks in increasing id order",
    );
}

#[test]
fn transfer_to_the_same_account_is_refused() {
    expect_your_model_to_pass(
        child("model_transfer_to_itself_yours"),
        "`transfer`",
        "two threads: transfer(#1 -> #1, 50) and transfer(#1 -> #2, 10)",
    );
}

// ---- part 1: known wrong answers must stay caught ----------------------------

/// Asserts that loom catches a known wrong `transfer` in a child run.
fn expect_wrong_answer_caught(run: ChildRun, wrong: &str, expected: Outcome) {
    assert_eq!(
        run.outcome,
        expected,
        "the loom models no longer catch the wrong answer `{wrong}` (tests/shared/wrong_answers.rs) as \
         expected: the models got weaker. {CHAPTER}\n{}",
        run.report()
    );
}

macro_rules! wrong_transfer {
    ($test:ident, $model:ident, $scenario:ident, $wrong:ident, $expected:expr) => {
        #[test]
        #[ignore = "may deadlock: run in a child process by the test of the same wrong answer"]
        fn $model() {
            $scenario(wrong_answers::$wrong);
        }

        #[test]
        fn $test() {
            expect_wrong_answer_caught(child(stringify!($model)), stringify!($wrong), $expected);
        }
    };
}

wrong_transfer!(
    loom_rejects_wrong_order_by_balance,
    model_wrong_order_by_balance,
    opposite_transfers,
    order_by_balance,
    Outcome::Deadlocked
);
wrong_transfer!(
    loom_rejects_wrong_order_by_owner,
    model_wrong_order_by_owner,
    opposite_transfers,
    order_by_owner,
    Outcome::Deadlocked
);
wrong_transfer!(
    loom_rejects_wrong_order_by_address_beside_total,
    model_wrong_order_by_address_beside_total,
    transfer_beside_total,
    order_by_address,
    Outcome::Deadlocked
);
wrong_transfer!(
    loom_rejects_wrong_order_by_address_to_itself,
    model_wrong_order_by_address_to_itself,
    transfer_to_itself,
    order_by_address,
    Outcome::Deadlocked
);
wrong_transfer!(
    loom_rejects_wrong_id_order_without_same_account_check,
    model_wrong_id_order_without_same_account_check,
    transfer_to_itself,
    id_order_without_same_account_check,
    Outcome::Deadlocked
);
wrong_transfer!(
    loom_rejects_wrong_descending_id_order,
    model_wrong_descending_id_order,
    transfer_beside_total,
    descending_id_order,
    Outcome::Deadlocked
);
wrong_transfer!(
    loom_rejects_wrong_one_lock_at_a_time,
    model_wrong_one_lock_at_a_time,
    transfer_beside_total,
    one_lock_at_a_time,
    Outcome::Failed
);

// ---- part 2: the mailbox ----------------------------------------------------------

type SendFn = fn(&Mailbox, u64);
type ReceiveFn = fn(&Mailbox) -> Option<u64>;

/// What the reader saw when the flag was up but the message was not there.
const STALE: &str = "saw the flag up but read the message as";

/// One thread sends 42; this thread waits until `try_receive` returns
/// `Some`, and checks that it is 42.
fn publish(send: SendFn, receive: ReceiveFn) {
    check(move || {
        let mailbox = Arc::new(Mailbox::new());
        let writer = {
            let mailbox = Arc::clone(&mailbox);
            thread::spawn(move || send(&mailbox, 42))
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
             happen-before the read of it. {CHAPTER}"
        );
        writer.join().unwrap();
    });
}

#[test]
#[ignore = "run in a child process by a_sent_message_is_received_whole"]
fn model_publish_yours() {
    publish(Mailbox::send, Mailbox::try_receive);
}

/// In a child process too: a panic in the middle of a loom model (your
/// `todo!()`, say) can abort the whole test binary.
#[test]
fn a_sent_message_is_received_whole() {
    expect_your_model_to_pass(
        child("model_publish_yours"),
        "`Mailbox::send` and `Mailbox::try_receive`",
        "two threads: one sends 42, the other waits until try_receive returns Some",
    );
}

/// Asserts that the mailbox model catches a known wrong pair of orderings.
fn expect_stale_read_caught(send: SendFn, receive: ReceiveFn, wrong: &str) {
    let caught = panic::catch_unwind(AssertUnwindSafe(|| publish(send, receive)));
    let message = match caught {
        Ok(()) => String::from("(the model passed)"),
        Err(payload) => course_support::panic_message(&*payload),
    };
    assert!(
        message.contains(STALE),
        "the loom model no longer catches the wrong answer `{wrong}` (tests/shared/wrong_answers.rs) with a \
         stale read: the model got weaker. {CHAPTER}\nWhat happened: {message}"
    );
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
