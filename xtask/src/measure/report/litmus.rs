//! The reports of `measure litmus`: the terminal table, `--json`, and
//! `--write-book` (a markdown table and an SVG chart), each labelled with
//! the machine, its architecture and its load.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use plotters::prelude::*;
use serde::Serialize;

use super::charts::legend;
use crate::measure::machine::Machine;
use crate::measure::workloads::litmus::{BATCH, LitmusRun, Strength, TestRun, WORKLOAD};

/// One outcome of one test: a row of the table and of the JSON.
#[derive(Serialize)]
pub struct OutcomeRow {
    pub shape: &'static str,
    pub ordering: &'static str,
    pub outcome: String,
    /// The interesting outcome, the one no interleaving gives.
    pub weak: bool,
    /// "allowed" or "forbidden" by the Rust (C++20) memory model.
    pub model: &'static str,
    /// Whether loom's models find it ("found", "not found").
    pub loom: &'static str,
    pub seen: u64,
    pub runs: u64,
}

impl TestRun {
    pub fn rows(&self) -> Vec<OutcomeRow> {
        let shape = self.shape;
        let outcomes = shape.outcomes();
        outcomes
            .iter()
            .zip(&self.tally.counts)
            .map(|(outcome, &seen)| OutcomeRow {
                shape: shape.name,
                ordering: self.strength.label(),
                outcome: shape.label(outcome),
                weak: outcome.as_slice() == shape.weak,
                model: if shape.allowed(self.strength, outcome) {
                    "allowed"
                } else {
                    "forbidden"
                },
                loom: if shape.loom_finds(self.strength, outcome) {
                    "found"
                } else {
                    "not found"
                },
                seen,
                runs: self.runs,
            })
            .collect()
    }
}

/// "1234567 (12.35 %)", "0", or the loud mark of a forbidden outcome seen.
fn seen_cell(row: &OutcomeRow) -> String {
    let cell = match row.seen {
        0 => "0".to_string(),
        n => format!("{n} ({:.3} %)", n as f64 * 100.0 / row.runs as f64),
    };
    if row.seen > 0 && row.model == "forbidden" {
        format!("{cell} BUG: FORBIDDEN")
    } else {
        cell
    }
}

impl LitmusRun {
    /// The lines printed before the runs start.
    pub fn header(&self) -> String {
        format!(
            "cargo xtask measure litmus: {} (book/src/{})\n{} runs per test, in batches of \
             {} (litmus7-style)\nmachine: {}, {}\n{}, {}",
            WORKLOAD.about,
            WORKLOAD.chapter,
            self.runs_per_test,
            BATCH,
            self.machine.describe(),
            self.arch,
            self.machine.load_label(),
            self.machine.date
        )
    }

    fn all_rows(&self) -> Vec<OutcomeRow> {
        self.tests.iter().flat_map(TestRun::rows).collect()
    }

