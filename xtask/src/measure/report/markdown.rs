//! The book's markdown table (`--write-book`), labelled with the machine,
//! its load and the date, so that a figure always says where it was taken.

use std::fmt::Write as _;

use super::Report;
use super::columns::Column;
use super::rows::OutRow;
use crate::measure::python::python_rounds;

impl Report<'_> {
    /// The markdown table for the book, with its label: machine, load, date.
    pub(super) fn markdown(&self) -> String {
        let mut out = format!(
            "<!-- Written by `cargo xtask measure {name} --write-book`. Do not edit: measure again. -->\n\n\
             *Measured with `cargo xtask measure {name}{python}` on {machine}; {load}; {date}. Size {size} {unit}, \
             median of {rounds} interleaved rounds, with their spread.*\n\n",
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
                "\n*{}, the same job at size {}, {} rounds, on the same machine in the same run:*\n\n",
                self.python[0].language.replace("python", "Python"),
                self.python[0].size,
                python_rounds(self.rounds)
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
        for line in self.spread_lines() {
            let _ = writeln!(out, "\n*{line}*");
        }
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
}
