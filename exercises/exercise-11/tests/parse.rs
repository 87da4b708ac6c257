//! Tests of `parse_line`: one line of a log into an entry, or a reason.

use exercise_11::{Entry, Level, parse_line};

#[path = "shared/common.rs"]
mod common;
use common::CHAPTER;

fn parsed(line: &str) -> Entry<'_> {
    match parse_line(line) {
        Ok(entry) => entry,
        Err(reason) => panic!(
            "parse_line({line:?}) should give an entry, not the error {reason:?}. {CHAPTER}"
        ),
    }
}

#[test]
fn a_well_formed_line_is_parsed_into_its_fields() {
    let entry = parsed("2026-11-01T00:03:17.412Z INFO GET /api/users 200 17ms");
    let expected = Entry {
        level: Level::Info,
        path: "/api/users",
        status: 200,
        latency_ms: 17,
    };
    assert_eq!(entry, expected, "the fields of the line. {CHAPTER}");
    let entry = parsed("2026-11-02T23:59:59.999Z ERROR DELETE / 503 4213ms");
    let expected = Entry {
        level: Level::Error,
        path: "/",
        status: 503,
        latency_ms: 4213,
    };
    assert_eq!(entry, expected, "the fields of the line. {CHAPTER}");
}

#[test]
fn every_level_is_recognised() {
    for level in Level::ALL {
        let line = format!(
            "2026-11-01T00:00:00.000Z {} POST /login 201 0ms",
            level.as_str()
        );
        assert_eq!(
            parsed(&line).level,
            level,
            "the level of {line:?}. {CHAPTER}"
        );
    }
}

#[test]
fn fields_may_be_separated_by_several_spaces_or_tabs() {
    let entry = parsed("2026-11-01T00:00:00.000Z  WARN\tGET   /api/cart 429 99ms");
    let expected = Entry {
        level: Level::Warn,
        path: "/api/cart",
        status: 429,
        latency_ms: 99,
    };
    assert_eq!(
        entry, expected,
        "whitespace separates the fields. {CHAPTER}"
    );
}

#[test]
fn malformed_lines_are_errors_with_a_reason() {
    let time = "2026-11-01T00:00:00.000Z";
    let bad = [
        String::new(),
        format!("{time} INFO GET /api/us"),
        format!("{time} NOTICE GET /api/users 200 12ms"),
        format!("{time} info GET /api/users 200 12ms"),
        format!("{time} INFO GET /api/users 200 fast"),
        format!("{time} INFO GET /api/users 200 12"),
        format!("{time} INFO GET /api/users 200 -12ms"),
        format!("{time} INFO GET /api/users 200 99999999999ms"),
        format!("{time} INFO GET /api/users 200 12 ms"),
        format!("{time} INFO GET /api/users 200 12ms extra"),
        format!("{time} WARN POST /api/orders 2OO 31ms"),
        format!("{time} INFO GET /api/users 99 12ms"),
        format!("{time} INFO GET /api/users 600 12ms"),
        format!("{time} INFO GET api/users 200 12ms"),
        "    at com.example.Server.handle(Server.java:42)".to_string(),
    ];
    for line in &bad {
        match parse_line(line) {
            Ok(entry) => panic!(
                "parse_line({line:?}) should be an error, not {entry:?}. {CHAPTER}"
            ),
            Err(reason) => {
                assert!(
                    !reason.trim().is_empty(),
                    "the error for {line:?} should say what is wrong. {CHAPTER}"
                )
            }
        }
    }
}
