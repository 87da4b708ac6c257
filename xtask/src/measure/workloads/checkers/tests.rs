//! The checkers' models, checked without a clock: loom runs every
//! interleaving of the correct model, shuttle catches each buggy one where
//! it must, and the five-slot counter is correct with five threads.

use std::time::Duration;

use super::shuttle_runs::{self, Model, Sched};
use super::{COURSE_PREEMPTIONS, loom_runs};

const AMPLE: Duration = Duration::from_secs(120);

#[test]
fn loom_runs_every_interleaving_of_two_threads_and_counts_them() {
    let row = loom_runs::measure(2, None, AMPLE, || {});
    assert!(row.finished, "{row:?}");
    // Two threads, two locks each: more than one order, and few.
    assert!((2..10_000).contains(&row.iterations), "{row:?}");
    let again = loom_runs::measure(2, None, AMPLE, || {});
    assert_eq!(
        row.iterations, again.iterations,
        "loom's search is deterministic"
    );
}

#[test]
fn loom_stops_a_row_at_its_budget_and_says_so() {
    let row = loom_runs::measure(4, None, Duration::from_millis(1), || {});
    assert!(!row.finished, "{row:?}");
}

#[test]
fn shuttle_catches_the_lost_update_under_both_schedulers() {
    for sched in [Sched::Random, Sched::Pct(3)] {
        let row =
            shuttle_runs::measure(Model::LostUpdate, 4, sched, 3, 1_000, AMPLE, &|| {});
        assert_eq!(row.found(), 3, "{row:?}");
        assert!(row.median().is_some() && row.max().is_some(), "{row:?}");
    }
}

#[test]
fn the_five_slot_counter_is_correct_with_five_threads_and_wrong_with_eight() {
    let five =
        shuttle_runs::measure(Model::FiveSlots, 5, Sched::Random, 2, 300, AMPLE, &|| {});
    assert_eq!(five.found(), 0, "{five:?}");
    assert_eq!(five.runs, 600, "every run of every seed ran: {five:?}");
    let eight = shuttle_runs::measure(
        Model::FiveSlots,
        8,
        Sched::Random,
        2,
        20_000,
        AMPLE,
        &|| {},
    );
    assert_eq!(eight.found(), 2, "{eight:?}");
}

#[test]
fn a_median_counts_a_search_that_found_nothing_as_more_than_the_cap() {
    let mut row = shuttle_runs::measure(
        Model::LostUpdate,
        2,
        Sched::Random,
        1,
        1_000,
        AMPLE,
        &|| {},
    );
    row.first_failure = vec![Some(4), Some(2), None];
    assert_eq!(row.median(), Some(4.0));
    assert_eq!(row.max(), None);
    row.first_failure = vec![Some(4), None, None];
    assert_eq!(row.median(), None);
    row.first_failure = vec![Some(3), Some(1), Some(8), Some(5)];
    assert_eq!((row.median(), row.max()), (Some(4.0), Some(8)));
}

#[test]
fn the_course_bound_is_the_one_its_loom_driver_uses() {
    assert_eq!(COURSE_PREEMPTIONS, course_support::loom_model::PREEMPTIONS);
}

#[test]
fn the_book_gets_both_tables_and_a_chart_with_a_lower_bound_marked() {
    let mut stopped = loom_runs::measure(4, None, Duration::from_millis(1), || {});
    stopped.threads = 5;
    let search = |model, threads, sched| {
        shuttle_runs::measure(model, threads, sched, 3, 2_000, AMPLE, &|| {})
    };
    let run = super::CheckersRun {
        machine: crate::measure::machine::Machine::now(),
        seeds: 3,
        loom: vec![loom_runs::measure(2, None, AMPLE, || {}), stopped],
        loom_skipped: vec![(5, Some(3), "not run: a reason".into())],
        shuttle: vec![
            search(Model::LostUpdate, 2, Sched::Random),
            search(Model::LostUpdate, 8, Sched::Pct(3)),
            search(Model::FiveSlots, 5, Sched::Random),
        ],
        seconds: 1.0,
    };
    let dir =
        std::env::temp_dir().join(format!("xtask-checkers-test-{}", std::process::id()));
    let written = run.write_book(&dir, "checkers".into()).unwrap();
    let markdown = std::fs::read_to_string(&written[0]).unwrap();
    for expected in [
        "| 2 | none (loom's default) |",
        "did not finish in 0 s",
        "| 5 | 3 (the course's tests) | - | - | not run: a reason |",
        "| five-slot counter | 5 | random | 0 of 3 | > 2,000 | > 2,000 |",
        "load average",
    ] {
        assert!(
            markdown.contains(expected),
            "{expected:?} not in\n{markdown}"
        );
    }
    let svg = std::fs::read_to_string(&written[1]).unwrap();
    assert!(svg.contains("ran out of time"), "{svg}");
    assert!(run.table().contains("lost update"), "{}", run.table());
    assert!(run.json().contains("\"first_failure\""));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The five-slot counter needs six threads in flight: loom 0.7.2 stops at
/// five, the main one among them (`loom::MAX_THREADS`).
#[test]
fn loom_refuses_a_sixth_thread() {
    let refused = std::panic::catch_unwind(|| {
        let mut builder = loom::model::Builder::new();
        builder.preemption_bound = Some(1);
        builder.check(|| {
            let others: Vec<_> = (1..6).map(|_| loom::thread::spawn(|| {})).collect();
            others.into_iter().for_each(|t| t.join().unwrap());
        });
    });
    let message =
        course_support::panic_message(&*refused.expect_err("loom ran six threads"));
    assert!(
        message.contains("self.threads.len() < self.max()"),
        "{message}"
    );
    assert_eq!(loom::MAX_THREADS, 5);
}
