//! The reports of `measure checkers`: the terminal tables, `--json`, and
//! `--write-book` (a markdown table and an SVG chart), each labelled with
//! the machine and its load.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use plotters::prelude::*;
use serde::Serialize;

use super::charts::legend;
use super::numbers::{power_of_ten, seconds, thousands};
use crate::measure::machine::Machine;
use crate::measure::workloads::checkers::{
    COURSE_PREEMPTIONS, CheckersRun, LOOM_BUDGET, LOOM_PREEMPTIONS, LoomRow, Model,
    SCHEDULERS, SHUTTLE_BUDGET, SHUTTLE_CAP, ShuttleRow, WORKLOAD,
};

/// A table as cells: its headers, its rows, and which columns are numbers
/// (aligned right).
struct Grid {
    headers: Vec<&'static str>,
    right: Vec<bool>,
    rows: Vec<Vec<String>>,
}

impl Grid {
    fn text(&self) -> String {
        let widths: Vec<usize> = (0..self.headers.len())
            .map(|i| {
                let cells = self.rows.iter().map(|r| r[i].chars().count());
                cells.chain([self.headers[i].len()]).max().unwrap_or(0)
            })
            .collect();
        let line = |cells: Vec<&str>| -> String {
            let mut out = String::new();
            for (i, cell) in cells.into_iter().enumerate() {
                let pad = widths[i] - cell.chars().count();
                let (left, right) = if self.right[i] { (pad, 0) } else { (0, pad) };
                let _ = write!(out, "{}{cell}{}  ", " ".repeat(left), " ".repeat(right));
            }
            format!("{}\n", out.trim_end())
        };
        let mut out = line(self.headers.clone());
        for row in &self.rows {
            out.push_str(&line(row.iter().map(String::as_str).collect()));
        }
        out
    }

    fn markdown(&self) -> String {
        let mut out = format!("| {} |\n|", self.headers.join(" | "));
        for &right in &self.right {
            out.push_str(if right { "---:|" } else { "---|" });
        }
        out.push('\n');
        for row in &self.rows {
            let _ = writeln!(out, "| {} |", row.join(" | "));
        }
        out
    }
}

/// "1", "100", "10 k", "1 M": a power of ten as an axis shows it.
fn short_count(n: f64) -> String {
    match n {
        n if n >= 1e9 => format!("{:.0} G", n / 1e9),
        n if n >= 1e6 => format!("{:.0} M", n / 1e6),
        n if n >= 1e3 => format!("{:.0} k", n / 1e3),
        n => format!("{n:.0}"),
    }
}

fn preemptions(bound: Option<usize>) -> String {
    match bound {
        None => "none (loom's default)".to_string(),
        Some(b) if b == COURSE_PREEMPTIONS => format!("{b} (the course's tests)"),
        Some(b) => b.to_string(),
    }
}

impl CheckersRun {
    /// The lines printed before the runs start.
    pub fn header(&self) -> String {
        format!(
            "cargo xtask measure checkers: {} (book/src/{})\n{} seeds per shuttle row, at most \
             {} runs each; {} s per loom row\nmachine: {}\n{}, {}",
            WORKLOAD.about,
            WORKLOAD.chapter,
            self.seeds,
            thousands(SHUTTLE_CAP),
            LOOM_BUDGET.as_secs(),
            self.machine.describe(),
            self.machine.load_label(),
            self.machine.date
        )
    }

    fn loom_grid(&self) -> Grid {
        let mut rows: Vec<Vec<String>> = self.loom.iter().map(loom_cells).collect();
        for (threads, bound, why) in &self.loom_skipped {
            rows.push(vec![
                threads.to_string(),
                preemptions(*bound),
                "-".into(),
                "-".into(),
                why.clone(),
            ]);
        }
        Grid {
            headers: vec![
                "threads",
                "preemption bound",
                "interleavings run",
                "time",
                "result",
            ],
            right: vec![true, false, true, true, false],
            rows,
        }
    }

    fn shuttle_grid(&self) -> Grid {
        Grid {
            headers: vec![
                "model",
                "threads",
                "scheduler",
                "seeds that caught it",
                "runs to the first failure: median",
                "max",
                "time a search: median",
            ],
            right: vec![false, true, false, true, true, true, true],
            rows: self.shuttle.iter().map(shuttle_cells).collect(),
        }
    }

