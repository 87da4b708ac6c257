//! `cargo xtask check --mutants [NN]`: can the tests be fooled?
//!
//! cargo-mutants (pinned, installed into `book/tools/`) changes one
//! expression of a solution at a time, only inside its YOUR CODE regions
//! (`--in-diff` with a diff of the starter against the solution, which by
//! the pairing rules is exactly those regions), and reruns the exercise's
//! tests. A mutant the tests do not catch is either a gap in the tests or
//! listed, with its reason, under `equivalent-mutants` in the exercise's
//! Cargo.toml. The counts go to `book/src/generated/mutants/report.json` (and a
//! table beside it), with a fingerprint of each exercise's regions:
//! `cargo xtask check` (in CI) fails when a region changed since.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Command;

use serde::Deserialize;

use crate::course::{Exercise, Result, files_below, regions, root};
use crate::tools::{MUTANTS, ensure_tools, tool, tools_path};

mod report;

pub use report::{Report, Row};

/// A mutant's test run may take this long before cargo-mutants calls it a
/// timeout. Each stuck test fails by its own watchdog (10 to 30 s, with its
/// message), but a mutant that sticks every test of a suite costs the sum of
/// them over 2 test threads (exercise 06: 15 tests, about 80 s).
const MINIMUM_TEST_TIMEOUT_S: &str = "180";

/// The learner's regions of one exercise as a unified diff, starter
/// (`a/`) against solution (`b/`), paths as the solution's.
pub fn region_diff(exercise: &Exercise) -> Result<String> {
    let mut diff = String::new();
    for file in files_below(&exercise.solution_dir)? {
        let starter_path = exercise.dir.join(&file);
        let solution_path = exercise.solution_dir.join(&file);
        let is_rust = file.extension().is_some_and(|e| e == "rs");
        if !is_rust || !starter_path.is_file() {
            continue;
        }
        let starter = read(&starter_path)?;
        let solution = read(&solution_path)?;
        let (old, new) = (regions(&starter), regions(&solution));
        if old.is_empty() || old.len() != new.len() {
            continue; // no regions (a given file), or a pairing error check reports
        }
        let name = format!(
            "solutions/{}/{}",
            exercise.solution_package(),
            file.to_string_lossy().replace('\\', "/")
        );
        diff.push_str(&format!("--- a/{name}\n+++ b/{name}\n"));
        for (o, n) in old.iter().zip(&new) {
            diff.push_str(&format!(
                "@@ -{} +{} @@\n",
                range(o.first, o.lines.len()),
                range(n.first, n.lines.len())
            ));
            o.lines
                .iter()
                .for_each(|l| diff.push_str(&format!("-{l}\n")));
            n.lines
                .iter()
                .for_each(|l| diff.push_str(&format!("+{l}\n")));
        }
    }
    Ok(diff)
}

fn read(path: &Path) -> Result<String> {
    fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// A diff range: an empty one names the line before it.
fn range(first: usize, len: usize) -> String {
    match len {
        0 => format!("{},0", first - 1),
        _ => format!("{first},{len}"),
    }
}

/// FNV-1a of the regions' diff: stable across Rust versions and platforms.
pub fn fingerprint(diff: &str) -> String {
    let hash = diff.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{hash:016x}")
}

/// A mutant that changes nothing observable, with the reason (Cargo.toml).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Equivalent {
    /// As cargo-mutants names it, without the solution's folder and the line:
    /// `src/lib.rs: replace + with * in sum`.
    pub mutant: String,
    /// Where two mutants share a name: the column cargo-mutants gives.
    pub column: Option<u64>,
    pub why: String,
}

/// What cargo-mutants wrote for one mutant (`mutants.out/outcomes.json`).
#[derive(Deserialize)]
struct Outcomes {
    outcomes: Vec<Outcome>,
}
#[derive(Deserialize)]
struct Outcome {
    scenario: serde_json::Value,
    summary: String,
    #[serde(default)]
    phase_results: Vec<Phase>,
}
#[derive(Deserialize)]
struct Phase {
    duration: f64,
}

