//! Every workload of `cargo xtask measure` runs, end to end, at a tiny size:
//! the real binary (so the worker processes start as they do for a
//! reader), one round, `--json`. Every reference variant must give the
//! sequential answer, and every row carries the spread's fields. The times
//! of this debug build are not looked at: the course never asserts a
//! duration.

use std::process::Command;

/// Runs `xtask measure ARGS --rounds 1 --json` and returns its JSON.
fn measure(args: &[&str]) -> serde_json::Value {
    measure_rounds(args, 1)
}

/// Runs `xtask measure ARGS --rounds ROUNDS --json` and returns its JSON.
fn measure_rounds(args: &[&str], rounds: usize) -> serde_json::Value {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("measure")
        .args(args)
        .args(["--rounds", &rounds.to_string(), "--json"])
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

/// The spread's fields of every row: present, and null only where unknown.
const SPREAD: [&str; 6] = [
    "min_s",
    "max_s",
    "spread_pct",
    "noisy",
    "speedup_min",
    "speedup_max",
];

fn statuses(json: &serde_json::Value) -> Vec<(String, String)> {
    json["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|row| {
            for field in SPREAD {
                assert!(row.get(field).is_some(), "no {field} in {row}");
            }
            if row["status"] == "ok" {
                assert!(row["min_s"].is_f64() && row["max_s"].is_f64(), "{row}");
            }
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
fn rows_timed_in_several_rounds_report_their_spread_and_speedup_range() {
    let json = measure_rounds(&["cpu", "--size", "2000", "--max-workers", "2"], 3);
    assert!(json["largest_spread_pct"].is_f64(), "{json}");
    for row in json["rows"].as_array().expect("rows") {
        let (low, median, high) = (&row["min_s"], &row["median_s"], &row["max_s"]);
        let (low, median, high) = (low.as_f64(), median.as_f64(), high.as_f64());
        assert!(low <= median && median <= high && low.is_some(), "{row}");
        assert!(
            row["spread_pct"].is_f64() && row["noisy"].is_boolean(),
            "{row}"
        );
        let (s_low, s, s_high) =
            (&row["speedup_min"], &row["speedup"], &row["speedup_max"]);
        assert!(
            s_low.as_f64() <= s.as_f64()
                && s.as_f64() <= s_high.as_f64()
                && s_low.is_f64(),
            "{row}"
        );
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
