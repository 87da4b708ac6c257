//! Tests of `analyse_file` and `Stats::merge`: one file at a time, and
//! partial results added up. Nothing that goes wrong in a file is fatal.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use exercise_11::generate::merge_exact;
use exercise_11::{FileError, Level, LineError, Report, Stats, TOP, analyse_file};

#[path = "shared/common.rs"]
mod common;
use common::{CHAPTER, assert_same_report, expected_report, small_tree, write_file};

fn analysed(path: &Path) -> Stats {
    let path = path.to_path_buf();
    common::watched("analyse_file", move || analyse_file(&path))
}

#[test]
fn every_file_of_the_tree_adds_up_to_the_expected_total() {
    let tree = small_tree(1);
    let mut total = common::folder_errors(&tree);
    for file in tree.log_files() {
        merge_exact(&mut total, analysed(file));
    }
    assert_same_report(
        "analyse_file on every log file",
        &Report::from_stats(total, TOP),
        &expected_report(&tree, TOP),
    );
}

#[test]
fn malformed_lines_are_counted_with_their_line_numbers_not_skipped() {
    let tree = small_tree(2);
    let text = "2026-11-01T00:00:01.000Z INFO GET /a 200 5ms\n\
                2026-11-01T00:00:02.000Z INFO GET /a 200 five\n\
                \n\
                2026-11-01T00:00:03.000Z DEBUG GET /b 304 1ms\n\
                2026-11-01T00:00:04.000Z TRACE GET /b 200 1ms\n\
                2026-11-01T00:00:05.000Z ERROR POST /a 500 250ms\n";
    let path = write_file(tree.root(), "hand.log", text);
    let stats = analysed(&path);
    let lines: Vec<usize> = stats.malformed.iter().map(|e| e.line).collect();
    assert_eq!(
        lines,
        [2, 5],
        "the malformed lines of {text:?}, numbered from 1. {CHAPTER}"
    );
    assert!(
        stats.malformed.iter().all(|e| e.file == path),
        "a malformed line names its file. {CHAPTER}"
    );
    assert_eq!(
        stats.entries, 3,
        "the well-formed entries of {text:?}. {CHAPTER}"
    );
    assert_eq!(
        stats.levels,
        [1, 1, 0, 1],
        "entries per level (DEBUG, INFO, WARN, ERROR). {CHAPTER}"
    );
    assert_eq!(stats.files, 1, "one file read. {CHAPTER}");
    assert_eq!(
        stats.hits,
        HashMap::from([("/a".to_string(), 2), ("/b".to_string(), 1)]),
        "hits per path. {CHAPTER}"
    );
    let mut latencies = stats.latencies.clone();
    latencies.sort();
    assert_eq!(latencies, [1, 5, 250], "the latencies. {CHAPTER}");
    assert!(
        stats.unreadable.is_empty(),
        "the file was readable. {CHAPTER}"
    );
}

#[test]
fn blank_lines_are_neither_entries_nor_errors() {
    let tree = small_tree(3);
    let path = write_file(
        tree.root(),
        "blank.log",
        "\n   \n\t\n2026-11-01T00:00:01.000Z WARN GET /a 404 5ms\n\n",
    );
    let stats = analysed(&path);
    assert!(
        stats.malformed.is_empty(),
        "blank lines are not malformed, yet: {:?}. {CHAPTER}",
        stats.malformed
    );
    assert_eq!(
        (stats.files, stats.entries),
        (1, 1),
        "(files, entries) of a file with one entry. {CHAPTER}"
    );
}

#[test]
fn windows_line_endings_are_fine() {
    let tree = small_tree(4);
    let text = "2026-11-01T00:00:01.000Z INFO GET /a 200 5ms\r\n2026-11-01T00:00:02.000Z INFO GET /a 200 7ms\r\n";
    let stats = analysed(&write_file(tree.root(), "crlf.log", text));
    assert!(
        stats.malformed.is_empty(),
        "`\\r\\n` ends a line too; str::lines strips it: {:?}. {CHAPTER}",
        stats.malformed
    );
    assert_eq!(stats.entries, 2, "two entries. {CHAPTER}");
}

#[test]
fn a_file_that_is_not_text_is_unreadable_and_nothing_else() {
    let tree = small_tree(5);
    let path = write_file(
        tree.root(),
        "good.log",
        "2026-11-01T00:00:01.000Z INFO GET /a 200 5ms\n",
    );
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.extend([0xff, 0xfe, b'\n']);
    std::fs::write(&path, &bytes).unwrap();
    let stats = analysed(&path);
    check_only_unreadable(&stats, &path, "a file that is not UTF-8 text");
}

