//! The loom models of exercise 03 (chapter 03, `book/src/03-race-conditions.md`).
//!
//! A model is a tiny program: two or three threads that use one of your types at the
//! same time, and assertions about the result. loom runs it again and again,
//! once for every order in which the threads' atomic operations and lock
//! calls can interleave (with at most 3 forced thread switches), and fails on
//! the first order that breaks an assertion. The driver that runs them, and
//! the help on replaying a failure, are `course_support::loom_model`.
//!
//! * For part (a) the test passes when loom *finds* a lost update.
//! * For parts (b) and (c) it passes when loom finds *nothing*.
//! * The `loom_catches_wrong_*` tests run the same models on known wrong
//!   answers (`wrong_answers.rs`) and pass when loom catches each one, with
//!   the failing execution committed in `book/src/generated/traces/`.
//!
//! When a model fails, the test prints that one execution as a table, one
//! column per thread (chapter 03, "Reading a failing interleaving");
//! `cargo xtask trace 03` writes it as JSON.

use std::panic::{self, AssertUnwindSafe};

use course_support::loom_model::{Found, Suite, explore};
use course_support::recorded::{role, unrecorded};
use loom::thread;

use crate::account::{Account, Withdraw};
use crate::counter::{AtomicCounter, Counter, MutexCounter, RacyCounter};
use crate::sync::Arc;

#[path = "wrong_answers.rs"]
mod wrong_answers;
use wrong_answers::*;

const CHAPTER: &str = "Read chapter 03, \"The price of sharing: race conditions\" (book/src/03-race-conditions.md).";

/// Where to replay these models, for the failure messages.
const SUITE: Suite = Suite {
    package: env!("CARGO_PKG_NAME"),
    target: env!("CARGO_CRATE_NAME"),
    chapter: CHAPTER,
};

/// Every assertion about a race starts with this, so that a race is told
/// apart from a `todo!()` or another panic.
const RACE: &str = "RACE FOUND";

// ---- running a model ------------------------------------------------------------

/// For your fixed types: loom must find no interleaving that goes wrong.
fn verify(what: &str, expected: &str, model: impl Fn() + Send + Sync + 'static) {
    let run = explore(model);
    let advice = match &run.found {
        Found::Failure(m) if m.contains(RACE) => "",
        Found::Failure(m) if m.contains("maximum number of branches") => {
            "A retry loop must retry with the NEW value (the one a failed \
             `compare_exchange` returns), or it spins on a stale one forever."
        }
        _ => {
            "If the panic comes from your code (an overflow, an `unwrap`), look at the \
             interleaving that led there."
        }
    };
    SUITE.expect_nothing(&run, what, expected, advice);
}

/// For the known wrong answers: loom must catch each one as a race, and
/// its failing execution must be the committed one, on two runs.
fn catches(wrong: &str, model: impl Fn() + Send + Sync + 'static) {
    let model = std::sync::Arc::new(model);
    let run = || {
        let model = std::sync::Arc::clone(&model);
        explore(move || model())
    };
    let first = run();
    catches_in(wrong, &first);
    SUITE.expect_trace(&first, &run());
}

/// Like [`catches`], for a second model of the same wrong answer.
fn catches_in(wrong: &str, run: &course_support::loom_model::Run) {
    SUITE.expect_caught(
        run,
        &format!("the known wrong answer {wrong} (tests/shared/wrong_answers.rs)"),
        |found| found.is_failure_with(RACE),
    );
}

// ---- the models ---------------------------------------------------------------------

/// Runs one call of your code inside a model and catches its panic.
///
/// A panic must not cross a loom thread's boundary (loom would abort the
/// whole test binary), so each thread returns it as an `Err`, and the model
/// re-raises it once both threads are done.
fn guarded<T>(call: impl FnOnce() -> T) -> Result<T, String> {
    panic::catch_unwind(AssertUnwindSafe(call))
        .map_err(|payload| course_support::panic_message(&*payload))
}

