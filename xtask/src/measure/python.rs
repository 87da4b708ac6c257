//! `--python`: runs a workload's Python twin (book/src/python/) and turns its
//! rows into report rows, beside Rust's.
//!
//! The script gets `--size N --workers 1,2,... --rounds R --json` and prints
//! one JSON object: `{"python": VERSION, "checksum": N, "rows": [{"variant",
//! "workers", "median_s", "samples_s"}]}`, the sequential row included
//! (`samples_s`: each round's time, in round order, for the spread; a row
//! without it has no spread, and the reports say "n/a"). Its checksum must
//! match the Rust baseline's at the same size.

use std::process::Command;

use serde::Deserialize;

use super::report::{OutRow, Timed};
use super::workloads::{Mode, Spec, Workload};
use crate::course::root;

#[derive(Deserialize)]
struct Output {
    python: String,
    checksum: u64,
    rows: Vec<PyRow>,
}

#[derive(Deserialize)]
struct PyRow {
    variant: String,
    workers: usize,
    median_s: f64,
    #[serde(default)]
    samples_s: Vec<f64>,
}

/// The rounds Python runs for `rounds` of Rust's: at most 3, since its
/// twins are many times slower.
pub fn python_rounds(rounds: usize) -> usize {
    rounds.min(3)
}

/// The Python rows, or a note saying why there are none.
pub fn run(
    workload: &Workload,
    spec: &Spec,
    rounds: usize,
) -> Result<Vec<OutRow>, String> {
    let Some(twin) = &workload.python else {
        return Err(format!(
            "note: the workload `{}` has no Python script; skipping Python.",
            workload.name
        ));
    };
    let python = ["python3", "python"]
        .into_iter()
        .find(|p| {
            Command::new(p)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .ok_or(
            "note: python3 is not installed (or not on PATH); skipping the Python rows.",
        )?;
    let size = (spec.size / twin.size_divisor).max(1);
    let script = root().join("book/src/python").join(twin.script);
    let workers: Vec<String> = spec.workers.iter().map(|w| w.to_string()).collect();
    eprintln!("running {python} {} at size {size} ...", script.display());
    let output = Command::new(python)
        .arg(&script)
        .args([
            "--size",
            &size.to_string(),
            "--workers",
            &workers.join(","),
            "--rounds",
            &python_rounds(rounds).to_string(),
            "--json",
        ])
        .output()
        .map_err(|e| format!("note: cannot run {python}: {e}; skipping Python."))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let last = stderr
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("(no message)");
        return Err(format!(
            "warning: the Python script failed ({}): {last}",
            output.status
        ));
    }
    let parsed: Output = serde_json::from_slice(&output.stdout).map_err(|e| {
        format!("warning: the Python script printed something other than its JSON: {e}")
    })?;

    // Python must compute the same answer as Rust.
    let small = Spec {
        size,
        ..spec.clone()
    };
    let expected = ((workload.plan)(&small).baseline)()
        .map_err(|e| format!("warning: Rust's check of Python failed: {e}"))?;
    let status = if parsed.checksum == expected {
        "ok".to_string()
    } else {
        format!(
            "WRONG: Python's checksum {} is not Rust's {expected}",
            parsed.checksum
        )
    };

    // Speedups need a sequential row; a cost workload has no speedups (its
    // twin's `sequential`, if any, is one variant among others, at one x).
    let sequential = parsed
        .rows
        .iter()
        .find(|r| r.variant == "sequential")
        .filter(|_| workload.mode.has_baseline());
    let base = sequential.map(|r| r.median_s);
    if base.is_none() && workload.mode.has_baseline() {
        return Err("warning: the Python script gave no sequential row".into());
    }
    Ok(parsed
        .rows
        .iter()
        .map(|row| {
            let speedup = base
                .filter(|_| row.median_s > 0.0)
                .map(|base| base / row.median_s);
            // Python's baseline row is named like Rust's (a slowdown's is "alone").
            let (variant, workers) = match (row.variant.as_str(), workload.mode) {
                ("sequential", Mode::Slowdown { .. }) => {
                    let (name, x) = super::report::baseline_row(workload);
                    (name.to_string(), x)
                }
                (other, _) => (other.to_string(), row.workers),
            };
            OutRow::timed(Timed {
                language: format!("python {}", parsed.python),
                workload: workload.name,
                variant: format!("py {variant}"),
                workers,
                size,
                median_s: Some(row.median_s),
                speedup,
                status: status.clone(),
            })
            .with_rounds(&row.samples_s, sequential.map(|r| &r.samples_s[..]))
        })
        .collect())
}
