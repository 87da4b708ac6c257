//! `cargo xtask figures`: measures again every table and chart of the book
//! (`book/src/generated/`), with the arguments the book's figures were made
//! with, one after the other, each on a machine as quiet as it will get.
//!
//! [`BOOK_FIGURES`] is the one list of those arguments; a test checks that
//! every entry is a valid command, that its files are committed, and that a
//! chapter shows them.

use std::process::Command;
use std::time::{Duration, Instant};

use super::machine::{BUSY_LOAD, Machine};
use crate::course::root;

/// The arguments of `cargo xtask measure` that wrote each figure of the book
/// (`--write-book` is added).
pub const BOOK_FIGURES: &[&str] = &[
    // 5 rounds, asked for, so that a long run is never cut to fit the
    // default's two minutes: the book's figures need an honest spread.
    "cpu --max-workers 4 --rounds 5",
    "convoy --max-workers 4 --rounds 3 --python",
    "overhead --python --rounds 5",
    "crossover --rounds 5",
    "io --rounds 5",
    "comm --python --rounds 5",
    "isolation --python --rounds 5",
    "litmus",
    // Counts and times of loom and shuttle: about two minutes, most of it
    // loom's rows at their 60 s budget.
    "checkers",
];

/// How long to wait for the load average to fall before each measurement.
const QUIET_WAIT: Duration = Duration::from_secs(180);

pub fn run(only: &[String], list: bool) -> crate::course::Result<()> {
    // The known wrong answers' loom traces: recorded, not measured.
    if only.iter().any(|o| o == "traces") {
        if list {
            println!("cargo xtask figures traces");
            return Ok(());
        }
        return crate::trace::write_book();
    }
    let chosen: Vec<&str> = BOOK_FIGURES
        .iter()
        .copied()
        .filter(|args| {
            only.is_empty()
                || only
                    .iter()
                    .any(|o| args.split_whitespace().next() == Some(o.as_str()))
        })
        .collect();
    if chosen.is_empty() {
        let names: Vec<&str> = BOOK_FIGURES
            .iter()
            .filter_map(|a| a.split_whitespace().next())
            .collect();
        return Err(format!(
            "no figure of the book is made by `{}`; they are made by {}",
            only.join(" "),
            names.join(", ")
        ));
    }
    if list {
        for args in &chosen {
            println!("cargo xtask measure {args} --write-book");
        }
        return Ok(());
    }
    let me =
        std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?;
    let started = Instant::now();
    for (i, args) in chosen.iter().enumerate() {
        wait_for_quiet();
        eprintln!(
            "\n[{}/{}] cargo xtask measure {args} --write-book",
            i + 1,
            chosen.len()
        );
        let status = Command::new(&me)
            .current_dir(root())
            .arg("measure")
            .args(args.split_whitespace())
            .arg("--write-book")
            .status()
            .map_err(|e| format!("cannot run `measure {args}`: {e}"))?;
        if !status.success() {
            return Err(format!(
                "`cargo xtask measure {args} --write-book` failed ({status}); the figures before it are written"
            ));
        }
    }
    eprintln!(
        "\n{} figures written to book/src/generated/ in {:.0} s. Check the prose around them (`git diff book/src`), then `cargo xtask serve`.",
        chosen.len(),
        started.elapsed().as_secs_f64()
    );
    if only.is_empty() {
        crate::trace::write_book()?; // the loom traces too
    }
    Ok(())
}

/// Waits (at most [`QUIET_WAIT`]) for the load average to fall below the
/// "busy" mark, so that one measurement does not disturb the next.
fn wait_for_quiet() {
    let start = Instant::now();
    let mut told = false;
    while let Some(load) = Machine::now().load_average {
        if load <= BUSY_LOAD || start.elapsed() >= QUIET_WAIT {
            break;
        }
        if !told {
            eprintln!(
                "waiting up to {} s for the load average ({load:.2}) to fall below {BUSY_LOAD} ...",
                QUIET_WAIT.as_secs()
            );
            told = true;
        }
        std::thread::sleep(Duration::from_secs(5));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The file stem `--write-book` gives an entry, from the arguments as
    /// `cargo xtask measure` itself reads them.
    fn stem(args: &str) -> String {
        let words = ["xtask", "measure"]
            .into_iter()
            .chain(args.split_whitespace());
        let cli = <crate::Cli as clap::Parser>::try_parse_from(words)
            .unwrap_or_else(|e| panic!("`measure {args}` is not a valid command: {e}"));
        let crate::Command::Measure(args) = cli.command else {
            unreachable!("parsed as measure")
        };
        let (workload, spec) =
            crate::measure::spec_from(&args, 2).expect("valid arguments");
        crate::measure::report::file_stem(workload, spec.size)
    }

    #[test]
    fn every_figure_of_the_book_has_its_command_and_every_command_its_figure() {
        let generated = root().join("book/src/generated");
        let chapters: String = std::fs::read_dir(root().join("book/src"))
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
            .map(|e| std::fs::read_to_string(e.path()).unwrap())
            .collect();
        let mut stems = Vec::new();
        for args in BOOK_FIGURES {
            let stem = stem(args);
            for ext in ["md", "svg"] {
                assert!(
                    generated.join(format!("{stem}.{ext}")).is_file(),
                    "`measure {args}` has no committed {stem}.{ext}"
                );
                assert!(
                    chapters.contains(&format!("generated/{stem}.{ext}")),
                    "no chapter shows generated/{stem}.{ext}"
                );
            }
            stems.push(stem);
        }
        for entry in std::fs::read_dir(&generated)
            .unwrap()
            .filter_map(|e| e.ok())
        {
            if entry.path().is_dir() {
                continue; // traces/ (`crate::trace`), mutants/ (`check --mutants`)
            }
            let name = entry.file_name().to_string_lossy().into_owned();
            let stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s);
            assert!(
                stems.iter().any(|s| s == stem),
                "book/src/generated/{name} comes from no entry of BOOK_FIGURES"
            );
        }
    }
}
