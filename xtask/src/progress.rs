//! `cargo xtask progress`: where a learner stands, from the tests themselves.
//!
//! Status comes from running each exercise's tests now, never from a saved
//! state file, so it cannot go stale after a `git pull`.

use std::fs;
use std::path::Path;
use std::thread;
use std::time::{Duration, SystemTime};

use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

use crate::check::cargo_test;
use crate::course::{self, Exercise, Result, files_below};

mod failure;

use failure::{Failure, first_failure};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
enum Status {
    Passing,
    Failing,
    NotStarted,
    DoesNotCompile,
}

/// One exercise's standing, from one run of its tests.
#[derive(Clone, Debug, Serialize)]
struct Standing {
    exercise: String,
    title: String,
    chapter: String,
    status: Status,
    passed: usize,
    failed: usize,
    /// The test to fix first, and what it said (`null` when all pass).
    first_failure: Option<Failure>,
}

impl Standing {
    fn label(&self) -> String {
        match self.status {
            Status::Passing => "passing".into(),
            Status::Failing => {
                format!("failing {}/{}", self.failed, self.passed + self.failed)
            }
            Status::NotStarted => "not started".into(),
            Status::DoesNotCompile => "does not compile".into(),
        }
    }
}

fn standing_of(exercise: &Exercise) -> Result<Standing> {
    let run = cargo_test(&exercise.package())?;
    let status = if run.output.contains("could not compile") {
        Status::DoesNotCompile
    } else if run.success {
        Status::Passing
    } else if crate::course::untouched(&exercise.dir) {
        Status::NotStarted
    } else {
        Status::Failing
    };
    let passed = run.results.values().filter(|passed| **passed).count();
    Ok(Standing {
        exercise: exercise.number.clone(),
        title: exercise.meta.title.clone(),
        chapter: exercise.chapter_path(),
        status,
        passed,
        failed: run.results.len() - passed,
        first_failure: if run.success {
            None
        } else {
            first_failure(exercise, &run.output)
        },
    })
}

/// `cargo xtask progress`; `json`: one JSON document on stdout, for a
/// script or an autograder (the instructor guide describes it).
pub fn run(watch: bool, json: bool) -> Result<()> {
    let exercises = course::exercises()?;
    let standings = survey(&exercises, !json)?;
    if json {
        let done = standings
            .iter()
            .filter(|s| s.status == Status::Passing)
            .count();
        let document = serde_json::json!({
            "course": "Threads or Processes?",
            "done": done,
            "total": standings.len(),
            "next": standings.iter().find(|s| s.status != Status::Passing).map(|s| &s.exercise),
            "exercises": standings,
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&document).map_err(|e| e.to_string())?
        );
        return Ok(());
    }
    report(&exercises, &standings);
    if watch {
        let start = standings
            .iter()
            .position(|s| s.status != Status::Passing)
            .unwrap_or(exercises.len());
        watch_from(&exercises, start)?;
    }
    Ok(())
}

fn survey(exercises: &[Exercise], show_bar: bool) -> Result<Vec<Standing>> {
    let bar = if show_bar {
        ProgressBar::new(exercises.len() as u64)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} testing {msg}")
            .expect("a valid template"),
    );
    let mut standings = Vec::new();
    for exercise in exercises {
        bar.set_message(exercise.package());
        standings.push(standing_of(exercise)?);
        bar.inc(1);
    }
    bar.finish_and_clear();
    Ok(standings)
}

/// The failure, indented, at most `lines` lines of it.
fn show_failure(failure: &Failure, lines: usize) {
    println!("\n  The first test to fix, `{}`, says:", failure.test);
    let all: Vec<&str> = failure.message.lines().collect();
    for line in all.iter().take(lines) {
        println!("    {line}");
    }
    if all.len() > lines {
        println!(
            "    ({} more lines: run the tests to see them)",
            all.len() - lines
        );
    }
}

fn report(exercises: &[Exercise], standings: &[Standing]) {
    println!("Threads or Processes? Your progress, from running the tests just now:\n");
    for (exercise, standing) in exercises.iter().zip(standings) {
        let mark = match standing.status {
            Status::Passing => "✓",
            Status::NotStarted => " ",
            _ => "✗",
        };
        println!(
            "  {mark} {}  {:<18} {}",
            exercise.number,
            standing.label(),
            exercise.meta.title
        );
    }
    let done = standings
        .iter()
        .filter(|s| s.status == Status::Passing)
        .count();
    let width = 30;
    let filled = if exercises.is_empty() {
        0
    } else {
        done * width / exercises.len()
    };
    println!(
        "\n  [{}{}] {done} of {} exercises done",
        "#".repeat(filled),
        "-".repeat(width - filled),
        exercises.len()
    );
    let measurable: Vec<String> = exercises
        .iter()
        .zip(standings)
        .filter(|(_, standing)| standing.status == Status::Passing)
        .flat_map(|(exercise, _)| {
            crate::measure::workloads::ALL
                .iter()
                .filter(|w| w.mine == Some(exercise.number.as_str()))
                .map(|w| format!("`cargo xtask measure {} --mine`", w.name))
        })
        .collect();
    if !measurable.is_empty() {
        println!(
            "\nTime your passing code beside the reference: {}.",
            measurable.join(", ")
        );
    }
    match exercises
        .iter()
        .zip(standings)
        .find(|(_, s)| s.status != Status::Passing)
    {
        Some((next, standing)) => {
            println!(
                "\nNext: exercise {}. Read {}, then run `cargo test -p {}` (stuck? `cargo xtask hint {}`).",
                next.number,
                next.chapter_path(),
                next.package(),
                next.number
            );
            if let Some(failure) = &standing.first_failure {
                show_failure(failure, 20);
            }
        }
        None => println!(
            "\nEvery exercise passes. Well done! Compare with the reference answers in solutions/."
        ),
    }
}

/// The newest modification time of the exercise's files.
fn newest_change(dir: &Path) -> SystemTime {
    files_below(dir)
        .unwrap_or_default()
        .iter()
        .filter(|file| !file.starts_with("target"))
        .filter_map(|file| fs::metadata(dir.join(file)).and_then(|m| m.modified()).ok())
        .max()
        .unwrap_or(SystemTime::UNIX_EPOCH)
}

/// Reruns the current exercise's tests whenever one of its files changes,
/// and moves on to the next exercise once it passes. Ctrl-C stops.
fn watch_from(exercises: &[Exercise], mut current: usize) -> Result<()> {
    while let Some(exercise) = exercises.get(current) {
        println!(
            "\nWatching exercises/{} (Ctrl-C stops). Save a file to rerun its tests.",
            exercise.package()
        );
        let mut seen = newest_change(&exercise.dir);
        loop {
            thread::sleep(Duration::from_millis(500));
            let now = newest_change(&exercise.dir);
            if now == seen {
                continue;
            }
            seen = now;
            let standing = standing_of(exercise)?;
            if standing.status == Status::Passing {
                println!("\n✓ exercise {} passes!", exercise.number);
                current += 1;
                break;
            }
            // One failure, the one to fix first, not the whole log.
            println!("\n✗ exercise {}: {}", exercise.number, standing.label());
            if let Some(failure) = &standing.first_failure {
                show_failure(failure, 30);
            }
        }
    }
    println!("\nEvery exercise passes. Well done!");
    Ok(())
}
