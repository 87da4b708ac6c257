//! Reading the spread: the cells that show it, the rows it marks (noisy, or
//! faster than the cores allow), and the lines under a table that say so.

use super::Report;
use super::numbers::{ratio, seconds};
use super::rows::OutRow;
use crate::measure::measured::NOISY_PCT;
use crate::measure::workloads::Mode;

/// The workloads whose workers mostly wait: their speedup passes the cores
/// for real (chapter 05's `wait`, chapter 08's `io`), so only their
/// efficiency is checked.
const WAITING: &[&str] = &["wait", "io"];

/// The end of every superlinear note; the table shows only what precedes it.
const NOT_REAL: &str = "noise or a cache effect, never a real superlinear gain";

/// Why a row's speedup cannot be taken as it stands, or `None`: above the
/// `cores` (unless the work `waits`), or above its workers even at the low
/// end of its range (an efficiency above 100 % beyond the spread).
pub(super) fn superlinear(row: &OutRow, cores: usize, waits: bool) -> Option<String> {
    let speedup = row.speedup?;
    if !waits && speedup > cores as f64 {
        return Some(format!(
            "{}x is above the {cores} cores: {NOT_REAL}",
            ratio(speedup)
        ));
    }
    let low = row.speedup_min?;
    (low > row.workers as f64).then(|| {
        format!(
            "at least {}x on {} workers, above 100 % efficiency beyond the spread: {NOT_REAL}",
            ratio(low),
            row.workers
        )
    })
}

/// "550.1-570.3 ms", or "998.0 ms - 1.020 s" across units.
pub(super) fn time_range(low: f64, high: f64) -> String {
    let (low, high) = (seconds(low), seconds(high));
    match (low.split_once(' '), high.split_once(' ')) {
        (Some((number, unit)), Some((_, same))) if unit == same => {
            format!("{number}-{high}")
        }
        _ => format!("{low} - {high}"),
    }
}

/// The rows' cells of the spread and of the note column.
impl OutRow {
    /// "550.1-570.3 ms", "-" for a row that was not timed.
    pub(super) fn min_max_cell(&self) -> String {
        match (self.min_s, self.max_s) {
            (Some(low), Some(high)) => time_range(low, high),
            _ => "-".into(),
        }
    }

    /// "3.6 %"; "n/a" for a timed row without a spread (one round, or a
    /// Python twin that did not report its rounds).
    pub(super) fn spread_cell(&self) -> String {
        match (self.spread_pct, self.median_s) {
            // One decimal below 100 %, so that 10.3 % (noisy) does not read as 10 %.
            (Some(pct), _) if pct < 100.0 => format!("{pct:.1} %"),
            (Some(pct), _) => format!("{pct:.0} %"),
            (None, Some(_)) => "n/a".into(),
            (None, None) => "-".into(),
        }
    }

    /// "1.95x (1.89-1.99)"; `invert` writes a slowdown, 1 / speedup.
    pub(super) fn speedup_cell(&self, invert: bool) -> String {
        let way = |s: f64| if invert { 1.0 / s } else { s };
        let Some(speedup) = self.speedup else {
            return "-".into();
        };
        match (self.speedup_min, self.speedup_max) {
            (Some(low), Some(high)) => {
                let (a, b) = if invert {
                    (way(high), way(low))
                } else {
                    (low, high)
                };
                format!("{}x ({}-{})", ratio(way(speedup)), ratio(a), ratio(b))
            }
            _ => format!("{}x", ratio(way(speedup))),
        }
    }

    /// The note column: what went wrong, "noisy", and the superlinear
    /// note's first half (the line under the table gives the rest).
    pub(super) fn note_cell(&self) -> String {
        let mut parts: Vec<&str> = Vec::new();
        if self.status != "ok" {
            parts.push(&self.status);
        }
        if self.noisy == Some(true) {
            parts.push("noisy");
        }
        if let Some(note) = &self.note {
            parts.push(
                note.strip_suffix(NOT_REAL)
                    .map_or(note, |n| n.trim_end_matches([' ', ':'])),
            );
        }
        parts.join("; ")
    }
}

impl Report<'_> {
    /// The row with its superlinear note, where a speedup workload's row
    /// has one.
    pub(super) fn with_note(&self, mut row: OutRow) -> OutRow {
        if self.workload.mode == Mode::Speedup {
            let waits = WAITING.contains(&self.workload.name);
            row.note = superlinear(&row, self.machine.cores, waits);
        }
        row
    }

    /// The largest spread of any row, and which row: how much the figures
    /// moved between rounds.
    pub fn largest_spread(&self) -> Option<(f64, String)> {
        self.all_rows()
            .into_iter()
            .filter_map(|r| {
                let at = match self.workload.mode {
                    Mode::Cost { .. } if !self.several_x() => String::new(),
                    _ => format!(" at {}", r.workers),
                };
                r.spread_pct.map(|p| (p, format!("{}{at}", r.variant)))
            })
            .max_by(|a, b| a.0.total_cmp(&b.0))
    }

    /// The lines under a table about its spread: the superlinear rows, the
    /// noisy ones, and on a busy machine how far the figures moved.
    pub(super) fn spread_lines(&self) -> Vec<String> {
        let rows = self.all_rows();
        let mut lines = Vec::new();
        if rows.iter().any(|r| r.note.is_some()) {
            lines.push(format!(
                "Above the cores or above 100 %: {} cores cannot do more than {0} times the work of one. \
                 Such a row is noise (a slow sequential round) or a cache effect (each worker's share \
                 fits its cache better), never a real superlinear gain.",
                self.machine.cores
            ));
        }
        let noisy = rows.iter().filter(|r| r.noisy == Some(true)).count();
        if noisy > 0 {
            lines.push(format!(
                "noisy: {noisy} of {} rows moved more than {NOISY_PCT:.0} % between rounds; read no \
                 difference smaller than their spread. Measure again on a quiet machine, or with more \
                 --rounds.",
                rows.len()
            ));
        }
        if let Some(moved) = self.machine.busy_spread(self.largest_spread()) {
            lines.push(moved);
        }
        lines
    }
}
