//! Tests of the worker *process*: the real worker program, started by
//! `ask_worker` or by the test itself, talking through pipes.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use exercise_02::{WorkerError, ask_worker};

#[path = "shared/mod.rs"]
mod shared;

use shared::{CHAPTER, WORKER, ask};

fn requests(lines: &[&str]) -> Vec<String> {
    lines.iter().map(|line| line.to_string()).collect()
}

#[test]
fn the_worker_answers_through_pipes() {
    let answers = ask(requests(&["sum 1 2 3", "sum", "sum 40 2"]));
    match answers {
        Ok(values) => {
            assert_eq!(values, [6, 0, 42], "the answers from the worker. {CHAPTER}")
        }
        Err(error) => panic!("ask_worker failed: {error}. {CHAPTER}"),
    }
}

#[test]
fn no_requests_means_no_answers() {
    let answers =
        ask(Vec::new()).unwrap_or_else(|e| panic!("ask_worker failed: {e}. {CHAPTER}"));
    assert!(
        answers.is_empty(),
        "no requests, yet answers {answers:?}. {CHAPTER}"
    );
}

#[test]
fn many_requests_do_not_deadlock_the_pipes() {
    // About 200 KB each way: far more than a pipe holds.
    let lines: Vec<String> = (0..20_000).map(|i| format!("sum {i} {i}")).collect();
    let answers =
        ask(lines).unwrap_or_else(|e| panic!("ask_worker failed: {e}. {CHAPTER}"));
    assert_eq!(answers.len(), 20_000, "one answer per request. {CHAPTER}");
    assert!(
        answers.iter().enumerate().all(|(i, &v)| v == 2 * i as u64),
        "the answers are wrong. {CHAPTER}"
    );
}

#[test]
fn a_malformed_request_is_reported_with_the_workers_own_message() {
    match ask(requests(&["sum 1", "sum 1 x"])) {
        Err(WorkerError::Failed { status, message }) => {
            assert_eq!(
                status.code(),
                Some(2),
                "the worker should exit with code 2. {CHAPTER}"
            );
            assert_eq!(
                message, "error: line 2: \"x\" is not a number",
                "Failed.message should be the first line of the worker's stderr. {CHAPTER}"
            );
        }
        other => panic!(
            "a malformed request should give WorkerError::Failed, not {other:?}. {CHAPTER}"
        ),
    }
}

#[test]
fn a_crashed_worker_is_reported_not_ignored() {
    match ask(requests(&["sum 1 2", "crash", "sum 3"])) {
        Err(WorkerError::Failed { status, .. }) => {
            assert!(!status.success(), "a crash is not a success. {CHAPTER}");
        }
        other => panic!(
            "a crashed worker should give WorkerError::Failed, not {other:?}. {CHAPTER}"
        ),
    }
}

#[test]
fn a_missing_program_is_a_spawn_error() {
    let missing = Path::new("/this/worker/does/not/exist");
    match ask_worker(missing, &requests(&["sum 1"])) {
        Err(WorkerError::Spawn { program, .. }) => {
            assert!(
                program.contains("does/not/exist"),
                "Spawn.program should name the program. {CHAPTER}"
            )
        }
        other => panic!(
            "a missing program should give WorkerError::Spawn, not {other:?}. {CHAPTER}"
        ),
    }
}

#[test]
fn the_worker_program_prints_one_line_and_exits_2_on_bad_input() {
    let mut child = Command::new(WORKER)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the worker");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"sum 2 2\nhello\nsum 1\n")
        .unwrap();
    let output = course_support::watchdog(
        course_support::DEFAULT_LIMIT,
        "the worker program",
        &format!(
            "`main` runs `serve` on stdin and stdout: `serve` must stop at the first bad \
             line with `Err(\"line N: ...\")`. {CHAPTER}"
        ),
        move || child.wait_with_output().expect("wait for the worker"),
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(2),
        "the worker should exit with code 2; stderr: {stderr}. {CHAPTER}"
    );
    assert_eq!(
        stdout, "ok 4\n",
        "the worker answers line 1 and stops at the bad line 2. {CHAPTER}"
    );
    assert_eq!(
        stderr.lines().count(),
        1,
        "exactly one line of error, not {stderr:?}. {CHAPTER}"
    );
    assert!(
        stderr.starts_with("error: line 2: unknown request \"hello\""),
        "the error line: {stderr:?}. {CHAPTER}"
    );
}

#[test]
fn worker_errors_read_as_one_line() {
    let error = WorkerError::BadAnswer("hello".into());
    assert_eq!(
        error.to_string(),
        "worker answered \"hello\", expected `ok <number>`"
    );
    let error = WorkerError::MissingAnswers {
        expected: 3,
        got: 1,
    };
    assert_eq!(
        error.to_string(),
        "worker answered 1 of 3 requests and stopped"
    );
}
