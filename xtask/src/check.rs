//! `cargo xtask check`: the course checks itself, exercise by exercise.
//!
//! For every `exercises/exercise-NN` it proves that
//! 1. a `solutions/solution-NN` pairs with it, and the reverse;
//! 2. its chapter exists and the book's SUMMARY.md links it;
//! 3. the solution holds no `todo!` or `unimplemented!`;
//! 4. starter and solution differ only between `// BEGIN YOUR CODE` and
//!    `// END YOUR CODE`, and every given file (tests, examples, benches,
//!    given modules) exists once, in the exercise (rules in `pairing.rs`);
//! 5. the starter's tests fail, with output that names the chapter, and no
//!    test passes on the starter unless its manifest says why;
//! 6. the solution's tests all pass;
//! 7. the mutation report is current for its regions and shows no missed
//!    and no hung mutant (`cargo xtask check --mutants` makes it:
//!    `mutants.rs`).

use std::collections::BTreeMap;
use std::fs;
use std::process::Command;

use crate::course::{self, Exercise, Result, root};

pub mod mutants;
mod pairing;

use pairing::check_files;

pub fn run(only: &[String], mutate: bool) -> Result<()> {
    let mut exercises = course::exercises()?;
    if !only.is_empty() {
        let wanted: Vec<String> = only
            .iter()
            .map(|w| course::exercise(w).map(|e| e.number))
            .collect::<Result<_>>()?;
        exercises.retain(|e| wanted.contains(&e.number));
    }
    if mutate {
        return mutants::run(&exercises);
    }
    let report = mutants::Report::load()?;
    let mut failures = orphan_solutions()?;
    for problem in &failures {
        println!("FAIL {problem}");
    }
    let mut passed = 0;
    for exercise in &exercises {
        match check_one(exercise, &report) {
            Ok(summary) => {
                passed += 1;
                println!(
                    "ok   {} {}: {summary}",
                    exercise.number, exercise.meta.title
                );
            }
            Err(problems) => {
                println!("FAIL {} {}", exercise.number, exercise.meta.title);
                for problem in &problems {
                    for (i, line) in problem.lines().enumerate() {
                        println!("{}{line}", if i == 0 { "     - " } else { "       " });
                    }
                }
                failures.push(format!("exercise {}", exercise.number));
            }
        }
    }
    println!("\n{passed} of {} exercises check out.", exercises.len());
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!("course check failed: {}", failures.join(", ")))
    }
}

/// A solution without its exercise is an error too.
fn orphan_solutions() -> Result<Vec<String>> {
    let mut problems = Vec::new();
    for dir in course::read_dir_sorted(&root().join("solutions"))? {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        if let Some(number) = name.strip_prefix("solution-")
            && !root()
                .join("exercises")
                .join(format!("exercise-{number}"))
                .is_dir()
        {
            problems.push(format!(
                "solutions/{name} has no exercises/exercise-{number}"
            ));
        }
    }
    Ok(problems)
}

fn check_one(
    exercise: &Exercise,
    report: &mutants::Report,
) -> std::result::Result<String, Vec<String>> {
    let mut problems = Vec::new();
    if !exercise.solution_dir.is_dir() {
        return Err(vec![format!(
            "exercises/{} has no solutions/{}",
            exercise.package(),
            exercise.solution_package()
        )]);
    }
    if let Err(p) = check_chapter(exercise) {
        problems.push(p);
    }
    let regions = match check_files(exercise) {
        Ok(regions) => regions,
        Err(mut p) => {
            problems.append(&mut p);
            0
        }
    };
    if let Err(p) = mutants::check_report(exercise, report) {
        problems.push(p);
    }
    let (starter, starter_tests) = match check_starter(exercise) {
        Ok(s) => s,
        Err(p) => {
            problems.push(p);
            (String::new(), 0)
        }
    };
    let solution = match check_solution(exercise, starter_tests) {
        Ok(s) => s,
        Err(p) => {
            problems.push(p);
            String::new()
        }
    };
    if problems.is_empty() {
        Ok(format!(
            "{starter}; {solution}; differs only in {regions} YOUR CODE regions"
        ))
    } else {
        Err(problems)
    }
}

