//! What one run of the harness measured: each variant's status and timed
//! rounds, and the medians, spreads and speedups the reports are made of.

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

    /// Each round's time, in seconds, in the order of the rounds.
    pub fn seconds(&self) -> Vec<f64> {
        seconds(&self.samples)
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

/// Each round's time, in seconds.
pub fn seconds(samples: &[Duration]) -> Vec<f64> {
    samples.iter().map(Duration::as_secs_f64).collect()
}

/// A spread above this many percent of the median marks a row noisy: its
/// rounds disagree more than the differences the course asks you to read.
pub const NOISY_PCT: f64 = 10.0;

/// How far a row's rounds spread: the fastest and the slowest.
///
/// Min and max rather than the interquartile range: with a handful of
/// rounds (5 by default) the quartiles fall between rounds, while the
/// fastest and the slowest are real runs. For independent rounds they
/// bracket the true median with probability 1 - 2^(1-n): 94 % for 5.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spread {
    pub min: f64,
    pub max: f64,
    /// (max - min) / median, in percent; `None` with one round, which has
    /// no spread to speak of.
    pub pct: Option<f64>,
}

impl Spread {
    /// The spread of the rounds' times (seconds); `None` without a round.
    pub fn of(samples: &[f64]) -> Option<Spread> {
        let min = samples.iter().copied().reduce(f64::min)?;
        let max = samples.iter().copied().reduce(f64::max)?;
        let mut sorted = samples.to_vec();
        sorted.sort_by(f64::total_cmp);
        let mid = sorted.len() / 2;
        let median = if sorted.len() % 2 == 1 {
            sorted[mid]
        } else {
            (sorted[mid - 1] + sorted[mid]) / 2.0
        };
        let pct =
            (samples.len() > 1 && median > 0.0).then(|| (max - min) / median * 100.0);
        Some(Spread { min, max, pct })
    }

    /// Above [`NOISY_PCT`]; `None` when the spread is unknown.
    pub fn noisy(&self) -> Option<bool> {
        self.pct.map(|p| p > NOISY_PCT)
    }
}

/// The lowest and highest of the paired ratios `base[i] / samples[i]`:
/// round i's baseline over round i's variant. The interleaved rounds ran
/// each pair side by side, so a slow stretch of the machine slows both and
/// cancels out; the ratio of the extremes (slowest baseline over fastest
/// variant) would count that drift twice. `None` with fewer than 2 rounds.
pub fn ratio_range(base: &[f64], samples: &[f64]) -> Option<(f64, f64)> {
    if base.len() != samples.len() || samples.len() < 2 {
        return None;
    }
    let ratios: Vec<f64> = base
        .iter()
        .zip(samples)
        .filter(|(_, t)| **t > 0.0)
        .map(|(b, t)| b / t)
        .collect();
    let low = ratios.iter().copied().reduce(f64::min)?;
    let high = ratios.iter().copied().reduce(f64::max)?;
    Some((low, high))
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

    #[test]
    fn the_spread_is_the_fastest_and_slowest_round_against_the_median() {
        let spread = Spread::of(&[1.0, 1.1, 0.9, 1.0, 1.05]).unwrap();
        assert_eq!((spread.min, spread.max), (0.9, 1.1));
        assert!((spread.pct.unwrap() - 20.0).abs() < 1e-9);
        assert_eq!(spread.noisy(), Some(true));
        let quiet = Spread::of(&[2.0, 2.1, 2.05]).unwrap();
        assert_eq!(quiet.noisy(), Some(false));
        // One round has no spread: unknown, not zero.
        let one = Spread::of(&[3.0]).unwrap();
        assert_eq!(
            (one.min, one.max, one.pct, one.noisy()),
            (3.0, 3.0, None, None)
        );
        assert_eq!(Spread::of(&[]), None);
    }

    #[test]
    fn the_speedup_range_pairs_each_round_with_its_own_baseline() {
        // A slow second round slows both: its pair still says 2x.
        let base = [1.0, 2.0, 1.0];
        let variant = [0.5, 1.0, 0.4];
        assert_eq!(ratio_range(&base, &variant), Some((2.0, 2.5)));
        assert_eq!(ratio_range(&[1.0], &[0.5]), None);
        assert_eq!(ratio_range(&base, &variant[..2]), None);
    }
}
