//! The machine a measurement ran on: cores, CPU model, OS, load average and
//! date, for the header of every table, so that a figure is always labelled
//! with where and when it was taken.

use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct Machine {
    /// Logical cores (`std::thread::available_parallelism`).
    pub cores: usize,
    pub cpu: String,
    pub os: String,
    /// The 1-minute load average when the measurement started, where the OS
    /// reports one.
    pub load_average: Option<f64>,
    /// The date (UTC), `YYYY-MM-DD`.
    pub date: String,
}

/// A load average above this, before we start, means another job is
/// running: the parallel figures will be too low.
pub const BUSY_LOAD: f64 = 0.5;

impl Machine {
    pub fn now() -> Machine {
        Machine {
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            cpu: cpu_model(),
            os: os_name(),
            load_average: load_average(),
            date: today(),
        }
    }

    /// Is the machine too busy for figures to be trusted?
    pub fn busy(&self) -> bool {
        self.load_average.is_some_and(|load| load > BUSY_LOAD)
    }

    /// The warning to print when the machine looks busy.
    pub fn busy_warning(&self) -> Option<String> {
        self.busy().then(|| {
            format!(
                "the load average is {:.2} on {} logical cores before we even start: something else is \
                 running. Parallel speedups will look smaller than they are; close other programs and \
                 measure again for figures you can trust.",
                self.load_average.unwrap_or(0.0),
                self.cores
            )
        })
    }

    /// After a busy run: how far the figures moved between rounds, from
    /// the largest spread of any row and which row it was.
    pub fn busy_spread(&self, largest: Option<(f64, String)>) -> Option<String> {
        self.busy().then(|| match largest {
            Some((pct, row)) => format!(
                "The machine was busy: the figures moved by up to {pct:.0} % between rounds ({row})."
            ),
            None => "The machine was busy, and no row ran twice: how far the figures moved is unknown."
                .to_string(),
        })
    }

    /// "load average 0.12 at the start (quiet)", or "... (BUSY: ...)".
    pub fn load_label(&self) -> String {
        match self.load_average {
            None => "load average unknown on this OS".to_string(),
            Some(load) if self.busy() => {
                format!(
                    "load average {load:.2} at the start (BUSY: other jobs were running, so these figures are not trustworthy)"
                )
            }
            Some(load) => format!("load average {load:.2} at the start (quiet)"),
        }
    }

    /// One line: cores, CPU, OS.
    /// A chart's title: `title`, then cores, load and date, in brackets.
    pub fn caption(&self, title: &str) -> String {
        let load = self
            .load_average
            .map_or("unknown".to_string(), |l| format!("{l:.2}"));
        format!("{title} ({} cores, load {load}, {})", self.cores, self.date)
    }

    pub fn describe(&self) -> String {
        format!("{} logical cores, {}, {}", self.cores, self.cpu, self.os)
    }
}

fn read(path: &str) -> Option<String> {
    std::fs::read_to_string(path).ok()
}

fn output(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
        .filter(|s| !s.is_empty())
}

fn cpu_model() -> String {
    read("/proc/cpuinfo")
        .and_then(|info| {
            info.lines()
                .find(|l| {
                    l.starts_with("model name")
                        || l.starts_with("Model")
                        || l.starts_with("cpu model")
                })
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.split_whitespace().collect::<Vec<_>>().join(" "))
        })
        .or_else(|| output("sysctl", &["-n", "machdep.cpu.brand_string"]))
        .unwrap_or_else(|| format!("unknown {} CPU", std::env::consts::ARCH))
}

fn os_name() -> String {
    let pretty = read("/etc/os-release").and_then(|text| {
        text.lines()
            .find_map(|l| l.strip_prefix("PRETTY_NAME="))
            .map(|v| v.trim_matches('"').to_string())
    });
    let kernel = output("uname", &["-sr"]);
    match (pretty, kernel) {
        (Some(p), Some(k)) => format!("{p} ({k})"),
        (Some(p), None) => p,
        (None, Some(k)) => k,
        (None, None) => std::env::consts::OS.to_string(),
    }
}

/// The 1-minute load average: /proc/loadavg on Linux, `sysctl` on macOS and
/// the BSDs; none on Windows.
pub fn load_average() -> Option<f64> {
    if let Some(text) = read("/proc/loadavg") {
        return text.split_whitespace().next()?.parse().ok();
    }
    // macOS: "{ 1.23 1.10 0.98 }"
    let text = output("sysctl", &["-n", "vm.loadavg"])?;
    text.trim_matches(|c| c == '{' || c == '}' || c == ' ')
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// Today's date in UTC, `YYYY-MM-DD`.
pub fn today() -> String {
    let days = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400);
    let (y, m, d) = civil_from_days(days as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 to a (year, month, day); Howard Hinnant's algorithm.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_become_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(20_513), (2026, 3, 1));
    }

    #[test]
    fn a_busy_machine_is_labelled_so() {
        let mut machine = Machine {
            cores: 2,
            cpu: "x".into(),
            os: "y".into(),
            load_average: Some(1.9),
            date: today(),
        };
        assert!(machine.busy());
        assert!(machine.load_label().contains("not trustworthy"));
        assert!(machine.busy_warning().is_some());
        let moved = machine.busy_spread(Some((23.4, "threads at 2".into())));
        assert_eq!(
            moved.as_deref(),
            Some(
                "The machine was busy: the figures moved by up to 23 % between rounds (threads at 2)."
            )
        );
        machine.load_average = Some(0.1);
        assert!(!machine.busy() && machine.load_label().contains("quiet"));
        assert_eq!(machine.busy_spread(Some((23.4, "x".into()))), None);
    }
}
