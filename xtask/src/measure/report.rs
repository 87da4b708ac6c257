//! The reports, written once for every workload: the terminal table,
//! `--json`, and `--write-book` (a markdown table and an SVG chart in the
//! book's generated-figures folder).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use serde::Serialize;

use super::harness::{Measured, Status};
use super::machine::Machine;
use super::workloads::{Counts, Mode, Spec, Workload};

/// One row of any report: Rust's (from the harness) or Python's.
#[derive(Clone, Debug, Serialize)]
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
    pub speedup: Option<f64>,
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
}

impl OutRow {
    /// A row with only its time and speedup (Python's rows, the baseline).
    pub fn timed(
        language: String,
        workload: &str,
        variant: String,
        workers: usize,
        size: u64,
        median_s: Option<f64>,
        speedup: Option<f64>,
        status: String,
    ) -> OutRow {
        OutRow {
            language,
            workload: workload.into(),
            variant,
            workers,
            size,
            median_s,
            speedup,
            efficiency: speedup.map(|s| s / workers as f64),
            per_item_s: None,
            items_per_s: None,
            bytes_per_s: None,
            relative: None,
            status,
        }
    }
}

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
        "cargo xtask measure {}: {} (book/src/{})\nsize {} {}{workers}, warm-up + {rounds} interleaved rounds, medians\n\
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

/// "1.234 s", "12.3 ms", "45.6 us", "7.8 ns".
pub fn seconds(s: f64) -> String {
    if s >= 1.0 {
        format!("{s:.3} s")
    } else if s >= 0.001 {
        format!("{:.1} ms", s * 1e3)
    } else if s >= 1e-6 {
        format!("{:.1} us", s * 1e6)
    } else {
        format!("{:.1} ns", s * 1e9)
    }
}

/// "950", "12.3 k", "4.56 M", "7.89 G".
pub fn count(n: f64) -> String {
    if n >= 1e9 {
        format!("{:.2} G", n / 1e9)
    } else if n >= 1e6 {
        format!("{:.2} M", n / 1e6)
    } else if n >= 1e4 {
        format!("{:.1} k", n / 1e3)
    } else {
        format!("{n:.0}")
    }
}

/// One column of the table: its header and how to write a row's cell.
struct Column {
    header: String,
    right: bool,
    cell: Box<dyn Fn(&OutRow) -> String>,
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
    pub fn rows(&self) -> Vec<OutRow> {
        let size = self.spec.size;
        let mut rows = Vec::new();
        if self.workload.mode.has_baseline() {
            let base = self.measured.baseline_median().as_secs_f64();
            let (name, x) = baseline_row(self.workload);
            let row = OutRow::timed(
                "rust".into(),
                self.workload.name,
                name.into(),
                x,
                size,
                Some(base),
                Some(1.0),
                "ok".into(),
            );
            rows.push(self.with_rates(row));
        }
        for row in &self.measured.rows {
            let speedup = if self.workload.mode.has_baseline() {
                self.measured.speedup(row)
            } else {
                None
            };
            let median = row.median().map(|d: Duration| d.as_secs_f64());
            let out = OutRow::timed(
                "rust".into(),
                self.workload.name,
                row.variant.clone(),
                row.workers,
                size,
                median,
                speedup,
                status_text(&row.status),
            );
            rows.push(self.with_rates(out));
        }
        if let Mode::Cost { reference, .. } = self.workload.mode {
            set_relatives(&mut rows, reference);
        }
        rows
    }

    /// Rust's rows, then Python's.
    fn all_rows(&self) -> Vec<OutRow> {
        let mut rows = self.rows();
        rows.extend(self.python_rows());
        rows
    }

