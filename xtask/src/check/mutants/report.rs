//! The committed mutation report: `book/src/generated/mutants/report.json` (read
//! by `cargo xtask check`) and the table the instructor guide shows,
//! `book/src/generated/mutants/report.md`.

use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::course::{Result, root};
use crate::measure::machine::Machine;

#[derive(Default, Serialize, Deserialize)]
pub struct Report {
    /// Exercise number -> its row.
    pub exercises: BTreeMap<String, Row>,
}

#[derive(Clone, Default, Serialize, Deserialize)]
pub struct Row {
    /// Of the regions' diff: a different one means the row is stale.
    pub fingerprint: String,
    pub tried: usize,
    pub caught: usize,
    /// Did not compile: the type checker caught them.
    pub unviable: usize,
    /// Listed in the exercise's Cargo.toml: (mutant, reason).
    pub equivalent: Vec<(String, String)>,
    pub missed: Vec<String>,
    pub timed_out: Vec<String>,
    /// Build and test time of all its mutants.
    pub seconds: f64,
    /// Machine and date of the run.
    #[serde(default)]
    pub measured_on: String,
    /// The load average when the run started, where the OS tells it.
    #[serde(default)]
    pub load: Option<f64>,
}

fn json_path() -> PathBuf {
    root().join("book/src/generated/mutants/report.json")
}

impl Report {
    /// The committed report, or an empty one.
    pub fn load() -> Result<Report> {
        match fs::read_to_string(json_path()) {
            Ok(text) => serde_json::from_str(&text)
                .map_err(|e| format!("book/src/generated/mutants/report.json: {e}")),
            Err(_) => Ok(Report::default()),
        }
    }

    /// Writes the JSON and the table; rows just run are labelled `machine`.
    pub fn write(&mut self, machine: &Machine) -> Result<()> {
        let label = format!("{}, {}", machine.describe(), machine.date);
        for row in self.exercises.values_mut() {
            if row.measured_on.is_empty() {
                row.measured_on = label.clone();
                row.load = machine.load_average;
            }
        }
        let json = serde_json::to_string_pretty(self).map_err(|e| e.to_string())?;
        let _ = fs::create_dir_all(json_path().parent().unwrap());
        fs::write(json_path(), json + "\n").map_err(|e| e.to_string())?;
        fs::write(json_path().with_extension("md"), self.table())
            .map_err(|e| e.to_string())
    }

    /// The table the instructor guide includes (a test keeps the committed
    /// one equal to what the committed JSON gives).
    pub fn table(&self) -> String {
        let mut out = String::from(
            "| Exercise | Mutants | Caught | Did not compile | Equivalent | Missed | Hung | Time |\n\
             |---|--:|--:|--:|--:|--:|--:|--:|\n",
        );
        let mut labels: Vec<&str> = Vec::new();
        let mut loads: Vec<f64> = Vec::new();
        for (number, row) in &self.exercises {
            out.push_str(&format!(
                "| {number} | {} | {} | {} | {} | {} | {} | {:.0} s |\n",
                row.tried,
                row.caught,
                row.unviable,
                row.equivalent.len(),
                row.missed.len(),
                row.timed_out.len(),
                row.seconds
            ));
            if !labels.contains(&row.measured_on.as_str()) {
                labels.push(&row.measured_on);
            }
            if let Some(load) = row.load.filter(|l| !loads.contains(l)) {
                loads.push(load);
            }
        }
        let busy = loads
            .iter()
            .any(|&l| l > crate::measure::machine::BUSY_LOAD);
        let mut loads: Vec<String> = loads.iter().map(|l| format!("{l:.2}")).collect();
        if busy {
            loads.push("busy, so the times are rough".into());
        }
        out.push_str(&format!(
            "\n*`cargo xtask check --mutants` (cargo-mutants {}), YOUR CODE regions only, on {}; \
             load average at the start of the runs: {}. Time is the build and test time of \
             all an exercise's mutants: it depends on the machine and its load; the counts \
             do not.*\n",
            crate::tools::MUTANTS.version,
            labels.join("; "),
            if loads.is_empty() { "unknown".to_string() } else { loads.join(", ") }
        ));
        let listed: Vec<String> = (self.exercises.iter())
            .flat_map(|(n, row)| {
                row.equivalent
                    .iter()
                    .map(move |(m, why)| format!("- {n} `{m}`: {why}"))
            })
            .collect();
        if !listed.is_empty() {
            out.push_str(
                "\nThe equivalent mutants, each with why no test can tell it apart:\n\n",
            );
            out.push_str(&(listed.join("\n") + "\n"));
        }
        out
    }
}

impl Row {
    /// No mutant missed, none hung.
    pub fn all_caught(&self) -> bool {
        self.missed.is_empty() && self.timed_out.is_empty()
    }

    /// The one line `check --mutants` prints for an exercise.
    pub fn line(&self, number: &str, title: &str) -> String {
        let verdict = if self.all_caught() { "ok  " } else { "FAIL" };
        format!(
            "{verdict} {number} {title}: {} mutants, {} caught, {} missed, {} timed out \
             ({} did not compile, {} equivalent), {:.0} s",
            self.tried,
            self.caught,
            self.missed.len(),
            self.timed_out.len(),
            self.unviable,
            self.equivalent.len(),
            self.seconds
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_table_is_what_the_committed_json_gives() {
        let table = fs::read_to_string(json_path().with_extension("md")).unwrap();
        assert_eq!(
            table,
            Report::load().unwrap().table(),
            "book/src/generated/mutants/report.md was edited by hand: run `cargo xtask \
             check --mutants`"
        );
    }
}
