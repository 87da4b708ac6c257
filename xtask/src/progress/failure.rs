//! The first failing test of a `cargo test` run, and its message: what
//! `cargo xtask progress` shows, and what `--json` hands an autograder.

use std::fs;

use serde::Serialize;

use crate::course::{Exercise, files_below};

/// One failing test and what it said.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// The test's name, e.g. `step1_never_two_holders` (or `build` when the
    /// code does not compile).
    pub test: String,
    /// Its panic message(s), without the test harness's notes.
    pub message: String,
}

/// The failure a learner should fix first: in the first test binary that
/// failed, the failing test that comes first in its source (the files list
/// their tests in the order of the TODO steps; the harness reports them in
/// the order they happened to end). A build error comes first of all.
///
/// `output` is cargo's stdout then its stderr: the harness's lines
/// ("running 3 tests", failures) come first, cargo's "Running tests/x.rs"
/// lines after them, one for each "running" line, in the same order.
pub fn first_failure(exercise: &Exercise, output: &str) -> Option<Failure> {
    if let Some(error) = build_error(output) {
        return Some(error);
    }
    let sources: Vec<String> = output
        .lines()
        .map(str::trim_start)
        .filter_map(|line| {
            // "Running tests/gil.rs (target/...)", "Running unittests src/lib.rs (...)"
            if let Some(rest) = line.strip_prefix("Running ") {
                Some(source_of(exercise, rest.split(" (").next().unwrap_or("")))
            } else {
                line.starts_with("Doc-tests ").then(String::new)
            }
        })
        .collect();
    let mut found: Vec<(usize, usize, Failure)> = Vec::new();
    let mut binary: Option<usize> = None;
    let mut block: Option<(String, Vec<&str>)> = None;
    let mut finish = |block: &mut Option<(String, Vec<&str>)>, binary: Option<usize>| {
        if let Some((test, lines)) = block.take() {
            let binary = binary.unwrap_or(0);
            let source = sources.get(binary).map(String::as_str).unwrap_or("");
            let short = test.rsplit("::").next().unwrap_or(&test).to_string();
            let place = source.find(&format!("fn {short}(")).unwrap_or(usize::MAX);
            let message = clean(&lines);
            found.push((binary, place, Failure { test, message }));
        }
    };
    for line in output.lines() {
        if (line.starts_with("running ") && line.ends_with(" tests"))
            || line == "running 1 test"
        {
            finish(&mut block, binary);
            binary = Some(binary.map_or(0, |b| b + 1));
        } else if let Some(test) = line
            .strip_prefix("---- ")
            .and_then(|rest| rest.strip_suffix(" stdout ----"))
        {
            finish(&mut block, binary);
            block = Some((test.to_string(), Vec::new()));
        } else if line == "failures:" || line.starts_with("test result:") {
            finish(&mut block, binary);
        } else if let Some((_, lines)) = block.as_mut() {
            lines.push(line);
        }
    }
    finish(&mut block, binary);
    found.sort_by_key(|(binary, place, _)| (*binary, *place));
    found.into_iter().next().map(|(_, _, failure)| failure)
}

/// The text of a test binary's source file, then of the exercise's
/// `tests/shared/` files (which test files mount), so that a test's place
/// in it follows the order of the files' tests. Empty for a unit-test target.
fn source_of(exercise: &Exercise, file: &str) -> String {
    if !file.starts_with("tests/") {
        return String::new();
    }
    let mut text = fs::read_to_string(exercise.dir.join(file)).unwrap_or_default();
    let shared = exercise.dir.join("tests/shared");
    for name in files_below(&shared).unwrap_or_default() {
        text.push_str(&fs::read_to_string(shared.join(name)).unwrap_or_default());
    }
    text
}

/// A test's output without the harness's noise: thread headers keep only
/// where the panic happened, the backtrace note goes, blank lines are trimmed.
fn clean(lines: &[&str]) -> String {
    let kept: Vec<String> = lines
        .iter()
        .filter(|line| !line.starts_with("note: run with `RUST_BACKTRACE"))
        .map(|line| match line.split_once(" panicked at ") {
            Some((thread, place)) if thread.starts_with("thread '") => {
                format!("panicked at {place}")
            }
            _ => line.to_string(),
        })
        .collect();
    kept.join("\n").trim().to_string()
}

/// The first compiler error, as the learner would see it.
fn build_error(output: &str) -> Option<Failure> {
    let start = output.lines().position(|line| line.starts_with("error"))?;
    if !output.contains("could not compile") {
        return None;
    }
    let message: Vec<&str> = output
        .lines()
        .skip(start)
        .take_while(|line| !line.trim().is_empty())
        .take(20)
        .collect();
    Some(Failure {
        test: "build".into(),
        message: message.join("\n"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::course;

    // cargo's stdout (the harness), then its stderr (cargo's own lines).
    const RUN: &str = "
running 0 tests

test result: ok. 0 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out

running 3 tests
test interpreter_runs_every_bytecode ... FAILED
test step1_never_two_holders ... FAILED

failures:

---- interpreter_runs_every_bytecode stdout ----

thread 'interpreter_runs_every_bytecode' (32613) panicked at src/interpreter.rs:80:5:
not yet implemented: exercise 06: write `run`
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace

---- step1_never_two_holders stdout ----

thread 'watched: 4 threads' (32615) panicked at tests/gil.rs:126:5:
not yet implemented: exercise 06: write `take`
Hint: take the GIL only when `locked` is false.

failures:
    interpreter_runs_every_bytecode
    step1_never_two_holders

test result: FAILED. 0 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out
     Running unittests src/lib.rs (target/debug/deps/exercise_06-57a71ed4702b0054)
     Running tests/gil.rs (target/debug/deps/gil-f40b341992aa8bb4)
";

    #[test]
    fn the_first_failure_is_the_first_in_the_source_not_in_the_output() {
        let exercise = course::exercise("06").unwrap();
        let failure = first_failure(&exercise, RUN).unwrap();
        assert_eq!(failure.test, "step1_never_two_holders");
        assert_eq!(
            failure.message,
            "panicked at tests/gil.rs:126:5:\nnot yet implemented: exercise 06: write `take`\n\
             Hint: take the GIL only when `locked` is false."
        );
    }

    #[test]
    fn a_build_error_comes_first() {
        let exercise = course::exercise("06").unwrap();
        let output = "error[E0308]: mismatched types\n --> src/gil.rs:3:1\n\n\
                      error: could not compile `exercise-06`";
        let failure = first_failure(&exercise, output).unwrap();
        assert_eq!(failure.test, "build");
        assert!(
            failure.message.starts_with("error[E0308]"),
            "{}",
            failure.message
        );
    }

    #[test]
    fn a_run_without_failures_has_none() {
        let exercise = course::exercise("06").unwrap();
        assert_eq!(first_failure(&exercise, "test result: ok. 3 passed"), None);
    }
}
