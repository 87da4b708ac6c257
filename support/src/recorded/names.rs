//! Names for what a trace shows: a lock or atomic is called by the field or
//! variable it was made for (read from the line that made it), a line by
//! its path inside the exercise's crate.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use super::{Object, Raw};

/// The path of a source file as rustc names it, relative to the workspace
/// (`solutions/solution-03/tests/../../../exercises/exercise-03/tests/x.rs`),
/// without its `..` steps.
fn resolved(file: &str) -> Vec<String> {
    let mut parts: Vec<String> = Vec::new();
    for part in Path::new(file).components() {
        match part {
            Component::ParentDir => {
                parts.pop();
            }
            Component::Normal(name) => parts.push(name.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    parts
}

/// A source path inside its crate: `src/counter.rs`, `tests/shared/x.rs`.
/// The same given file gets the same name from the exercise and the
/// solution, so that their traces match byte for byte.
pub fn normalize(file: &str) -> String {
    let parts = resolved(file);
    let start = parts
        .iter()
        .position(|p| p.starts_with("exercise-") || p.starts_with("solution-"))
        .map_or(0, |i| i + 1);
    parts[start..].join("/")
}

/// The exercise's number, "03", from a path in its crate or its solution's.
pub fn exercise_of(file: &str) -> String {
    resolved(file)
        .iter()
        .find_map(|p| {
            p.strip_prefix("exercise-")
                .or_else(|| p.strip_prefix("solution-"))
        })
        .unwrap_or_default()
        .to_string()
}

/// The source lines of `file`, found from the current directory or one
/// above it (tests run in their package, rustc names files from the
/// workspace). Read once per process.
fn line_of(file: &str, line: u32) -> Option<String> {
    static FILES: OnceLock<Mutex<HashMap<String, Vec<String>>>> = OnceLock::new();
    let mut files = FILES.get_or_init(Default::default).lock().ok()?;
    if !files.contains_key(file) {
        let here = std::env::current_dir().ok()?;
        let text = here
            .ancestors()
            .map(|dir| dir.join(file))
            .find(|path| path.is_file())
            .and_then(|path: PathBuf| std::fs::read_to_string(path).ok())
            .unwrap_or_default();
        files.insert(file.to_string(), text.lines().map(str::to_string).collect());
    }
    files.get(file)?.get(line.checked_sub(1)? as usize).cloned()
}

/// The field or variable that the line at `at` makes: `value` from
/// `value: AtomicU64::new(0),`, `ready` from `let ready = Arc::new(..)`.
pub fn field_at(at: &std::panic::Location<'_>) -> Option<String> {
    let line = line_of(at.file(), at.line())?;
    let line = line.trim();
    let name = if let Some(rest) = line.strip_prefix("let ") {
        rest.trim_start_matches("mut ")
    } else {
        let colon = line.find(':')?;
        if line[colon..].starts_with("::") {
            return None;
        }
        line
    };
    let name: String = name
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!name.is_empty()).then_some(name)
}

/// Every object's name in the table. An object made inside `named(label)`
/// is `label`, or `label.field` if that scope made several; others are
/// their field, numbered when two shown objects share it.
pub(super) fn display_names(objects: &[Object], steps: &[Raw]) -> Vec<String> {
    let in_scope = |scope: usize| {
        objects
            .iter()
            .filter(|o| o.scope.as_ref().is_some_and(|(s, _)| *s == scope))
            .count()
    };
    let mut names: Vec<String> = objects
        .iter()
        .map(|o| match &o.scope {
            Some((scope, label)) if in_scope(*scope) == 1 => label.clone(),
            Some((_, label)) => format!("{label}.{}", o.field),
            None => o.field.clone(),
        })
        .collect();
    let shown: Vec<usize> = {
        let mut shown: Vec<usize> = steps.iter().map(|r| r.object).collect();
        shown.sort_unstable();
        shown.dedup();
        shown
    };
    for &o in &shown {
        let twins: Vec<usize> = shown
            .iter()
            .copied()
            .filter(|&t| names[t] == names[o] && objects[t].kind == objects[o].kind)
            .collect();
        if twins.len() > 1 {
            for (n, t) in twins.into_iter().enumerate() {
                names[t] = format!("{} #{}", names[t], n + 1);
            }
        }
    }
    names
}