    /// The variant Python's cost ratios compare with (without `py `): the
    /// twin's own reference, or the workload's.
    fn python_reference(&self) -> Option<&'static str> {
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
    pub fn python_rows(&self) -> Vec<OutRow> {
        let mut rows: Vec<OutRow> = self
            .python
            .iter()
            .cloned()
            .map(|row| self.with_rates(row))
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
    fn several_x(&self) -> bool {
        self.measured
            .rows
            .windows(2)
            .any(|pair| pair[0].workers != pair[1].workers)
            || self.workload.mode.has_baseline()
    }

    /// The columns of this workload's table, markdown and terminal alike.
    fn columns(&self) -> Vec<Column> {
        self.columns_for(false)
    }

    /// The columns, for Rust's rows or (`python`) for Python's, whose cost
    /// ratios may have a reference of their own.
    fn columns_for(&self, python: bool) -> Vec<Column> {
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
        if self.workload.mode == Mode::Speedup {
            columns.push(column("speedup", true, |r| {
                or_dash(r.speedup, |s| format!("{}x", ratio(s)))
            }));
            columns.push(column("efficiency", true, |r| {
                or_dash(r.efficiency, |e| format!("{} %", percent(e * 100.0)))
            }));
        }
        if let Mode::Slowdown { .. } = self.workload.mode {
            columns.push(column("slower than alone", true, |r| {
                or_dash(r.speedup, |s| format!("{}x", ratio(1.0 / s)))
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
        columns.push(column("note", false, |r| {
            if r.status == "ok" {
                String::new()
            } else {
                r.status.clone()
            }
        }));
        columns
    }

    /// The lines under the table: how to read it, and the workload's notes.
    fn explanation(&self) -> String {
        match self.workload.mode {
            Mode::Speedup => "speedup = t(sequential) / t(variant); efficiency = speedup / workers.".to_string(),
            Mode::Cost { reference, .. } => {
                let python = match self.python_reference() {
                    Some(theirs) if theirs != reference && !self.python.is_empty() => {
                        format!(" Python's rows are compared with py {theirs}.")
                    }
                    _ => String::new(),
                };
                format!("vs {reference} = t(variant) / t({reference}) at the same size: below 1x is cheaper.{python}")
            }
            Mode::Slowdown { .. } => "slower than alone = t(variant) / t(alone): how many times longer the same job took.".to_string(),
        }
    }

    pub fn table(&self) -> String {
        let columns = self.columns();
        let rows = self.all_rows();
        let cells: Vec<Vec<String>> = rows
            .iter()
            .map(|r| columns.iter().map(|c| (c.cell)(r)).collect())
            .collect();
        let widths: Vec<usize> = columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                cells
                    .iter()
                    .map(|row| row[i].chars().count())
                    .chain([c.header.len()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let line = |texts: &[String]| -> String {
            let mut out = String::new();
            for (i, text) in texts.iter().enumerate() {
                let width = widths[i];
                let _ = if columns[i].right {
                    write!(out, "{text:>width$}  ")
                } else {
                    write!(out, "{text:<width$}  ")
                };
            }
            format!("{}\n", out.trim_end())
        };
        let mut out = String::from("\n");
        out.push_str(&line(
            &columns.iter().map(|c| c.header.clone()).collect::<Vec<_>>(),
        ));
        let mut previous: Option<&OutRow> = None;
        for (row, texts) in rows.iter().zip(&cells) {
            if let Some(before) = previous {
                if before.language != row.language {
                    let _ = writeln!(
                        out,
                        "\n{}, the same job at size {} (against its own baseline; compare the ratios, not the times):",
                        row.language.replace("python", "Python"),
                        row.size
                    );
                } else if before.variant != row.variant && self.several_x() {
                    out.push('\n');
                }
            }
            previous = Some(row);
            out.push_str(&line(texts));
        }
        for note in &self.measured.notes {
            let _ = write!(out, "\n{note}");
        }
        let _ = write!(
            out,
            "\n{} {}",
            self.explanation(),
            self.machine.load_label()
        );
        if self.machine.busy() {
            out.push_str(
                "\nMeasure again on a quiet machine before you draw conclusions.",
            );
        }
        out
    }

    pub fn json(&self) -> String {
        #[derive(Serialize)]
        struct Json<'a> {
            machine: &'a Machine,
            busy: bool,
            workload: &'a str,
            size: u64,
            rounds: usize,
            checksum: u64,
            rows: Vec<OutRow>,
            notes: &'a [String],
        }
        let rows = self.all_rows();
        let json = Json {
            machine: self.machine,
            busy: self.machine.busy(),
            workload: self.workload.name,
            size: self.spec.size,
            rounds: self.rounds,
            checksum: self.measured.checksum,
            rows,
            notes: &self.measured.notes,
        };
        serde_json::to_string_pretty(&json).expect("plain data serializes")
    }

    /// The markdown table for the book, with its label: machine, load, date.
    pub fn markdown(&self) -> String {
        let mut out = format!(
            "<!-- Written by `cargo xtask measure {name} --write-book`. Do not edit: measure again. -->\n\n\
             *Measured with `cargo xtask measure {name}{python}` on {machine}; {load}; {date}. Size {size} {unit}, \
             median of {rounds} interleaved rounds.*\n\n",
            name = self.workload.name,
            python = if self.python.is_empty() {
                ""
            } else {
                " --python"
            },
            machine = self.machine.describe(),
            load = self.machine.load_label(),
            date = self.machine.date,
            size = self.spec.size,
            unit = self.workload.unit,
            rounds = self.rounds,
        );
        let columns = self.columns();
        self.markdown_rows(&mut out, &columns, &self.rows());
        if !self.python.is_empty() {
            let _ = write!(
                out,
                "\n*{}, the same job at size {}, on the same machine in the same run:*\n\n",
                self.python[0].language.replace("python", "Python"),
                self.python[0].size
            );
            self.markdown_rows(&mut out, &self.columns_for(true), &self.python_rows());
        }
        if !self.measured.notes.is_empty() {
            out.push('\n');
            for note in &self.measured.notes {
                let _ = writeln!(out, "- {note}");
            }
        }
        let _ = writeln!(out, "\n*{}*", self.explanation());
        out
    }

    fn markdown_rows(&self, out: &mut String, columns: &[Column], rows: &[OutRow]) {
        let headers: Vec<&str> = columns.iter().map(|c| c.header.as_str()).collect();
        let rule: Vec<&str> = columns
            .iter()
            .map(|c| if c.right { "---:" } else { "---" })
            .collect();
        let _ = writeln!(out, "| {} |\n|{}|", headers.join(" | "), rule.join("|"));
        for row in rows {
            let cells: Vec<String> = columns
                .iter()
                .map(|c| (c.cell)(row).replace('|', "/"))
                .collect();
            let _ = writeln!(out, "| {} |", cells.join(" | "));
        }
    }

    /// The figures' file name: the workload's, and its size if that is not
    /// the default (`comm-64`), so that several sizes can sit side by side.
    pub fn file_stem(&self) -> String {
        file_stem(self.workload, self.spec.size)
    }

    /// Writes `STEM.md` and `STEM.svg` into `dir`; returns their paths.
    pub fn write_book(&self, dir: &Path) -> Result<Vec<PathBuf>, String> {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let md = dir.join(format!("{}.md", self.file_stem()));
        std::fs::write(&md, self.markdown())
            .map_err(|e| format!("cannot write {}: {e}", md.display()))?;
        let svg = dir.join(format!("{}.svg", self.file_stem()));
        let drawn = match self.workload.mode {
            Mode::Speedup => self.speedup_chart(&svg),
            Mode::Cost { .. } if self.several_x() => self.cost_lines(&svg),
            Mode::Cost { .. } => self.cost_bars(&svg),
            Mode::Slowdown { .. } => self.slowdown_chart(&svg),
        };
        drawn.map_err(|e| format!("cannot draw {}: {e}", svg.display()))?;
        Ok(vec![md, svg])
    }

    /// One item, in words: "message" for `messages`.
    fn item_name(&self) -> &'static str {
        self.workload
            .items
            .map_or("item", |i| i.name.strip_suffix('s').unwrap_or(i.name))
    }

    /// The chart's title: what, and on which machine.
    fn caption(&self, what: &str) -> String {
        format!(
            "{}: {what} ({} cores, load {}, {})",
            self.workload.name,
            self.machine.cores,
            self.machine
                .load_average
                .map_or("unknown".to_string(), |l| format!("{l:.2}")),
            self.machine.date
        )
    }

    /// The variants that have at least one timed row, in order: the lines
    /// of a chart. The baseline's rows (Rust's and Python's) are the chart's
    /// yardstick, not lines of it.
    fn plotted_variants(&self, rows: &[OutRow]) -> Vec<String> {
        let baseline = self
            .workload
            .mode
            .has_baseline()
            .then(|| baseline_row(self.workload).0);
        let mut variants: Vec<String> = Vec::new();
        for row in rows.iter().filter(|r| r.median_s.is_some()) {
            let is_baseline = baseline.is_some_and(|b| {
                row.variant == b || row.variant.strip_prefix("py ") == Some(b)
            });
            if !is_baseline && !variants.contains(&row.variant) {
                variants.push(row.variant.clone());
            }
        }
        variants
    }

    /// Speedup against workers: one line per variant (Python's too, each
    /// against its own sequential row), and the ideal line.
    /// Doubling worker counts get a log2 x axis.
    pub fn speedup_chart(&self, path: &Path) -> Result<(), Box<dyn std::error::Error>> {
        let rows = self.all_rows();
        let log = matches!(self.workload.counts, Counts::Doubling(_));
        let x = move |workers: usize| {
            if log {
                (workers as f64).log2()
            } else {
                workers as f64
            }
        };
        let max_workers = rows.iter().map(|r| r.workers).max().unwrap_or(1).max(2);
        let best = rows.iter().filter_map(|r| r.speedup).fold(1.0, f64::max);
        let top = if log {
            best * 1.15
        } else {
            best.max(max_workers as f64) * 1.08
        };
        let variants = self.plotted_variants(&rows);

        let area = SVGBackend::new(path, (720, 440)).into_drawing_area();
        area.fill(&WHITE)?;
        let x_range = if log {
            -0.2..x(max_workers) + 0.2
        } else {
            0.8..max_workers as f64 + 0.2
        };
        let mut chart = ChartBuilder::on(&area)
            .caption(self.caption("speedup vs workers"), ("sans-serif", 19))
            .margin(14)
            .x_label_area_size(42)
            .y_label_area_size(52)
            .build_cartesian_2d(x_range, 0f64..top)?;
        let x_label = move |v: &f64| -> String {
            if log {
                let w = 2f64.powf(*v);
                if (w - w.round()).abs() < 1e-6 {
                    format!("{w:.0}")
                } else {
                    String::new()
                }
            } else if v.fract() == 0.0 {
                format!("{v:.0}")
            } else {
                String::new()
            }
        };
        let ticks = if log {
            (x(max_workers).ceil() as usize) * 2 + 1
        } else {
            max_workers + 1
        };
        chart
            .configure_mesh()
            .x_desc(if log { "workers (doubling)" } else { "workers" })
            .y_desc("speedup (sequential = 1)")
            .x_labels(ticks)
            .x_label_formatter(&x_label)
            .y_label_formatter(&|y| format!("{y:.1}x"))
            .label_style(("sans-serif", 14))
            .axis_desc_style(("sans-serif", 15))
            .light_line_style(WHITE.mix(0.0))
            .draw()?;

        let ideal = BLACK.mix(0.45).stroke_width(1);
        let mut ideal_points: Vec<(f64, f64)> = Vec::new();
        let mut w = 1.0f64;
        while w <= max_workers as f64 && w <= top {
            ideal_points.push((x(w as usize), w));
            w = if log { w * 2.0 } else { w + 1.0 };
        }
        chart
            .draw_series(LineSeries::new(ideal_points, ideal))?
            .label("ideal: speedup = workers")
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], ideal));
        let cores = self.machine.cores;
        if cores < max_workers {
            let line = BLACK.mix(0.25).stroke_width(1);
            chart
                .draw_series(LineSeries::new(
                    vec![(x(cores), 0.0), (x(cores), top)],
                    line,
                ))?
                .label(format!("{} logical cores", self.machine.cores))
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x + 9, y - 6), (x + 9, y + 6)], line)
                });
        }
        let points = |variant: &str| {
            rows.iter()
                .filter(|r| r.variant == variant)
                .filter_map(|r| r.speedup.map(|s| (x(r.workers), s)))
                .collect()
        };
        draw_lines(&mut chart, &variants, points)?;
        legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
        area.present()?;
        Ok(())
    }

    /// A slowdown workload (the convoy): how many times longer than alone,
    /// on a log10 axis, against x; Python's rows too, against its own
    /// baseline.
    pub fn slowdown_chart(&self, path: &Path) -> Result<(), Box<dyn std::error::Error>> {
        let rows = self.all_rows();
        let Mode::Slowdown { x_label } = self.workload.mode else {
            unreachable!("only slowdown workloads")
        };
        let variants = self.plotted_variants(&rows);
        let points = |variant: &str| -> Vec<(f64, f64)> {
            rows.iter()
                .filter(|r| r.variant == variant)
                .filter_map(|r| {
                    r.speedup
                        .filter(|s| *s > 0.0)
                        .map(|s| (r.workers as f64, (1.0 / s).log10()))
                })
                .collect()
        };
        let all: Vec<(f64, f64)> = variants.iter().flat_map(|v| points(v)).collect();
        if all.is_empty() {
            return Err("no timed rows to draw".into());
        }
        let max_x = all.iter().map(|p| p.0).fold(1.0, f64::max);
        let min_x = all.iter().map(|p| p.0).fold(max_x, f64::min);
        let top = all.iter().map(|p| p.1).fold(1.0, f64::max).ceil() + 0.2;

        let area = SVGBackend::new(path, (720, 440)).into_drawing_area();
        area.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&area)
            .caption(
                self.caption("how many times slower than alone"),
                ("sans-serif", 19),
            )
            .margin(14)
            .x_label_area_size(42)
            .y_label_area_size(64)
            .build_cartesian_2d((min_x - 0.2)..(max_x + 0.2), -0.1f64..top)?;
        chart
            .configure_mesh()
            .x_desc(x_label)
            .y_desc("times slower than alone (log scale)")
            .x_labels(max_x as usize + 1)
            .x_label_formatter(&|x| {
                if x.fract() == 0.0 {
                    format!("{x:.0}")
                } else {
                    String::new()
                }
            })
            .y_labels((top.ceil() as usize + 1) * 4)
            .y_label_formatter(&|v| {
                power_of_ten(*v).map_or(String::new(), |p| {
                    if p >= 1.0 {
                        format!("{p:.0}x")
                    } else {
                        format!("{}x", ratio(p))
                    }
                })
            })
            .label_style(("sans-serif", 14))
            .axis_desc_style(("sans-serif", 15))
            .light_line_style(WHITE.mix(0.0))
            .draw()?;
        draw_lines(&mut chart, &variants, points)?;
        legend(&mut chart, SeriesLabelPosition::LowerRight)?;
        area.present()?;
        Ok(())
    }

    /// A cost workload over several x (crossover, comm): time per item
    /// against x, both on log10 axes, one line per variant (Python's too).
    pub fn cost_lines(&self, path: &Path) -> Result<(), Box<dyn std::error::Error>> {
        let rows = self.all_rows();
        let Mode::Cost { x_label, .. } = self.workload.mode else {
            unreachable!("only cost workloads")
        };
        let one = self.item_name();
        let points = |variant: &str| -> Vec<(f64, f64)> {
            rows.iter()
                .filter(|r| r.variant == variant && r.workers > 0)
                .filter_map(|r| {
                    r.per_item_s
                        .map(|t| ((r.workers as f64).log10(), t.log10()))
                })
                .collect()
        };
        let variants = self.plotted_variants(&rows);
        let all: Vec<(f64, f64)> = variants.iter().flat_map(|v| points(v)).collect();
        if all.is_empty() {
            return Err("no timed rows to draw".into());
        }
        let (x0, x1) = all
            .iter()
            .fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.0), b.max(p.0)));
        let (y0, y1) = all
            .iter()
            .fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.1), b.max(p.1)));

        // The legend gets a column of its own: with Python's rows there are
        // too many lines to cover any part of the plot.
        let area = SVGBackend::new(path, (980, 440)).into_drawing_area();
        area.fill(&WHITE)?;
        let (plot, key) = area.split_horizontally(720);
        let mut chart = ChartBuilder::on(&plot)
            .caption(
                self.caption(&format!("time per {one} vs {x_label}")),
                ("sans-serif", 19),
            )
            .margin(14)
            .margin_right(34)
            .x_label_area_size(42)
            .y_label_area_size(84)
            .build_cartesian_2d(
                (x0 - 0.2)..(x1 + 0.2),
                (y0.floor() - 0.1)..(y1.ceil() + 0.1),
            )?;
        chart
            .configure_mesh()
            .x_desc(format!("{x_label} (log scale)"))
            .y_desc(format!("time per {one} (log scale)"))
            .x_labels(((x1 - x0) as usize + 1) * 4)
            .y_labels(((y1.ceil() - y0.floor()) as usize + 1) * 4)
            .x_label_formatter(&|v| power_of_ten(*v).map_or(String::new(), count))
            .y_label_formatter(&|v| power_of_ten(*v).map_or(String::new(), seconds))
            .label_style(("sans-serif", 14))
            .axis_desc_style(("sans-serif", 15))
            .light_line_style(WHITE.mix(0.0))
            .draw()?;
        draw_lines(&mut chart, &variants, points)?;
        for (n, variant) in variants.iter().enumerate() {
            let y = 64 + 24 * n as i32;
            let color = Palette99::pick(n).to_rgba();
            key.draw(&PathElement::new(
                vec![(6, y), (30, y)],
                color.stroke_width(2),
            ))?;
            key.draw(&Circle::new((18, y), 3, color.filled()))?;
            key.draw(&Text::new(variant.clone(), (38, y - 8), ("sans-serif", 14)))?;
        }
        area.present()?;
        Ok(())
    }

    /// A cost workload at one x (overhead): one bar per variant, the time
    /// per item on a log10 axis, with its value written beside it.
    pub fn cost_bars(&self, path: &Path) -> Result<(), Box<dyn std::error::Error>> {
        let rows: Vec<OutRow> = self
            .all_rows()
            .into_iter()
            .filter(|r| r.per_item_s.is_some_and(|t| t > 0.0))
            .collect();
        if rows.is_empty() {
            return Err("no timed rows to draw".into());
        }
        let one = self.item_name();
        let logs: Vec<f64> = rows
            .iter()
            .map(|r| r.per_item_s.unwrap_or(1.0).log10())
            .collect();
        let low = logs.iter().copied().fold(f64::MAX, f64::min).floor() - 0.5;
        let high = logs.iter().copied().fold(f64::MIN, f64::max).ceil() + 1.4;
        let n = rows.len();

        let area =
            SVGBackend::new(path, (820, 60 + 44 * n as u32 + 60)).into_drawing_area();
        area.fill(&WHITE)?;
        let names: Vec<String> = rows.iter().map(|r| r.variant.clone()).collect();
        let mut chart = ChartBuilder::on(&area)
            .caption(self.caption(&format!("time per {one}")), ("sans-serif", 19))
            .margin(14)
            .margin_right(30)
            .x_label_area_size(42)
            .y_label_area_size(180)
            .build_cartesian_2d(low..high, -0.5f64..(n as f64 - 0.5))?;
        chart
            .configure_mesh()
            .x_desc(format!("time per {one} (log scale)"))
            .x_labels(((high - low) as usize + 1) * 4)
            .x_label_formatter(&|v| power_of_ten(*v).map_or(String::new(), seconds))
            .y_labels(n * 2 + 1)
            .y_label_formatter(&|v| {
                let i = v.round();
                if (v - i).abs() < 1e-6 && i >= 0.0 {
                    names.get(n - 1 - i as usize).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .label_style(("sans-serif", 14))
            .axis_desc_style(("sans-serif", 15))
            .disable_y_mesh()
            .light_line_style(WHITE.mix(0.0))
            .draw()?;
        for (i, (row, log)) in rows.iter().zip(&logs).enumerate() {
            let y = (n - 1 - i) as f64;
            let color = Palette99::pick(i).to_rgba();
            chart.draw_series([Rectangle::new(
                [(low, y - 0.32), (*log, y + 0.32)],
                color.filled(),
            )])?;
            let label = match row.relative {
                Some(r) => format!(
                    "{}  ({}x)",
                    seconds(row.per_item_s.unwrap_or_default()),
                    ratio(r)
                ),
                None => seconds(row.per_item_s.unwrap_or_default()),
            };
            chart.draw_series([Text::new(
                label,
                (*log + 0.05, y + 0.12),
                ("sans-serif", 14),
            )])?;
        }
        area.present()?;
        Ok(())
    }
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

/// 10^v when `v` is a whole number (a tick of a log10 axis), else `None`.
fn power_of_ten(v: f64) -> Option<f64> {
    ((v - v.round()).abs() < 1e-6).then(|| 10f64.powf(v.round()))
}

/// One line with dots per variant, coloured in order, with its legend entry.
fn draw_lines<'a, DB: DrawingBackend + 'a>(
    chart: &mut ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    variants: &[String],
    points: impl Fn(&str) -> Vec<(f64, f64)>,
) -> Result<(), Box<dyn std::error::Error>>
where
    DB::ErrorType: 'static,
{
    for (i, variant) in variants.iter().enumerate() {
        let color = Palette99::pick(i).to_rgba();
        let style = color.stroke_width(2);
        let points = points(variant);
        chart
            .draw_series(LineSeries::new(points.clone(), style))?
            .label(variant.clone())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], style));
        chart.draw_series(
            points
                .into_iter()
                .map(|p| Circle::new(p, 3, color.filled())),
        )?;
    }
    Ok(())
}

