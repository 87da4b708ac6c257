//! `cargo xtask check`: the course checks itself, exercise by exercise.
//!
//! For every `exercises/exercise-NN` it proves that
//! 1. a `solutions/solution-NN` pairs with it, and the reverse;
//! 2. its chapter exists and the book's SUMMARY.md links it;
//! 3. the solution holds no `todo!` or `unimplemented!`;
//! 4. starter and solution differ only between `// BEGIN YOUR CODE` and
//!    `// END YOUR CODE`, and the solution's tests are only `#[path]` shims
//!    to the exercise's tests (one source of truth);
//! 5. the starter's tests fail, with output that names the chapter, and no
//!    test passes on the starter unless its manifest says why;
//! 6. the solution's tests all pass.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Command;

use crate::course::{self, Exercise, Result, files_below, root};

const BEGIN: &str = "// BEGIN YOUR CODE";
const END: &str = "// END YOUR CODE";

pub fn run(only: &[String]) -> Result<()> {
    let mut exercises = course::exercises()?;
    if !only.is_empty() {
        let wanted: Vec<String> = only
            .iter()
            .map(|w| course::exercise(w).map(|e| e.number))
            .collect::<Result<_>>()?;
        exercises.retain(|e| wanted.contains(&e.number));
    }
    let mut failures = orphan_solutions()?;
    for problem in &failures {
        println!("FAIL {problem}");
    }
    let mut passed = 0;
    for exercise in &exercises {
        let report = check_one(exercise);
        match report {
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

fn check_one(exercise: &Exercise) -> std::result::Result<String, Vec<String>> {
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

/// Replaces the solution's names by the exercise's, so that the two compare.
fn normalise(text: &str, number: &str) -> String {
    text.replace(&format!("solution-{number}"), &format!("exercise-{number}"))
        .replace(&format!("solution_{number}"), &format!("exercise_{number}"))
}

/// The text outside the learner's regions, and how many regions there are.
fn outside_regions(
    text: &str,
    file: &str,
) -> std::result::Result<(String, usize), String> {
    let mut kept = String::new();
    let mut inside = false;
    let mut regions = 0;
    for (n, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed == BEGIN {
            if inside {
                return Err(format!("{file}:{}: `{BEGIN}` inside another region", n + 1));
            }
            inside = true;
            regions += 1;
        } else if trimmed == END {
            if !inside {
                return Err(format!("{file}:{}: `{END}` without a `{BEGIN}`", n + 1));
            }
            inside = false;
        }
        if !inside {
            kept.push_str(line);
            kept.push('\n');
        }
    }
    if inside {
        return Err(format!("{file}: a `{BEGIN}` is never closed"));
    }
    Ok((kept, regions))
}

/// Pairs the files of exercise and solution, and checks that they differ only
/// where the learner writes code. Returns the number of regions.
fn check_files(exercise: &Exercise) -> std::result::Result<usize, Vec<String>> {
    let mut problems = Vec::new();
    let number = &exercise.number;
    let ex_files = files_below(&exercise.dir).map_err(|e| vec![e])?;
    let sol_files = files_below(&exercise.solution_dir).map_err(|e| vec![e])?;
    let ex_name = format!("exercises/{}", exercise.package());
    let sol_name = format!("solutions/{}", exercise.solution_package());
    let mut regions = 0;

    for file in &sol_files {
        let shown = file.display().to_string();
        let in_tests = file.starts_with("tests");
        if !ex_files.contains(file) && !(in_tests && file.components().count() > 2) {
            problems.push(format!(
                "{sol_name}/{shown} has no counterpart in {ex_name}"
            ));
        }
    }
    for file in &ex_files {
        let shown = file.display().to_string();
        if file.starts_with("target") {
            continue;
        }
        let ex_path = exercise.dir.join(file);
        let sol_path = exercise.solution_dir.join(file);
        if file.starts_with("tests") {
            // Top-level test files need a shim in the solution; helper files
            // in subfolders are reached through them.
            if file.components().count() == 2
                && let Err(p) = check_test_shim(exercise, file, &sol_path)
            {
                problems.push(p);
            }
            continue;
        }
        if !sol_path.is_file() {
            problems.push(format!(
                "{ex_name}/{shown} has no counterpart in {sol_name}"
            ));
            continue;
        }
        let ex_text = fs::read_to_string(&ex_path).unwrap_or_default();
        let sol_text =
            normalise(&fs::read_to_string(&sol_path).unwrap_or_default(), number);
        if file == Path::new("Cargo.toml") {
            if let Err(p) = compare_manifests(&ex_text, &sol_text) {
                problems.push(p);
            }
            continue;
        }
        if file.extension().is_some_and(|ext| ext == "rs")
            && let Some(line) = sol_text
                .lines()
                .position(|l| l.contains("todo!") || l.contains("unimplemented!"))
        {
            problems.push(format!(
                "{sol_name}/{shown}:{} still has todo!/unimplemented!",
                line + 1
            ));
        }
        let (ex_kept, ex_regions) =
            match outside_regions(&ex_text, &format!("{ex_name}/{shown}")) {
                Ok(r) => r,
                Err(p) => {
                    problems.push(p);
                    continue;
                }
            };
        let (sol_kept, sol_regions) =
            match outside_regions(&sol_text, &format!("{sol_name}/{shown}")) {
                Ok(r) => r,
                Err(p) => {
                    problems.push(p);
                    continue;
                }
            };
        if ex_regions != sol_regions {
            problems.push(format!("{shown}: {ex_regions} YOUR CODE regions in the exercise, {sol_regions} in the solution"));
        } else if ex_kept != sol_kept {
            let line = ex_kept
                .lines()
                .zip(sol_kept.lines())
                .position(|(a, b)| a != b)
                .map(|i| {
                    format!(
                        "first difference at line {} of the text outside the regions",
                        i + 1
                    )
                })
                .unwrap_or_else(|| "one is longer".to_string());
            problems.push(format!("{shown} differs between exercise and solution outside the YOUR CODE regions ({line})"));
        }
        regions += ex_regions;
    }
    if problems.is_empty() {
        Ok(regions)
    } else {
        Err(problems)
    }
}

/// The solution's test file must be a shim that runs the exercise's file.
fn check_test_shim(
    exercise: &Exercise,
    file: &Path,
    sol_path: &Path,
) -> std::result::Result<(), String> {
    let shown = file.display();
    let text = fs::read_to_string(sol_path).map_err(|_| {
        format!(
            "{shown} has no shim in solutions/{}: the solution must run the same tests",
            exercise.solution_package()
        )
    })?;
    // Usually the shim includes the file of the same name; a loom shim
    // compiles the solution's own source and includes the shared models.
    let target = format!("exercises/{}/tests/", exercise.package());
    if !text.contains("#[path") || !text.contains(&target) {
        return Err(format!(
            "solutions/{}/{shown} must be a shim that includes the tests from {target} with #[path]",
            exercise.solution_package()
        ));
    }
    if text.contains("#[test]") {
        return Err(format!(
            "solutions/{}/{shown} has tests of its own; tests belong in exercises/{}/tests",
            exercise.solution_package(),
            exercise.package()
        ));
    }
    Ok(())
}

/// Everything but the [package] table must match (dependencies, targets...).
fn compare_manifests(ex: &str, sol: &str) -> std::result::Result<(), String> {
    let parse = |text: &str| -> std::result::Result<toml::Table, String> {
        let mut table: toml::Table =
            toml::from_str(text).map_err(|e| format!("Cargo.toml: {e}"))?;
        table.remove("package");
        // Starters also allow `unused` lints; solutions take the workspace's.
        table.remove("lints");
        Ok(table)
    };
    if parse(ex)? != parse(sol)? {
        return Err("Cargo.toml: exercise and solution differ outside [package] (dependencies or targets)".into());
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
