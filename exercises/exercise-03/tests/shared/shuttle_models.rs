//! The shuttle models of exercise 03 (chapter 03, `book/src/03-race-conditions.md`).
//!
//! Each model starts 8 or 16 threads on one of your types and checks the result
//! once they are all done. shuttle runs it again and again, each time with a
//! different random schedule (which thread runs at each atomic operation or lock
//! call), under two schedulers: a plain random one and PCT, which picks random
//! priorities and a few random points to change them. The seeds are fixed, so
//! every run of this file tries the same schedules. The driver, and the help
//! on replaying a failure, are `course_support::shuttle_model`.
//!
//! loom (`loom_models.rs`) tries *every* schedule, but only of 2 to 5 threads.
//! shuttle tries a *sample*, but of many threads: it can miss a bug, and it
//! treats every atomic as `SeqCst`, so it cannot find a memory-ordering bug.
//!
//! * For part (a) the test passes when shuttle *finds* a lost update.
//! * For parts (b) and (c) it passes when shuttle finds *nothing*.
//! * The `shuttle_catches_wrong_*` tests run the same models on the known wrong
//!   answers (`wrong_answers.rs`) and pass when shuttle catches each one; one
//!   of them, `FiveSlotCounter`, needs six threads, which loom cannot run.

use course_support::is_todo;
use course_support::shuttle_model::{RUNS, Scheduler, Suite, fail, runs};
use shuttle::thread;

use crate::account::{Account, Withdraw};
use crate::counter::{AtomicCounter, Counter, MutexCounter, RacyCounter};
use crate::sync::Arc;

#[path = "wrong_answers.rs"]
mod wrong_answers;
use wrong_answers::*;

const CHAPTER: &str = "Read chapter 03, \"The price of sharing: race conditions\" (book/src/03-race-conditions.md).";

/// Where to replay these models, for the failure messages; the seed of
/// their schedules. The driver is `course_support::shuttle_model`.
const SUITE: Suite = Suite {
    package: env!("CARGO_PKG_NAME"),
    target: env!("CARGO_CRATE_NAME"),
    chapter: CHAPTER,
    seed: 0x0003_5EED,
};

/// Every assertion about a race starts with this, so that a race is told
/// apart from a `todo!()` or another panic.
const RACE: &str = "RACE FOUND";

/// For your fixed types: no schedule may go wrong, at any thread count.
fn verify<M: Fn() + Send + Sync + 'static>(what: &str, model: impl Fn(usize) -> M) {
    let advice = |message: &str| {
        if message.contains(RACE) {
            String::new()
        } else {
            "The panic comes from your code (an overflow, an `unwrap`): look at what the \
             other threads did before it."
                .to_string()
        }
    };
    SUITE.verify(what, advice, model);
}

/// For the known wrong answers: shuttle must find the race, at every thread
/// count, under both schedulers.
fn catches<M: Fn() + Send + Sync + 'static>(what: &str, model: impl Fn(usize) -> M) {
    SUITE.catches(what, |message| message.contains(RACE), model);
}

// ---- the models ---------------------------------------------------------------------

/// Each of `threads` threads increments twice; the count must be `2 * threads`.
fn counter_model<C: Counter>(
    name: &'static str,
    threads: usize,
) -> impl Fn() + Send + Sync {
    move || {
        let alone = C::new();
        alone.increment();
        alone.increment();
        let count = alone.get();
        assert!(
            count == 2,
            "NOT COUNTING: on a single thread, two calls of {name}::increment() left the \
             count at {count}, not 2."
        );

        let counter = Arc::new(C::new());
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let counter = Arc::clone(&counter);
                thread::spawn(move || {
                    counter.increment();
                    counter.increment();
                })
            })
            .collect();
        for handle in handles {
            handle.join().expect("a thread panicked");
        }
        let count = counter.get();
        let expected = 2 * threads as u64;
        assert!(
            count == expected,
            "{RACE}: lost update. {threads} threads each called {name}::increment() twice, \
             so the count should be {expected}, but after this schedule it is {count}."
        );
    }
}

/// `threads` threads each withdraw 1 from an account holding `threads - 2`:
/// exactly `threads - 2` must be paid, and the balance must end at 0.
fn account_model<A: Withdraw>(
    name: &'static str,
    threads: usize,
) -> impl Fn() + Send + Sync {
    move || {
        let alone = A::with_balance(1);
        assert!(
            alone.withdraw(1) && !alone.withdraw(1) && alone.balance() == 0,
            "NOT AN ACCOUNT: on a single thread, {name} with 1 must pay out 1 once, \
             then refuse, and hold 0."
        );

        let start = threads as u64 - 2;
        let account = Arc::new(A::with_balance(start));
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let account = Arc::clone(&account);
                thread::spawn(move || account.withdraw(1))
            })
            .collect();
        let paid = handles
            .into_iter()
            .map(|handle| handle.join().expect("a thread panicked"))
            .filter(|&paid| paid)
            .count() as u64;
        let balance = account.balance();
        assert!(
            paid <= start && balance == start - paid,
            "{RACE}: overdrawn. {name} held {start}; {threads} threads each withdrew 1 and \
             {paid} were paid, leaving a balance of {balance}."
        );
        assert!(
            paid == start,
            "{RACE}: refused by mistake. {name} held {start}; {threads} threads each \
             withdrew 1, but only {paid} were paid and {balance} is left in the account."
        );
    }
}

