use std::sync::Arc;

use shuttle::sync::Mutex;
use shuttle::sync::atomic::{AtomicU64, Ordering};
use shuttle::thread;

use super::*;

const SUITE: Suite = Suite {
    package: "exercise-99",
    target: "shuttle",
    chapter: "Read chapter 99.",
    seed: 99,
};

/// `threads` threads add one each, with a load, then a store (`racy`) or
/// with `fetch_add`; the count must be `threads`.
fn counting(racy: bool) -> impl Fn(usize) -> Box<dyn Fn() + Send + Sync> {
    move |threads| {
        Box::new(move || {
            let count = Arc::new(AtomicU64::new(0));
            let handles: Vec<_> = (0..threads)
                .map(|_| {
                    let count = Arc::clone(&count);
                    thread::spawn(move || {
                        if racy {
                            let seen = count.load(Ordering::SeqCst);
                            count.store(seen + 1, Ordering::SeqCst);
                        } else {
                            count.fetch_add(1, Ordering::SeqCst);
                        }
                    })
                })
                .collect();
            for handle in handles {
                handle.join().unwrap();
            }
            assert_eq!(count.load(Ordering::SeqCst), threads as u64, "LOST UPDATE");
        })
    }
}

/// The message of the test failure that `f` ends in.
fn failure(f: impl FnOnce()) -> String {
    let payload = panic::catch_unwind(panic::AssertUnwindSafe(f)).unwrap_err();
    crate::panic_message(&*payload)
}

#[test]
fn runs_every_thread_count_under_both_schedulers() {
    assert_eq!(runs().len(), 2 * THREADS.len());
    assert!(
        THREADS.iter().all(|&n| n > 5),
        "more threads than loom allows"
    );
}

#[test]
fn a_race_is_caught_and_a_fix_verified() {
    SUITE.catches(
        "a racy counter",
        |m| m.contains("LOST UPDATE"),
        counting(true),
    );
    SUITE.verify("a counter", |_| String::new(), counting(false));
    SUITE.misses("nothing", "a correct counter", counting(false));
}

#[test]
fn a_failure_says_what_went_wrong_and_how_to_replay_it() {
    let message = failure(|| {
        SUITE.verify("your counter", |_| "Use fetch_add.".into(), counting(true))
    });
    for part in [
        "shuttle found a schedule of 8 threads in which your counter goes wrong",
        "    ",
        "LOST UPDATE",
        "Use fetch_add.",
        "SHUTTLE_THREADS=8 SHUTTLE_REPLAY='<that string>' cargo test -p exercise-99 --test shuttle",
        "a_failure_says_what_went_wrong_and_how_to_replay_it -- --exact",
        "Read chapter 99.",
    ] {
        assert!(message.contains(part), "{part:?} missing from:\n{message}");
    }
}

#[test]
fn a_todo_is_not_written_yet() {
    let message = failure(|| {
        SUITE.verify(
            "your counter",
            |_| String::new(),
            |_| || -> () { todo!("exercise 99") },
        )
    });
    assert!(
        message.contains("your counter is not written yet"),
        "{message}"
    );
    assert!(message.contains("Read chapter 99."), "{message}");
    assert!(!message.contains(REPLAY), "{message}");
}

#[test]
fn a_deadlock_is_reported_as_one() {
    let twice = |_threads| {
        || {
            let m = Mutex::new(0);
            let _a = m.lock().unwrap();
            let _b = m.lock().unwrap();
        }
    };
    SUITE.catches("a lock taken twice", |m| m.starts_with(DEADLOCK), twice);
    // Two threads take two locks in opposite orders.
    let crossed = |_threads| {
        || {
            let locks = Arc::new((Mutex::new(0), Mutex::new(0)));
            let other = {
                let locks = Arc::clone(&locks);
                thread::spawn(move || {
                    let _b = locks.1.lock().unwrap();
                    let _a = locks.0.lock().unwrap();
                })
            };
            {
                let _a = locks.0.lock().unwrap();
                let _b = locks.1.lock().unwrap();
            }
            other.join().unwrap();
        }
    };
    SUITE.catches(
        "two locks in opposite orders",
        |m| {
            m.starts_with("deadlock! every thread is blocked")
                && m.contains("\n  main-thread")
        },
        crossed,
    );
}

#[test]
fn a_bug_that_should_be_missed_but_is_caught_fails() {
    let message =
        failure(|| SUITE.misses("a racy counter", "it is racy.", counting(true)));
    assert!(
        message.contains("shuttle caught a racy counter"),
        "{message}"
    );
    assert!(message.contains("it is racy."), "{message}");
}

#[test]
fn a_bug_no_longer_caught_fails() {
    let message = failure(|| SUITE.catches("a counter", |_| true, counting(false)));
    assert!(
        message.contains("shuttle did NOT catch a counter"),
        "{message}"
    );
}

#[test]
fn a_deadlock_lists_one_blocked_thread_a_line() {
    let message = "deadlock! blocked tasks: [main-thread (task main-thread(0)), teller 1: \
                   #1 -> #2 (task teller 1: #1 -> #2(1), pending future)]";
    assert_eq!(
        one_blocked_thread_a_line(message),
        "deadlock! every thread is blocked, waiting for another:\n  main-thread\n  teller 1: #1 -> #2"
    );
    let other = "deadlock! task main-thread(0) tried to acquire a Mutex it already holds";
    assert_eq!(one_blocked_thread_a_line(other), other);
}
