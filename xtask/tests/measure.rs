//! Every workload of `cargo xtask measure` runs, end to end, at a tiny size:
//! the real binary (so the worker processes start as they do for a
//! reader), one round, `--json`. Every reference variant must give the
//! sequential answer. The times of this debug build are not looked at: the
//! course never asserts a duration.

use std::process::Command;

/// Runs `xtask measure ARGS --rounds 1 --json` and returns its JSON.
fn measure(args: &[&str]) -> serde_json::Value {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("measure")
        .args(args)
        .args(["--rounds", "1", "--json"])
        .env("XTASK_MEASURE_SMOKE_TEST", "1")
        .output()
        .expect("cannot run xtask");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "`measure {}` failed ({}):\n{stderr}\n{stdout}",
        args.join(" "),
        output.status
    );
    serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "`measure {}` printed no JSON ({e}):\n{stdout}",
            args.join(" ")
        )
    })
}

fn statuses(json: &serde_json::Value) -> Vec<(String, String)> {
    json["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|row| {
            (
                row["variant"].as_str().unwrap_or("?").to_string(),
                row["status"].as_str().unwrap_or("?").to_string(),
            )
        })
        .collect()
}

#[test]
fn every_workload_gives_the_right_answer_at_a_tiny_size() {
    for args in [
        &["cpu", "--size", "2000", "--max-workers", "2"][..],
        &["wait", "--size", "4", "--max-workers", "2"],
        &["convoy", "--size", "2", "--max-workers", "1"],
        &["overhead", "--size", "3"],
        &["crossover", "--size", "2"],
        &["io", "--size", "4", "--max-workers", "2"],
        &["comm", "--size", "1000"],
        &["isolation", "--size", "20", "--max-workers", "2"],
    ] {
        let json = measure(args);
        let rows = statuses(&json);
        assert!(
            rows.len() >= 3,
            "`measure {}` ran too few variants: {rows:?}",
            args.join(" ")
        );
        for (variant, status) in &rows {
            assert_eq!(status, "ok", "`measure {}`: {variant}", args.join(" "));
        }
    }
}

#[test]
fn the_notes_of_a_workload_reach_the_json() {
    let json = measure(&["io", "--size", "3", "--max-workers", "1"]);
    let notes = json["notes"].as_array().expect("notes");
    assert!(
        notes
            .iter()
            .any(|n| n.as_str().is_some_and(|n| n.contains("at most"))),
        "{notes:?}"
    );
}

#[test]
fn the_python_twins_give_rusts_answer_where_python_is_installed() {
    let python = ["python3", "python"].into_iter().any(|p| {
        Command::new(p)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if !python {
        eprintln!(
            "no python3 here: the Python twins are skipped, as `measure --python` skips them"
        );
        return;
    }
    for args in [
        &["cpu", "--size", "20000", "--max-workers", "2", "--python"][..],
        &["wait", "--size", "4", "--max-workers", "2", "--python"],
        &["convoy", "--size", "2", "--max-workers", "1", "--python"],
        &["comm", "--size", "1000", "--python"],
        &["overhead", "--size", "10", "--python"],
        &[
            "isolation",
            "--size",
            "300",
            "--max-workers",
            "2",
            "--python",
        ],
    ] {
        let rows = statuses(&measure(args));
        let python: Vec<&(String, String)> = rows
            .iter()
            .filter(|(variant, _)| variant.starts_with("py "))
            .collect();
        assert!(
            python.len() >= 3,
            "`measure {}` gave too few Python rows: {rows:?}",
            args.join(" ")
        );
        for (variant, status) in python {
            assert_eq!(status, "ok", "`measure {}`: {variant}", args.join(" "));
        }
    }
}
