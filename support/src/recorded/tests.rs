use super::names::{exercise_of, normalize};
use super::*;

#[test]
fn a_path_is_named_inside_its_crate_the_same_from_exercise_and_solution() {
    let from_solution = "solutions/solution-03/tests/../../../exercises/exercise-03/tests/shared/wrong_answers.rs";
    let from_exercise = "exercises/exercise-03/tests/shared/wrong_answers.rs";
    assert_eq!(normalize(from_solution), "tests/shared/wrong_answers.rs");
    assert_eq!(normalize(from_exercise), "tests/shared/wrong_answers.rs");
    assert_eq!(
        normalize("exercises/exercise-04/tests/../src/bank.rs"),
        "src/bank.rs"
    );
    assert_eq!(exercise_of(from_solution), "03");
    assert_eq!(exercise_of("solutions/solution-06/tests/loom.rs"), "06");
}

fn step(thread: usize, op: &'static str, object: &str, value: &str) -> Step {
    Step {
        thread,
        op,
        object: object.to_string(),
        ordering: None,
        location: "src/bank.rs:1".to_string(),
        value: Some(value.to_string()),
        stale: false,
    }
}

#[test]
fn a_deadlock_says_who_holds_which_lock_and_waits_for_which() {
    let steps = [
        step(0, "lock", "account #2", "100"),
        step(1, "lock", "account #1", "100"),
        step(0, "lock_blocked", "account #1", ""),
        step(1, "lock_blocked", "account #2", ""),
    ];
    let loom = "deadlock; threads = [(Id(0), Blocked(Location(None))), (Id(1), Blocked(Location(None)))]";
    let verdict = table::deadlock(&steps, loom);
    assert!(
        verdict.contains("thread 0 holds account #2 and waits for account #1")
            && verdict.contains("which thread 1 holds")
            && verdict.contains("thread 1 holds account #1 and waits for account #2"),
        "{verdict}"
    );
}

#[test]
fn the_json_escapes_and_keeps_one_step_per_line() {
    let trace = Trace {
        exercise: "03".into(),
        test: "models::t".into(),
        threads: vec!["main".into(), "spawned".into()],
        steps: vec![step(1, "load", "value", "1")],
        verdict: "RACE \"FOUND\"\nsecond line".into(),
    };
    let json = trace.to_json();
    assert!(
        json.contains(r#""verdict": "RACE \"FOUND\"\nsecond line""#),
        "{json}"
    );
    assert!(json.contains(
        r#"    {"thread": 1, "op": "load", "object": "value", "ordering": null, "location": "src/bank.rs:1", "value": "1", "stale": false}"#
    ));
    let table = trace.table();
    assert!(
        table.contains("thread 1: spawned") && table.contains("value.load() -> 1"),
        "{table}"
    );
}
