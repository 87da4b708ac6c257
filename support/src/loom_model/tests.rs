use super::*;
use loom::sync::Arc;
use loom::sync::atomic::{AtomicU64, Ordering};

const SUITE: Suite = Suite {
    package: "exercise-99",
    target: "loom",
    chapter: "Read chapter 99.",
};

/// Two threads add one each with a load, then a store: loom must find
/// the lost update.
fn lost_update() {
    let count = Arc::new(AtomicU64::new(0));
    let other = {
        let count = Arc::clone(&count);
        loom::thread::spawn(move || {
            let seen = count.load(Ordering::SeqCst);
            count.store(seen + 1, Ordering::SeqCst);
        })
    };
    let seen = count.load(Ordering::SeqCst);
    count.store(seen + 1, Ordering::SeqCst);
    other.join().unwrap();
    assert_eq!(count.load(Ordering::SeqCst), 2, "LOST UPDATE");
}

#[test]
fn a_race_is_a_failure_that_names_the_test_to_replay() {
    let run = explore(lost_update);
    assert!(run.found.is_failure_with("LOST UPDATE"), "{}", run.found);
    assert!(!run.ignored);
    assert!(
        run.test
            .ends_with("a_race_is_a_failure_that_names_the_test_to_replay")
    );
    let complaint = SUITE
        .complaint(
            &run,
            "your counter",
            "2 in every interleaving",
            "Use fetch_add.",
        )
        .unwrap();
    for part in [
        "loom found an interleaving in which your counter goes wrong",
        "    ",
        "LOST UPDATE",
        "Expected: 2 in every interleaving",
        "Use fetch_add.",
        "LOOM_LOG=trace",
        "LOOM_CHECKPOINT_FILE=",
        "cargo test -p exercise-99 --test loom -- --exact loom_model::tests::",
        "Read chapter 99.",
    ] {
        assert!(
            complaint.contains(part),
            "{part:?} missing from:\n{complaint}"
        );
    }
    assert!(!complaint.contains("--ignored"), "{complaint}");
}

#[test]
fn a_correct_model_finds_nothing() {
    let run = explore(|| {
        let count = Arc::new(AtomicU64::new(0));
        let other = {
            let count = Arc::clone(&count);
            loom::thread::spawn(move || count.fetch_add(1, Ordering::SeqCst))
        };
        count.fetch_add(1, Ordering::SeqCst);
        other.join().unwrap();
        assert_eq!(count.load(Ordering::SeqCst), 2);
    });
    assert_eq!(run.found, Found::Nothing);
    assert_eq!(SUITE.complaint(&run, "it", "2", ""), None);
    SUITE.expect_nothing(&run, "it", "2", "");
}

#[test]
fn a_todo_is_not_written_yet_and_needs_no_replay() {
    let run = explore(|| todo!("exercise 99: write it"));
    assert!(matches!(run.found, Found::NotWritten(_)), "{}", run.found);
    let complaint = SUITE.complaint(&run, "your counter", "2", "").unwrap();
    assert!(
        complaint.contains("your counter is not written yet"),
        "{complaint}"
    );
    assert!(complaint.contains("exercise 99: write it"), "{complaint}");
    assert!(!complaint.contains("LOOM_LOG"), "{complaint}");
}

fn child(outcome: Outcome, stderr: &str) -> Run {
    Run::from(&ChildRun {
        test: "models::model_x".to_string(),
        outcome,
        limit: Duration::from_secs(7),
        stdout: String::new(),
        stderr: stderr.to_string(),
    })
}

#[test]
fn a_child_run_says_what_loom_found_and_replays_with_ignored() {
    let panicked = "thread 'models::model_x' panicked at src/bank.rs:3:5:";
    let run = child(
        Outcome::Deadlocked,
        &format!("{panicked}\n{LOOM_DEADLOCK} [..]"),
    );
    assert!(matches!(run.found, Found::Deadlock(_)), "{}", run.found);
    let complaint = SUITE
        .complaint(&run, "your `transfer`", "no deadlock", "")
        .unwrap();
    assert!(
        complaint.contains("DEADLOCK in your `transfer`"),
        "{complaint}"
    );
    assert!(
        complaint.contains("--exact models::model_x --ignored"),
        "{complaint}"
    );

    let todo = child(
        Outcome::Failed,
        &format!("{panicked}\nnot yet implemented: x"),
    );
    assert!(matches!(todo.found, Found::NotWritten(_)), "{}", todo.found);
    let failed = child(Outcome::Failed, &format!("{panicked}\nassertion failed"));
    assert!(failed.found.is_failure_with("assertion failed"));
    let slow = child(Outcome::TimedOut, "");
    assert_eq!(slow.found, Found::TimedOut(Duration::from_secs(7)));
    assert!(
        SUITE
            .complaint(&slow, "it", "an end", "")
            .unwrap()
            .contains("did not finish within 7s")
    );
    assert_eq!(child(Outcome::Passed, "").found, Found::Nothing);
}

