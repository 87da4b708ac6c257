//! Tests of the whole pipeline: `analyse` must give exactly the report of
//! the sequential reference, with any number of workers, without hanging,
//! and report every unreadable file and malformed line.
//! They never check how fast it is: `cargo bench -p exercise-11` does.

use std::path::PathBuf;

use course_support::worker::run_workers;
use exercise_11::generate::{Shape, merge_exact};
use exercise_11::{Config, Report, Stats, TOP, analyse, analyse_sequential, wire};

#[path = "shared/common.rs"]
mod common;
use common::{
    CHAPTER, assert_same_report, expected_report, small_tree, tree, watched,
    worker_program,
};

fn analysed(root: PathBuf, workers: usize) -> Report {
    let config = Config::new(workers, worker_program());
    let what = format!("analyse with {workers} workers");
    match watched(&what, move || analyse(&root, &config)) {
        Ok(report) => report,
        Err(error) => panic!(
            "{what} failed: {error}. Unreadable files and malformed lines belong in the report; \
             an Err is only for a failure of the machinery. {CHAPTER}"
        ),
    }
}

#[test]
fn the_sequential_pipeline_matches_the_generators_count() {
    let tree = small_tree(11);
    let root = tree.root().to_path_buf();
    let report = watched("analyse_sequential", move || analyse_sequential(&root, TOP));
    assert_same_report("analyse_sequential", &report, &expected_report(&tree, TOP));
}

#[test]
fn analyse_matches_the_sequential_reference_with_1_to_4_workers() {
    for (seed, workers) in [(21, 1), (22, 2), (23, 3), (24, 4)] {
        let tree = small_tree(seed);
        let report = analysed(tree.root().to_path_buf(), workers);
        assert_same_report(
            &format!("analyse with {workers} workers"),
            &report,
            &expected_report(&tree, TOP),
        );
        let root = tree.root().to_path_buf();
        let reference =
            watched("analyse_sequential", move || analyse_sequential(&root, TOP));
        assert!(
            report == reference,
            "analyse with {workers} workers differs from analyse_sequential (in the reasons?). {CHAPTER}"
        );
    }
}

#[test]
fn the_top_count_is_respected() {
    let tree = small_tree(31);
    let root = tree.root().to_path_buf();
    let mut config = Config::new(2, worker_program());
    config.top = 3;
    let report =
        watched("analyse", move || analyse(&root, &config)).expect("analyse failed");
    assert_same_report("analyse with top = 3", &report, &expected_report(&tree, 3));
}

#[test]
fn more_workers_than_files_is_fine() {
    let tree = tree(
        41,
        Shape {
            days: 1,
            files_per_day: 1,
            lines_per_file: 40,
        },
    );
    let report = analysed(tree.root().to_path_buf(), 16);
    assert_same_report(
        "analyse with 16 workers and a handful of files",
        &report,
        &expected_report(&tree, TOP),
    );
}

#[test]
fn an_empty_tree_gives_an_empty_report() {
    // No days at all: only notes.txt, which is not a log.
    let tree = tree(
        51,
        Shape {
            days: 0,
            files_per_day: 0,
            lines_per_file: 0,
        },
    );
    let report = analysed(tree.root().to_path_buf(), 2);
    let empty = Report::from_stats(Stats::default(), TOP);
    assert_eq!(report, empty, "a tree without log files. {CHAPTER}");
}

#[test]
fn a_missing_folder_is_reported_not_fatal() {
    let tree = small_tree(61);
    let root = tree.root().join("no-such-folder");
    let report = analysed(root.clone(), 2);
    let paths: Vec<&PathBuf> = report.unreadable.iter().map(|e| &e.path).collect();
    assert_eq!(
        paths,
        [&root],
        "the missing folder, in the report's unreadable list. {CHAPTER}"
    );
    assert_eq!(
        (report.files, report.entries),
        (0, 0),
        "nothing read. {CHAPTER}"
    );
}

#[test]
fn the_worker_process_answers_with_the_stats_of_its_files() {
    let tree = small_tree(71);
    let files = tree.log_files().to_vec();
    let half = files.len() / 2;
    let requests = vec![
        wire::encode_request(&files[..half]),
        wire::encode_request(&files[half..]),
    ];
    let answers = watched("two worker processes", move || run_workers(&worker_program(), &requests))
        .unwrap_or_else(|e| {
            panic!("worker process {} failed: {}. It runs your analyse_file and merge. {CHAPTER}", e.worker, e.problem)
        });
    let mut total = common::folder_errors(&tree);
    for answer in answers {
        let stats =
            wire::decode_stats(&answer).unwrap_or_else(|e| panic!("{e}. {CHAPTER}"));
        merge_exact(&mut total, stats);
    }
    assert_same_report(
        "the worker processes",
        &Report::from_stats(total, TOP),
        &expected_report(&tree, TOP),
    );
}