/// A ratio with sensible digits: "0.00012", "0.35", "1.00", "15.0", "2400".
fn ratio(x: f64) -> String {
    if x >= 100.0 {
        format!("{x:.0}")
    } else if x >= 10.0 {
        format!("{x:.1}")
    } else if x >= 0.1 || x <= 0.0 || !x.is_finite() {
        format!("{x:.2}")
    } else {
        // Two significant digits: 0.012, 0.0012, ...
        let decimals = (-x.log10()).ceil() as usize + 1;
        format!("{x:.decimals$}")
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

/// A percentage: "100", "37", "0.42", "0.0031".
fn percent(p: f64) -> String {
    if p >= 1.0 || p <= 0.0 {
        format!("{p:.0}")
    } else {
        ratio(p)
    }
}

fn legend<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    position: SeriesLabelPosition,
) -> Result<(), Box<dyn std::error::Error>>
where
    DB::ErrorType: 'static,
{
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.3))
        .label_font(("sans-serif", 15))
        .draw()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::harness::Row;

    #[test]
    fn the_reports_label_their_figures_and_draw_text_without_system_fonts() {
        let ms = Duration::from_millis;
        let measured = Measured {
            checksum: 7,
            baseline: vec![ms(100), ms(102), ms(98)],
            rows: vec![
                Row {
                    variant: "threads".into(),
                    workers: 1,
                    mine: false,
                    status: Status::Ok,
                    samples: vec![ms(100)],
                },
                Row {
                    variant: "threads".into(),
                    workers: 2,
                    mine: false,
                    status: Status::Ok,
                    samples: vec![ms(50)],
                },
                Row {
                    variant: "mine: rayon".into(),
                    workers: 2,
                    mine: true,
                    status: Status::NotDone,
                    samples: vec![],
                },
            ],
            notes: vec!["a note from the workload".into()],
        };
        let machine = Machine {
            cores: 2,
            cpu: "Test CPU".into(),
            os: "Test OS".into(),
            load_average: Some(1.5),
            date: "2026-01-02".into(),
        };
        let spec = Spec {
            size: 1000,
            workers: vec![1, 2],
            mine: true,
            only: vec![],
        };
        let workload = crate::measure::workloads::find("cpu").unwrap();
        let report = Report {
            workload,
            spec: &spec,
            rounds: 3,
            machine: &machine,
            measured: &measured,
            python: &[],
        };

        let rows = report.rows();
        assert_eq!(rows[0].variant, "sequential");
        assert_eq!(rows[2].speedup, Some(2.0));
        assert_eq!(rows[2].efficiency, Some(1.0));
        assert_eq!(rows[3].status, "not done yet");

        let table = report.table();
        assert!(
            table.contains("2.00x") && table.contains("not done yet"),
            "{table}"
        );
        assert!(table.contains("a note from the workload"), "{table}");
        let md = report.markdown();
        for label in [
            "2 logical cores, Test CPU, Test OS",
            "load average 1.50",
            "not trustworthy",
            "2026-01-02",
            "| threads | 2 | 50.0 ms | 2.00x | 100 % |  |",
            "- a note from the workload",
        ] {
            assert!(md.contains(label), "{label} missing from:\n{md}");
        }
        let json: serde_json::Value = serde_json::from_str(&report.json()).unwrap();
        assert_eq!(json["rows"][2]["speedup"], 2.0);
        assert_eq!(json["rows"][2]["workload"], "cpu");

        let dir = std::env::temp_dir()
            .join(format!("xtask-measure-test-{}", std::process::id()));
        let written = report.write_book(&dir).unwrap();
        let svg = std::fs::read_to_string(&written[1]).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        assert!(
            svg.starts_with("<svg")
                && svg.contains("<text")
                && svg.contains("speedup vs workers"),
            "{svg}"
        );
        assert!(
            svg.contains("\nthreads\n") && svg.contains("ideal: speedup = workers"),
            "the legend is missing"
        );
    }

    fn machine() -> Machine {
        Machine {
            cores: 2,
            cpu: "Test CPU".into(),
            os: "Test OS".into(),
            load_average: Some(0.1),
            date: "2026-01-02".into(),
        }
    }

    #[test]
    fn throughput_columns_count_messages_and_bytes_per_second() {
        let ms = Duration::from_millis;
        let measured = Measured {
            checksum: 1,
            baseline: vec![ms(100)],
            rows: vec![Row {
                variant: "channels".into(),
                workers: 1000,
                mine: false,
                status: Status::Ok,
                samples: vec![ms(50)],
            }],
            notes: vec![],
        };
        // `comm` moving 8 MB at 1000 bytes a message: 8000 messages a run.
        let workload = crate::measure::workloads::find("comm").unwrap();
        let spec = Spec {
            size: 8_000_000,
            workers: vec![1],
            mine: false,
            only: vec![],
        };
        let machine = machine();
        let report = Report {
            workload,
            spec: &spec,
            rounds: 1,
            machine: &machine,
            measured: &measured,
            python: &[],
        };
        let rows = report.rows();
        assert_eq!(rows[0].items_per_s, Some(160_000.0));
        assert_eq!(rows[0].bytes_per_s, Some(160_000_000.0));
        assert_eq!(rows[0].per_item_s, Some(50e-3 / 8000.0));
        let md = report.markdown();
        assert!(md.contains("| variant | median | per message | messages/s | MB/s | vs sequential | note |"), "{md}");
        assert!(
            md.contains("| channels | 50.0 ms | 6.2 us | 160.0 k | 160.0 | - |  |"),
            "{md}"
        );
    }

    #[test]
    fn a_cost_workload_compares_each_row_with_its_reference_and_draws_bars_or_lines() {
        let us = Duration::from_micros;
        let row = |variant: &str, x: usize, t: u64| Row {
            variant: variant.into(),
            workers: x,
            mine: false,
            status: Status::Ok,
            samples: vec![us(t)],
        };
        let machine = machine();
        let dir =
            std::env::temp_dir().join(format!("xtask-cost-test-{}", std::process::id()));

        // One x: bars, no x column, no speedup.
        let measured = Measured {
            checksum: 100,
            baseline: vec![us(1)],
            rows: vec![row("std thread", 1, 2000), row("process", 1, 30_000)],
            notes: vec![],
        };
        let workload = crate::measure::workloads::find("overhead").unwrap();
        let spec = Spec {
            size: 100,
            workers: vec![1],
            mine: false,
            only: vec![],
        };
        let report = Report {
            workload,
            spec: &spec,
            rounds: 1,
            machine: &machine,
            measured: &measured,
            python: &[],
        };
        let rows = report.rows();
        assert_eq!(rows.len(), 2, "a cost report has no sequential row");
        assert_eq!(rows[1].relative, Some(15.0));
        assert_eq!(rows[1].per_item_s, Some(300e-6));
        assert!(rows[1].speedup.is_none());
        let table = report.table();
        assert!(
            table.contains("per worker")
                && table.contains("300.0 us")
                && table.contains("15.0x"),
            "{table}"
        );
        assert!(
            !table.contains("speedup") && !table.contains(" x "),
            "{table}"
        );
        let written = report.write_book(&dir).unwrap();
        let svg = std::fs::read_to_string(&written[1]).unwrap();
        assert!(
            svg.contains("process") && svg.contains("300.0 us  (15.0x)"),
            "{svg}"
        );

        // Several x: an x column, and the ratio at the same x.
        let measured = Measured {
            checksum: 100,
            baseline: vec![us(1)],
            rows: vec![
                row("sequential", 10, 10),
                row("sequential", 1000, 1000),
                row("pool", 10, 40),
                row("pool", 1000, 500),
            ],
            notes: vec![],
        };
        let workload = crate::measure::workloads::find("crossover").unwrap();
        let report = Report {
            workload,
            spec: &spec,
            rounds: 1,
            machine: &machine,
            measured: &measured,
            python: &[],
        };
        let relative: Vec<Option<f64>> =
            report.rows().iter().map(|r| r.relative).collect();
        assert_eq!(relative, vec![Some(1.0), Some(1.0), Some(4.0), Some(0.5)]);
        assert!(report.table().contains("units per task"));
        let written = report.write_book(&dir).unwrap();
        let svg = std::fs::read_to_string(&written[1]).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        assert!(
            svg.contains("time per task vs units per task") && svg.contains("\npool\n"),
            "{svg}"
        );
    }

    #[test]
    fn a_slowdown_says_how_many_times_longer_and_tiny_ratios_keep_two_digits() {
        let ms = Duration::from_millis;
        let measured = Measured {
            checksum: 1,
            baseline: vec![ms(2)],
            rows: vec![Row {
                variant: "gil 5 ms".into(),
                workers: 1,
                mine: false,
                status: Status::Ok,
                samples: vec![ms(1200)],
            }],
            notes: vec![],
        };
        let workload = crate::measure::workloads::find("convoy").unwrap();
        let spec = Spec {
            size: 200,
            workers: vec![1],
            mine: false,
            only: vec![],
        };
        let machine = machine();
        let python = [OutRow::timed(
            "python 3.11".into(),
            "convoy",
            "py gil 5 ms".into(),
            1,
            200,
            Some(0.6),
            Some(0.005),
            "ok".into(),
        )];
        let report = Report {
            workload,
            spec: &spec,
            rounds: 1,
            machine: &machine,
            measured: &measured,
            python: &python,
        };
        let md = report.markdown();
        assert!(
            md.contains("| variant | CPU threads | median | slower than alone | note |"),
            "{md}"
        );
        assert!(md.contains("| gil 5 ms | 1 | 1.200 s | 600x |  |"), "{md}");
        assert!(
            md.contains("| py gil 5 ms | 1 | 600.0 ms | 200x |  |"),
            "{md}"
        );
        let dir = std::env::temp_dir()
            .join(format!("xtask-slowdown-test-{}", std::process::id()));
        let written = report.write_book(&dir).unwrap();
        let svg = std::fs::read_to_string(&written[1]).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        assert!(
            svg.contains("times slower than alone") && svg.contains("py gil 5 ms"),
            "{svg}"
        );

        assert_eq!(ratio(0.00083), "0.00083");
        assert_eq!(ratio(0.012), "0.012");
        assert_eq!(ratio(0.35), "0.35");
        assert_eq!(ratio(15.04), "15.0");
        assert_eq!(percent(0.42), "0.42");
        assert_eq!(percent(37.4), "37");
    }

    #[test]
    fn pythons_cost_rows_are_compared_with_pythons_own_reference() {
        let us = Duration::from_micros;
        let measured = Measured {
            checksum: 100,
            baseline: vec![us(1)],
            rows: vec![Row {
                variant: "std thread".into(),
                workers: 1,
                mine: false,
                status: Status::Ok,
                samples: vec![us(3000)],
            }],
            notes: vec![],
        };
        let py = |variant: &str, seconds: f64| {
            OutRow::timed(
                "python 3.11".into(),
                "overhead",
                variant.into(),
                1,
                10,
                Some(seconds),
                None,
                "ok".into(),
            )
        };
        let python = [
            py("py threading.Thread", 0.001),
            py("py Process (fork)", 0.03),
        ];
        let workload = crate::measure::workloads::find("overhead").unwrap();
        let spec = Spec {
            size: 100,
            workers: vec![1],
            mine: false,
            only: vec![],
        };
        let machine = machine();
        let report = Report {
            workload,
            spec: &spec,
            rounds: 1,
            machine: &machine,
            measured: &measured,
            python: &python,
        };
        let md = report.markdown();
        assert!(
            md.contains("`cargo xtask measure overhead --python`"),
            "{md}"
        );
        assert!(
            md.contains(
                "| variant | median | per worker | workers/s | vs std thread | note |"
            ),
            "{md}"
        );
        assert!(md.contains("| variant | median | per worker | workers/s | vs threading.Thread | note |"), "{md}");
        assert!(
            md.contains("| py Process (fork) | 30.0 ms | 3.0 ms | 333 | 30.0x |  |"),
            "{md}"
        );
    }
}
