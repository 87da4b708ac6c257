//! The reports, written once for every workload: the terminal table,
//! `--json`, and `--write-book` (a markdown table and an SVG chart in the
//! book's generated-figures folder).
//!
//! [`rows`] turns what the harness measured into rows; [`columns`] says
//! which columns a workload's tables have; the other modules each lay the
//! rows out one way.

mod charts;
mod checkers;
mod columns;
mod cost_charts;
mod json;
mod litmus;
mod markdown;
mod numbers;
mod rows;
mod spread;
mod table;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

pub use rows::{OutRow, Timed};

use super::machine::Machine;
use super::measured::Measured;
use super::workloads::{Counts, Mode, Spec, Workload};

/// One run's report: what was measured, how, and on which machine.
pub struct Report<'a> {
    pub workload: &'a Workload,
    pub spec: &'a Spec,
    pub rounds: usize,
    pub machine: &'a Machine,
    pub measured: &'a Measured,
    pub python: &'a [OutRow],
}

/// The lines printed before the measurement starts.
pub fn header(
    workload: &Workload,
    spec: &Spec,
    rounds: usize,
    machine: &Machine,
) -> String {
    let workers = match workload.counts {
        Counts::Own => String::new(),
        _ => format!(
            ", workers {}",
            spec.workers
                .iter()
                .map(|w| w.to_string())
                .collect::<Vec<_>>()
                .join(" ")
        ),
    };
    format!(
        "cargo xtask measure {}: {} (book/src/{})\nsize {} {}{workers}, warm-up + {rounds} interleaved rounds, medians and spread\n\
         machine: {}\n{}, {}",
        workload.name,
        workload.about,
        workload.chapter,
        spec.size,
        workload.unit,
        machine.describe(),
        machine.load_label(),
        machine.date,
    )
}

impl Report<'_> {
    /// The figures' file name: the workload's, and its size if that is not
    /// the default (`comm-64`), so that several sizes can sit side by side.
    pub fn file_stem(&self) -> String {
        file_stem(self.workload, self.spec.size)
    }

    /// Writes `STEM.md` and `STEM.svg` into `dir`; returns their paths.
    pub fn write_book(&self, dir: &Path) -> Result<Vec<PathBuf>, String> {
        write_book(dir, &self.file_stem(), &self.markdown(), |svg| {
            match self.workload.mode {
                Mode::Speedup => self.speedup_chart(svg),
                Mode::Cost { .. } if self.several_x() => self.cost_lines(svg),
                Mode::Cost { .. } => self.cost_bars(svg),
                Mode::Slowdown { .. } => self.slowdown_chart(svg),
            }
        })
    }
}

/// Writes a figure of the book: `STEM.md` (its table) and `STEM.svg` (what
/// `chart` draws) into `dir`, says so, and returns their paths.
pub fn write_book(
    dir: &Path,
    stem: &str,
    markdown: &str,
    chart: impl FnOnce(&Path) -> Result<(), Box<dyn std::error::Error>>,
) -> Result<Vec<PathBuf>, String> {
    std::fs::create_dir_all(dir)
        .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let md = dir.join(format!("{stem}.md"));
    std::fs::write(&md, markdown)
        .map_err(|e| format!("cannot write {}: {e}", md.display()))?;
    let svg = dir.join(format!("{stem}.svg"));
    chart(&svg).map_err(|e| format!("cannot draw {}: {e}", svg.display()))?;
    for path in [&md, &svg] {
        eprintln!("wrote {}", path.display());
    }
    Ok(vec![md, svg])
}

/// The file name (without extension) `--write-book` gives `workload` at
/// `size`: see [`Report::file_stem`].
pub fn file_stem(workload: &Workload, size: u64) -> String {
    if size == workload.default_size {
        workload.name.to_string()
    } else {
        format!("{}-{size}", workload.name)
    }
}

/// The name and x of the baseline's row: "sequential" at 1 worker, or for
/// a slowdown workload "alone" at 0 (the job without the workers beside it).
pub fn baseline_row(workload: &Workload) -> (&'static str, usize) {
    match workload.mode {
        Mode::Slowdown { .. } => ("alone", 0),
        _ => ("sequential", 1),
    }
}
