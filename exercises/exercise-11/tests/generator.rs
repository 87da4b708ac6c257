//! Tests of the given code: the log tree generator and the wire format.
//! They pass before you write anything.

use std::fs;

use exercise_11::generate::{LogTree, Shape};
use exercise_11::{FileError, LineError, Stats, wire};

#[path = "shared/common.rs"]
mod common;
use common::CHAPTER;

#[test]
fn the_test_tree_is_small_deterministic_and_removed_afterwards() {
    let first = LogTree::generate(7, Shape::SMALL).unwrap();
    let second = LogTree::generate(7, Shape::SMALL).unwrap();
    assert_ne!(first.root(), second.root(), "each tree has its own folder");
    assert_eq!(first.log_files().len(), second.log_files().len());
    let mut bytes = 0;
    for (a, b) in first.log_files().iter().zip(second.log_files()) {
        assert_eq!(
            a.strip_prefix(first.root()).unwrap(),
            b.strip_prefix(second.root()).unwrap()
        );
        if first.unreadable().contains(a) {
            continue;
        }
        let text = fs::read(a).unwrap();
        bytes += text.len();
        assert!(
            text == fs::read(b).unwrap(),
            "{} differs between two trees of the same seed",
            a.display()
        );
    }
    assert!(
        bytes < 2_000_000,
        "the test tree should stay small, not {bytes} bytes"
    );
    assert!(
        first.expected().entries > 5_000,
        "the test tree should hold some work. {CHAPTER}"
    );
    let root = first.root().to_path_buf();
    drop(first);
    assert!(!root.exists(), "dropping the tree removes its folder");
}

#[test]
fn the_wire_format_round_trips() {
    let mut stats = Stats {
        files: 3,
        entries: 5,
        levels: [1, 2, 1, 1],
        latencies: vec![7, 1, 4000],
        ..Stats::default()
    };
    stats.hits.insert("/a path; with=odd,chars%".into(), 4);
    stats.hits.insert("/é".into(), 1);
    stats.malformed.push(LineError {
        file: "/tmp/x y.log".into(),
        line: 12,
        reason: "unknown level \"NOTICE\"".into(),
    });
    stats.unreadable.push(FileError {
        path: "/tmp/z.log".into(),
        reason: "Permission denied (os error 13)".into(),
    });
    let line = wire::encode_stats(&stats);
    assert!(!line.contains('\n'), "{line}");
    assert_eq!(wire::decode_stats(&line), Ok(stats));
    assert_eq!(
        wire::decode_stats(&wire::encode_stats(&Stats::default())),
        Ok(Stats::default())
    );
    let paths = vec!["/tmp/a b.log".into(), "/tmp/c.log".into()];
    assert_eq!(
        wire::decode_request(&wire::encode_request(&paths)),
        Ok(paths)
    );
    assert!(wire::decode_stats("files=x").is_err());
    assert!(wire::decode_request("analyze /tmp/a.log").is_err());
}