fn check_chapter(exercise: &Exercise) -> std::result::Result<(), String> {
    let chapter = root().join(exercise.chapter_path());
    if !chapter.is_file() {
        return Err(format!(
            "its chapter {} does not exist",
            exercise.chapter_path()
        ));
    }
    let summary = fs::read_to_string(root().join("book/src/SUMMARY.md"))
        .map_err(|e| e.to_string())?;
    if !summary.contains(&format!("({})", exercise.meta.chapter)) {
        return Err(format!(
            "book/src/SUMMARY.md does not link {}",
            exercise.meta.chapter
        ));
    }
    Ok(())
}

/// The outcome of one `cargo test` run.
pub struct TestRun {
    pub success: bool,
    pub output: String,
    /// test name (module path removed) -> passed?
    pub results: BTreeMap<String, bool>,
}

pub fn cargo_test(package: &str) -> Result<TestRun> {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(root())
        .args(["test", "--no-fail-fast", "--color", "never", "-p", package])
        .env("RUST_BACKTRACE", "0")
        .output()
        .map_err(|e| format!("cannot run cargo test: {e}"))?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let mut results = BTreeMap::new();
    for line in text.lines() {
        let Some(rest) = line.strip_prefix("test ") else {
            continue;
        };
        let Some((name, outcome)) = rest.rsplit_once(" ... ") else {
            continue;
        };
        if name.contains(" (line ") {
            continue; // a doc-test of given code
        }
        // `name - should panic` for #[should_panic] tests.
        let name = name.split(" - ").next().unwrap_or(name);
        let name = name.rsplit("::").next().unwrap_or(name).to_string();
        match outcome.trim() {
            "ok" => {
                results.insert(name, true);
            }
            o if o.starts_with("FAILED") => {
                results.insert(name, false);
            }
            _ => {} // ignored
        }
    }
    Ok(TestRun {
        success: output.status.success(),
        output: text,
        results,
    })
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// Returns a summary and how many tests the starter ran.
fn check_starter(exercise: &Exercise) -> std::result::Result<(String, usize), String> {
    let package = exercise.package();
    let run = cargo_test(&package)?;
    if run.output.contains("could not compile") || run.output.contains("error[E") {
        return Err(format!(
            "the starter {package} does not compile:\n{}",
            tail(&run.output, 30)
        ));
    }
    if run.results.is_empty() {
        return Err(format!(
            "the starter {package} ran no test:\n{}",
            tail(&run.output, 30)
        ));
    }
    if run.success {
        return Err(format!(
            "the starter {package} passes its tests: a test that cannot fail checks nothing"
        ));
    }
    let chapter = exercise.meta.chapter.trim_end_matches(".md");
    if !run.output.contains(chapter) {
        return Err(format!(
            "the starter's failures never name its chapter {chapter}:\n{}",
            tail(&run.output, 30)
        ));
    }
    let allowed = exercise.allowed_starter_passes();
    let unexpected: Vec<&String> = run
        .results
        .iter()
        .filter(|(name, passed)| **passed && !allowed.contains(&name.as_str()))
        .map(|(n, _)| n)
        .collect();
    if !unexpected.is_empty() {
        let names: Vec<&str> = unexpected.iter().map(|s| s.as_str()).collect();
        return Err(format!(
            "these tests pass on the untouched starter, so they cannot catch a missing answer: {} \
             (list them under starter-passes in its Cargo.toml, with the reason, if that is intended)",
            names.join(", ")
        ));
    }
    let failed = run.results.values().filter(|passed| !**passed).count();
    Ok((
        format!(
            "starter fails {failed} of {} tests, naming {chapter}",
            run.results.len()
        ),
        run.results.len(),
    ))
}

fn check_solution(
    exercise: &Exercise,
    starter_tests: usize,
) -> std::result::Result<String, String> {
    let package = exercise.solution_package();
    let run = cargo_test(&package)?;
    if !run.success {
        return Err(format!(
            "the solution {package} fails its tests:\n{}",
            tail(&run.output, 40)
        ));
    }
    if run.results.is_empty() {
        return Err(format!("the solution {package} ran no test"));
    }
    if starter_tests != 0 && starter_tests != run.results.len() {
        return Err(format!(
            "the starter ran {starter_tests} tests but the solution {}: they must run the same tests",
            run.results.len()
        ));
    }
    Ok(format!("solution passes all {} tests", run.results.len()))
}
