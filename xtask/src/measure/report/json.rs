//! `--json`: the machine, the run's settings and every row, for scripts.

use serde::Serialize;

use super::Report;
use super::rows::OutRow;
use crate::measure::machine::Machine;

impl Report<'_> {
    pub fn json(&self) -> String {
        #[derive(Serialize)]
        struct Json<'a> {
            machine: &'a Machine,
            busy: bool,
            /// The largest `spread_pct` of any row: how far the figures moved.
            largest_spread_pct: Option<f64>,
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
            largest_spread_pct: self.largest_spread().map(|(pct, _)| pct),
            workload: self.workload.name,
            size: self.spec.size,
            rounds: self.rounds,
            checksum: self.measured.checksum,
            rows,
            notes: &self.measured.notes,
        };
        serde_json::to_string_pretty(&json).expect("plain data serializes")
    }
}
