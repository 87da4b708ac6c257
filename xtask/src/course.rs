//! What the course is made of: the exercises, their solutions and chapters.

use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;

pub type Result<T> = std::result::Result<T, String>;

/// The repository's root folder.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one folder below the root")
        .to_path_buf()
}

/// One exercise, as described by `[package.metadata.course]` in its Cargo.toml.
#[derive(Debug)]
pub struct Exercise {
    /// "01"
    pub number: String,
    pub dir: PathBuf,
    pub solution_dir: PathBuf,
    pub meta: Meta,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Meta {
    /// The chapter's file under book/src, e.g. "01-memory-threads.md".
    pub chapter: String,
    pub title: String,
    /// Tiered hints, from a nudge to a real hint. The last tier, the
    /// solution's path, is added by `cargo xtask hint`.
    pub hints: Vec<String>,
    /// Tests allowed to pass on the untouched starter: "name: reason".
    #[serde(default)]
    pub starter_passes: Vec<String>,
    /// Mutants of the solution that change nothing observable, each with
    /// its reason (`cargo xtask check --mutants`).
    #[serde(default)]
    pub equivalent_mutants: Vec<crate::check::mutants::Equivalent>,
}

impl Exercise {
    pub fn package(&self) -> String {
        format!("exercise-{}", self.number)
    }
    pub fn solution_package(&self) -> String {
        format!("solution-{}", self.number)
    }
    /// "book/src/01-memory-threads.md"
    pub fn chapter_path(&self) -> String {
        format!("book/src/{}", self.meta.chapter)
    }
    /// Names of the tests that may pass on the starter.
    pub fn allowed_starter_passes(&self) -> Vec<&str> {
        self.meta
            .starter_passes
            .iter()
            .map(|entry| entry.split(':').next().unwrap_or("").trim())
            .collect()
    }
}

#[derive(Deserialize)]
struct Manifest {
    package: Package,
}
#[derive(Deserialize)]
struct Package {
    metadata: Option<PackageMetadata>,
}
#[derive(Deserialize)]
struct PackageMetadata {
    course: Option<Meta>,
}

/// Every `exercises/exercise-NN`, in order.
pub fn exercises() -> Result<Vec<Exercise>> {
    let root = root();
    let mut found = Vec::new();
    for entry in read_dir_sorted(&root.join("exercises"))? {
        let Some(name) = entry
            .file_name()
            .and_then(|n| n.to_str())
            .map(str::to_owned)
        else {
            continue;
        };
        let Some(number) = name.strip_prefix("exercise-") else {
            continue;
        };
        let manifest_path = entry.join("Cargo.toml");
        let text = fs::read_to_string(&manifest_path)
            .map_err(|e| format!("cannot read {}: {e}", manifest_path.display()))?;
        let manifest: Manifest = toml::from_str(&text)
            .map_err(|e| format!("{}: {e}", manifest_path.display()))?;
        let meta = manifest
            .package
            .metadata
            .and_then(|m| m.course)
            .ok_or_else(|| {
                format!(
                    "{} has no [package.metadata.course] table",
                    manifest_path.display()
                )
            })?;
        found.push(Exercise {
            number: number.to_string(),
            solution_dir: root.join("solutions").join(format!("solution-{number}")),
            dir: entry,
            meta,
        });
    }
    Ok(found)
}

/// Finds one exercise by number ("1", "01" or "exercise-01").
pub fn exercise(wanted: &str) -> Result<Exercise> {
    let wanted = wanted.trim_start_matches("exercise-");
    let all = exercises()?;
    let names: Vec<String> = all.iter().map(|e| e.number.clone()).collect();
    all.into_iter()
        .find(|e| {
            e.number == wanted
                || e.number.trim_start_matches('0') == wanted.trim_start_matches('0')
        })
        .ok_or_else(|| {
            format!(
                "no exercise {wanted:?}; the exercises are {}",
                names.join(", ")
            )
        })
}

pub fn read_dir_sorted(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .collect();
    entries.sort();
    Ok(entries)
}

/// Every file below `dir`, as paths relative to `dir`, sorted.
pub fn files_below(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        if !current.exists() {
            continue;
        }
        for path in read_dir_sorted(&current)? {
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path.strip_prefix(dir).expect("below dir").to_path_buf());
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The markers around a learner's code, each alone on its line.
pub const BEGIN: &str = "// BEGIN YOUR CODE";
pub const END: &str = "// END YOUR CODE";

/// The lines strictly between [`BEGIN`] and [`END`].
pub struct Region {
    /// 1-based line number of the region's first line.
    pub first: usize,
    pub lines: Vec<String>,
}

/// The `YOUR CODE` regions of a file's text, in order (`check`'s pairing
/// rules say whether they are well formed).
pub fn regions(text: &str) -> Vec<Region> {
    let mut found: Vec<Region> = Vec::new();
    let mut inside = false;
    for (i, line) in text.lines().enumerate() {
        match line.trim() {
            BEGIN => {
                inside = true;
                found.push(Region {
                    first: i + 2,
                    lines: Vec::new(),
                });
            }
            END => inside = false,
            _ if inside => found.last_mut().unwrap().lines.push(line.to_string()),
            _ => {}
        }
    }
    found
}

/// True while every `YOUR CODE` region under the exercise folder `dir`'s
/// `src/` still holds a `todo!`: nobody has started it (`progress`, `check
/// --student`).
pub fn untouched(dir: &Path) -> bool {
    let src = dir.join("src");
    let (mut regions_seen, mut with_todo) = (0, 0);
    for file in files_below(&src).unwrap_or_default() {
        let text = fs::read_to_string(src.join(file)).unwrap_or_default();
        for region in regions(&text) {
            regions_seen += 1;
            with_todo += usize::from(region.lines.iter().any(|l| l.contains("todo!(")));
        }
    }
    regions_seen > 0 && regions_seen == with_todo
}
