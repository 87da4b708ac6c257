//! Prepares every chapter of the book for rustdoc.
//!
//! * A Rust block that includes code from a crate (`{{#include ...}}`,
//!   `{{#rustdoc_include ...}}`) is compiled in that crate: here it becomes a
//!   `text` block. The included file and anchor must exist.
//! * Every other Rust block is doc-tested as it stands (`compile_fail`,
//!   `should_panic` and `no_run` keep their meaning).
//! * A block marked `ignore` must give its reason in an HTML comment on the
//!   line just above: `<!-- ignore: why -->`.
//! * A fence without a language is refused: rustdoc would test it as Rust
//!   while mdBook shows it as plain text.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let src = manifest.parent().unwrap().join("src");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    println!("cargo::rerun-if-changed={}", src.display());

    let mut chapters = Vec::new();
    collect(&src, &mut chapters);
    chapters.sort();

    let mut modules = String::new();
    let mut errors = Vec::new();
    for path in &chapters {
        let text = fs::read_to_string(path).unwrap();
        let relative = path.strip_prefix(&src).unwrap();
        let prepared = prepare(&text, path, &mut errors);
        let flat = relative.to_string_lossy().replace(['/', '\\'], "__");
        fs::write(out.join(&flat), prepared).unwrap();
        let module: String = flat
            .trim_end_matches(".md")
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .collect::<String>()
            .split('_')
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join("_");
        writeln!(
            modules,
            "#[doc = include_str!(concat!(env!(\"OUT_DIR\"), \"/{flat}\"))]\npub mod chapter_{module} {{}}"
        )
        .unwrap();
    }
    if !errors.is_empty() {
        for error in &errors {
            println!("cargo::warning={error}");
        }
        panic!(
            "the book has {} code block problem(s):\n{}",
            errors.len(),
            errors.join("\n")
        );
    }
    fs::write(out.join("chapters.rs"), modules).unwrap();
}

fn collect(dir: &Path, into: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, into);
        } else if path.extension().is_some_and(|e| e == "md") {
            into.push(path);
        }
    }
}

fn is_rust(info: &str) -> bool {
    info.split(',')
        .next()
        .is_some_and(|lang| lang.trim() == "rust")
}

fn prepare(text: &str, file: &Path, errors: &mut Vec<String>) -> String {
    let mut out = String::new();
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let Some(info) = line.trim_start().strip_prefix("```") else {
            out.push_str(line);
            out.push('\n');
            i += 1;
            continue;
        };
        // A fenced block: find its end.
        let indent = &line[..line.len() - line.trim_start().len()];
        let mut end = i + 1;
        while end < lines.len() && !lines[end].trim_start().starts_with("```") {
            end += 1;
        }
        let body = &lines[i + 1..end.min(lines.len())];
        let info = info.trim();
        let at = format!("{}:{}", file.display(), i + 1);
        let mut fence = line.to_string();
        if info.is_empty() {
            errors.push(format!("{at}: a code block without a language; write ```text, ```console, ```rust ..."));
        } else if is_rust(info) {
            let includes: Vec<&&str> = body
                .iter()
                .filter(|l| l.contains("{{#include") || l.contains("{{#rustdoc_include"))
                .collect();
            if !includes.is_empty() {
                for include in includes {
                    check_include(include, file, &at, errors);
                }
                fence = format!("{indent}```text");
            } else if info.split(',').any(|attr| attr.trim() == "ignore") {
                let above = lines[..i]
                    .iter()
                    .rev()
                    .find(|l| !l.trim().is_empty())
                    .copied()
                    .unwrap_or("");
                if !above.trim_start().starts_with("<!-- ignore:") {
                    errors.push(format!("{at}: an `ignore`d Rust block needs its reason just above: <!-- ignore: why -->"));
                }
            }
        }
        out.push_str(&fence);
        out.push('\n');
        for l in body {
            out.push_str(l);
            out.push('\n');
        }
        if end < lines.len() {
            out.push_str(lines[end]);
            out.push('\n');
        }
        i = end + 1;
    }
    out
}

/// `{{#include ../../solutions/solution-01/src/lib.rs:sum_scoped}}`: the file
/// must exist and hold that anchor.
fn check_include(line: &str, file: &Path, at: &str, errors: &mut Vec<String>) {
    let Some(start) = line.find("{{#") else {
        return;
    };
    let Some(stop) = line[start..].find("}}") else {
        errors.push(format!("{at}: an include without its closing }}}}"));
        return;
    };
    let inner = &line[start + 3..start + stop];
    let target = inner.split_whitespace().nth(1).unwrap_or("");
    let (path, anchor) = match target.split_once(':') {
        Some((path, anchor)) => (path, Some(anchor)),
        None => (target, None),
    };
    let full = file.parent().unwrap().join(path);
    println!("cargo::rerun-if-changed={}", full.display());
    let Ok(source) = fs::read_to_string(&full) else {
        errors.push(format!("{at}: the included file {path} does not exist"));
        return;
    };
    if let Some(anchor) =
        anchor.filter(|a| !a.chars().next().is_some_and(|c| c.is_ascii_digit()))
        && (!source.contains(&format!("ANCHOR: {anchor}"))
            || !source.contains(&format!("ANCHOR_END: {anchor}")))
    {
        errors.push(format!(
            "{at}: {path} has no ANCHOR {anchor} ... ANCHOR_END {anchor}"
        ));
    }
}