    /// The three-way table: every outcome, or with `weak_only` the weak one
    /// of each test (the book's; the others are always allowed and found).
    pub fn table(&self, weak_only: bool) -> String {
        let rows: Vec<OutcomeRow> = self
            .all_rows()
            .into_iter()
            .filter(|r| r.weak || !weak_only)
            .collect();
        let cpu = format!("this CPU ({})", self.arch);
        let headers = [
            "test",
            "orderings",
            "outcome",
            "model",
            "loom",
            cpu.as_str(),
        ];
        let cells: Vec<[String; 6]> = rows
            .iter()
            .map(|r| {
                let mark = if r.weak && !weak_only { " (weak)" } else { "" };
                [
                    r.shape.to_string(),
                    r.ordering.to_string(),
                    format!("{}{mark}", r.outcome),
                    r.model.to_string(),
                    r.loom.to_string(),
                    seen_cell(r),
                ]
            })
            .collect();
        let widths: Vec<usize> = (0..6)
            .map(|i| {
                cells
                    .iter()
                    .map(|c| c[i].len())
                    .chain([headers[i].len()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut out = String::new();
        let line = |cells: &[&str]| -> String {
            let padded: Vec<String> = cells
                .iter()
                .zip(&widths)
                .map(|(c, w)| format!("{c:<w$}"))
                .collect();
            padded.join("  ").trim_end().to_string()
        };
        let _ = writeln!(out, "{}", line(&headers));
        let mut previous = "";
        for (row, cell) in rows.iter().zip(&cells) {
            if row.shape != previous && !previous.is_empty() {
                out.push('\n');
            }
            previous = row.shape;
            let _ = writeln!(out, "{}", line(&cell.each_ref().map(String::as_str)));
        }
        for (shape, reason) in &self.skipped {
            let _ = writeln!(out, "\n{} ({}): {reason}", shape.name, shape.title);
        }
        out
    }

    pub fn json(&self) -> String {
        #[derive(Serialize)]
        struct Json<'a> {
            machine: &'a Machine,
            busy: bool,
            arch: &'a str,
            workload: &'a str,
            runs_per_test: u64,
            rows: Vec<OutcomeRow>,
            skipped: Vec<String>,
            bugs: Vec<String>,
        }
        let skipped = self
            .skipped
            .iter()
            .map(|(s, why)| format!("{}: {why}", s.name));
        serde_json::to_string_pretty(&Json {
            machine: &self.machine,
            busy: self.machine.busy(),
            arch: self.arch,
            workload: WORKLOAD.name,
            runs_per_test: self.runs_per_test,
            rows: self.all_rows(),
            skipped: skipped.collect(),
            bugs: self.bugs(),
        })
        .expect("plain data serializes")
    }

    fn markdown(&self) -> String {
        let mut out = format!(
            "<!-- Written by `cargo xtask measure litmus --write-book`. Do not edit: measure again. -->\n\n\
             *Measured with `cargo xtask measure litmus` on {}, {}; {}; {}. {} runs per test. \
             Counts vary with the load: a busy core overlaps less.*\n\n\
             | test | orderings | weak outcome | model | loom | this CPU ({}) |\n|---|---|---|---|---|---:|\n",
            self.machine.describe(),
            self.arch,
            self.machine.load_label(),
            self.machine.date,
            self.runs_per_test,
            self.arch,
        );
        for r in self.all_rows().iter().filter(|r| r.weak) {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                r.shape,
                r.ordering,
                r.outcome,
                r.model,
                r.loom,
                seen_cell(r)
            );
        }
        out.push_str(
            "\n*Every other outcome is allowed by the model and found by loom; `--json` has \
             their counts. In the chart, an x marks an ordering under which the model forbids \
             the weak outcome.*\n",
        );
        for (shape, reason) in &self.skipped {
            let _ = writeln!(out, "\n*{} ({}): {reason}.*", shape.name, shape.title);
        }
        out
    }

    /// Writes `STEM.md` and `STEM.svg` into `dir`; returns their paths.
    pub fn write_book(&self, dir: &Path, stem: String) -> Result<Vec<PathBuf>, String> {
        super::write_book(dir, &stem, &self.markdown(), |svg| self.chart(svg))
    }

    /// The weak outcome's share of the runs: a bar per test and ordering;
    /// an x marks an ordering under which the model forbids it.
    fn chart(&self, path: &Path) -> Result<(), Box<dyn std::error::Error>> {
        let shapes: Vec<&str> =
            self.tests
                .iter()
                .map(|t| t.shape.name)
                .fold(Vec::new(), |mut v, n| {
                    if !v.contains(&n) {
                        v.push(n);
                    }
                    v
                });
        let share = |t: &TestRun| {
            let weak = t
                .shape
                .outcomes()
                .iter()
                .position(|o| o.as_slice() == t.shape.weak);
            let seen = weak.map_or(0, |i| t.tally.counts[i]);
            seen as f64 * 100.0 / t.runs.max(1) as f64
        };
        let top = self.tests.iter().map(share).fold(1.0, f64::max) * 1.25;
        let area = SVGBackend::new(path, (720, 440)).into_drawing_area();
        area.fill(&WHITE)?;
        let caption = self
            .machine
            .caption(&format!("litmus: weak outcomes on {}", self.arch));
        let mut chart = ChartBuilder::on(&area)
            .caption(caption, ("sans-serif", 19))
            .margin(14)
            .x_label_area_size(42)
            .y_label_area_size(56)
            .build_cartesian_2d(0f64..shapes.len() as f64, 0f64..top)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(shapes.len() * 2 + 1)
            .x_label_formatter(&|x| {
                let i = (x - 0.5).round();
                if (x - 0.5 - i).abs() < 1e-6 && i >= 0.0 {
                    shapes
                        .get(i as usize)
                        .map_or(String::new(), |s| s.to_string())
                } else {
                    String::new()
                }
            })
            .y_desc("runs with the weak outcome")
            .y_label_formatter(&|y| format!("{y:.1} %"))
            .label_style(("sans-serif", 14))
            .axis_desc_style(("sans-serif", 15))
            .light_line_style(WHITE.mix(0.0))
            .draw()?;
        let width = 0.8 / Strength::ALL.len() as f64;
        for (k, strength) in Strength::ALL.iter().enumerate() {
            let color = Palette99::pick(k).to_rgba();
            let bars: Vec<(f64, f64, bool)> = self
                .tests
                .iter()
                .filter(|t| t.strength == *strength)
                .map(|t| {
                    let i = shapes.iter().position(|s| *s == t.shape.name).unwrap_or(0);
                    let forbidden = !t.shape.allowed(t.strength, t.shape.weak);
                    (0.1 + i as f64 + k as f64 * width, share(t), forbidden)
                })
                .collect();
            chart
                .draw_series(bars.iter().map(|&(x, y, _)| {
                    Rectangle::new([(x, 0.0), (x + width * 0.9, y)], color.filled())
                }))?
                .label(strength.label())
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 12, y + 5)], color.filled())
                });
            chart.draw_series(bars.iter().filter(|b| b.2).map(|&(x, _, _)| {
                Text::new("x", (x + width * 0.3, top * 0.04), ("sans-serif", 13))
            }))?;
        }
        legend(&mut chart, SeriesLabelPosition::UpperRight)?;
        area.present()?;
        Ok(())
    }
}
