use std::time::Duration;

mod spread;

use super::{OutRow, Report, Timed};
use crate::measure::machine::Machine;
use crate::measure::measured::{Measured, Row, Status};
use crate::measure::workloads::{Spec, Workload, find};

/// What a report borrows, owned by the test.
struct Parts {
    workload: &'static Workload,
    spec: Spec,
    rounds: usize,
    machine: Machine,
    measured: Measured,
    python: Vec<OutRow>,
}

impl Parts {
    /// `workload` at `size`: one round on a quiet test machine.
    fn new(workload: &str, size: u64, baseline: Vec<Duration>, rows: Vec<Row>) -> Parts {
        Parts {
            workload: find(workload).unwrap(),
            spec: Spec {
                size,
                workers: vec![1],
                mine: false,
                only: vec![],
            },
            rounds: 1,
            machine: Machine {
                cores: 2,
                cpu: "Test CPU".into(),
                os: "Test OS".into(),
                load_average: Some(0.1),
                date: "2026-01-02".into(),
            },
            measured: Measured {
                checksum: 1,
                baseline,
                rows,
                notes: vec![],
            },
            python: vec![],
        }
    }

    fn report(&self) -> Report<'_> {
        Report {
            workload: self.workload,
            spec: &self.spec,
            rounds: self.rounds,
            machine: &self.machine,
            measured: &self.measured,
            python: &self.python,
        }
    }
}

/// A row of the harness, timed once.
fn row(variant: &str, workers: usize, time: Duration) -> Row {
    rounds(variant, workers, &[time])
}

/// A row of the harness, timed in these rounds.
fn rounds(variant: &str, workers: usize, times: &[Duration]) -> Row {
    Row {
        variant: variant.into(),
        workers,
        mine: false,
        status: Status::Ok,
        samples: times.to_vec(),
    }
}

/// A row of Python's, as `python.rs` makes it.
fn py(
    workload: &str,
    variant: &str,
    size: u64,
    median: f64,
    speedup: Option<f64>,
) -> OutRow {
    OutRow::timed(Timed {
        language: "python 3.11".into(),
        workload,
        variant: variant.into(),
        workers: 1,
        size,
        median_s: Some(median),
        speedup,
        status: "ok".into(),
    })
}

/// The SVG chart `--write-book` draws for `report`.
fn svg(report: &Report, test: &str) -> String {
    let dir =
        std::env::temp_dir().join(format!("xtask-{test}-test-{}", std::process::id()));
    let written = report.write_book(&dir).unwrap();
    let svg = std::fs::read_to_string(&written[1]).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    svg
}

#[test]
fn the_reports_label_their_figures_and_draw_text_without_system_fonts() {
    let ms = Duration::from_millis;
    let mut parts = Parts::new(
        "cpu",
        1000,
        vec![ms(100), ms(102), ms(98)],
        vec![
            rounds("threads", 1, &[ms(100), ms(102), ms(98)]),
            rounds("threads", 2, &[ms(50), ms(51), ms(49)]),
            Row {
                variant: "mine: rayon".into(),
                workers: 2,
                mine: true,
                status: Status::NotDone,
                samples: vec![],
            },
        ],
    );
    parts.measured.notes = vec!["a note from the workload".into()];
    parts.machine.load_average = Some(1.5);
    parts.spec.workers = vec![1, 2];
    parts.spec.mine = true;
    parts.rounds = 3;
    let report = parts.report();

    let rows = report.rows();
    assert_eq!(rows[0].variant, "sequential");
    assert_eq!(rows[2].speedup, Some(2.0));
    assert_eq!(rows[2].efficiency, Some(1.0));
    assert_eq!(rows[3].status, "not done yet");

    let table = report.table();
    assert!(
        table.contains("2.00x") && table.contains("not done yet"),
        "{table}"
    );
    assert!(table.contains("a note from the workload"), "{table}");
    let md = report.markdown();
    for label in [
        "2 logical cores, Test CPU, Test OS",
        "load average 1.50",
        "not trustworthy",
        "2026-01-02",
        "| threads | 2 | 50.0 ms | 49.0-51.0 ms | 4.0 % | 2.00x (2.00-2.00) | 100 % |  |",
        "- a note from the workload",
    ] {
        assert!(md.contains(label), "{label} missing from:\n{md}");
    }
    let json: serde_json::Value = serde_json::from_str(&report.json()).unwrap();
    assert_eq!(json["rows"][2]["speedup"], 2.0);
    assert_eq!(json["rows"][2]["workload"], "cpu");

    let svg = svg(&report, "measure");
    assert!(
        svg.starts_with("<svg")
            && svg.contains("<text")
            && svg.contains("speedup vs workers"),
        "{svg}"
    );
    assert!(
        svg.contains("\nthreads\n") && svg.contains("ideal: speedup = workers"),
        "the legend is missing"
    );
}

