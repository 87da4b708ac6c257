//! `cargo xtask doctor [--prebuild]`: is this machine ready for a workshop?
//!
//! The checks say, one line each, what is missing and how to fix it.
//! `--prebuild` then builds everything the day uses, so that the day needs
//! no network and starts no long build, and ends with a line a learner
//! pastes back to the instructor: `READY <commit> <os> <rust>`.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use crate::course::{self, Result, root};

/// Pretends `rustc` has this version: lets a test see a too-old Rust.
pub const RUST_OVERRIDE: &str = "XTASK_DOCTOR_RUST_VERSION";
/// What a full prebuild takes on disk, with some room (`target/` after
/// `--prebuild`: about 9 GiB on Linux).
const NEEDED_GIB: u64 = 12;

pub fn run(prebuild: bool) -> Result<()> {
    let rust = rust_version()?;
    let mut problems = 0;
    let mut report = |ok: bool, required: bool, line: String| {
        let mark = if ok {
            "ok  "
        } else if required {
            "FAIL"
        } else {
            "warn"
        };
        println!("{mark} {line}");
        problems += usize::from(!ok && required);
    };
    let minimum = minimum_rust()?;
    let new_enough = parse(&rust) >= parse(&minimum);
    report(
        new_enough,
        true,
        match new_enough {
            true => format!("Rust {rust} (the course needs {minimum} or newer)"),
            false => format!(
                "Rust {rust} is older than the course's minimum {minimum}: run `rustup update stable`"
            ),
        },
    );
    let linker = link_check();
    report(
        linker.is_ok(),
        true,
        match linker {
            Ok(()) => "a linker: a tiny program compiles, links and runs".into(),
            Err(e) => format!("no working linker ({e}): {}", linker_fix()),
        },
    );
    let python = python();
    report(
        python.is_some(),
        false,
        match python {
            Some(version) => format!("{version} for the Python twins (optional)"),
            None => {
                "no python3: only the `--python` measurements need it (optional)".into()
            }
        },
    );
    match free_gib(&root()) {
        Some(free) if free >= NEEDED_GIB => report(
            true,
            true,
            format!("{free} GiB free on the disk of this clone"),
        ),
        // Below the prebuild's size it may still fit a part of the day.
        Some(free) => report(
            false,
            free < NEEDED_GIB / 3,
            format!(
                "only {free} GiB free on the disk of this clone: the prebuild needs about \
             {NEEDED_GIB} GiB; free some space"
            ),
        ),
        None => report(
            false,
            false,
            format!(
                "could not read the free disk space: make sure about {NEEDED_GIB} GiB are free"
            ),
        ),
    }
    let missing = crate::tools::missing_tools();
    report(
        missing.is_empty(),
        prebuild,
        match missing.is_empty() {
            true => "the book tools (mdBook, mdbook-quiz) at the pinned versions".into(),
            false => format!(
                "book tools missing: {}; `cargo xtask doctor --prebuild` \
             installs them into book/tools/",
                missing.join(", ")
            ),
        },
    );
    if problems > 0 {
        return Err(format!(
            "{problems} problem(s) above (FAIL); fix them and run `cargo xtask doctor` again"
        ));
    }
    if !prebuild {
        println!(
            "\nChecks passed. Before the day, run `cargo xtask doctor --prebuild` \
                  (it builds everything the day uses)."
        );
        println!("READY {} {} {rust} (checks only)", commit(), os());
        return Ok(());
    }
    let started = Instant::now();
    build_everything()?;
    crate::tools::install_tools()?;
    warm_run_buttons()?;
    println!(
        "\nEverything the day uses is built ({:.0} min). Paste this line to your instructor:",
        started.elapsed().as_secs_f64() / 60.0
    );
    println!("READY {} {} {rust}", commit(), os());
    Ok(())
}

/// The workspace's `rust-version`: the true minimum.
fn minimum_rust() -> Result<String> {
    let text =
        std::fs::read_to_string(root().join("Cargo.toml")).map_err(|e| e.to_string())?;
    let manifest: toml::Table = toml::from_str(&text).map_err(|e| e.to_string())?;
    manifest["workspace"]["package"]["rust-version"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| "Cargo.toml has no workspace rust-version".into())
}

fn rust_version() -> Result<String> {
    if let Ok(version) = std::env::var(RUST_OVERRIDE) {
        return Ok(version);
    }
    let out = Command::new(rustc())
        .arg("--version")
        .output()
        .map_err(|e| {
            format!("cannot run rustc ({e}): install Rust from https://rustup.rs")
        })?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.split_whitespace()
        .nth(1)
        .map(str::to_owned)
        .ok_or_else(|| format!("rustc --version said {text:?}"))
}

fn rustc() -> std::ffi::OsString {
    std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into())
}

/// "1.88.0-beta.2" → [1, 88, 0].
fn parse(version: &str) -> Vec<u32> {
    let core = version.split(['-', '+']).next().unwrap_or("");
    let mut parts: Vec<u32> = core.split('.').map(|p| p.parse().unwrap_or(0)).collect();
    parts.resize(3, 0);
    parts
}