/// Both threads' results, or the first panic of either.
fn both<T>(
    mine: Result<T, String>,
    theirs: Result<Result<T, String>, impl std::fmt::Debug>,
) -> (T, T) {
    let theirs = theirs.expect("a loom thread ended without returning");
    match (mine, theirs) {
        (Ok(mine), Ok(theirs)) => (mine, theirs),
        (Err(message), _) | (_, Err(message)) => panic!("{message}"),
    }
}

/// Two threads each increment once; the count must go from 1 to 3.
fn counter_model<C: Counter>(name: &'static str) -> impl Fn() + Send + Sync + 'static {
    move || {
        // First on one thread: it must count at all. (No interleaving can
        // break this part, so a failure's table leaves it out.)
        let count = unrecorded(|| {
            let alone = C::new();
            alone.increment();
            alone.increment();
            alone.get()
        });
        assert!(
            count == 2,
            "NOT COUNTING: on a single thread, two calls of {name}::increment() left the count at \
             {count}, not 2. A counter must add one each time, even without other threads."
        );

        // Then on two threads at once. The count starts at 1 (from an
        // increment that both threads can see), so that every failure loom
        // reports comes from the order of the two threads' steps.
        let counter = Arc::new(C::new());
        unrecorded(|| counter.increment());
        role("count = 1; increment(); get() once both are done");
        let other = {
            let counter = Arc::clone(&counter);
            thread::spawn(move || {
                role("increment()");
                guarded(|| counter.increment())
            })
        };
        let mine = guarded(|| counter.increment());
        both(mine, other.join());
        let count = counter.get();
        assert!(
            count == 3,
            "{RACE}: lost update. The count was 1, then two threads each called \
             {name}::increment() once, so it should be 3, but after this interleaving it is \
             {count}: an increment vanished."
        );
    }
}

/// The rules of an account, on one thread (no interleaving can break them,
/// so a failure's table leaves them out).
fn account_rules<A: Withdraw>(name: &str) {
    unrecorded(|| account_rules_alone::<A>(name));
}

fn account_rules_alone<A: Withdraw>(name: &str) {
    let account = A::with_balance(100);
    assert!(
        account.withdraw(60),
        "NOT AN ACCOUNT: {name} with 100 refused to pay out 60."
    );
    assert!(
        account.balance() == 40,
        "NOT AN ACCOUNT: {name} with 100 paid out 60 and then held {}, not 40.",
        account.balance()
    );
    assert!(
        !account.withdraw(50),
        "NOT AN ACCOUNT: {name} with 40 paid out 50."
    );
    assert!(
        account.withdraw(40),
        "NOT AN ACCOUNT: {name} with 40 refused to pay out exactly 40."
    );
    assert!(
        account.balance() == 0,
        "NOT AN ACCOUNT: {name} paid out everything but holds {}.",
        account.balance()
    );
}

/// Two threads withdraw `amount` each from an account holding 100, at once.
/// Returns how many were paid and the balance left.
fn two_withdrawals<A: Withdraw>(amount: u64) -> (u64, u64) {
    let account = Arc::new(A::with_balance(100));
    role(&format!(
        "balance 100; withdraw({amount}); balance() once both are done"
    ));
    let other = {
        let account = Arc::clone(&account);
        thread::spawn(move || {
            role(&format!("withdraw({amount})"));
            guarded(|| account.withdraw(amount))
        })
    };
    let mine = guarded(|| account.withdraw(amount));
    let (mine, theirs) = both(mine, other.join());
    (u64::from(mine) + u64::from(theirs), account.balance())
}

/// "1 was paid", "2 were paid": for the messages.
fn were_paid(paid: u64) -> String {
    match paid {
        1 => "1 withdrawal was paid".into(),
        n => format!("{n} withdrawals were paid"),
    }
}

/// 100 in the account, two threads withdraw 60 each: exactly one is paid.
fn overdraw_model<A: Withdraw>(name: &'static str) -> impl Fn() + Send + Sync + 'static {
    move || {
        account_rules::<A>(name);
        let (paid, balance) = two_withdrawals::<A>(60);
        assert!(
            paid == 1 && balance == 40,
            "{RACE}: check-then-act. {name} held 100 and two threads each withdrew 60 at once. \
             Exactly one should be paid, leaving 40. In this interleaving {} and \
             the balance is {balance}.",
            were_paid(paid)
        );
    }
}

/// 100 in the account, two threads withdraw 30 each: both are paid.
fn no_false_refusal_model<A: Withdraw>(
    name: &'static str,
) -> impl Fn() + Send + Sync + 'static {
    move || {
        let (paid, balance) = two_withdrawals::<A>(30);
        assert!(
            paid == 2 && balance == 40,
            "{RACE}: {name} held 100 and two threads each withdrew 30 at once. Both should be \
             paid, leaving 40. In this interleaving {} and the balance is {balance}. \
             (A withdrawal that loses a race must look at the new balance and try again.)",
            were_paid(paid)
        );
    }
}

/// 100 in the account, three threads withdraw 60, 60 and 50 at once: no
/// two of them fit, so exactly one is paid. The third thread can look at the
/// balance while the other two are halfway through.
fn three_threads_model<A: Withdraw>(
    name: &'static str,
) -> impl Fn() + Send + Sync + 'static {
    move || {
        let account = Arc::new(A::with_balance(100));
        role("balance 100; withdraw(60); balance() once all are done");
        let others: Vec<_> = [60, 50]
            .into_iter()
            .map(|amount| {
                let account = Arc::clone(&account);
                thread::spawn(move || {
                    role(&format!("withdraw({amount})"));
                    guarded(|| account.withdraw(amount).then_some(amount))
                })
            })
            .collect();
        let mine = guarded(|| account.withdraw(60).then_some(60));
        // Join every thread before looking at any result: a panic while a
        // loom thread still runs would abort the test binary.
        let theirs: Vec<_> = others.into_iter().map(|other| other.join()).collect();
        let mut paid = Vec::new();
        for result in theirs {
            match result.expect("a loom thread ended without returning") {
                Ok(amount) => paid.extend(amount),
                Err(message) => panic!("{message}"),
            }
        }
        paid.extend(mine.unwrap_or_else(|message| panic!("{message}")));
        let balance = account.balance();
        let total: u64 = paid.iter().sum();
        assert!(
            paid.len() == 1 && balance == 100 - total,
            "{RACE}: {name} held 100 and three threads withdrew 60, 60 and 50 at once. No two of \
             those fit in 100, so exactly one should be paid. In this interleaving these were \
             paid: {paid:?}, and the balance is {balance}. (Does your balance ever go below zero, \
             even for a moment, where another thread can see it?)"
        );
    }
}

