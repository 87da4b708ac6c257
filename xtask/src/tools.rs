//! The course's pinned tools, installed into the project, never globally.
//!
//! They live in `book/tools/` (git-ignored), not under `target/`, so that
//! `cargo clean` does not cost their build again. mdBook is built with only
//! the feature the course uses (`search`): the course serves the book itself
//! (`serve.rs`), so mdBook's server and watcher are not compiled.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use crate::course::{Result, root};

/// A pinned tool: crate, version, the program it installs, its features.
pub struct Tool {
    pub krate: &'static str,
    pub version: &'static str,
    pub program: &'static str,
    features: Option<&'static str>,
    /// About how long a first build takes on 2 cores, for the message.
    minutes: u32,
    /// What to run it with to print its version: a cargo subcommand such as
    /// `cargo-mutants` wants its name first (`cargo-mutants mutants --version`).
    version_args: &'static [&'static str],
}

pub const MDBOOK: Tool = Tool {
    krate: "mdbook",
    version: "0.5.4",
    program: "mdbook",
    features: Some("search"),
    minutes: 2,
    version_args: &["--version"],
};
pub const QUIZ: Tool = Tool {
    krate: "mdbook-quiz",
    version: "0.5.0",
    program: "mdbook-quiz",
    features: None,
    minutes: 3,
    version_args: &["--version"],
};
/// What checking the book needs on top (CI): a spell checker.
pub const TYPOS: Tool = Tool {
    krate: "typos-cli",
    version: "1.52.0",
    program: "typos",
    features: None,
    minutes: 2,
    version_args: &["--version"],
};
/// Mutation testing of the learner's regions (`cargo xtask check --mutants`).
pub const MUTANTS: Tool = Tool {
    krate: "cargo-mutants",
    version: "27.1.0",
    program: "cargo-mutants",
    features: None,
    minutes: 3,
    version_args: &["mutants", "--version"],
};

/// Where the tools are installed: inside the project, never globally.
pub fn tools_root() -> PathBuf {
    root().join("book").join("tools")
}

/// PATH with the project's tools first (mdBook finds its preprocessors).
pub fn tools_path() -> std::ffi::OsString {
    let mut path = vec![tools_root().join("bin")];
    path.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(path).expect("a valid PATH")
}

pub fn tool(name: &str) -> PathBuf {
    let file = format!("{name}{}", std::env::consts::EXE_SUFFIX);
    tools_root().join("bin").join(file)
}

/// The version a program prints, if it runs.
fn version_of(program: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

impl Tool {
    pub fn ready(&self) -> bool {
        let is_pinned = |text: String| {
            text.split_whitespace()
                .any(|word| word.trim_start_matches('v') == self.version)
        };
        if version_of(&tool(self.program), self.version_args).is_some_and(is_pinned) {
            return true;
        }
        // The pinned version already on PATH is as good: copy it in.
        let on_path = Path::new(self.program);
        if version_of(on_path, self.version_args).is_some_and(is_pinned)
            && let Some(found) = which(self.program)
        {
            let _ = fs::create_dir_all(tools_root().join("bin"));
            return fs::copy(found, tool(self.program)).is_ok();
        }
        false
    }

    /// Starts `cargo install` for this tool; its output goes to `log` if given.
    pub fn install(&self, log: Option<&Path>) -> Result<Child> {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut command = Command::new(cargo);
        command
            .args(["install", "--locked", "--root"])
            .arg(tools_root());
        if let Some(features) = self.features {
            command.args(["--no-default-features", "--features", features]);
        }
        command
            .arg(format!("{}@{}", self.krate, self.version))
            .stdin(Stdio::null());
        // With its bin folder on PATH, cargo does not tell the learner to
        // add it there: the course finds its tools by itself.
        command.env("PATH", tools_path());
        if let Some(log) = log {
            let file =
                fs::File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
            command
                .stdout(file.try_clone().map_err(|e| e.to_string())?)
                .stderr(file);
        }
        command
            .spawn()
            .map_err(|e| format!("cannot run cargo install: {e}"))
    }

    pub fn announce(&self) {
        eprintln!(
            "Installing {} {} into book/tools/ (first run only; compiling it takes about \
             {} min on 2 cores, and `cargo clean` keeps it)...",
            self.krate, self.version, self.minutes
        );
    }
}

fn which(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    let file = format!("{program}{}", std::env::consts::EXE_SUFFIX);
    std::env::split_paths(&path)
        .map(|dir| dir.join(&file))
        .find(|p| p.is_file())
}

fn wait(tool: &Tool, mut child: Child) -> Result<()> {
    let status = child.wait().map_err(|e| e.to_string())?;
    if !status.success() {
        return Err(format!(
            "installing {} {} failed ({status})",
            tool.krate, tool.version
        ));
    }
    eprintln!("Installed {} {}.", tool.krate, tool.version);
    Ok(())
}

/// Installs the missing tools side by side: the first shows cargo's
/// progress, the others log to `book/tools/install-NAME.log`.
pub fn ensure_tools(tools: &[&Tool]) -> Result<()> {
    let missing: Vec<&&Tool> = tools.iter().filter(|t| !t.ready()).collect();
    let mut running = Vec::new();
    for (i, tool) in missing.iter().enumerate() {
        tool.announce();
        let log = (i > 0).then(|| log_path(tool));
        running.push((tool, tool.install(log.as_deref())?));
    }
    running
        .into_iter()
        .try_for_each(|(tool, child)| wait(tool, child))
}

pub fn log_path(tool: &Tool) -> PathBuf {
    let _ = fs::create_dir_all(tools_root());
    tools_root().join(format!("install-{}.log", tool.program))
}

/// Checks that the pinned book tools are installed, without installing them
/// (`cargo xtask doctor`): the missing ones, as "crate version".
pub fn missing_tools() -> Vec<String> {
    [&MDBOOK, &QUIZ]
        .into_iter()
        .filter(|t| !t.ready())
        .map(|t| format!("{} {}", t.krate, t.version))
        .collect()
}

/// Installs the pinned book tools that are missing (`doctor --prebuild`).
pub fn install_tools() -> Result<()> {
    ensure_tools(&[&MDBOOK, &QUIZ])
}