// ---- your code --------------------------------------------------------------------

#[test]
fn shuttle_finds_lost_update_in_racy_counter() {
    for (threads, scheduler) in runs() {
        let model = counter_model::<RacyCounter>("RacyCounter", threads);
        match SUITE.explore(scheduler, model) {
            Err(message) if message.contains(RACE) => {} // found it, as it should
            Err(message) if message.lines().any(is_todo) => fail(format!(
                "your RacyCounter is not written yet: shuttle's model reached a \
                 `todo!()`:\n\n    {message}\n\n{CHAPTER}"
            )),
            Err(message) => fail(format!(
                "your RacyCounter panicked with {threads} threads ({scheduler}), but not \
                 with a lost update:\n\n    {message}\n\n{CHAPTER}"
            )),
            Ok(()) => fail(format!(
                "shuttle tried {RUNS} schedules of {threads} threads that each call \
                 RacyCounter::increment() twice ({scheduler}), and the count was always \
                 right: your RacyCounter never loses an update. It is accidentally correct!\n\
                 Part (a) asks for a counter that DOES lose updates: read the count with one \
                 atomic operation (`load`), then write it + 1 with a separate one (`store`). \
                 {CHAPTER}"
            )),
        }
    }
}

#[test]
fn shuttle_atomic_counter_never_loses_an_update() {
    verify("your AtomicCounter", |n| {
        counter_model::<AtomicCounter>("AtomicCounter", n)
    });
}

#[test]
fn shuttle_mutex_counter_never_loses_an_update() {
    verify("your MutexCounter", |n| {
        counter_model::<MutexCounter>("MutexCounter", n)
    });
}

#[test]
fn shuttle_account_never_overdraws_nor_refuses_by_mistake() {
    verify("your Account", |n| account_model::<Account>("Account", n));
}

// ---- the known wrong answers (tests/shared/wrong_answers.rs) ------------------------

macro_rules! catches_wrong {
    ($($test:ident: $model:ident::<$wrong:ident>;)*) => {$(
        #[test]
        fn $test() {
            catches(
                concat!("the known wrong answer ", stringify!($wrong),
                        " (tests/shared/wrong_answers.rs)"),
                |n| $model::<$wrong>(stringify!($wrong), n),
            );
        }
    )*};
}

catches_wrong! {
    shuttle_catches_wrong_load_then_store_counter: counter_model::<LoadThenStoreCounter>;
    shuttle_catches_wrong_cas_without_retry_counter: counter_model::<CasWithoutRetryCounter>;
    shuttle_catches_wrong_lock_twice_counter: counter_model::<LockTwiceCounter>;
    shuttle_catches_wrong_try_lock_counter: counter_model::<TryLockCounter>;
    shuttle_catches_wrong_check_then_fetch_sub_account: account_model::<CheckThenFetchSubAccount>;
    shuttle_catches_wrong_check_then_store_account: account_model::<CheckThenStoreAccount>;
    shuttle_catches_wrong_lock_dropped_between_check_and_act_account:
        account_model::<LockDroppedBetweenCheckAndActAccount>;
    shuttle_catches_wrong_cas_without_retry_account: account_model::<CasWithoutRetryAccount>;
    shuttle_catches_wrong_fetch_sub_then_undo_account: account_model::<FetchSubThenUndoAccount>;
}

/// The bug that needs six threads, which loom cannot run
/// (`loom_cannot_see_five_slot_counter` in loom_models.rs).
#[test]
fn shuttle_catches_wrong_five_slot_counter() {
    // Under the random scheduler only. PCT runs one thread at a time until
    // one of its PCT_DEPTH - 1 = 5 priority changes; this bug needs five
    // threads paused inside their slots (one of them between its load and
    // its store), so all five changes must land there. With the random
    // scheduler it takes a few runs; PCT found it within 500 runs of 8
    // threads for only 4 seeds of 20: too rarely to count on.
    SUITE.catches_under(
        &[Scheduler::Random],
        "the known wrong answer FiveSlotCounter (tests/shared/wrong_answers.rs)",
        |message| message.contains(RACE),
        |n| counter_model::<FiveSlotCounter>("FiveSlotCounter", n),
    );
}
