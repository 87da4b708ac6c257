//! Tests of `check --mutants`: the regions' diff, the tally, the report check.

use super::*;

#[test]
fn regions_become_hunks_at_their_lines() {
    let text = "a\n// BEGIN YOUR CODE\nx\ny\n// END YOUR CODE\nb\n// BEGIN YOUR CODE\n// END YOUR CODE\n";
    let found = regions(text);
    assert_eq!(found.len(), 2);
    assert_eq!(
        (found[0].first, found[0].lines.clone()),
        (3, vec!["x".into(), "y".into()])
    );
    assert_eq!((found[1].first, found[1].lines.len()), (8, 0));
    assert_eq!(range(8, 0), "7,0");
}

#[test]
fn a_mutants_name_loses_its_line_and_column() {
    assert_eq!(
        without_line("src/lib.rs:125:34: replace + with - in sum_arc"),
        "src/lib.rs: replace + with - in sum_arc"
    );
}

#[test]
fn every_exercise_has_regions_to_mutate_and_a_stable_fingerprint() {
    for exercise in crate::course::exercises().unwrap() {
        let diff = region_diff(&exercise).unwrap();
        assert!(
            diff.contains("\n+"),
            "exercise {} has no region",
            exercise.number
        );
        assert_eq!(
            fingerprint(&diff),
            fingerprint(&region_diff(&exercise).unwrap())
        );
    }
}

/// cargo-mutants' outcomes for one mutant of exercise 04.
fn one_outcome(name: &str, column: u64, summary: &str) -> Outcomes {
    serde_json::from_value(serde_json::json!({ "outcomes": [{
        "scenario": { "Mutant": {
            "name": format!("solutions/solution-04/{name}"),
            "span": { "start": { "line": 1, "column": column } }
        } },
        "summary": summary,
        "phase_results": [{ "duration": 1.5 }]
    }] }))
    .unwrap()
}

#[test]
fn an_equivalent_entry_counts_only_for_an_uncaught_mutant() {
    let exercise = crate::course::exercise("04").unwrap();
    let listed = &exercise.meta.equivalent_mutants[0].mutant;
    let (file, what) = listed.split_once(": ").unwrap();
    let name = format!("{file}:110:30: {what}");
    let (row, unused) =
        tally(&exercise, &one_outcome(&name, 30, "MissedMutant"), "f").unwrap();
    assert_eq!((row.equivalent.len(), row.missed.len()), (1, 0));
    assert!(unused.is_empty());
    let (row, unused) =
        tally(&exercise, &one_outcome(&name, 30, "CaughtMutant"), "f").unwrap();
    assert_eq!((row.caught, row.equivalent.len()), (1, 0));
    assert_eq!(
        unused,
        std::slice::from_ref(listed),
        "a caught mutant is no equivalent one"
    );
    let other = format!("{file}:1:1: replace f with ()");
    let (row, _) =
        tally(&exercise, &one_outcome(&other, 1, "MissedMutant"), "f").unwrap();
    assert_eq!(row.missed, [format!("{file}: replace f with ()")]);
}

#[test]
fn a_changed_region_makes_the_report_stale() {
    let exercise = crate::course::exercise("01").unwrap();
    let mut report = Report::default();
    let mut row = Row {
        fingerprint: fingerprint(&region_diff(&exercise).unwrap()),
        ..Row::default()
    };
    report.exercises.insert("01".into(), row.clone());
    assert!(check_report(&exercise, &report).is_ok());
    row.fingerprint = "0".repeat(16);
    report.exercises.insert("01".into(), row.clone());
    assert!(
        check_report(&exercise, &report)
            .unwrap_err()
            .contains("changed")
    );
    row.fingerprint = fingerprint(&region_diff(&exercise).unwrap());
    row.missed.push("src/lib.rs: replace f with ()".into());
    report.exercises.insert("01".into(), row);
    assert!(
        check_report(&exercise, &report)
            .unwrap_err()
            .contains("miss")
    );
}