/// Runs cargo-mutants on the chosen exercises' regions, prints one line per
/// exercise, and updates the committed report.
pub fn run(exercises: &[Exercise]) -> Result<()> {
    ensure_tools(&[&MUTANTS])?;
    let out = root().join("target").join("mutants");
    fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    let mut diff = String::new();
    let mut fingerprints = BTreeMap::new();
    for exercise in exercises {
        let one = region_diff(exercise)?;
        fingerprints.insert(exercise.number.clone(), fingerprint(&one));
        diff.push_str(&one);
    }
    let diff_file = out.join("regions.diff");
    fs::write(&diff_file, &diff).map_err(|e| e.to_string())?;
    eprintln!(
        "Mutating the YOUR CODE regions of {} exercise(s) with cargo-mutants {}: every \
         mutant is a build and a test run (a few seconds each on 2 cores, after a first \
         build of the whole workspace in a copy of it).",
        exercises.len(),
        MUTANTS.version
    );
    let machine = crate::measure::machine::Machine::now();
    let started = std::time::Instant::now();
    let mut command = Command::new(tool(MUTANTS.program));
    command
        .arg("mutants")
        .current_dir(root())
        .env("PATH", tools_path());
    for exercise in exercises {
        command.args(["--package", &exercise.solution_package()]);
    }
    command
        .arg("--in-diff")
        .arg(&diff_file)
        .args(["--cap-lints", "true", "--no-shuffle", "--colors", "never"])
        .args(["--minimum-test-timeout", MINIMUM_TEST_TIMEOUT_S])
        .arg("--output")
        .arg(&out)
        .env("RUST_BACKTRACE", "0");
    // cargo-mutants exits non-zero when a mutant is missed: read its outcomes.
    let status = command
        .status()
        .map_err(|e| format!("cannot run cargo-mutants: {e}"))?;
    let outcomes_file = out.join("mutants.out").join("outcomes.json");
    let outcomes: Outcomes = serde_json::from_str(&read(&outcomes_file)?)
        .map_err(|e| format!("{}: {e}", outcomes_file.display()))?;
    if outcomes.outcomes.iter().any(|o| o.summary == "Failure") {
        return Err(format!(
            "the solutions' tests fail before any mutation (cargo-mutants {status}): \
             run `cargo xtask check` first"
        ));
    }
    let mut report = Report::load()?;
    let mut all_clear = true;
    for exercise in exercises {
        let (row, unused) = tally(exercise, &outcomes, &fingerprints[&exercise.number])?;
        println!("{}", row.line(&exercise.number, &exercise.meta.title));
        for name in row.missed.iter().chain(&row.timed_out) {
            println!("       - {name}");
        }
        for entry in &unused {
            println!(
                "       - listed under equivalent-mutants, but no such mutant went \
                 uncaught (caught, or gone): remove `{entry}`"
            );
        }
        all_clear &= row.all_caught() && unused.is_empty();
        report.exercises.insert(exercise.number.clone(), row);
    }
    report.write(&machine)?;
    println!(
        "{:.0} min in all. Report: book/src/generated/mutants/report.md (details in \
         target/mutants/mutants.out)",
        started.elapsed().as_secs_f64() / 60.0
    );
    if all_clear {
        Ok(())
    } else {
        Err(
            "some mutants were not caught by the tests, or an equivalent-mutants entry \
             is stale (listed above); catch each mutant with a test, or list it under \
             equivalent-mutants in the exercise's Cargo.toml, with the reason"
                .into(),
        )
    }
}

/// One exercise's row: its mutants' outcomes, less the equivalent ones.
/// Also returns the `equivalent-mutants` entries that matched no uncaught
/// mutant: a stale entry, or one a test catches, must go.
fn tally(
    exercise: &Exercise,
    outcomes: &Outcomes,
    print: &str,
) -> Result<(Row, Vec<String>)> {
    let prefix = format!("solutions/{}/", exercise.solution_package());
    let listed = &exercise.meta.equivalent_mutants;
    let mut used = vec![false; listed.len()];
    let mut row = Row {
        fingerprint: print.to_string(),
        ..Row::default()
    };
    for outcome in &outcomes.outcomes {
        let Some(mutant) = outcome.scenario.get("Mutant") else {
            continue; // the baseline
        };
        let name = mutant["name"].as_str().unwrap_or_default();
        let Some(key) = name.strip_prefix(&prefix).map(without_line) else {
            continue;
        };
        row.tried += 1;
        row.seconds += outcome
            .phase_results
            .iter()
            .map(|p| p.duration)
            .sum::<f64>();
        let column = mutant["span"]["start"]["column"].as_u64();
        let entry = (listed.iter())
            .position(|e| e.mutant == key && e.column.is_none_or(|c| Some(c) == column));
        // Only a missed mutant can be equivalent: a hung one is a finding.
        match (outcome.summary.as_str(), entry) {
            ("CaughtMutant", _) => row.caught += 1,
            ("Unviable", _) => row.unviable += 1,
            ("MissedMutant", Some(entry)) => {
                used[entry] = true;
                row.equivalent.push((key, listed[entry].why.clone()));
            }
            ("MissedMutant", None) => row.missed.push(key),
            ("Timeout", _) => row.timed_out.push(key),
            (other, _) => return Err(format!("cargo-mutants said `{other}` for {name}")),
        }
    }
    let unused = (listed.iter().zip(used))
        .filter(|(_, used)| !used)
        .map(|(e, _)| e.mutant.clone())
        .collect();
    Ok((row, unused))
}

/// `src/lib.rs:49:5: replace f -> u64 with 0` -> `src/lib.rs: replace f -> u64 with 0`
fn without_line(name: &str) -> String {
    let mut parts = name.splitn(4, ':');
    let file = parts.next().unwrap_or_default();
    let rest = parts.nth(2).unwrap_or_default();
    format!("{file}:{rest}")
}

/// `cargo xtask check`'s question: is the committed report current for this
/// exercise, and does it show no missed and no hanging mutant?
pub fn check_report(
    exercise: &Exercise,
    report: &Report,
) -> std::result::Result<(), String> {
    let rerun = format!("run `cargo xtask check --mutants {}`", exercise.number);
    let Some(row) = report.exercises.get(&exercise.number) else {
        return Err(format!("the mutation report has no row for it: {rerun}"));
    };
    let now = fingerprint(&region_diff(exercise)?);
    if row.fingerprint != now {
        return Err(format!(
            "its YOUR CODE regions changed since the mutation report \
             (book/src/generated/mutants/report.json): {rerun}"
        ));
    }
    if !row.all_caught() {
        return Err(format!(
            "the mutation report lists mutants its tests miss or hang on: {}",
            row.missed
                .iter()
                .chain(&row.timed_out)
                .cloned()
                .collect::<Vec<_>>()
                .join("; ")
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
