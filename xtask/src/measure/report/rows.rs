//! The rows of a report, before any layout: Rust's, from the harness, and
//! Python's, each with its spread over the rounds, its rates and, for a cost
//! workload, its ratio to the reference variant.

use serde::Serialize;

use super::{Report, baseline_row};
use crate::measure::measured::{Spread, Status, ratio_range, seconds};
use crate::measure::workloads::Mode;

/// One row of any report: Rust's (from the harness) or Python's. A field
/// that does not apply, or is unknown (a failed row, one round), is `None`.
#[derive(Clone, Debug, Default, Serialize)]
pub struct OutRow {
    /// "rust", or "python VERSION".
    pub language: String,
    pub workload: String,
    pub variant: String,
    /// The number of workers, or (for a cost workload) the row's x.
    pub workers: usize,
    /// The job's size for this row (Python runs a smaller one).
    pub size: u64,
    pub median_s: Option<f64>,
    /// The fastest and the slowest round (see `measured::Spread`).
    pub min_s: Option<f64>,
    pub max_s: Option<f64>,
    /// (max - min) / median, in percent (needs 2 rounds or more).
    pub spread_pct: Option<f64>,
    /// Whether `spread_pct` is above `measured::NOISY_PCT`.
    pub noisy: Option<bool>,
    pub speedup: Option<f64>,
    /// The lowest and highest of the rounds' paired speedups (see
    /// `measured::ratio_range`); for a slowdown, 1 / these.
    pub speedup_min: Option<f64>,
    pub speedup_max: Option<f64>,
    pub efficiency: Option<f64>,
    /// The median divided by the items of one run (for example one spawn).
    pub per_item_s: Option<f64>,
    /// Items per second (messages, requests, jobs), where the workload counts them.
    pub items_per_s: Option<f64>,
    /// Bytes per second, where the items have a size.
    pub bytes_per_s: Option<f64>,
    /// A cost workload's t(row) / t(reference variant at the same x).
    pub relative: Option<f64>,
    /// "ok", "not done yet", "wrong: ..." or "failed: ...".
    pub status: String,
    /// Why a figure must not be read as it stands: a speedup above the
    /// cores, or above the workers beyond its range (see `spread.rs`).
    pub note: Option<String>,
}

/// What a row starts from: who ran which variant, at which size, how fast.
pub struct Timed<'a> {
    /// "rust", or "python VERSION".
    pub language: String,
    pub workload: &'a str,
    pub variant: String,
    pub workers: usize,
    pub size: u64,
    pub median_s: Option<f64>,
    pub speedup: Option<f64>,
    pub status: String,
}

impl OutRow {
    /// A row with only its time and speedup (Python's rows, the baseline);
    /// the report adds its rates.
    pub fn timed(t: Timed<'_>) -> OutRow {
        OutRow {
            language: t.language,
            workload: t.workload.into(),
            variant: t.variant,
            workers: t.workers,
            size: t.size,
            median_s: t.median_s,
            speedup: t.speedup,
            efficiency: t.speedup.map(|s| s / t.workers as f64),
            status: t.status,
            ..OutRow::default()
        }
    }

    /// The row with its spread over `rounds` (seconds, in round order) and,
    /// given the baseline's rounds, its speedup's range.
    pub fn with_rounds(mut self, rounds: &[f64], baseline: Option<&[f64]>) -> OutRow {
        if let Some(spread) = Spread::of(rounds) {
            self.min_s = Some(spread.min);
            self.max_s = Some(spread.max);
            self.spread_pct = spread.pct;
            self.noisy = spread.noisy();
        }
        if let (Some(speedup), Some((low, high))) = (
            self.speedup,
            baseline.and_then(|base| ratio_range(base, rounds)),
        ) {
            // The ratio of the medians lies within the paired ratios for an
            // odd count; an even count's mean of two may step just outside.
            self.speedup_min = Some(low.min(speedup));
            self.speedup_max = Some(high.max(speedup));
        }
        self
    }
}

fn status_text(status: &Status) -> String {
    match status {
        Status::Ok => "ok".into(),
        Status::NotDone => "not done yet".into(),
        Status::Wrong { got, expected } => {
            format!("WRONG: checksum {got}, expected {expected}")
        }
        Status::Failed(message) => format!("FAILED: {message}"),
    }
}

