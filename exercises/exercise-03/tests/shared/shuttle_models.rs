//! The shuttle models of exercise 03 (chapter 03, `book/src/03-race-conditions.md`).
//!
//! Each model starts 8 or 16 threads on one of your types and checks the result
//! once they are all done. shuttle runs it again and again, each time with a
//! different random schedule (which thread runs at each atomic operation or lock
//! call), under two schedulers: a plain random one and PCT, which picks random
//! priorities and a few random points to change them. The seeds are fixed, so
//! every run of this file tries the same schedules.
//!
//! loom (`loom_models.rs`) tries *every* schedule, but only of 2 or 3 threads.
//! shuttle tries a *sample*, but of many threads: it can miss a bug, and it
//! treats every atomic as `SeqCst`, so it cannot find a memory-ordering bug.
//!
//! * For part (a) the test passes when shuttle *finds* a lost update.
//! * For parts (b) and (c) it passes when shuttle finds *nothing*.
//! * The `shuttle_catches_wrong_*` tests run the same models on the known wrong
//!   answers (`wrong_answers.rs`) and pass when shuttle catches each one.

use std::panic::{self, AssertUnwindSafe};

use shuttle::scheduler::{PctScheduler, RandomScheduler};
use shuttle::{Config, Runner, thread};

use crate::account::{Account, Withdraw};
use crate::counter::{AtomicCounter, Counter, MutexCounter, RacyCounter};
use crate::sync::Arc;

#[path = "wrong_answers.rs"]
mod wrong_answers;
use wrong_answers::*;

const CHAPTER: &str = "Read chapter 03, \"The price of sharing: race conditions\" (book/src/03-race-conditions.md).";

/// Every assertion about a race starts with this, so that a race is told
/// apart from a `todo!()` or another panic.
const RACE: &str = "RACE FOUND";

/// Set to a schedule that shuttle printed, it replays that one schedule.
const REPLAY: &str = "SHUTTLE_REPLAY";

/// The thread counts of every model: more than loom can explore.
const THREADS: [usize; 2] = [8, 16];
/// Schedules tried per scheduler and thread count (a few seconds in all).
const RUNS: usize = 500;
/// PCT's depth: how many priority changes a schedule may have.
const PCT_DEPTH: usize = 6;
const SEED: u64 = 0x0003_5EED;

#[derive(Clone, Copy, Debug)]
enum Scheduler {
    Random,
    Pct,
}

/// Runs `model` under `scheduler` (or replays `$SHUTTLE_REPLAY`); the message
/// of the first schedule that panicked, if any.
fn explore(
    scheduler: Scheduler,
    model: impl Fn() + Send + Sync + 'static,
) -> Result<(), String> {
    let run = move || match std::env::var(REPLAY) {
        Ok(schedule) => {
            // shuttle wraps a long schedule over several lines: join them.
            let schedule: String = schedule
                .split(|c: char| c.is_whitespace() || c == '"')
                .collect();
            shuttle::replay(model, &schedule)
        }
        Err(_) => match scheduler {
            Scheduler::Random => {
                let random = RandomScheduler::new_from_seed(SEED, RUNS);
                Runner::new(random, Config::new()).run(model);
            }
            Scheduler::Pct => {
                let pct = PctScheduler::new_from_seed(SEED, PCT_DEPTH, RUNS);
                Runner::new(pct, Config::new()).run(model);
            }
        },
    };
    panic::catch_unwind(AssertUnwindSafe(run))
        .map_err(|payload| course_support::panic_message(&*payload))
}

/// The name of the running test, for the replay command.
fn test_name() -> String {
    // libtest names each test's thread after the test's full path.
    std::thread::current()
        .name()
        .unwrap_or("TEST_NAME")
        .to_string()
}

fn replay_help(threads: usize) -> String {
    format!(
        "shuttle explores random schedules of many threads (8 and 16 here, where loom \
         stops at a few), so it finds races that need many threads in flight. It printed \
         the schedule that failed above, between the quotes after `failing schedule:` \
         (all of its lines). To replay exactly that schedule, step by step the same:\n\n    \
         SHUTTLE_THREADS={threads} {REPLAY}='<that string>' \
         cargo test -p {} --test shuttle {} -- --exact\n",
        env!("CARGO_PKG_NAME"),
        test_name()
    )
}

/// Every (thread count, scheduler) pair; when replaying, only the thread count
/// of the failing schedule (`$SHUTTLE_THREADS`), once.
fn runs() -> Vec<(usize, Scheduler)> {
    if std::env::var_os(REPLAY).is_some() {
        let threads = std::env::var("SHUTTLE_THREADS")
            .ok()
            .and_then(|n| n.parse().ok());
        return vec![(threads.unwrap_or(THREADS[0]), Scheduler::Random)];
    }
    let both = [Scheduler::Pct, Scheduler::Random];
    THREADS.iter().flat_map(|&n| both.map(|s| (n, s))).collect()
}

/// Fails the test with `message`. Not by `panic!`: shuttle's panic hook, once
/// installed, would print a bogus "failing schedule" for a panic outside shuttle.
fn fail(message: String) -> ! {
    eprintln!("{message}");
    panic::resume_unwind(Box::new(message))
}

/// For your fixed types: no schedule may go wrong, at any thread count.
fn verify<M: Fn() + Send + Sync + 'static>(what: &str, model: impl Fn(usize) -> M) {
    for (threads, scheduler) in runs() {
        let Err(message) = explore(scheduler, model(threads)) else {
            continue;
        };
        let advice = if message.contains(RACE) {
            replay_help(threads)
        } else {
            "If the panic comes from your code (a `todo!()`, an overflow, an `unwrap`), \
                 fix that first."
                .to_string()
        };
        fail(format!(
            "{what} failed with {threads} threads under shuttle's {scheduler:?} \
                 scheduler:\n\n{message}\n\n{advice}\n{CHAPTER}"
        ));
    }
}

/// For part (a) and the known wrong answers: shuttle must find the race, at
/// every thread count, under both schedulers.
fn catches<M: Fn() + Send + Sync + 'static>(what: &str, model: impl Fn(usize) -> M) {
    for (threads, scheduler) in runs() {
        match explore(scheduler, model(threads)) {
            Err(message) if message.contains(RACE) => {}
            Err(message) => fail(format!(
                "{what} panicked with {threads} threads under shuttle's {scheduler:?} \
                     scheduler, but not with a lost update or a wrong balance:\n\n\
                     {message}\n\n{CHAPTER}"
            )),
            Ok(()) => fail(format!(
                "shuttle did NOT catch {what}: {RUNS} random schedules of {threads} \
                     threads under its {scheduler:?} scheduler all looked fine. The model \
                     has grown too weak to find this bug. {CHAPTER}"
            )),
        }
    }
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
    catches("your RacyCounter (part a: it must lose updates)", |n| {
        counter_model::<RacyCounter>("RacyCounter", n)
    });
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
