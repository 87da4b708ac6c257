//! What one run of the harness measured: each variant's status and timed
//! rounds, and the medians and speedups the reports are made of.

use std::time::Duration;

/// What became of one variant.
#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    /// Timed; every checksum matched.
    Ok,
    /// The learner's code still panics with `todo!`.
    NotDone,
    /// It returned another checksum than the baseline.
    Wrong { got: u64, expected: u64 },
    /// It panicked or returned an error (one line).
    Failed(String),
}

/// One row of the result.
#[derive(Clone, Debug)]
pub struct Row {
    pub variant: String,
    pub workers: usize,
    pub mine: bool,
    pub status: Status,
    /// Every timed round (empty unless the status is `Ok`).
    pub samples: Vec<Duration>,
}

impl Row {
    pub fn median(&self) -> Option<Duration> {
        median(&self.samples)
    }
}

/// Everything one run of the harness measured.
#[derive(Clone, Debug)]
pub struct Measured {
    pub checksum: u64,
    pub baseline: Vec<Duration>,
    pub rows: Vec<Row>,
    /// The workload's own lines for under the table (see `Plan::notes`).
    pub notes: Vec<String>,
}

impl Measured {
    pub fn baseline_median(&self) -> Duration {
        median(&self.baseline).expect("the baseline ran at least once")
    }

    /// t(sequential) / t(row), when the row was timed.
    pub fn speedup(&self, row: &Row) -> Option<f64> {
        let t = row.median()?.as_secs_f64();
        (t > 0.0).then(|| self.baseline_median().as_secs_f64() / t)
    }

    /// How many reference (not `--mine`) variants failed or were wrong.
    pub fn reference_failures(&self) -> usize {
        self.rows
            .iter()
            .filter(|r| !r.mine && r.status != Status::Ok)
            .count()
    }
}

/// The median; the mean of the two middle ones for an even count.
pub fn median(samples: &[Duration]) -> Option<Duration> {
    if samples.is_empty() {
        return None;
    }
    let mut sorted = samples.to_vec();
    sorted.sort();
    let mid = sorted.len() / 2;
    Some(if sorted.len() % 2 == 1 {
        sorted[mid]
    } else {
        (sorted[mid - 1] + sorted[mid]) / 2
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_of_an_odd_and_an_even_count() {
        let ms = Duration::from_millis;
        assert_eq!(median(&[ms(5), ms(1), ms(3)]), Some(ms(3)));
        assert_eq!(
            median(&[ms(4), ms(1), ms(3), ms(2)]),
            Some(Duration::from_micros(2500))
        );
        assert_eq!(median(&[]), None);
    }
}
