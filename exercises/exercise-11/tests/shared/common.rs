//! Helpers shared by the tests of exercise 11.
#![allow(dead_code)] // each test file uses some of them

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::path::{Path, PathBuf};
use std::time::Duration;

use course_support::worker::Program;
use exercise_11::generate::{LogTree, Shape, merge_exact};
use exercise_11::{Report, Stats};

pub const CHAPTER: &str =
    "Read chapter 11, \"Capstone: a log analyser\" (book/src/11-capstone.md).";

/// Generous: the tests run in debug builds on small shared machines.
pub const LIMIT: Duration = Duration::from_secs(30);

/// This package's program, started as a worker process.
pub fn worker_program() -> Program {
    Program::new(env!(concat!("CARGO_BIN_EXE_", env!("CARGO_PKG_NAME")))).arg("worker")
}

pub fn small_tree(seed: u64) -> LogTree {
    LogTree::generate(seed, Shape::SMALL).expect("the test could not write its log files")
}

pub fn tree(seed: u64, shape: Shape) -> LogTree {
    LogTree::generate(seed, shape).expect("the test could not write its log files")
}

/// The report a correct analyser gives for `tree`.
pub fn expected_report(tree: &LogTree, top: usize) -> Report {
    Report::from_stats(tree.expected().clone(), top)
}

/// The folders of `tree` that cannot be listed (no permission), as the
/// partial result a scan adds: what `analyse_file` alone never sees.
pub fn folder_errors(tree: &LogTree) -> Stats {
    let mut stats = Stats::default();
    for path in tree
        .unreadable()
        .iter()
        .filter(|p| !tree.log_files().contains(p))
    {
        merge_exact(
            &mut stats,
            Stats::unreadable_file(path, "a folder that cannot be listed"),
        );
    }
    stats
}

/// Runs `work` under the watchdog: a stuck answer fails with a message.
pub fn watched<T: Send + 'static>(
    what: &str,
    work: impl FnOnce() -> T + Send + 'static,
) -> T {
    course_support::watchdog(
        LIMIT,
        what,
        "does something wait forever (a channel whose senders are never dropped, a thread never \
         joined)? Or does your walk follow symbolic links? `2026-11-01/back` links to its own parent.",
        work,
    )
}

/// What is missing from `actual` and what is extra in it, as a multiset:
/// a thing counted twice shows up as extra.
pub fn missing_and_extra<T: Ord + Clone + Debug>(
    actual: &[T],
    expected: &[T],
) -> (Vec<T>, Vec<T>) {
    let mut counts: BTreeMap<T, i64> = BTreeMap::new();
    for item in expected {
        *counts.entry(item.clone()).or_default() += 1;
    }
    for item in actual {
        *counts.entry(item.clone()).or_default() -= 1;
    }
    let mut missing = Vec::new();
    let mut extra = Vec::new();
    for (item, count) in counts {
        for _ in 0..count.max(0) {
            missing.push(item.clone());
        }
        for _ in 0..(-count).max(0) {
            extra.push(item.clone());
        }
    }
    (missing, extra)
}

pub fn show<T: Debug>(items: &[T]) -> String {
    let mut text = format!("{:?}", &items[..items.len().min(4)]);
    if items.len() > 4 {
        text.push_str(&format!(" and {} more", items.len() - 4));
    }
    text
}

/// Fails unless `actual` is `expected`, up to the reasons' wording: the
/// generator has its own words, yours only need to say something.
pub fn assert_same_report(what: &str, actual: &Report, expected: &Report) {
    for error in &actual.malformed {
        assert!(
            !error.reason.trim().is_empty(),
            "{what}: the malformed line {}:{} has an empty reason; say what is wrong. {CHAPTER}",
            error.file.display(),
            error.line
        );
    }
    for error in &actual.unreadable {
        assert!(
            !error.reason.trim().is_empty(),
            "{what}: the unreadable {} has an empty reason; pass the io::Error on. {CHAPTER}",
            error.path.display()
        );
    }
    assert!(
        actual.files == expected.files,
        "{what}: {} files read, expected {}. More means a file counted twice (a symbolic link followed, \
         overlapping pieces, an unreadable file counted as read); fewer, a file skipped. {CHAPTER}",
        actual.files,
        expected.files
    );
    let places = |r: &Report| {
        r.malformed
            .iter()
            .map(|e| (e.file.clone(), e.line))
            .collect::<Vec<(PathBuf, usize)>>()
    };
    let (missing, extra) = missing_and_extra(&places(actual), &places(expected));
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{what}: the malformed lines are wrong: {} found, {} expected; missing {}, extra {}. A malformed line must \
         be reported with its file and line number (from 1, blank lines included), never skipped, and only \
         once. {CHAPTER}",
        actual.malformed.len(),
        expected.malformed.len(),
        show(&missing),
        show(&extra)
    );
    let paths = |r: &Report| {
        r.unreadable
            .iter()
            .map(|e| e.path.clone())
            .collect::<Vec<PathBuf>>()
    };
    let (missing, extra) = missing_and_extra(&paths(actual), &paths(expected));
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{what}: the unreadable files and folders are wrong: missing {}, extra {}. A file or folder that cannot \
         be read must be reported (once), and the rest still analysed. {CHAPTER}",
        show(&missing),
        show(&extra)
    );
    assert!(
        actual.entries == expected.entries && actual.levels == expected.levels,
        "{what}: {} entries with levels {:?}, expected {} with {:?} (DEBUG, INFO, WARN, ERROR). {CHAPTER}",
        actual.entries,
        actual.levels,
        expected.entries,
        expected.levels
    );
    assert!(
        actual.top_paths == expected.top_paths,
        "{what}: the top paths are {:?}, expected {:?}. {CHAPTER}",
        actual.top_paths,
        expected.top_paths
    );
    assert!(
        actual.latency == expected.latency,
        "{what}: the latency percentiles are {:?}, expected {:?}. {CHAPTER}",
        actual.latency,
        expected.latency
    );
}

/// A file written by the test itself, inside the tree's folder.
pub fn write_file(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("the test could not write its file");
    path
}
