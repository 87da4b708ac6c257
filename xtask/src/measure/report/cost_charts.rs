//! A cost workload's SVG charts (`--write-book`): the time per item, as
//! lines against x (crossover, comm) or as one bar per variant (overhead).

use std::path::Path;

use plotters::prelude::*;

use super::Report;
use super::charts::{RANGE_LABEL, draw_error_bars, draw_lines};
use super::numbers::{count, power_of_ten, ratio, seconds};
use super::rows::OutRow;
use crate::measure::workloads::Mode;

impl Report<'_> {
    /// A cost workload over several x (crossover, comm): time per item
    /// against x, both on log10 axes, one line per variant (Python's too).
    pub(super) fn cost_lines(
        &self,
        path: &Path,
    ) -> Result<(), Box<dyn std::error::Error>> {
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
        let bars = |variant: &str| -> Vec<(f64, f64, f64)> {
            rows.iter()
                .filter(|r| r.variant == variant && r.workers > 0)
                .filter_map(|r| {
                    let (low, high) = per_item_range(r)?;
                    Some(((r.workers as f64).log10(), low.log10(), high.log10()))
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
        let ends = variants
            .iter()
            .flat_map(|v| bars(v))
            .flat_map(|b| [(b.0, b.1), (b.0, b.2)]);
        let (y0, y1) = all
            .iter()
            .copied()
            .chain(ends)
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
        draw_error_bars(&mut chart, &variants, bars, 0.025 * (x1 - x0 + 0.4))?;
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
        let y = 64 + 24 * variants.len() as i32;
        key.draw(&PathElement::new(
            vec![(18, y - 6), (18, y + 6)],
            BLACK.mix(0.6).stroke_width(1),
        ))?;
        key.draw(&Text::new(RANGE_LABEL, (38, y - 8), ("sans-serif", 14)))?;
        area.present()?;
        Ok(())
    }

    /// A cost workload at one x (overhead): one bar per variant, the time
    /// per item on a log10 axis, with its value written beside it.
    pub(super) fn cost_bars(
        &self,
        path: &Path,
    ) -> Result<(), Box<dyn std::error::Error>> {
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
        let ranges: Vec<Option<(f64, f64)>> = rows
            .iter()
            .map(|r| per_item_range(r).map(|(a, b)| (a.log10(), b.log10())))
            .collect();
        let ends = ranges.iter().flatten().flat_map(|&(a, b)| [a, b]);
        let low = logs
            .iter()
            .copied()
            .chain(ends.clone())
            .fold(f64::MAX, f64::min)
            .floor()
            - 0.5;
        let high = logs
            .iter()
            .copied()
            .chain(ends)
            .fold(f64::MIN, f64::max)
            .ceil()
            + 1.4;
        let n = rows.len();

        let area =
            SVGBackend::new(path, (820, 60 + 44 * n as u32 + 60)).into_drawing_area();
        area.fill(&WHITE)?;
        let names: Vec<String> = rows.iter().map(|r| r.variant.clone()).collect();
        let mut chart = ChartBuilder::on(&area)
            .caption(
                self.caption(&format!("time per {one}, bars: range over the rounds")),
                ("sans-serif", 19),
            )
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
            // The spread: a black bar across the end of the coloured one.
            let mut text_x = *log;
            if let Some((a, b)) = ranges[i] {
                let style = BLACK.stroke_width(1);
                chart.draw_series([
                    PathElement::new(vec![(a, y), (b, y)], style),
                    PathElement::new(vec![(a, y - 0.15), (a, y + 0.15)], style),
                    PathElement::new(vec![(b, y - 0.15), (b, y + 0.15)], style),
                ])?;
                text_x = text_x.max(b);
            }
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
                (text_x + 0.05, y + 0.12),
                ("sans-serif", 14),
            )])?;
        }
        area.present()?;
        Ok(())
    }
}

/// A row's fastest and slowest round, per item.
fn per_item_range(row: &OutRow) -> Option<(f64, f64)> {
    let (per_item, median) = (row.per_item_s?, row.median_s?);
    let (low, high) = (row.min_s?, row.max_s?);
    let scale = per_item / median;
    (median > 0.0).then_some((low * scale, high * scale))
}
