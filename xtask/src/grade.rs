//! `cargo xtask check --student [--base REF] [--json]`: grades a learner's
//! fork. `cargo xtask check` proves that the course is sound (every starter
//! fails), so on a fork it calls every finished exercise a failure; this
//! reports each exercise as done, failing or untouched instead, and flags
//! any change to its tests (`tests/` and its `Cargo.toml`) since the course's
//! commit the fork started from: the newest tag reachable from HEAD, or
//! `--base REF`.

use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde::Serialize;

use crate::course::{Result, read_dir_sorted, root};

#[derive(Debug, Serialize, PartialEq, Eq, Clone, Copy)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Every test passes.
    Done,
    /// Some test fails, or it does not compile.
    Failing,
    /// Every YOUR CODE region still holds its `todo!`: tests not run.
    Untouched,
}

#[derive(Debug, Serialize)]
pub struct Grade {
    pub exercise: String,
    pub status: Status,
    /// The files of its tests that differ from the base (empty: none).
    pub edited_tests: Vec<String>,
}

#[derive(Serialize)]
struct Report<'a> {
    base: &'a str,
    commit: String,
    done: usize,
    edited: usize,
    exercises: &'a [Grade],
}

/// Where to grade: the fork's root, and a target folder for its builds.
pub struct Fork {
    pub root: PathBuf,
    pub target_dir: Option<PathBuf>,
}

pub fn run(wanted: &[String], base: Option<&str>, json: bool) -> Result<()> {
    let fork = Fork {
        root: root(),
        target_dir: None,
    };
    let base = match base {
        Some(base) => base.to_string(),
        None => fork.newest_tag()?,
    };
    let grades = fork.grade(wanted, &base, |exercise| {
        if !json {
            eprintln!("grading exercise {exercise} ...");
        }
    })?;
    let done = grades.iter().filter(|g| g.status == Status::Done).count();
    let edited = grades.iter().filter(|g| !g.edited_tests.is_empty()).count();
    if json {
        let report = Report {
            base: &base,
            commit: fork.git(&["rev-parse", "HEAD"])?,
            done,
            edited,
            exercises: &grades,
        };
        println!(
            "{}",
            serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?
        );
        return Ok(());
    }
    println!(
        "{:<9} {:<10} tests (compared with {base})",
        "exercise", "status"
    );
    for grade in &grades {
        let tests = match grade.edited_tests.as_slice() {
            [] => "unchanged".to_string(),
            files => format!("EDITED: {}", files.join(", ")),
        };
        let status = format!("{:?}", grade.status).to_lowercase();
        println!("{:<9} {status:<10} {tests}", grade.exercise);
    }
    println!(
        "\n{done} of {} done; {edited} with edited tests.",
        grades.len()
    );
    Ok(())
}

impl Fork {
    fn git(&self, args: &[&str]) -> Result<String> {
        let out = Command::new("git")
            .current_dir(&self.root)
            .args(args)
            .stderr(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run git: {e}"))?;
        match out.status.success() {
            true => Ok(String::from_utf8_lossy(&out.stdout).trim().to_string()),
            false => Err(format!("`git {}` failed", args.join(" "))),
        }
    }

    /// The course's commit this fork started from: its newest tag.
    pub fn newest_tag(&self) -> Result<String> {
        self.git(&["describe", "--tags", "--abbrev=0", "HEAD"]).map_err(|_| {
            "no tag of the course in this clone's history: give the course's commit with \
             --base REF (for example --base upstream/main)"
                .to_string()
        })
    }

    /// Grades the exercises named (all by default) against `base`.
    pub fn grade(
        &self,
        wanted: &[String],
        base: &str,
        mut progress: impl FnMut(&str),
    ) -> Result<Vec<Grade>> {
        self.git(&["rev-parse", "--verify", &format!("{base}^{{commit}}")])
            .map_err(|_| format!("--base {base}: no such commit, tag or branch here"))?;
        let mut grades = Vec::new();
        for dir in read_dir_sorted(&self.root.join("exercises"))? {
            let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let Some(number) = name.strip_prefix("exercise-") else {
                continue;
            };
            let trimmed = |n: &str| n.trim_start_matches('0').to_string();
            if !wanted.is_empty() && !wanted.iter().any(|w| trimmed(w) == trimmed(number))
            {
                continue;
            }
            progress(number);
            let status = if crate::course::untouched(&dir) {
                Status::Untouched
            } else if self.tests_pass(name)? {
                Status::Done
            } else {
                Status::Failing
            };
            grades.push(Grade {
                exercise: number.to_string(),
                status,
                edited_tests: self.edited_tests(name, base)?,
            });
        }
        Ok(grades)
    }

    fn tests_pass(&self, package: &str) -> Result<bool> {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut command = Command::new(cargo);
        command
            .current_dir(&self.root)
            .args(["test", "--quiet", "-p", package])
            .env("RUST_BACKTRACE", "0")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some(dir) = &self.target_dir {
            command.arg("--target-dir").arg(dir);
        }
        let status = command
            .status()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        Ok(status.success())
    }

    /// Test files changed, added or removed since `base`, committed or not.
    fn edited_tests(&self, package: &str, base: &str) -> Result<Vec<String>> {
        let dir = format!("exercises/{package}");
        let paths = [format!("{dir}/tests"), format!("{dir}/Cargo.toml")];
        let mut args = vec!["diff", "--name-only", base, "--"];
        args.extend(paths.iter().map(String::as_str));
        let changed = self.git(&args)?;
        let mut args = vec!["ls-files", "--others", "--exclude-standard", "--"];
        args.extend(paths.iter().map(String::as_str));
        let added = self.git(&args)?;
        let mut files: Vec<String> = changed
            .lines()
            .chain(added.lines())
            .filter(|l| !l.is_empty())
            .map(|l| l.strip_prefix(&format!("{dir}/")).unwrap_or(l).to_string())
            .collect();
        files.sort();
        files.dedup();
        Ok(files)
    }
}

#[cfg(test)]
mod tests;
