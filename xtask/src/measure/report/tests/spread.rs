//! The spread on fixed data: the noisy flag, the speedup's range, the
//! superlinear note, the busy line and the error bars. No duration is
//! measured here; every time is made up.

use std::time::Duration;

use super::super::spread::{superlinear, time_range};
use super::{Parts, py, rounds, svg};
use crate::measure::report::OutRow;

fn ms(times: &[u64]) -> Vec<Duration> {
    times.iter().map(|&t| Duration::from_millis(t)).collect()
}

/// A speedup row as the report makes it, with its range.
fn speedup_row(workers: usize, speedup: f64, low: f64, high: f64) -> OutRow {
    OutRow {
        workers,
        speedup: Some(speedup),
        speedup_min: Some(low),
        speedup_max: Some(high),
        ..OutRow::default()
    }
}

#[test]
fn a_row_whose_rounds_spread_more_than_10_percent_is_noisy_everywhere() {
    let mut parts = Parts::new(
        "cpu",
        1000,
        ms(&[100, 100, 100]),
        vec![
            // 45 to 60 ms around a median of 50: a spread of 30 %.
            rounds("threads", 2, &ms(&[50, 45, 60])),
            // 49 to 51 ms: 4 %.
            rounds("rayon", 2, &ms(&[50, 49, 51])),
        ],
    );
    parts.rounds = 3;
    let report = parts.report();
    let rows = report.rows();
    assert_eq!(rows[1].spread_pct.map(|p| p.round()), Some(30.0));
    assert_eq!((rows[1].min_s, rows[1].max_s), (Some(0.045), Some(0.06)));
    assert_eq!(rows[1].noisy, Some(true));
    assert_eq!(rows[2].noisy, Some(false));
    // The paired ratios: 100/50, 100/45, 100/60.
    let (low, high) = (rows[1].speedup_min.unwrap(), rows[1].speedup_max.unwrap());
    assert!((low - 100.0 / 60.0).abs() < 1e-9 && (high - 100.0 / 45.0).abs() < 1e-9);

    let table = report.table();
    let threads = table.lines().find(|l| l.starts_with("threads")).unwrap();
    assert!(
        threads.contains("45.0-60.0 ms")
            && threads.contains("30.0 %")
            && threads.contains("2.00x (1.67-2.22)")
            && threads.ends_with("noisy"),
        "{table}"
    );
    let rayon = table.lines().find(|l| l.starts_with("rayon")).unwrap();
    assert!(!rayon.contains("noisy"), "{table}");
    assert!(
        table.contains("noisy: 1 of 3 rows moved more than 10 % between rounds"),
        "{table}"
    );

    let md = report.markdown();
    assert!(
        md.contains("| threads | 2 | 50.0 ms | 45.0-60.0 ms | 30.0 % | 2.00x (1.67-2.22) | 100 % | noisy |"),
        "{md}"
    );
    assert!(
        md.contains("spread = (max - min) / median, noisy above 10 %"),
        "{md}"
    );

    let json: serde_json::Value = serde_json::from_str(&report.json()).unwrap();
    let threads = &json["rows"][1];
    assert_eq!(threads["noisy"], true);
    assert_eq!(threads["min_s"], 0.045);
    assert_eq!(threads["max_s"], 0.06);
    assert!(
        threads["spread_pct"]
            .as_f64()
            .is_some_and(|p| (p - 30.0).abs() < 1e-9)
    );
    assert!(threads["speedup_min"].is_f64() && threads["speedup_max"].is_f64());
    assert_eq!(json["rows"][2]["noisy"], false);
    assert!(
        json["largest_spread_pct"]
            .as_f64()
            .is_some_and(|p| p.round() == 30.0)
    );
}

#[test]
fn one_round_has_no_spread_and_is_not_called_quiet() {
    let parts = Parts::new(
        "cpu",
        1000,
        ms(&[100]),
        vec![rounds("threads", 2, &ms(&[50]))],
    );
    let rows = parts.report().rows();
    assert_eq!((rows[1].min_s, rows[1].max_s), (Some(0.05), Some(0.05)));
    assert_eq!((rows[1].spread_pct, rows[1].noisy), (None, None));
    assert_eq!((rows[1].speedup_min, rows[1].speedup_max), (None, None));
    assert_eq!(rows[1].spread_cell(), "n/a");
    assert_eq!(rows[1].speedup_cell(false), "2.00x");
}

#[test]
fn a_speedup_above_the_cores_or_the_workers_is_never_a_real_gain() {
    // 2.15x on 2 cores at 2 workers: the issue's own example.
    let above_cores = superlinear(&speedup_row(2, 2.15, 2.05, 2.2), 2, false).unwrap();
    assert!(
        above_cores.starts_with("2.15x is above the 2 cores"),
        "{above_cores}"
    );
    assert!(
        above_cores.ends_with("noise or a cache effect, never a real superlinear gain")
    );
    // Past the cores, at 4 workers: still no more than 2 cores' work.
    assert!(superlinear(&speedup_row(4, 2.1, 1.9, 2.3), 2, false).is_some());
    // Waiting work passes the cores for real; only its workers bound it.
    assert_eq!(superlinear(&speedup_row(4, 3.9, 3.7, 3.95), 2, true), None);
    let beyond = superlinear(&speedup_row(4, 4.4, 4.2, 4.5), 2, true).unwrap();
    assert!(
        beyond.contains("above 100 % efficiency beyond the spread"),
        "{beyond}"
    );
    // 1 worker at 1.01x, within a range that reaches below 1x: noise, no note.
    assert_eq!(
        superlinear(&speedup_row(1, 1.01, 0.97, 1.05), 2, false),
        None
    );
    // 1 worker above 1x in every round: a note.
    assert!(superlinear(&speedup_row(1, 1.2, 1.15, 1.25), 2, false).is_some());
    // Without a range (one round), only the cores are checked.
    let one_round = OutRow {
        speedup: Some(1.2),
        workers: 1,
        ..OutRow::default()
    };
    assert_eq!(superlinear(&one_round, 2, false), None);
}

