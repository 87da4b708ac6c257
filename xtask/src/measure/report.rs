//! The reports, written once for every workload: the terminal table,
//! `--json`, and `--write-book` (a markdown table and an SVG chart in the
//! book's generated-figures folder).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use plotters::prelude::*;
use serde::Serialize;

use super::harness::{Measured, Status};
use super::machine::Machine;
use super::workloads::{Spec, Workload};

/// One row of any report: Rust's (from the harness) or Python's.
#[derive(Clone, Debug, Serialize)]
pub struct OutRow {
    /// "rust", or "python VERSION".
    pub language: String,
    pub workload: String,
    pub variant: String,
    pub workers: usize,
    /// The job's size for this row (Python runs a smaller one).
    pub size: u64,
    pub median_s: Option<f64>,
    pub speedup: Option<f64>,
    pub efficiency: Option<f64>,
    /// "ok", "not done yet", "wrong: ..." or "failed: ...".
    pub status: String,
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
pub fn header(workload: &Workload, spec: &Spec, rounds: usize, machine: &Machine) -> String {
    format!(
        "cargo xtask measure {}: {} (book/src/{})\nsize {} {}, workers {}..={}, warm-up + {rounds} interleaved rounds, medians\n\
         machine: {}\n{}, {}",
        workload.name,
        workload.about,
        workload.chapter,
        spec.size,
        workload.unit,
        spec.workers.first().copied().unwrap_or(1),
        spec.workers.last().copied().unwrap_or(1),
        machine.describe(),
        machine.load_label(),
        machine.date,
    )
}

fn status_text(status: &Status) -> String {
    match status {
        Status::Ok => "ok".into(),
        Status::NotDone => "not done yet".into(),
        Status::Wrong { got, expected } => format!("WRONG: checksum {got}, expected {expected}"),
        Status::Failed(message) => format!("FAILED: {message}"),
    }
}

/// "1.234 s", "12.3 ms", "456 us".
pub fn seconds(s: f64) -> String {
    if s >= 1.0 {
        format!("{s:.3} s")
    } else if s >= 0.001 {
        format!("{:.1} ms", s * 1e3)
    } else {
        format!("{:.0} us", s * 1e6)
    }
}

impl Report<'_> {
    /// The Rust rows: the sequential baseline first, then every variant.
    pub fn rows(&self) -> Vec<OutRow> {
        let base = self.measured.baseline_median().as_secs_f64();
        let mut rows = vec![OutRow {
            language: "rust".into(),
            workload: self.workload.name.into(),
            variant: "sequential".into(),
            workers: 1,
            size: self.spec.size,
            median_s: Some(base),
            speedup: Some(1.0),
            efficiency: Some(1.0),
            status: "ok".into(),
        }];
        for row in &self.measured.rows {
            let speedup = self.measured.speedup(row);
            rows.push(OutRow {
                language: "rust".into(),
                workload: self.workload.name.into(),
                variant: row.variant.clone(),
                workers: row.workers,
                size: self.spec.size,
                median_s: row.median().map(|d: Duration| d.as_secs_f64()),
                speedup,
                efficiency: speedup.map(|s| s / row.workers as f64),
                status: status_text(&row.status),
            });
        }
        rows
    }

    pub fn table(&self) -> String {
        let mut out = format!(
            "\n{:<24} {:>7} {:>11} {:>8} {:>10}  note\n",
            "variant", "workers", "median", "speedup", "efficiency"
        );
        let mut previous = String::new();
        for row in self.rows() {
            if row.variant != previous && !previous.is_empty() {
                out.push('\n');
            }
            previous = row.variant.clone();
            out.push_str(&table_line(&row));
        }
        if !self.python.is_empty() {
            let _ = writeln!(
                out,
                "\n{}, the same job at size {} (its own sequential baseline; compare speedups, not times):",
                self.python[0].language.replace("python", "Python"),
                self.python[0].size
            );
            previous.clear();
            for row in self.python {
                if row.variant != previous && !previous.is_empty() {
                    out.push('\n');
                }
                previous = row.variant.clone();
                out.push_str(&table_line(row));
            }
        }
        let _ = write!(out, "\nspeedup = t(sequential) / t(variant); efficiency = speedup / workers. {}", self.machine.load_label());
        if self.machine.busy() {
            out.push_str("\nMeasure again on a quiet machine before you draw conclusions.");
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
        }
        let mut rows = self.rows();
        rows.extend(self.python.iter().cloned());
        let json = Json {
            machine: self.machine,
            busy: self.machine.busy(),
            workload: self.workload.name,
            size: self.spec.size,
            rounds: self.rounds,
            checksum: self.measured.checksum,
            rows,
        };
        serde_json::to_string_pretty(&json).expect("plain data serializes")
    }

