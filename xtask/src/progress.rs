//! `cargo xtask progress`: where a learner stands, from the tests themselves.
//!
//! Status comes from running each exercise's tests now, never from a saved
//! state file, so it cannot go stale after a `git pull`.

use std::fs;
use std::path::Path;
use std::thread;
use std::time::{Duration, SystemTime};

use indicatif::{ProgressBar, ProgressStyle};

use crate::check::cargo_test;
use crate::course::{self, Exercise, Result, files_below};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Status {
    Passing,
    Failing { failed: usize, total: usize },
    NotStarted,
    DoesNotCompile,
}

impl Status {
    fn label(self) -> String {
        match self {
            Status::Passing => "passing".into(),
            Status::Failing { failed, total } => format!("failing {failed}/{total}"),
            Status::NotStarted => "not started".into(),
            Status::DoesNotCompile => "does not compile".into(),
        }
    }
}

/// True while every `YOUR CODE` region of the exercise still holds its `todo!`.
fn untouched(exercise: &Exercise) -> bool {
    let mut regions = 0;
    let mut with_todo = 0;
    for file in files_below(&exercise.dir.join("src")).unwrap_or_default() {
        let text =
            fs::read_to_string(exercise.dir.join("src").join(&file)).unwrap_or_default();
        let mut inside = false;
        let mut has_todo = false;
        for line in text.lines().map(str::trim) {
            if line == "// BEGIN YOUR CODE" {
                inside = true;
                has_todo = false;
                regions += 1;
            } else if line == "// END YOUR CODE" {
                inside = false;
                with_todo += usize::from(has_todo);
            } else if inside && line.contains("todo!(") {
                has_todo = true;
            }
        }
    }
    regions > 0 && regions == with_todo
}

fn status_of(exercise: &Exercise) -> Result<Status> {
    let run = cargo_test(&exercise.package())?;
    if run.output.contains("could not compile") {
        return Ok(Status::DoesNotCompile);
    }
    if run.success {
        return Ok(Status::Passing);
    }
    if untouched(exercise) {
        return Ok(Status::NotStarted);
    }
    let failed = run.results.values().filter(|passed| !**passed).count();
    Ok(Status::Failing {
        failed,
        total: run.results.len(),
    })
}

pub fn run(watch: bool) -> Result<()> {
    let exercises = course::exercises()?;
    let statuses = survey(&exercises)?;
    report(&exercises, &statuses);
    if watch {
        let start = statuses
            .iter()
            .position(|s| *s != Status::Passing)
            .unwrap_or(exercises.len());
        watch_from(&exercises, start)?;
    }
    Ok(())
}

fn survey(exercises: &[Exercise]) -> Result<Vec<Status>> {
    let bar = ProgressBar::new(exercises.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} testing {msg}")
            .expect("a valid template"),
    );
    let mut statuses = Vec::new();
    for exercise in exercises {
        bar.set_message(exercise.package());
        statuses.push(status_of(exercise)?);
        bar.inc(1);
    }
    bar.finish_and_clear();
    Ok(statuses)
}

fn report(exercises: &[Exercise], statuses: &[Status]) {
    println!("Threads or Processes? Your progress, from running the tests just now:\n");
    for (exercise, status) in exercises.iter().zip(statuses) {
        let mark = match status {
            Status::Passing => "✓",
            Status::NotStarted => " ",
            _ => "✗",
        };
        println!(
            "  {mark} {}  {:<18} {}",
            exercise.number,
            status.label(),
            exercise.meta.title
        );
    }
    let done = statuses.iter().filter(|s| **s == Status::Passing).count();
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
        .zip(statuses)
        .filter(|(_, status)| **status == Status::Passing)
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
        .zip(statuses)
        .find(|(_, s)| **s != Status::Passing)
    {
        Some((next, _)) => println!(
            "\nNext: exercise {}. Read {}, then run `cargo test -p {}` (stuck? `cargo xtask hint {}`).",
            next.number,
            next.chapter_path(),
            next.package(),
            next.number
        ),
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
            let run = cargo_test(&exercise.package())?;
            // Show the failures, not the whole log.
            let tail: Vec<&str> = run.output.lines().rev().take(40).collect();
            for line in tail.iter().rev() {
                println!("{line}");
            }
            if run.success {
                println!("\n✓ exercise {} passes!", exercise.number);
                current += 1;
                break;
            }
        }
    }
    println!("\nEvery exercise passes. Well done!");
    Ok(())
}