#[test]
fn a_known_wrong_answer_must_stay_caught() {
    let run = explore(lost_update);
    SUITE.expect_caught(&run, "the lost update", |f| {
        f.is_failure_with("LOST UPDATE")
    });
    let caught = panic::catch_unwind(|| {
        SUITE.expect_caught(&run, "the lost update", |f| *f == Found::Nothing)
    })
    .unwrap_err();
    let message = panic_message(&*caught);
    assert!(
        message.contains("loom no longer catches the lost update"),
        "{message}"
    );
    assert!(message.contains("LOST UPDATE"), "{message}");
}

/// The lost update again, on the recorded atomics of `crate::recorded`.
fn recorded_lost_update() {
    use crate::recorded::sync::atomic::AtomicU64;
    let count = Arc::new(AtomicU64::new(0));
    let other = {
        let count = Arc::clone(&count);
        loom::thread::spawn(move || {
            let seen = count.load(Ordering::SeqCst);
            count.store(seen + 1, Ordering::SeqCst);
        })
    };
    let seen = count.load(Ordering::SeqCst);
    count.store(seen + 1, Ordering::SeqCst);
    other.join().unwrap();
    assert_eq!(count.load(Ordering::SeqCst), 2, "LOST UPDATE");
}

#[test]
fn a_recorded_race_is_shown_as_a_table_of_its_one_failing_execution() {
    let run = explore(recorded_lost_update);
    let trace = run.trace.clone().expect("a recorded failure has a trace");
    let complaint = SUITE.complaint(&run, "your counter", "2", "").unwrap();
    for part in [
        "thread 0  ",
        "thread 1  ",
        "count.load(SeqCst) -> 0",
        "count.store(1, SeqCst)",
        "Then it broke:",
        "LOST UPDATE",
        "cargo xtask trace 99",
    ] {
        assert!(
            complaint.contains(part),
            "{part:?} missing from:\n{complaint}"
        );
    }
    assert_eq!(trace, explore(recorded_lost_update).trace.unwrap());
    assert!(trace.json.contains("\"op\": \"store\""), "{}", trace.json);
}

#[test]
#[ignore = "run in a child process by a_recorded_deadlock_says_who_holds_and_waits_for_what"]
fn recorded_deadlock() {
    use crate::recorded::named;
    use crate::recorded::sync::Mutex;
    check(|| {
        let locks =
            Arc::new((named("a", || Mutex::new(1)), named("b", || Mutex::new(2))));
        let other = {
            let locks = Arc::clone(&locks);
            loom::thread::spawn(move || {
                let _b = locks.1.lock().unwrap();
                let _a = locks.0.lock().unwrap();
            })
        };
        {
            let _a = locks.0.lock().unwrap();
            let _b = locks.1.lock().unwrap();
        }
        other.join().unwrap();
    });
}

#[test]
fn a_recorded_deadlock_says_who_holds_and_waits_for_what() {
    let run = in_child(module_path!(), "recorded_deadlock");
    assert!(matches!(run.found, Found::Deadlock(_)), "{}", run.found);
    let table = run.trace.expect("the child printed its trace").table;
    for part in [
        "thread 0 holds a and waits for b",
        "thread 1 holds b and waits for a",
    ] {
        assert!(table.contains(part), "{part:?} missing from:\n{table}");
    }
}

/// Two threads add one under `try_lock`, skipping the add when it is busy:
/// the count ends at 1 when one thread finds the lock taken.
fn try_lock_counter<M: Send + Sync + 'static>(
    new: fn() -> M,
    try_add: fn(&M) -> bool,
) -> impl Fn() + Send + Sync + 'static {
    move || {
        let count = Arc::new(new());
        let other = {
            let count = Arc::clone(&count);
            loom::thread::spawn(move || try_add(&count))
        };
        let mine = try_add(&count);
        assert!(
            other.join().unwrap() && mine,
            "SKIPPED: a try_lock found the lock busy"
        );
    }
}

#[test]
fn loom_alone_never_finds_a_lock_busy_the_recorded_mutex_does() {
    // loom switches threads only at its own operations, and releasing a
    // lock is not one: a critical section without one is a single step.
    let plain = explore(try_lock_counter(
        || loom::sync::Mutex::new(0),
        |m| m.try_lock().map(|mut v| *v += 1).is_ok(),
    ));
    assert_eq!(plain.found, Found::Nothing);
    let recorded = explore(try_lock_counter(
        || crate::recorded::sync::Mutex::new(0),
        |m| m.try_lock().map(|mut v| *v += 1).is_ok(),
    ));
    assert!(
        recorded.found.is_failure_with("SKIPPED"),
        "{}",
        recorded.found
    );
    let table = recorded.trace.unwrap().table;
    assert!(table.contains("try_lock(): BUSY, not taken"), "{table}");
}
