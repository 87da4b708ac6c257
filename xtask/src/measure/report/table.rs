//! The terminal table: the rows aligned in columns, Python's under Rust's,
//! then the workload's notes and how to read the table.

use std::fmt::Write as _;

use super::Report;
use super::rows::OutRow;
use crate::measure::python::python_rounds;

impl Report<'_> {
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
                        "\n{}, the same job at size {}, {} rounds (against its own baseline; compare the ratios, \
                         not the times):",
                        row.language.replace("python", "Python"),
                        row.size,
                        python_rounds(self.rounds)
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
        let _ = write!(out, "\n{}", self.explanation());
        for line in self.spread_lines() {
            let _ = write!(out, "\n{line}");
        }
        let _ = write!(out, "\n{}", self.machine.load_label());
        if self.machine.busy() {
            out.push_str(
                "\nMeasure again on a quiet machine before you draw conclusions.",
            );
        }
        out
    }
}