    /// The markdown table for the book, with its label: machine, load, date.
    pub fn markdown(&self) -> String {
        let mut out = format!(
            "<!-- Written by `cargo xtask measure {name} --write-book`. Do not edit: measure again. -->\n\n\
             *Measured with `cargo xtask measure {name}` on {machine}; {load}; {date}. Size {size} {unit}, \
             median of {rounds} interleaved rounds.*\n\n",
            name = self.workload.name,
            machine = self.machine.describe(),
            load = self.machine.load_label(),
            date = self.machine.date,
            size = self.spec.size,
            unit = self.workload.unit,
            rounds = self.rounds,
        );
        markdown_rows(&mut out, &self.rows());
        if !self.python.is_empty() {
            let _ = write!(
                out,
                "\n*{}, the same job at size {}, on the same machine in the same run:*\n\n",
                self.python[0].language.replace("python", "Python"),
                self.python[0].size
            );
            markdown_rows(&mut out, self.python);
        }
        out
    }

    /// Writes `NAME.md` and `NAME.svg` into `dir`; returns their paths.
    pub fn write_book(&self, dir: &Path) -> Result<Vec<PathBuf>, String> {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let md = dir.join(format!("{}.md", self.workload.name));
        std::fs::write(&md, self.markdown()).map_err(|e| format!("cannot write {}: {e}", md.display()))?;
        let svg = dir.join(format!("{}.svg", self.workload.name));
        self.chart(&svg).map_err(|e| format!("cannot draw {}: {e}", svg.display()))?;
        Ok(vec![md, svg])
    }

    /// Speedup against workers: one line per variant, and the ideal line.
    pub fn chart(&self, path: &Path) -> Result<(), Box<dyn std::error::Error>> {
        let rows = self.rows();
        let max_workers = rows.iter().map(|r| r.workers).max().unwrap_or(1).max(2);
        let top = rows.iter().filter_map(|r| r.speedup).fold(max_workers as f64, f64::max) * 1.08;
        let mut variants: Vec<String> = Vec::new();
        for row in rows.iter().filter(|r| r.variant != "sequential" && r.speedup.is_some()) {
            if !variants.contains(&row.variant) {
                variants.push(row.variant.clone());
            }
        }

        let area = SVGBackend::new(path, (720, 440)).into_drawing_area();
        area.fill(&WHITE)?;
        let caption = format!(
            "{}: speedup vs workers ({} cores, load {}, {})",
            self.workload.name,
            self.machine.cores,
            self.machine.load_average.map_or("unknown".to_string(), |l| format!("{l:.2}")),
            self.machine.date
        );
        let mut chart = ChartBuilder::on(&area)
            .caption(caption, ("sans-serif", 19))
            .margin(14)
            .x_label_area_size(42)
            .y_label_area_size(52)
            .build_cartesian_2d(0.8f64..(max_workers as f64 + 0.2), 0f64..top)?;
        chart
            .configure_mesh()
            .x_desc("workers")
            .y_desc("speedup (sequential = 1)")
            .x_labels(max_workers + 1)
            .x_label_formatter(&|x| if x.fract() == 0.0 { format!("{x:.0}") } else { String::new() })
            .y_label_formatter(&|y| format!("{y:.1}x"))
            .label_style(("sans-serif", 14))
            .axis_desc_style(("sans-serif", 15))
            .light_line_style(WHITE.mix(0.0))
            .draw()?;

        let ideal = BLACK.mix(0.45).stroke_width(1);
        chart
            .draw_series(LineSeries::new((1..=max_workers).map(|w| (w as f64, w as f64)), ideal))?
            .label("ideal: speedup = workers")
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], ideal));
        let cores = self.machine.cores as f64;
        if cores < max_workers as f64 {
            let line = BLACK.mix(0.25).stroke_width(1);
            chart
                .draw_series(LineSeries::new(vec![(cores, 0.0), (cores, top)], line))?
                .label(format!("{} logical cores", self.machine.cores))
                .legend(move |(x, y)| PathElement::new(vec![(x + 9, y - 6), (x + 9, y + 6)], line));
        }
        for (i, variant) in variants.iter().enumerate() {
            let color = Palette99::pick(i).to_rgba();
            let points: Vec<(f64, f64)> = rows
                .iter()
                .filter(|r| &r.variant == variant)
                .filter_map(|r| r.speedup.map(|s| (r.workers as f64, s)))
                .collect();
            let style = color.stroke_width(2);
            chart
                .draw_series(LineSeries::new(points.clone(), style))?
                .label(variant.clone())
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], style));
            chart.draw_series(points.into_iter().map(|p| Circle::new(p, 3, color.filled())))?;
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.3))
            .label_font(("sans-serif", 15))
            .draw()?;
        area.present()?;
        Ok(())
    }
}

