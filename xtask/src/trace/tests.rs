use super::*;

/// The traces that the book's scheduler player replays, by chapter.
const PLAYED: &[(&str, &str)] = &[
    ("03-race-conditions.md", "03-lock_twice_counter"),
    (
        "03-race-conditions.md",
        "03-lock_dropped_between_check_and_act_account",
    ),
    ("04-deadlocks-and-ordering.md", "04-order_by_owner"),
];

#[test]
fn every_committed_trace_is_listed_and_comes_from_a_known_wrong_answer() {
    let dir = root().join(TRACES);
    let committed: Vec<String> = course::read_dir_sorted(&dir)
        .unwrap()
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    let mut listed: Vec<String> = BOOK_TRACES
        .iter()
        .flat_map(|t| [format!("{t}.json"), format!("{t}.txt")])
        .collect();
    listed.sort();
    assert_eq!(committed, listed, "{TRACES}/ and BOOK_TRACES differ");
    for trace in BOOK_TRACES {
        let (number, name) = trace.split_once('-').unwrap();
        let models = root().join(format!(
            "exercises/exercise-{number}/tests/shared/loom_models.rs"
        ));
        let source = std::fs::read_to_string(&models).unwrap();
        assert!(
            WRONG.iter().any(|p| source.contains(&format!("{p}{name}"))),
            "{trace}: no test {}{name} in {}",
            WRONG.join("/"),
            models.display()
        );
    }
}

#[test]
fn every_played_trace_is_committed_and_shown_by_its_chapter() {
    for (chapter, trace) in PLAYED {
        assert!(BOOK_TRACES.contains(trace), "{trace} is not committed");
        let text =
            std::fs::read_to_string(root().join("book/src").join(chapter)).unwrap();
        assert!(
            text.contains(&format!("generated/traces/{trace}.json")),
            "{chapter} does not include generated/traces/{trace}.json"
        );
    }
}

#[test]
fn a_wrong_answer_is_found_by_its_name_or_the_start_of_it() {
    let tests: Vec<String> = [
        "models::loom_catches_wrong_lock_twice_counter",
        "models::loom_rejects_wrong_order_by_address_beside_total",
        "models::loom_rejects_wrong_order_by_address_to_itself",
        "models::loom_verifies_your_mutex_counter",
    ]
    .map(String::from)
    .to_vec();
    assert_eq!(wrong_test(&tests, "lock_twice").unwrap(), tests[0]);
    assert_eq!(
        wrong_test(&tests, "order_by_address_to_itself").unwrap(),
        tests[2]
    );
    assert!(
        wrong_test(&tests, "order_by_address")
            .unwrap_err()
            .contains("several")
    );
    assert!(
        wrong_test(&tests, "mutex")
            .unwrap_err()
            .contains("lock_twice_counter")
    );
}