#[test]
fn the_superlinear_note_reaches_the_table_the_markdown_and_the_json() {
    let mut parts = Parts::new(
        "cpu",
        1000,
        ms(&[100, 100, 100]),
        vec![
            rounds("threads", 2, &ms(&[46, 47, 46])),
            rounds("rayon", 2, &ms(&[50, 51, 49])),
        ],
    );
    parts.rounds = 3;
    let report = parts.report();
    let table = report.table();
    let threads = table.lines().find(|l| l.starts_with("threads")).unwrap();
    assert!(threads.ends_with("2.17x is above the 2 cores"), "{table}");
    assert!(
        table.contains("Above the cores or above 100 %: 2 cores cannot do more than 2 times the work of one."),
        "{table}"
    );
    let md = report.markdown();
    assert!(md.contains("| 2.17x is above the 2 cores |"), "{md}");
    assert!(md.contains("never a real superlinear gain"), "{md}");
    let json: serde_json::Value = serde_json::from_str(&report.json()).unwrap();
    assert!(
        json["rows"][1]["note"]
            .as_str()
            .is_some_and(|n| n.contains("never a real superlinear gain")),
        "{json}"
    );
    assert_eq!(json["rows"][2]["note"], serde_json::Value::Null);
}

#[test]
fn a_busy_machine_says_how_far_the_figures_moved() {
    let mut parts = Parts::new(
        "cpu",
        1000,
        ms(&[100, 100, 100]),
        vec![rounds("threads", 2, &ms(&[50, 40, 60]))],
    );
    parts.machine.load_average = Some(1.7);
    let report = parts.report();
    for text in [report.table(), report.markdown()] {
        assert!(
            text.contains(
                "The machine was busy: the figures moved by up to 40 % between rounds (threads at 2)."
            ),
            "{text}"
        );
    }
}

#[test]
fn pythons_rows_get_their_spread_from_the_rounds_the_twin_reports() {
    let mut parts = Parts::new("cpu", 1000, ms(&[100]), vec![]);
    let base = [0.2, 0.2, 0.2];
    parts.python = vec![
        py("cpu", "py sequential", 10, 0.2, Some(1.0)).with_rounds(&base, Some(&base)),
        py("cpu", "py multiprocessing", 10, 0.1, Some(2.0))
            .with_rounds(&[0.1, 0.125, 0.1], Some(&base)),
    ];
    let rows = parts.report().python_rows();
    assert_eq!(rows[1].spread_pct.map(|p| p.round()), Some(25.0));
    assert_eq!(rows[1].noisy, Some(true));
    assert_eq!(
        (rows[1].speedup_min, rows[1].speedup_max),
        (Some(1.6), Some(2.0))
    );
}

#[test]
fn every_chart_draws_the_spread_as_error_bars() {
    let mut parts = Parts::new(
        "cpu",
        1000,
        ms(&[100, 100, 100]),
        vec![rounds("threads", 2, &ms(&[50, 45, 60]))],
    );
    parts.spec.workers = vec![1, 2];
    assert!(
        svg(&parts.report(), "spread-speedup").contains("bars: range over the rounds")
    );
    let convoy = Parts::new(
        "convoy",
        200,
        ms(&[2, 2, 3]),
        vec![rounds("gil 5 ms", 1, &ms(&[1200, 1100, 1300]))],
    );
    assert!(
        svg(&convoy.report(), "spread-slowdown").contains("bars: range over the rounds")
    );
    let crossover = Parts::new(
        "crossover",
        100,
        ms(&[1]),
        vec![
            rounds("pool", 10, &ms(&[4, 5, 4])),
            rounds("pool", 1000, &ms(&[50, 52, 51])),
        ],
    );
    assert!(
        svg(&crossover.report(), "spread-lines").contains("bars: range over the rounds")
    );
    let overhead = Parts::new(
        "overhead",
        100,
        ms(&[1]),
        vec![rounds("process", 1, &ms(&[30, 33, 31]))],
    );
    assert!(
        svg(&overhead.report(), "spread-bars").contains("bars: range over the rounds")
    );
}

#[test]
fn the_cells_write_a_time_range_with_its_unit_once_and_a_spread_that_is_not_rounded_to_quiet()
 {
    assert_eq!(time_range(0.5501, 0.5703), "550.1-570.3 ms");
    assert_eq!(time_range(0.998, 1.02), "998.0 ms - 1.020 s");
    let row = |pct| OutRow {
        median_s: Some(1.0),
        spread_pct: Some(pct),
        ..OutRow::default()
    };
    assert_eq!(row(10.3).spread_cell(), "10.3 %");
    assert_eq!(row(264.4).spread_cell(), "264 %");
}