/// Five threads each increment once, from 0: the most loom can run (four
/// spawned and this one; loom 0.7.2 stops at `MAX_THREADS = 5`, in its
/// `src/rt/mod.rs`). The count must be 5.
fn five_threads_model<C: Counter>(
    name: &'static str,
) -> impl Fn() + Send + Sync + 'static {
    move || {
        let counter = Arc::new(C::new());
        role("increment(); get() once all are done");
        let others: Vec<_> = (0..4)
            .map(|_| {
                let counter = Arc::clone(&counter);
                thread::spawn(move || {
                    role("increment()");
                    guarded(|| counter.increment())
                })
            })
            .collect();
        let mine = guarded(|| counter.increment());
        // Join every thread before looking at any result (see above).
        let theirs: Vec<_> = others.into_iter().map(|other| other.join()).collect();
        for result in theirs {
            if let Err(message) = result.expect("a loom thread ended without returning") {
                panic!("{message}");
            }
        }
        mine.unwrap_or_else(|message| panic!("{message}"));
        let count = counter.get();
        assert!(
            count == 5,
            "{RACE}: lost update. Five threads each called {name}::increment() once, so the \
             count should be 5, but after this interleaving it is {count}."
        );
    }
}

// ---- (a) your racy counter: loom must find the lost update ---------------------------------