/// Compiles, links and runs `fn main() {}` under `target/doctor/`.
fn link_check() -> Result<()> {
    let dir = root().join("target").join("doctor");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let source = dir.join("hello.rs");
    std::fs::write(&source, "fn main() { println!(\"linked\"); }\n")
        .map_err(|e| e.to_string())?;
    let binary = dir.join(format!("hello{}", std::env::consts::EXE_SUFFIX));
    let out = Command::new(rustc())
        .arg(&source)
        .arg("-o")
        .arg(&binary)
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        let error = String::from_utf8_lossy(&out.stderr);
        let first = error.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        return Err(format!("rustc: {}", first.trim()));
    }
    let ran = Command::new(&binary).output().map_err(|e| e.to_string())?;
    match String::from_utf8_lossy(&ran.stdout).trim() == "linked" {
        true => Ok(()),
        false => Err("the linked program did not run".into()),
    }
}

fn linker_fix() -> &'static str {
    if cfg!(target_os = "macos") {
        "run `xcode-select --install` (the Xcode command-line tools)"
    } else if cfg!(windows) {
        "install Visual Studio Build Tools with \"Desktop development with C++\" (MSVC)"
    } else {
        "install a C toolchain (Debian/Ubuntu: `sudo apt install build-essential`)"
    }
}

fn python() -> Option<String> {
    ["python3", "python"].into_iter().find_map(|program| {
        let out = Command::new(program).arg("--version").output().ok()?;
        let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
        (out.status.success() && text.starts_with("Python 3")).then_some(text)
    })
}

/// Free space where the clone lives, from the system's own tool.
fn free_gib(dir: &Path) -> Option<u64> {
    if cfg!(windows) {
        let script = format!("(Get-Item -LiteralPath '{}').PSDrive.Free", dir.display());
        let out = Command::new("powershell")
            .args(["-NoProfile", "-Command", &script])
            .output()
            .ok()?;
        let bytes: u64 = String::from_utf8_lossy(&out.stdout).trim().parse().ok()?;
        return Some(bytes >> 30);
    }
    let out = Command::new("df").arg("-Pk").arg(dir).output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let kib: u64 = text
        .lines()
        .nth(1)?
        .split_whitespace()
        .nth(3)?
        .parse()
        .ok()?;
    Some(kib >> 20)
}

/// The commands the prebuild runs, as cargo arguments.
pub fn prebuild_commands() -> Result<Vec<Vec<String>>> {
    let words = |s: &str| s.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
    // The README's `cargo test`: solutions, tooling, the book's blocks.
    let mut commands = vec![words("test --no-run")];
    // Each exercise alone, as the learner runs it (its own feature set).
    for exercise in course::exercises()? {
        for package in [exercise.package(), exercise.solution_package()] {
            commands.push(words(&format!("test --no-run -p {package}")));
        }
    }
    // The release examples (chapters 03, 06, 07) and the benches (05, 11).
    commands.push(words("build --release --workspace --examples"));
    commands.push(words("bench --no-run --workspace"));
    Ok(commands)
}

/// The exercises `measure --mine` times (the `mine-NN` features).
const MINE: [&str; 3] = ["05", "07", "08"];

fn build_everything() -> Result<()> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let commands = prebuild_commands()?;
    for (i, args) in commands.iter().enumerate() {
        println!(
            "[{}/{}] cargo {}",
            i + 1,
            commands.len() + MINE.len() + 1,
            args.join(" ")
        );
        let status = Command::new(&cargo)
            .current_dir(root())
            .args(args)
            .status()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if !status.success() {
            return Err(format!(
                "`cargo {}` failed ({status}); see above",
                args.join(" ")
            ));
        }
    }
    // `measure --mine`: its own build of xtask per exercise (crates.rs).
    for (i, exercise) in MINE.iter().enumerate() {
        let n = commands.len() + MINE.len() + 1;
        println!(
            "[{}/{n}] measure --mine for exercise {exercise}",
            commands.len() + i + 1
        );
        crate::measure::workloads::crates::build_with_your_code(exercise)?;
    }
    println!(
        "[{n}/{n}] the book tools and the Run buttons' crates",
        n = commands.len() + MINE.len() + 1
    );
    Ok(())
}

/// Builds the Run buttons' crates now, not at the first `serve` of the day.
fn warm_run_buttons() -> Result<()> {
    let playground = std::sync::Arc::new(crate::play::Playground::course(&root()));
    playground.warm_up();
    let probe: crate::play::Request =
        serde_json::from_str(r#"{"code": "fn main() { println!(\"ok\"); }"}"#)
            .map_err(|e| e.to_string())?;
    loop {
        let response = playground.run(&probe);
        match &response.error {
            Some(e) if e.contains("still compiling") => {
                std::thread::sleep(std::time::Duration::from_secs(2))
            }
            Some(e) if !response.result.contains("ok") => {
                return Err(format!("the Run buttons cannot compile a snippet: {e}"));
            }
            _ => return Ok(()),
        }
    }
}

fn commit() -> String {
    Command::new("git")
        .current_dir(root())
        .args(["rev-parse", "--short=12", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| "no-git".into())
}

fn os() -> String {
    format!("{}-{}", std::env::consts::OS, std::env::consts::ARCH)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_as_numbers() {
        assert!(parse("1.88.0") >= parse("1.88"));
        assert!(parse("1.100.0") > parse("1.88"));
        assert!(parse("1.87.1-beta.2") < parse("1.88"));
    }

    #[test]
    fn the_prebuild_builds_every_exercise_and_solution() {
        let commands: Vec<String> = prebuild_commands()
            .unwrap()
            .iter()
            .map(|c| c.join(" "))
            .collect();
        for exercise in course::exercises().unwrap() {
            for package in [exercise.package(), exercise.solution_package()] {
                assert!(commands.contains(&format!("test --no-run -p {package}")));
            }
        }
        assert!(commands.iter().any(|c| c.starts_with("bench --no-run")));
    }
}