fn table_line(row: &OutRow) -> String {
    let cell = |v: Option<f64>, f: &dyn Fn(f64) -> String| v.map_or("-".to_string(), f);
    let note = if row.status == "ok" { String::new() } else { row.status.clone() };
    let line = format!(
        "{:<24} {:>7} {:>11} {:>8} {:>10}  {note}",
        row.variant,
        row.workers,
        cell(row.median_s, &seconds),
        cell(row.speedup, &|s| format!("{s:.2}x")),
        cell(row.efficiency, &|e| format!("{:.0} %", e * 100.0)),
    );
    format!("{}\n", line.trim_end())
}

fn markdown_rows(out: &mut String, rows: &[OutRow]) {
    out.push_str("| variant | workers | median | speedup | efficiency | note |\n|---|---:|---:|---:|---:|---|\n");
    for row in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            row.variant,
            row.workers,
            row.median_s.map_or("-".into(), seconds),
            row.speedup.map_or("-".into(), |s| format!("{s:.2}x")),
            row.efficiency.map_or("-".into(), |e| format!("{:.0} %", e * 100.0)),
            if row.status == "ok" { String::new() } else { row.status.replace('|', "/") },
        );
    }
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
                Row { variant: "threads".into(), workers: 1, mine: false, status: Status::Ok, samples: vec![ms(100)] },
                Row { variant: "threads".into(), workers: 2, mine: false, status: Status::Ok, samples: vec![ms(50)] },
                Row { variant: "mine: rayon".into(), workers: 2, mine: true, status: Status::NotDone, samples: vec![] },
            ],
        };
        let machine = Machine { cores: 2, cpu: "Test CPU".into(), os: "Test OS".into(), load_average: Some(1.5), date: "2026-01-02".into() };
        let spec = Spec { size: 1000, workers: vec![1, 2], mine: true, only: vec![] };
        let workload = crate::measure::workloads::find("cpu").unwrap();
        let report = Report { workload, spec: &spec, rounds: 3, machine: &machine, measured: &measured, python: &[] };

        let rows = report.rows();
        assert_eq!(rows[0].variant, "sequential");
        assert_eq!(rows[2].speedup, Some(2.0));
        assert_eq!(rows[2].efficiency, Some(1.0));
        assert_eq!(rows[3].status, "not done yet");

        let table = report.table();
        assert!(table.contains("2.00x") && table.contains("not done yet"), "{table}");
        let md = report.markdown();
        for label in ["2 logical cores, Test CPU, Test OS", "load average 1.50", "not trustworthy", "2026-01-02", "| threads | 2 | 50.0 ms | 2.00x | 100 % |"] {
            assert!(md.contains(label), "{label} missing from:\n{md}");
        }
        let json: serde_json::Value = serde_json::from_str(&report.json()).unwrap();
        assert_eq!(json["rows"][2]["speedup"], 2.0);
        assert_eq!(json["rows"][2]["workload"], "cpu");

        let dir = std::env::temp_dir().join(format!("xtask-measure-test-{}", std::process::id()));
        let written = report.write_book(&dir).unwrap();
        let svg = std::fs::read_to_string(&written[1]).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        assert!(svg.starts_with("<svg") && svg.contains("<text") && svg.contains("speedup vs workers"), "{svg}");
        assert!(svg.contains("\nthreads\n") && svg.contains("ideal: speedup = workers"), "the legend is missing");
    }
}