#[test]
fn loom_finds_the_lost_update_in_your_racy_counter() {
    let run = explore(counter_model::<RacyCounter>("RacyCounter"));
    if run.found.is_failure_with(RACE) {
        return; // found it, as it should
    }
    if run.found == Found::Nothing {
        panic!(
            "\n\nloom tried every interleaving of two threads that each call \
             RacyCounter::increment() once on a count of 1, and it always ended at 3: your RacyCounter never \
             loses an update. It is accidentally correct!\n\
             Part (a) asks for a counter that DOES lose updates: read the count with one atomic \
             operation (`load`), then write it + 1 with a separate one (`store`), so that the \
             other thread can run in between. You fix it in part (b). {CHAPTER}\n"
        );
    }
    let complaint = SUITE.complaint(
        &run,
        "your RacyCounter",
        "part (a) asks for a counter that counts correctly on one thread but loses updates \
         when two threads increment it at once, so that loom finds a RACE.",
        "",
    );
    panic!("{}", complaint.unwrap_or_default());
}

// ---- (b) your fixed counters: loom must find nothing -----------------------------------

#[test]
fn loom_verifies_your_atomic_counter() {
    verify(
        "your AtomicCounter",
        "from a count of 1, after two threads each call increment() once, get() is 3, in every interleaving. Use \
         ONE atomic read-modify-write, so that nothing can run between the read and the write.",
        counter_model::<AtomicCounter>("AtomicCounter"),
    );
}

#[test]
fn loom_verifies_your_mutex_counter() {
    verify(
        "your MutexCounter",
        "from a count of 1, after two threads each call increment() once, get() is 3, in every interleaving. Hold \
         ONE lock guard across the read and the write.",
        counter_model::<MutexCounter>("MutexCounter"),
    );
}

// ---- (c) your account: loom must find nothing ------------------------------------------------

#[test]
fn loom_verifies_your_account_never_overdraws() {
    verify(
        "your Account",
        "with 100 in the account and two threads withdrawing 60 each, exactly one is paid. The \
         check (is there enough?) and the act (subtract) must be one atomic step: \
         `compare_exchange` writes only if the balance is still the one you checked.",
        overdraw_model::<Account>("Account"),
    );
}

#[test]
fn loom_verifies_your_account_never_refuses_by_mistake() {
    verify(
        "your Account",
        "with 100 in the account and two threads withdrawing 30 each, both are paid. When \
         `compare_exchange` fails, another thread changed the balance: check the new balance \
         and try again, in a loop.",
        no_false_refusal_model::<Account>("Account"),
    );
}

#[test]
fn loom_verifies_your_account_with_three_threads() {
    verify(
        "your Account",
        "with 100 in the account and three threads withdrawing 60, 60 and 50, exactly one is \
         paid, and no thread ever sees a balance that is not real.",
        three_threads_model::<Account>("Account"),
    );
}

// ---- known wrong answers: the same models must catch each one -----------------------------

#[test]
fn loom_catches_wrong_load_then_store_counter() {
    catches(
        "LoadThenStoreCounter",
        counter_model::<LoadThenStoreCounter>("LoadThenStoreCounter"),
    );
}

#[test]
fn loom_catches_wrong_cas_without_retry_counter() {
    catches(
        "CasWithoutRetryCounter",
        counter_model::<CasWithoutRetryCounter>("CasWithoutRetryCounter"),
    );
}

#[test]
fn loom_catches_wrong_lock_twice_counter() {
    catches(
        "LockTwiceCounter",
        counter_model::<LockTwiceCounter>("LockTwiceCounter"),
    );
}

