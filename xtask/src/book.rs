//! The book: pinned tools installed into the project, built, served.

use std::path::PathBuf;
use std::process::{Command, Stdio};

use crate::course::{Result, root};

/// A pinned tool: crate, version, and the program it installs.
struct Tool {
    krate: &'static str,
    version: &'static str,
    program: &'static str,
}

/// What reading the book needs. `cargo install --locked` builds exactly this.
const READ: &[Tool] = &[
    Tool {
        krate: "mdbook",
        version: "0.5.4",
        program: "mdbook",
    },
    Tool {
        krate: "mdbook-quiz",
        version: "0.5.0",
        program: "mdbook-quiz",
    },
];
/// What checking the book needs on top (CI): a spell checker.
const CHECK: &[Tool] = &[Tool {
    krate: "typos-cli",
    version: "1.52.0",
    program: "typos",
}];

/// Where the tools are installed: inside the project, never globally.
fn tools_root() -> PathBuf {
    root().join("target").join("book-tools")
}

/// `mdbook`, with the project's tools first on its PATH so that it finds
/// its preprocessors there.
fn mdbook() -> Command {
    let mut path = vec![tools_root().join("bin")];
    path.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    let mut command = Command::new(tool("mdbook"));
    command.env("PATH", std::env::join_paths(path).expect("a valid PATH"));
    command
}

fn tool(name: &str) -> PathBuf {
    tools_root()
        .join("bin")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
}

/// Installs each pinned tool that is missing or at another version.
/// Later runs find them and skip this step.
fn ensure_tools(tools: &[Tool]) -> Result<()> {
    for &Tool {
        krate: name,
        version,
        program,
    } in tools
    {
        let path = tool(program);
        let installed = Command::new(&path)
            .arg("--version")
            .output()
            .ok()
            .filter(|out| out.status.success())
            .map(|out| String::from_utf8_lossy(&out.stdout).into_owned())
            .unwrap_or_default();
        if installed
            .split_whitespace()
            .any(|word| word.trim_start_matches('v') == version)
        {
            continue;
        }
        eprintln!(
            "Installing {name} {version} into target/book-tools (first run only; it is compiled \
             from source and takes a few minutes)..."
        );
        let status =
            Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
                .args(["install", "--locked", "--root"])
                .arg(tools_root())
                .arg(format!("{name}@{version}"))
                .status()
                .map_err(|e| format!("cannot run cargo install: {e}"))?;
        if !status.success() {
            return Err(format!("installing {name} {version} failed ({status})"));
        }
        eprintln!("Installed {name} {version}.");
    }
    Ok(())
}

/// Builds the book, then checks its links and its spelling (CI).
pub fn build() -> Result<()> {
    ensure_tools(READ)?;
    ensure_tools(CHECK)?;
    render()?;
    crate::linkcheck::check(&root().join("target").join("book"))?;
    spell_check()
}

/// Spell-checks the prose and the code with `typos` (config: .ci/typos.toml).
fn spell_check() -> Result<()> {
    let status = Command::new(tool("typos"))
        .current_dir(root())
        .args([
            "--config",
            ".ci/typos.toml",
            "README.md",
            "book/src",
            "exercises",
            "solutions",
            "support",
            "xtask",
        ])
        .status()
        .map_err(|e| format!("cannot run typos: {e}"))?;
    if status.success() {
        eprintln!("Spell check: no typos.");
        Ok(())
    } else {
        Err("typos found spelling mistakes (above); fix them, or add a real word to .ci/typos.toml".into())
    }
}

/// Builds the book into target/book. Any warning mdBook prints is an error.
fn render() -> Result<()> {
    let out = mdbook()
        .arg("build")
        .arg(root())
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run mdbook: {e}"))?;
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    eprint!("{log}");
    if !out.status.success() {
        return Err(format!("mdbook build failed ({})", out.status));
    }
    let warnings: Vec<&str> = log
        .lines()
        .filter(|line| line.contains("WARN") || line.contains("ERROR"))
        .collect();
    if !warnings.is_empty() {
        return Err(format!(
            "mdbook printed {} warning(s); this course treats them as errors",
            warnings.len()
        ));
    }
    eprintln!("The book is in target/book/index.html");
    Ok(())
}

/// Builds the book, then serves it (rebuilding on changes) until Ctrl-C.
pub fn serve(port: u16, open: bool) -> Result<()> {
    ensure_tools(READ)?;
    render()?;
    println!("Serving the book at http://127.0.0.1:{port}/  (Ctrl-C stops it)");
    let mut command = mdbook();
    command.arg("serve").arg(root()).args([
        "--hostname",
        "127.0.0.1",
        "--port",
        &port.to_string(),
    ]);
    if open {
        command.arg("--open");
    }
    let status = command
        .status()
        .map_err(|e| format!("cannot run mdbook serve: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("mdbook serve stopped ({status})"))
    }
}
