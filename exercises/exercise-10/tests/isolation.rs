//! Tests of faults inside one process (src/isolation.rs).

use std::sync::{Arc, Barrier, Mutex};
use std::thread;

use exercise_10::isolation::{
    Ledger, Recovery, ThreadJob, lock_recovering, run_isolated,
};

#[path = "shared/mod.rs"]
mod shared;
use shared::{CHAPTER, watched};

#[test]
fn a_panicking_job_fails_alone() {
    let results = watched("run_isolated", "join every thread yourself.", || {
        let jobs: Vec<ThreadJob<'static, u32>> = vec![
            Box::new(|| 1),
            Box::new(|| panic!("job 2 broke")),
            Box::new(|| 3),
            Box::new(|| panic!("{} broke", "job 4")),
        ];
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || run_isolated(jobs)))
    });
    let results = results.unwrap_or_else(|_| {
        panic!("run_isolated itself panicked: one job's panic must not escape (`join` returns it as an Err). {CHAPTER}")
    });
    assert_eq!(
        results,
        vec![
            Ok(1),
            Err("job 2 broke".to_string()),
            Ok(3),
            Err("job 4 broke".to_string())
        ],
        "each job's own result, in order; a panic becomes Err(its message). {CHAPTER}"
    );
}

#[test]
fn jobs_run_on_their_own_threads_at_the_same_time() {
    // Each job waits until all 3 are running: only 3 threads side by side get there.
    let barrier = Arc::new(Barrier::new(3));
    let results = watched(
        "run_isolated with 3 jobs that wait for each other",
        "start every job's thread before joining any.",
        move || {
            let jobs: Vec<ThreadJob<'static, bool>> = (0..3)
                .map(|_| {
                    let barrier = Arc::clone(&barrier);
                    Box::new(move || {
                        barrier.wait();
                        true
                    }) as ThreadJob<'static, bool>
                })
                .collect();
            run_isolated(jobs)
        },
    );
    assert_eq!(results, vec![Ok(true); 3], "{CHAPTER}");
}

#[test]
fn jobs_may_borrow_from_the_caller() {
    let data = [10, 20, 30];
    let jobs: Vec<ThreadJob<'_, i32>> = vec![
        Box::new(|| data[0] + data[1]),
        Box::new(|| data.iter().sum()),
    ];
    assert_eq!(run_isolated(jobs), vec![Ok(30), Ok(60)], "{CHAPTER}");
}

/// A ledger that a thread poisoned by panicking while it held the lock.
fn poisoned(
    entries: &[u64],
    during: impl FnOnce(&mut Ledger) + Send + 'static,
) -> Arc<Mutex<Ledger>> {
    let mut ledger = Ledger::default();
    entries.iter().for_each(|&e| ledger.add(e));
    let ledger = Arc::new(Mutex::new(ledger));
    let shared = Arc::clone(&ledger);
    // Caught quietly on its thread, after it poisoned the lock: the test's
    // own setup prints no panic.
    let died = thread::spawn(move || {
        course_support::catch_quietly(move || {
            let mut guard = shared.lock().unwrap();
            during(&mut guard);
            panic!("the thread dies holding the lock");
        })
        .is_err()
    })
    .join();
    assert!(
        died.unwrap_or(false) && ledger.is_poisoned(),
        "the test's setup should poison the lock"
    );
    ledger
}

#[test]
fn a_lock_that_was_never_poisoned_is_just_taken() {
    let ledger = Mutex::new(Ledger {
        entries: vec![1, 2],
        total: 3,
    });
    let (guard, recovery) = lock_recovering(&ledger);
    assert_eq!(recovery, Recovery::NotPoisoned, "{CHAPTER}");
    assert_eq!(
        *guard,
        Ledger {
            entries: vec![1, 2],
            total: 3
        },
        "{CHAPTER}"
    );
}

#[test]
fn a_poisoned_but_consistent_ledger_is_recovered_unchanged() {
    let ledger = poisoned(&[5, 7], |ledger| ledger.add(1));
    let result = course_support::catch_quietly(|| {
        let (guard, recovery) = lock_recovering(&ledger);
        (guard.clone(), recovery)
    });
    let (seen, recovery) = result.unwrap_or_else(|caught| {
        panic!("lock_recovering panicked: {caught}\nA poisoned lock gives Err(PoisonError), and `into_inner` still gives the guard. {CHAPTER}")
    });
    assert_eq!(
        recovery,
        Recovery::Consistent,
        "the ledger was consistent when its thread died. {CHAPTER}"
    );
    assert_eq!(
        seen,
        Ledger {
            entries: vec![5, 7, 1],
            total: 13
        },
        "nothing may change. {CHAPTER}"
    );
    assert!(
        !ledger.is_poisoned(),
        "after checking the data, clear the poison (`Mutex::clear_poison`). {CHAPTER}"
    );
    assert!(
        ledger.lock().is_ok(),
        "the next plain `lock()` should succeed. {CHAPTER}"
    );
}

#[test]
fn an_add_interrupted_by_a_panic_is_undone() {
    // `add` pushes the entry, then the total overflows and panics.
    let ledger = poisoned(&[5, 7], |ledger| ledger.add(u64::MAX));
    let result = course_support::catch_quietly(|| {
        let (guard, recovery) = lock_recovering(&ledger);
        (guard.clone(), recovery)
    });
    let (seen, recovery) = result
        .unwrap_or_else(|caught| panic!("lock_recovering panicked: {caught}\n{CHAPTER}"));
    assert_eq!(
        recovery,
        Recovery::Repaired {
            removed: vec![u64::MAX]
        },
        "the entry the total does not count must be removed, and reported. {CHAPTER}"
    );
    assert_eq!(
        seen,
        Ledger {
            entries: vec![5, 7],
            total: 12
        },
        "the ledger as it was before the failed add. {CHAPTER}"
    );
    assert!(
        !ledger.is_poisoned(),
        "a repaired lock is no longer poisoned. {CHAPTER}"
    );
}

#[test]
fn a_ledger_whose_total_is_wrong_through_and_through_is_emptied() {
    let ledger = poisoned(&[1, 2], |ledger| ledger.total = 1000);
    let (guard, recovery) = lock_recovering(&ledger);
    assert_eq!(
        recovery,
        Recovery::Repaired {
            removed: vec![1, 2]
        },
        "{CHAPTER}"
    );
    assert_eq!(
        *guard,
        Ledger::default(),
        "no entries left: the total is 0. {CHAPTER}"
    );
}
