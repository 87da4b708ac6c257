//! `cargo xtask trace NN [--wrong NAME]`: the first failing execution that
//! loom finds in exercise NN, as JSON on stdout (its table on stderr).
//!
//! The loom tests write each test's first failing execution into the folder
//! named by `COURSE_TRACE_DIR` (`course_support::loom_model`); this runs
//! them and picks one. The JSON schema is documented in chapter 03,
//! "Reading a failing interleaving":
//! `{"exercise", "test", "threads": [..], "steps": [{"thread", "op",
//! "object", "ordering", "location", "value", "stale"}], "verdict"}`.
//!
//! [`BOOK_TRACES`] lists the known wrong answers' executions committed in
//! `book/src/generated/traces/`; `cargo xtask figures traces` writes them.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::course::{self, Result, root};

/// Where the committed traces live (`course_support::loom_model::TRACES`).
pub const TRACES: &str = "book/src/generated/traces";

/// The prefixes of the known wrong answers' tests.
const WRONG: [&str; 2] = ["loom_catches_wrong_", "loom_rejects_wrong_"];

/// Every committed trace: one per test of a known wrong answer in 03 and 04.
pub const BOOK_TRACES: &[&str] = &[
    "03-cas_without_retry_account",
    "03-cas_without_retry_counter",
    "03-check_then_fetch_sub_account",
    "03-check_then_store_account",
    "03-fetch_sub_then_undo_account",
    "03-load_then_store_counter",
    "03-lock_dropped_between_check_and_act_account",
    "03-lock_twice_counter",
    "03-try_lock_counter",
    "04-acquire_without_release",
    "04-all_relaxed",
    "04-descending_id_order",
    "04-flag_before_message",
    "04-id_order_without_same_account_check",
    "04-one_lock_at_a_time",
    "04-order_by_address_beside_total",
    "04-order_by_address_to_itself",
    "04-order_by_balance",
    "04-order_by_owner",
    "04-orderings_on_the_message",
    "04-release_without_acquire",
];

fn cargo() -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or("cargo".into()));
    command.current_dir(root());
    command
}

/// The tests of the exercise's loom binary.
fn loom_tests(package: &str) -> Result<Vec<String>> {
    let out = cargo()
        .args([
            "test", "-q", "-p", package, "--test", "loom", "--", "--list",
        ])
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "`cargo test -p {package} --test loom` does not build:\n{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.strip_suffix(": test"))
        .map(str::to_string)
        .collect())
}

/// The short name of a known wrong answer's test: `lock_twice_counter`.
fn wrong_name(test: &str) -> Option<&str> {
    let name = test.rsplit("::").next()?;
    WRONG.iter().find_map(|p| name.strip_prefix(p))
}

/// The one test of the known wrong answer `wanted` (an exact name, or the
/// start of exactly one).
fn wrong_test(tests: &[String], wanted: &str) -> Result<String> {
    let named: Vec<(&str, &String)> = tests
        .iter()
        .filter_map(|t| Some((wrong_name(t)?, t)))
        .collect();
    let all = || named.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ");
    if let Some((_, test)) = named.iter().find(|(n, _)| *n == wanted) {
        return Ok((*test).clone());
    }
    match named
        .iter()
        .filter(|(n, _)| n.starts_with(wanted))
        .collect::<Vec<_>>()[..]
    {
        [(_, test)] => Ok((*test).clone()),
        [] => Err(format!(
            "no known wrong answer {wanted:?}; they are: {}",
            all()
        )),
        ref several => Err(format!(
            "{wanted:?} names several known wrong answers: {}",
            several
                .iter()
                .map(|(n, _)| *n)
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

pub fn run(number: &str, wrong: Option<&str>) -> Result<()> {
    let exercise = course::exercise(number)?;
    let package = exercise.package();
    if !exercise.dir.join("tests/loom.rs").is_file() {
        return Err(format!("exercise {} has no loom models", exercise.number));
    }
    let dir = root().join(format!("target/trace/{}", exercise.number));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {dir:?}: {e}"))?;

    let mut args: Vec<String> = vec!["--test-threads=1".into()];
    match wrong {
        Some(wanted) => {
            let test = wrong_test(&loom_tests(&package)?, wanted)?;
            args.extend(["--exact".into(), test]);
        }
        None => args.extend(WRONG.iter().flat_map(|p| ["--skip".into(), p.to_string()])),
    }
    eprintln!(
        "running the loom tests of {package} (cargo test -p {package} --test loom) ..."
    );
    let out = cargo()
        .args(["test", "-p", &package, "--test", "loom", "--"])
        .args(&args)
        .env("COURSE_TRACE_DIR", &dir)
        .env_remove("RUST_BACKTRACE")
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let failed: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.strip_prefix("test ")?.strip_suffix(" ... FAILED"))
        .map(|t| t.replace("::", "."))
        .collect();
    let (test, json) = pick(&dir, &failed)?;
    let table = std::fs::read_to_string(json.with_extension("txt")).unwrap_or_default();
    let why = if failed.contains(&test) {
        "a test that failed"
    } else if wrong.is_some() {
        "the test of that known wrong answer, which expects loom to find it"
    } else {
        "a test that expects loom to find it, and passed"
    };
    let test = test.replace('.', "::");
    eprintln!(
        "\n{table}\nFrom {test}: {why}.\nAs JSON (schema: chapter 03, \"Reading a failing interleaving\"):\n"
    );
    let text = std::fs::read_to_string(&json).map_err(|e| format!("{json:?}: {e}"))?;
    print!("{text}");
    Ok(())
}

/// The trace to show, and its test (with `.` for `::`): that of the first
/// failed test that has one, else the first one written.
fn pick(dir: &Path, failed: &[String]) -> Result<(String, PathBuf)> {
    let traces: Vec<(String, PathBuf)> = course::read_dir_sorted(dir)?
        .into_iter()
        .filter_map(|p| {
            let test = p.file_name()?.to_str()?.strip_suffix(".json")?.to_string();
            Some((test, p))
        })
        .collect();
    let first_failed = failed
        .iter()
        .find_map(|f| traces.iter().find(|(t, _)| t == f));
    first_failed.or(traces.first()).cloned().ok_or_else(|| {
        "loom found no failing execution: every model passed, or the code is not \
             written yet (a `todo!()` has no interleaving to show)"
            .to_string()
    })
}

/// `cargo xtask figures traces`: writes every committed trace again, from
/// the reference solutions' runs of the known wrong answers.
pub fn write_book() -> Result<()> {
    let status = cargo()
        .args([
            "test",
            "-q",
            "-p",
            "solution-03",
            "-p",
            "solution-04",
            "--test",
            "loom",
        ])
        .args(["--", "loom_catches_wrong_", "loom_rejects_wrong_"])
        .env("COURSE_WRITE_TRACES", "1")
        .env_remove("RUST_BACKTRACE")
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!("the known wrong answers' tests failed ({status})"));
    }
    eprintln!(
        "{} traces written to {TRACES}/; review `git diff {TRACES}`.",
        BOOK_TRACES.len()
    );
    Ok(())
}

#[cfg(test)]
mod tests;