    fn loom_intro(&self) -> String {
        format!(
            "loom, exhaustive: a correct model, each thread (the main one among them) locks `a`, \
             then `b`, and adds 1 to both; at most {} s a row",
            LOOM_BUDGET.as_secs()
        )
    }

    fn shuttle_intro(&self) -> String {
        format!(
            "shuttle, randomized: buggy models, each thread incrementing once (the main one \
             only starts and joins them); a search per seed, {} seeds a row; a search runs \
             schedules until the first that loses an update, {} at most; at most {} s a row. \
             PCT at depth d changes priorities d - 1 times a run",
            self.seeds,
            thousands(SHUTTLE_CAP),
            SHUTTLE_BUDGET.as_secs()
        )
    }

    pub fn table(&self) -> String {
        let mut out = String::new();
        if !self.loom.is_empty() || !self.loom_skipped.is_empty() {
            let _ = write!(
                out,
                "\n{}:\n\n{}",
                self.loom_intro(),
                self.loom_grid().text()
            );
        }
        if !self.shuttle.is_empty() {
            let _ = write!(
                out,
                "\n{}:\n\n{}",
                self.shuttle_intro(),
                self.shuttle_grid().text()
            );
        }
        let _ = write!(out, "\n{}", self.machine.load_label());
        if self.machine.busy() {
            out.push_str(
                "\nMeasure again on a quiet machine before you quote the times.",
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
            seeds: u64,
            loom_budget_seconds: u64,
            loom: &'a [LoomRow],
            loom_skipped: Vec<String>,
            shuttle_cap: u64,
            shuttle_budget_seconds: u64,
            shuttle: &'a [ShuttleRow],
            seconds: f64,
        }
        let skipped = self.loom_skipped.iter().map(|(threads, bound, why)| {
            format!(
                "{threads} threads, preemption bound {}: {why}",
                preemptions(*bound)
            )
        });
        serde_json::to_string_pretty(&Json {
            machine: &self.machine,
            busy: self.machine.busy(),
            workload: WORKLOAD.name,
            seeds: self.seeds,
            loom_budget_seconds: LOOM_BUDGET.as_secs(),
            loom: &self.loom,
            loom_skipped: skipped.collect(),
            shuttle_cap: SHUTTLE_CAP,
            shuttle_budget_seconds: SHUTTLE_BUDGET.as_secs(),
            shuttle: &self.shuttle,
            seconds: self.seconds,
        })
        .expect("plain data serializes")
    }

    fn markdown(&self) -> String {
        format!(
            "<!-- Written by `cargo xtask measure checkers --write-book`. Do not edit: measure again. -->\n\n\
             *Measured with `cargo xtask measure checkers` on {}; {}; {}; {:.0} s in all. \
             The times depend on the machine and its load; the counts do not, for the \
             same seeds, as long as a row finishes within its time budget.*\n\n\
             *{}.*\n\n{}\n*{}.*\n\n{}",
            self.machine.describe(),
            self.machine.load_label(),
            self.machine.date,
            self.seconds,
            self.loom_intro(),
            self.loom_grid().markdown(),
            self.shuttle_intro(),
            self.shuttle_grid().markdown(),
        )
    }

    /// Writes `STEM.md` and `STEM.svg` into `dir`; returns their paths.
    pub fn write_book(&self, dir: &Path, stem: String) -> Result<Vec<PathBuf>, String> {
        super::write_book(dir, &stem, &self.markdown(), |svg| self.chart(svg))
    }

    /// Against the threads (log2), on a log10 axis: loom's interleavings
    /// for the correct model, and shuttle's median runs to the first failure
    /// for each buggy model and scheduler.
    fn chart(&self, path: &Path) -> Result<(), Box<dyn std::error::Error>> {
        // (name, points): (log2 threads, log10 count, whether the count is
        // whole, not a lower bound where loom ran out of time).
        type Series = (String, Vec<(f64, f64, bool)>);
        let at = |threads: usize, n: f64| ((threads as f64).log2(), n.max(1.0).log10());
        let mut series: Vec<Series> = Vec::new();
        for bound in LOOM_PREEMPTIONS {
            let points = self.loom.iter().filter(|r| r.preemption_bound == bound);
            let points = points.map(|r| {
                let (x, y) = at(r.threads, r.iterations as f64);
                (x, y, r.finished)
            });
            let name = match bound {
                None => "loom, no preemption bound".to_string(),
                Some(b) => format!("loom, preemption bound {b}"),
            };
            series.push((name, points.collect()));
        }
        for model in [Model::LostUpdate, Model::FiveSlots] {
            for sched in SCHEDULERS {
                let rows = self.shuttle.iter();
                let rows = rows.filter(|r| r.model == model && r.scheduler == sched);
                let points = rows.filter_map(|r| {
                    let (x, y) = at(r.threads, r.median()?);
                    Some((x, y, true))
                });
                let name = format!("shuttle {}: {}", sched.label(), model.short());
                series.push((name, points.collect()));
            }
        }
        series.retain(|(_, points)| !points.is_empty());
        let all = series.iter().flat_map(|(_, p)| p.iter());
        // Room above the lines for the legend.
        let top = all.map(|p| p.1).fold(1.0, f64::max).ceil() + 3.0;
        let area = SVGBackend::new(path, (720, 500)).into_drawing_area();
        area.fill(&WHITE)?;
        let caption = self
            .machine
            .caption("checkers: loom's cost and shuttle's runs to a bug");
        let mut chart = ChartBuilder::on(&area)
            .caption(caption, ("sans-serif", 17))
            .margin(14)
            .x_label_area_size(42)
            .y_label_area_size(64)
            .build_cartesian_2d(0.8f64..4.2, 0f64..top)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_desc("threads (log scale); a hollow point: loom ran out of time, a lower bound")
            .y_desc("loom: interleavings; shuttle: runs to a bug (log)")
            .x_labels(35)
            .x_label_formatter(&|x| {
                let threads = 2f64.powf(*x);
                let whole = threads.round();
                if (threads - whole).abs() < 1e-3 {
                    format!("{whole:.0}")
                } else {
                    String::new()
                }
            })
            .y_labels((top as usize + 1) * 4)
            .y_label_formatter(&|v| power_of_ten(*v).map_or(String::new(), short_count))
            .label_style(("sans-serif", 14))
            .axis_desc_style(("sans-serif", 15))
            .light_line_style(WHITE.mix(0.0))
            .draw()?;
        for (k, (name, points)) in series.into_iter().enumerate() {
            let color = Palette99::pick(k).to_rgba();
            let line = points.iter().map(|&(x, y, _)| (x, y));
            chart
                .draw_series(LineSeries::new(line, color.stroke_width(2)))?
                .label(name)
                .legend(move |(x, y)| {
                    PathElement::new([(x, y), (x + 16, y)], color.stroke_width(2))
                });
            // A hollow point: loom ran out of time, so it is a lower bound.
            chart.draw_series(points.into_iter().map(|(x, y, whole)| {
                let style = if whole {
                    color.filled()
                } else {
                    color.stroke_width(2)
                };
                Circle::new((x, y), 4, style)
            }))?;
        }
        legend(&mut chart, SeriesLabelPosition::UpperRight)?;
        area.present()?;
        Ok(())
    }
}

fn loom_cells(row: &LoomRow) -> Vec<String> {
    let result = if row.finished {
        "every interleaving ran, none failed".to_string()
    } else {
        format!("did not finish in {} s", row.budget_seconds)
    };
    vec![
        row.threads.to_string(),
        preemptions(row.preemption_bound),
        thousands(row.iterations),
        seconds(row.seconds),
        result,
    ]
}

fn shuttle_cells(row: &ShuttleRow) -> Vec<String> {
    let over = format!("> {}", thousands(row.cap));
    let mut caught = format!("{} of {}", row.found(), row.first_failure.len());
    if row.seeds_skipped > 0 {
        let _ = write!(caught, " ({} not tried: time)", row.seeds_skipped);
    }
    vec![
        row.model.label().to_string(),
        row.threads.to_string(),
        row.scheduler.label(),
        caught,
        // The median of whole numbers: whole, or halfway between two.
        row.median().map_or(over.clone(), |m| {
            let whole = thousands(m as u64);
            if m.fract() == 0.0 {
                whole
            } else {
                format!("{whole}.5")
            }
        }),
        row.max().map_or(over, thousands),
        row.median_search_seconds().map_or("-".into(), seconds),
    ]
}