#[test]
fn throughput_columns_count_messages_and_bytes_per_second() {
    let ms = Duration::from_millis;
    // `comm` moving 8 MB at 1000 bytes a message: 8000 messages a run.
    let parts = Parts::new(
        "comm",
        8_000_000,
        vec![ms(100)],
        vec![row("channels", 1000, ms(50))],
    );
    let report = parts.report();
    let rows = report.rows();
    assert_eq!(rows[0].items_per_s, Some(160_000.0));
    assert_eq!(rows[0].bytes_per_s, Some(160_000_000.0));
    assert_eq!(rows[0].per_item_s, Some(50e-3 / 8000.0));
    let md = report.markdown();
    assert!(
        md.contains(
            "| variant | median | min-max | spread | per message | messages/s | MB/s | vs sequential | note |"
        ),
        "{md}"
    );
    assert!(
        md.contains("| channels | 50.0 ms | 50.0-50.0 ms | n/a | 6.2 us | 160.0 k | 160.0 | - |  |"),
        "{md}"
    );
}

#[test]
fn a_cost_workload_compares_each_row_with_its_reference_and_draws_bars_or_lines() {
    let us = Duration::from_micros;

    // One x: bars, no x column, no speedup.
    let parts = Parts::new(
        "overhead",
        100,
        vec![us(1)],
        vec![
            row("std thread", 1, us(2000)),
            row("process", 1, us(30_000)),
        ],
    );
    let report = parts.report();
    let rows = report.rows();
    assert_eq!(rows.len(), 2, "a cost report has no sequential row");
    assert_eq!(rows[1].relative, Some(15.0));
    assert_eq!(rows[1].per_item_s, Some(300e-6));
    assert!(rows[1].speedup.is_none());
    let table = report.table();
    assert!(
        table.contains("per worker")
            && table.contains("300.0 us")
            && table.contains("15.0x"),
        "{table}"
    );
    assert!(
        !table.contains("speedup") && !table.contains(" x "),
        "{table}"
    );
    let svg_bars = svg(&report, "cost");
    assert!(
        svg_bars.contains("process") && svg_bars.contains("300.0 us  (15.0x)"),
        "{svg_bars}"
    );

    // Several x: an x column, and the ratio at the same x.
    let parts = Parts::new(
        "crossover",
        100,
        vec![us(1)],
        vec![
            row("sequential", 10, us(10)),
            row("sequential", 1000, us(1000)),
            row("pool", 10, us(40)),
            row("pool", 1000, us(500)),
        ],
    );
    let report = parts.report();
    let relative: Vec<Option<f64>> = report.rows().iter().map(|r| r.relative).collect();
    assert_eq!(relative, vec![Some(1.0), Some(1.0), Some(4.0), Some(0.5)]);
    assert!(report.table().contains("units per task"));
    let svg_lines = svg(&report, "cost");
    assert!(
        svg_lines.contains("time per task vs units per task")
            && svg_lines.contains("\npool\n"),
        "{svg_lines}"
    );
}

#[test]
fn a_slowdown_says_how_many_times_longer() {
    let ms = Duration::from_millis;
    let mut parts = Parts::new(
        "convoy",
        200,
        vec![ms(2)],
        vec![row("gil 5 ms", 1, ms(1200))],
    );
    parts.python = vec![py("convoy", "py gil 5 ms", 200, 0.6, Some(0.005))];
    let report = parts.report();
    let md = report.markdown();
    assert!(
        md.contains(
            "| variant | CPU threads | median | min-max | spread | slower than alone (range) | note |"
        ),
        "{md}"
    );
    assert!(
        md.contains("| gil 5 ms | 1 | 1.200 s | 1.200-1.200 s | n/a | 600x |  |"),
        "{md}"
    );
    // A Python row without its rounds has no spread, and says so.
    assert!(
        md.contains("| py gil 5 ms | 1 | 600.0 ms | - | n/a | 200x |  |"),
        "{md}"
    );
    let svg = svg(&report, "slowdown");
    assert!(
        svg.contains("times slower than alone") && svg.contains("py gil 5 ms"),
        "{svg}"
    );
}

#[test]
fn pythons_cost_rows_are_compared_with_pythons_own_reference() {
    let us = Duration::from_micros;
    let mut parts = Parts::new(
        "overhead",
        100,
        vec![us(1)],
        vec![row("std thread", 1, us(3000))],
    );
    parts.python = vec![
        py("overhead", "py threading.Thread", 10, 0.001, None),
        py("overhead", "py Process (fork)", 10, 0.03, None),
    ];
    let md = parts.report().markdown();
    assert!(
        md.contains("`cargo xtask measure overhead --python`"),
        "{md}"
    );
    assert!(
        md.contains(
            "| variant | median | min-max | spread | per worker | workers/s | vs std thread | note |"
        ),
        "{md}"
    );
    assert!(
        md.contains(
            "| variant | median | min-max | spread | per worker | workers/s | vs threading.Thread | note |"
        ),
        "{md}"
    );
    assert!(
        md.contains(
            "| py Process (fork) | 30.0 ms | - | n/a | 3.0 ms | 333 | 30.0x |  |"
        ),
        "{md}"
    );
}
