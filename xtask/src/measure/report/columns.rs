//! The columns of a workload's table, shared by the terminal table and the
//! markdown one, and the lines that explain how to read them.

use super::Report;
use super::numbers::{count, percent, ratio, seconds};
use super::rows::OutRow;
use crate::measure::measured::NOISY_PCT;
use crate::measure::workloads::Mode;

/// One column of the table: its header and how to write a row's cell.
pub(super) struct Column {
    pub(super) header: String,
    pub(super) right: bool,
    pub(super) cell: Box<dyn Fn(&OutRow) -> String>,
}

fn column(
    header: impl Into<String>,
    right: bool,
    cell: impl Fn(&OutRow) -> String + 'static,
) -> Column {
    Column {
        header: header.into(),
        right,
        cell: Box::new(cell),
    }
}

fn or_dash(v: Option<f64>, f: impl Fn(f64) -> String) -> String {
    v.map_or("-".to_string(), f)
}

impl Report<'_> {
    /// The columns of this workload's table, markdown and terminal alike.
    pub(super) fn columns(&self) -> Vec<Column> {
        self.columns_for(false)
    }

    /// The columns, for Rust's rows or (`python`) for Python's, whose cost
    /// ratios may have a reference of their own.
    pub(super) fn columns_for(&self, python: bool) -> Vec<Column> {
        let mut columns = vec![column("variant", false, |r| r.variant.clone())];
        match self.workload.mode {
            Mode::Speedup => {
                columns.push(column("workers", true, |r| r.workers.to_string()))
            }
            Mode::Cost { x_label, .. } if self.several_x() => {
                columns.push(column(x_label, true, |r| r.workers.to_string()))
            }
            Mode::Cost { .. } => {}
            Mode::Slowdown { x_label } => {
                columns.push(column(x_label, true, |r| r.workers.to_string()))
            }
        }
        columns.push(column("median", true, |r| or_dash(r.median_s, seconds)));
        columns.push(column("min-max", true, OutRow::min_max_cell));
        columns.push(column("spread", true, OutRow::spread_cell));
        if self.workload.mode == Mode::Speedup {
            columns.push(column("speedup (range)", true, |r| r.speedup_cell(false)));
            columns.push(column("efficiency", true, |r| {
                or_dash(r.efficiency, |e| format!("{} %", percent(e * 100.0)))
            }));
        }
        if let Mode::Slowdown { .. } = self.workload.mode {
            columns.push(column("slower than alone (range)", true, |r| {
                r.speedup_cell(true)
            }));
        }
        if let Some(items) = self.workload.items {
            let one = self.item_name();
            if let Mode::Cost { .. } = self.workload.mode {
                columns.push(column(format!("per {one}"), true, |r| {
                    or_dash(r.per_item_s, seconds)
                }));
            }
            columns.push(column(format!("{}/s", items.name), true, |r| {
                or_dash(r.items_per_s, count)
            }));
            if items.bytes_each.is_some() {
                columns.push(column("MB/s", true, |r| {
                    or_dash(r.bytes_per_s, |b| format!("{:.1}", b / 1e6))
                }));
            }
        }
        if let Mode::Cost { reference, .. } = self.workload.mode {
            let reference = self
                .python_reference()
                .filter(|_| python)
                .unwrap_or(reference);
            columns.push(column(format!("vs {reference}"), true, |r| {
                or_dash(r.relative, |x| format!("{}x", ratio(x)))
            }));
        }
        columns.push(column("note", false, OutRow::note_cell));
        columns
    }

    /// The line under the table: how to read it.
    pub(super) fn explanation(&self) -> String {
        let spread = format!(
            " min-max: the fastest and the slowest round; spread = (max - min) / median, \
             noisy above {NOISY_PCT:.0} %."
        );
        // Each round's pair ran side by side, so the range of the paired
        // ratios leaves out the drift that moved both alike.
        let paired = "the range is the lowest and highest of the rounds' paired ratios, \
                      each round's baseline over the same round's variant";
        let reading = match self.workload.mode {
            Mode::Speedup => format!(
                "speedup = t(sequential) / t(variant) from the medians; {paired}; efficiency = speedup / workers."
            ),
            Mode::Cost { reference, .. } => {
                let python = match self.python_reference() {
                    Some(theirs) if theirs != reference && !self.python.is_empty() => {
                        format!(" Python's rows are compared with py {theirs}.")
                    }
                    _ => String::new(),
                };
                format!(
                    "vs {reference} = t(variant) / t({reference}) at the same size: below 1x is cheaper.{python}"
                )
            }
            Mode::Slowdown { .. } => format!(
                "slower than alone = t(variant) / t(alone): how many times longer the same job took; {paired}."
            ),
        };
        reading + &spread
    }

    /// One item, in words: "message" for `messages`.
    pub(super) fn item_name(&self) -> &'static str {
        self.workload
            .items
            .map_or("item", |i| i.name.strip_suffix('s').unwrap_or(i.name))
    }
}