impl Report<'_> {
    /// How many items one run of `size` moves, and their bytes, if counted.
    fn items(&self, size: u64, x: usize) -> Option<(f64, Option<f64>)> {
        let items = self.workload.items?;
        Some((
            (items.per_run)(size, x) as f64,
            items.bytes_each.map(|b| b(size, x) as f64),
        ))
    }

    /// The Rust rows: the sequential baseline first (speedup workloads),
    /// then every variant.
    pub(super) fn rows(&self) -> Vec<OutRow> {
        let size = self.spec.size;
        let mut rows = Vec::new();
        let base_rounds = seconds(&self.measured.baseline);
        let baseline = self
            .workload
            .mode
            .has_baseline()
            .then_some(&base_rounds[..]);
        if self.workload.mode.has_baseline() {
            let base = self.measured.baseline_median().as_secs_f64();
            let (name, x) = baseline_row(self.workload);
            let row = OutRow::timed(Timed {
                language: "rust".into(),
                workload: self.workload.name,
                variant: name.into(),
                workers: x,
                size,
                median_s: Some(base),
                speedup: Some(1.0),
                status: "ok".into(),
            })
            .with_rounds(&base_rounds, baseline);
            rows.push(self.with_rates(row));
        }
        for row in &self.measured.rows {
            let speedup = if self.workload.mode.has_baseline() {
                self.measured.speedup(row)
            } else {
                None
            };
            let median = row.median().map(|d| d.as_secs_f64());
            let out = OutRow::timed(Timed {
                language: "rust".into(),
                workload: self.workload.name,
                variant: row.variant.clone(),
                workers: row.workers,
                size,
                median_s: median,
                speedup,
                status: status_text(&row.status),
            })
            .with_rounds(&row.seconds(), baseline);
            rows.push(self.with_rates(out));
        }
        if let Mode::Cost { reference, .. } = self.workload.mode {
            set_relatives(&mut rows, reference);
        }
        rows.into_iter().map(|r| self.with_note(r)).collect()
    }

    /// Rust's rows, then Python's.
    pub(super) fn all_rows(&self) -> Vec<OutRow> {
        let mut rows = self.rows();
        rows.extend(self.python_rows());
        rows
    }

    /// The variant Python's cost ratios compare with (without `py `): the
    /// twin's own reference, or the workload's.
    pub(super) fn python_reference(&self) -> Option<&'static str> {
        let Mode::Cost { reference, .. } = self.workload.mode else {
            return None;
        };
        Some(
            self.workload
                .python
                .as_ref()
                .and_then(|twin| twin.reference)
                .unwrap_or(reference),
        )
    }

    /// Python's rows, with their throughput (at Python's own size) and, for
    /// a cost workload, their ratio to Python's own reference variant.
    pub(super) fn python_rows(&self) -> Vec<OutRow> {
        let mut rows: Vec<OutRow> = self
            .python
            .iter()
            .cloned()
            .map(|row| self.with_note(self.with_rates(row)))
            .collect();
        if let Some(reference) = self.python_reference() {
            set_relatives(&mut rows, &format!("py {reference}"));
        }
        rows
    }

    /// The row with its cost per item and throughput, where the workload
    /// counts items (at the row's own size and x).
    fn with_rates(&self, mut row: OutRow) -> OutRow {
        if let (Some(t), Some((n, bytes))) =
            (row.median_s, self.items(row.size, row.workers))
            && t > 0.0
        {
            row.per_item_s = Some(t / n);
            row.items_per_s = Some(n / t);
            row.bytes_per_s = bytes.map(|b| n * b / t);
        }
        row
    }

    /// Whether the rows have more than one x (workers, task size).
    pub(super) fn several_x(&self) -> bool {
        self.measured
            .rows
            .windows(2)
            .any(|pair| pair[0].workers != pair[1].workers)
            || self.workload.mode.has_baseline()
    }
}

/// Each row's time relative to the `reference` variant's at the same x.
fn set_relatives(rows: &mut [OutRow], reference: &str) {
    let reference_time = |rows: &[OutRow], x: usize| {
        rows.iter()
            .find(|r| r.variant == reference && r.workers == x)
            .and_then(|r| r.median_s)
    };
    let relatives: Vec<Option<f64>> = rows
        .iter()
        .map(|r| {
            r.median_s
                .zip(reference_time(rows, r.workers))
                .and_then(|(t, base)| (base > 0.0).then(|| t / base))
        })
        .collect();
    for (row, relative) in rows.iter_mut().zip(relatives) {
        row.relative = relative;
    }
}