#[test]
fn loom_catches_wrong_try_lock_counter() {
    // Caught only because a thread can be paused while it holds a lock
    // (`course_support::recorded::sync`; chapter 03 says why loom needs help).
    catches(
        "TryLockCounter",
        counter_model::<TryLockCounter>("TryLockCounter"),
    );
}

#[test]
fn loom_catches_wrong_check_then_fetch_sub_account() {
    catches(
        "CheckThenFetchSubAccount",
        overdraw_model::<CheckThenFetchSubAccount>("CheckThenFetchSubAccount"),
    );
}

#[test]
fn loom_catches_wrong_check_then_store_account() {
    // Caught twice over: it overdraws, and it loses a withdrawal.
    catches(
        "CheckThenStoreAccount",
        overdraw_model::<CheckThenStoreAccount>("CheckThenStoreAccount"),
    );
    catches_in(
        "CheckThenStoreAccount",
        &explore(no_false_refusal_model::<CheckThenStoreAccount>(
            "CheckThenStoreAccount",
        )),
    );
}

#[test]
fn loom_catches_wrong_lock_dropped_between_check_and_act_account() {
    catches(
        "LockDroppedBetweenCheckAndActAccount",
        overdraw_model::<LockDroppedBetweenCheckAndActAccount>(
            "LockDroppedBetweenCheckAndActAccount",
        ),
    );
}

#[test]
fn loom_catches_wrong_cas_without_retry_account() {
    // It never overdraws, so only the second model catches it.
    assert!(
        explore(overdraw_model::<CasWithoutRetryAccount>(
            "CasWithoutRetryAccount"
        ))
        .found
            == Found::Nothing,
        "CasWithoutRetryAccount never overdraws; the overdraw model should pass it. {CHAPTER}"
    );
    catches(
        "CasWithoutRetryAccount",
        no_false_refusal_model::<CasWithoutRetryAccount>("CasWithoutRetryAccount"),
    );
}

#[test]
fn loom_catches_wrong_fetch_sub_then_undo_account() {
    // Two threads are not enough to catch it; the third one sees the
    // balance while it is below zero.
    assert!(
        explore(overdraw_model::<FetchSubThenUndoAccount>(
            "FetchSubThenUndoAccount"
        ))
        .found
            == Found::Nothing
            && explore(no_false_refusal_model::<FetchSubThenUndoAccount>(
                "FetchSubThenUndoAccount"
            ))
            .found
                == Found::Nothing,
        "FetchSubThenUndoAccount passes the two-thread models; only three threads catch it. {CHAPTER}"
    );
    catches(
        "FetchSubThenUndoAccount",
        three_threads_model::<FetchSubThenUndoAccount>("FetchSubThenUndoAccount"),
    );
}

// ---- a known wrong answer that loom cannot catch ------------------------------------------

#[test]
fn loom_cannot_see_five_slot_counter() {
    // FiveSlotCounter loses an update only when a sixth thread finds all five
    // slots taken. loom cannot run a sixth thread (MAX_THREADS = 5, the main
    // one included), so in every interleaving it tries, some slot is free and
    // it finds nothing; shuttle, with 8 and 16 threads, catches it
    // (`shuttle_catches_wrong_five_slot_counter` in shuttle_models.rs).
    //
    // Five threads are also where loom's cost explodes: with the course's 3
    // preemptions this model has 123,090 interleavings, with 2 it has 7,338.
    // So it runs with 2, with loom's own driver (nothing recorded). No bound
    // would find anything: the bug is not there with five threads.
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = Some(2);
    let model = five_threads_model::<FiveSlotCounter>("FiveSlotCounter");
    if let Err(caught) = course_support::catch_quietly(|| builder.check(model)) {
        panic!(
            "loom was not supposed to catch FiveSlotCounter (tests/shared/wrong_answers.rs) \
             with five threads: it loses updates only when six increments run at once. Has \
             the wrong answer changed? What loom found:\n{caught}\n{CHAPTER}"
        );
    }
}
