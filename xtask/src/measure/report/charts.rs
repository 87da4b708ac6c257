//! The book's SVG charts (`--write-book`): speedups and slowdowns against
//! the workers, and the pieces every chart shares. A cost workload's charts
//! are in `cost_charts.rs`.

use std::path::Path;

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use super::numbers::{power_of_ten, ratio};
use super::rows::OutRow;
use super::{Report, baseline_row};
use crate::measure::workloads::{Counts, Mode};

impl Report<'_> {
    /// The chart's title: what, and on which machine.
    pub(super) fn caption(&self, what: &str) -> String {
        self.machine
            .caption(&format!("{}: {what}", self.workload.name))
    }

    /// The variants that have at least one timed row, in order: the lines
    /// of a chart. The baseline's rows (Rust's and Python's) are the chart's
    /// yardstick, not lines of it.
    pub(super) fn plotted_variants(&self, rows: &[OutRow]) -> Vec<String> {
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
    pub(super) fn speedup_chart(
        &self,
        path: &Path,
    ) -> Result<(), Box<dyn std::error::Error>> {
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
        let best = rows
            .iter()
            .filter_map(|r| r.speedup_max.or(r.speedup))
            .fold(1.0, f64::max);
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
        let bars = |variant: &str| {
            rows.iter()
                .filter(|r| r.variant == variant)
                .filter_map(|r| Some((x(r.workers), r.speedup_min?, r.speedup_max?)))
                .collect()
        };
        let cap = if log {
            0.06
        } else {
            0.04 * max_workers as f64 / 4.0
        };
        draw_error_bars(&mut chart, &variants, bars, cap)?;
        legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
        area.present()?;
        Ok(())
    }

    /// A slowdown workload (the convoy): how many times longer than alone,
    /// on a log10 axis, against x; Python's rows too, against its own
    /// baseline.
    pub(super) fn slowdown_chart(
        &self,
        path: &Path,
    ) -> Result<(), Box<dyn std::error::Error>> {
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
        // A slowdown's range is 1 / the speedup's, so its ends swap.
        let bars = |variant: &str| -> Vec<(f64, f64, f64)> {
            rows.iter()
                .filter(|r| r.variant == variant)
                .filter_map(|r| {
                    let (low, high) = (r.speedup_min?, r.speedup_max?);
                    (low > 0.0).then(|| {
                        let x = r.workers as f64;
                        (x, (1.0 / high).log10(), (1.0 / low).log10())
                    })
                })
                .collect()
        };
        let all: Vec<(f64, f64)> = variants.iter().flat_map(|v| points(v)).collect();
        if all.is_empty() {
            return Err("no timed rows to draw".into());
        }
        let max_x = all.iter().map(|p| p.0).fold(1.0, f64::max);
        let min_x = all.iter().map(|p| p.0).fold(max_x, f64::min);
        let highest = variants.iter().flat_map(|v| bars(v)).map(|b| b.2);
        let top = all
            .iter()
            .map(|p| p.1)
            .chain(highest)
            .fold(1.0, f64::max)
            .ceil()
            + 0.2;

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
        draw_error_bars(&mut chart, &variants, bars, 0.04 * (max_x - min_x + 0.4))?;
        legend(&mut chart, SeriesLabelPosition::LowerRight)?;
        area.present()?;
        Ok(())
    }
}

/// One line with dots per variant, coloured in order, with its legend entry.
pub(super) fn draw_lines<'a, DB: DrawingBackend + 'a>(
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

/// The spread as error bars: for each variant, `(x, low, high)` drawn in
/// its line's colour, with caps `cap` wide (in x units); one legend entry
/// says what they are.
pub(super) fn draw_error_bars<'a, DB: DrawingBackend + 'a>(
    chart: &mut ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    variants: &[String],
    bars: impl Fn(&str) -> Vec<(f64, f64, f64)>,
    cap: f64,
) -> Result<(), Box<dyn std::error::Error>>
where
    DB::ErrorType: 'static,
{
    let mut any = false;
    for (i, variant) in variants.iter().enumerate() {
        let style = Palette99::pick(i).to_rgba().stroke_width(1);
        for (x, low, high) in bars(variant) {
            any = true;
            chart.draw_series([
                PathElement::new(vec![(x, low), (x, high)], style),
                PathElement::new(vec![(x - cap, low), (x + cap, low)], style),
                PathElement::new(vec![(x - cap, high), (x + cap, high)], style),
            ])?;
        }
    }
    if any {
        let style = BLACK.mix(0.6).stroke_width(1);
        chart
            .draw_series(std::iter::empty::<PathElement<(f64, f64)>>())?
            .label(RANGE_LABEL)
            .legend(move |(x, y)| {
                PathElement::new(vec![(x + 9, y - 6), (x + 9, y + 6)], style)
            });
    }
    Ok(())
}

/// What the error bars are, for the charts' legends.
pub(super) const RANGE_LABEL: &str = "bars: range over the rounds";

pub(super) fn legend<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
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
