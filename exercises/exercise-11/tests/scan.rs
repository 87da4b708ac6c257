//! Tests of `scan`: walk the folder tree, list the `.log` files, report
//! what cannot be listed, and never follow a symbolic link.

use std::path::{Path, PathBuf};

use exercise_11::{Scan, scan};

#[path = "shared/common.rs"]
mod common;
use common::{CHAPTER, missing_and_extra, show, small_tree};

fn scanned(root: &Path) -> Scan {
    let root = root.to_path_buf();
    let mut found = common::watched("scan", move || scan(&root));
    found.files.sort();
    found
}

#[test]
fn scan_lists_exactly_the_log_files() {
    let tree = small_tree(1);
    let found = scanned(tree.root());
    let (missing, extra) = missing_and_extra(&found.files, tree.log_files());
    let mut advice = String::new();
    if extra.iter().any(|p| {
        p.components()
            .any(|c| c.as_os_str() == "current" || c.as_os_str() == "back")
    }) {
        advice.push_str(
            " Some were found through a link to a folder: do not follow symbolic links.",
        );
    }
    if extra.iter().any(|p| p.ends_with("latest.log")) {
        advice.push_str(" latest.log is a symbolic link to a file: skip links.");
    }
    if extra
        .iter()
        .any(|p| p.extension().is_some_and(|e| e != "log"))
    {
        advice.push_str(" Only files whose extension is exactly `log` count (not api.log.1, not notes.txt).");
    }
    if extra.iter().any(|p| p.is_dir()) {
        advice.push_str(" Folders are not files.");
    }
    assert!(
        missing.is_empty() && extra.is_empty(),
        "scan found {} files, expected {}: missing {}, extra {}.{advice} {CHAPTER}",
        found.files.len(),
        tree.log_files().len(),
        show(&missing),
        show(&extra)
    );
}

#[test]
fn scan_goes_down_into_deep_folders() {
    let tree = small_tree(2);
    let deep = tree.root().join("a/b/c/d/e");
    std::fs::create_dir_all(&deep).unwrap();
    let file = common::write_file(&deep, "deep.log", "");
    let found = scanned(tree.root());
    assert!(
        found.files.contains(&file),
        "scan should find {}, five folders down. {CHAPTER}",
        file.display()
    );
    assert_eq!(
        found.files.len(),
        tree.log_files().len() + 1,
        "every log file, once. {CHAPTER}"
    );
}

#[test]
fn scan_reports_a_folder_it_cannot_list_and_goes_on() {
    let tree = small_tree(3);
    let found = scanned(tree.root());
    let locked: Vec<&PathBuf> = tree
        .unreadable()
        .iter()
        .filter(|p| p.ends_with("locked"))
        .collect();
    if tree.permissions_apply() {
        let reported: Vec<&PathBuf> = found.errors.iter().map(|e| &e.path).collect();
        assert_eq!(
            reported, locked,
            "the folders scan cannot list, in Scan::errors. {CHAPTER}"
        );
        assert!(
            found.errors.iter().all(|e| !e.reason.trim().is_empty()),
            "each error says why. {CHAPTER}"
        );
    } else {
        // As root, permissions do not stop reads: the folder is listed.
        eprintln!(
            "note: permissions do not apply here (root?); checking that locked/ is listed normally"
        );
        assert!(
            found.errors.is_empty(),
            "no folder is unreadable here, yet: {:?}. {CHAPTER}",
            found.errors
        );
        assert!(
            found.files.iter().any(|p| p.ends_with("locked/audit.log")),
            "locked/audit.log is listed. {CHAPTER}"
        );
    }
    assert!(
        found.files.len() > 10,
        "scan goes on after an error. {CHAPTER}"
    );
}

#[test]
fn a_missing_root_is_an_error_not_a_panic() {
    let tree = small_tree(4);
    let root = tree.root().join("no-such-folder");
    let found = scanned(&root);
    assert!(found.files.is_empty(), "nothing to find. {CHAPTER}");
    let reported: Vec<&PathBuf> = found.errors.iter().map(|e| &e.path).collect();
    assert_eq!(
        reported,
        [&root],
        "a missing root is reported in Scan::errors. {CHAPTER}"
    );
}