#[test]
fn a_missing_file_is_unreadable_not_a_panic() {
    let tree = small_tree(6);
    let path = tree.root().join("gone.log");
    let stats = analysed(&path);
    check_only_unreadable(&stats, &path, "a file that does not exist");
}

#[test]
fn a_file_without_read_permission_is_reported_not_fatal() {
    let tree = small_tree(8);
    let Some(secret) = tree.log_files().iter().find(|p| p.ends_with("secret.log")) else {
        eprintln!("no file without permission on this system; nothing to check");
        return;
    };
    let stats = analysed(secret);
    if tree.permissions_apply() {
        check_only_unreadable(&stats, secret, "a file without read permission");
    } else {
        // As root, permissions do not stop reads: it is an ordinary file.
        eprintln!(
            "note: permissions do not apply here (root?); checking that the file is read normally"
        );
        assert!(
            stats.files == 1 && stats.entries > 0,
            "{} should be read. {CHAPTER}",
            secret.display()
        );
    }
}

fn check_only_unreadable(stats: &Stats, path: &Path, what: &str) {
    assert_eq!(
        stats.unreadable.len(),
        1,
        "{what} should give one unreadable error, not {:?}. {CHAPTER}",
        stats.unreadable
    );
    assert_eq!(
        stats.unreadable[0].path, path,
        "the error should name the file. {CHAPTER}"
    );
    assert!(
        !stats.unreadable[0].reason.trim().is_empty(),
        "the error should say why (the io::Error). {CHAPTER}"
    );
    let nothing_else = Stats {
        unreadable: stats.unreadable.clone(),
        ..Stats::default()
    };
    assert!(
        *stats == nothing_else,
        "{what} counts for nothing else: no file read, no entry, no malformed line; got {stats:?}. {CHAPTER}"
    );
}

fn sample(files: u64, path: &str, latency: u32, bad_line: usize) -> Stats {
    Stats {
        files,
        entries: 2,
        levels: [0, 1, 1, 0],
        hits: HashMap::from([(path.to_string(), 1), ("/shared".to_string(), 1)]),
        latencies: vec![latency, latency + 1],
        malformed: vec![LineError {
            file: PathBuf::from("/x.log"),
            line: bad_line,
            reason: "bad".into(),
        }],
        unreadable: vec![FileError {
            path: PathBuf::from(format!("/locked{bad_line}.log")),
            reason: "denied".into(),
        }],
    }
}

#[test]
fn merge_adds_every_field() {
    let mut left = sample(1, "/a", 10, 3);
    left.merge(sample(2, "/b", 20, 9));
    left.latencies.sort();
    left.malformed.sort();
    left.unreadable.sort();
    let expected = Stats {
        files: 3,
        entries: 4,
        levels: [0, 2, 2, 0],
        hits: HashMap::from([
            ("/a".to_string(), 1),
            ("/b".to_string(), 1),
            ("/shared".to_string(), 2),
        ]),
        latencies: vec![10, 11, 20, 21],
        malformed: vec![
            LineError {
                file: "/x.log".into(),
                line: 3,
                reason: "bad".into(),
            },
            LineError {
                file: "/x.log".into(),
                line: 9,
                reason: "bad".into(),
            },
        ],
        unreadable: vec![
            FileError {
                path: "/locked3.log".into(),
                reason: "denied".into(),
            },
            FileError {
                path: "/locked9.log".into(),
                reason: "denied".into(),
            },
        ],
    };
    assert_eq!(
        left, expected,
        "merge must add up every field, lists included. {CHAPTER}"
    );
    assert_eq!(Level::ALL.len(), left.levels.len());
}

#[test]
fn merging_nothing_changes_nothing() {
    let mut stats = sample(1, "/a", 10, 3);
    stats.merge(Stats::default());
    assert_eq!(
        stats,
        sample(1, "/a", 10, 3),
        "merging an empty result into a result. {CHAPTER}"
    );
    let mut empty = Stats::default();
    empty.merge(sample(1, "/a", 10, 3));
    assert_eq!(
        empty,
        sample(1, "/a", 10, 3),
        "merging a result into an empty one. {CHAPTER}"
    );
}
