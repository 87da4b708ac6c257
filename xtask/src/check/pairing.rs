//! How a solution pairs with its exercise, file by file (one home per file):
//! - a file with YOUR CODE regions exists in both, and the two differ only
//!   inside the regions;
//! - a given file (no regions) exists once, in the exercise. The solution
//!   reaches it by `#[path = "../../../exercises/exercise-NN/..."]` on a
//!   `mod`, or, for a crate root cargo discovers by its place (`src/main.rs`,
//!   `tests/*.rs`, `examples/*.rs`, `benches/*.rs`), through a shim of the same
//!   name that `include!`s it or mounts it with `#[path]`;
//! - `src/lib.rs` exists in both and differs only in those `#[path]` lines
//!   (and in the regions, if it has any);
//! - the manifests differ only in `[package]` and `[lints]`.

use std::fs;
use std::path::Path;

use crate::course::{BEGIN, END, Exercise, files_below};

type Checked<T> = std::result::Result<T, String>;

/// Checks every file of the pair. Returns the number of YOUR CODE regions.
pub fn check_files(exercise: &Exercise) -> std::result::Result<usize, Vec<String>> {
    let pair = Pair::new(exercise).map_err(|e| vec![e])?;
    let mut problems = Vec::new();
    let ex_files = files_below(&exercise.dir).map_err(|e| vec![e])?;
    let sol_files = files_below(&exercise.solution_dir).map_err(|e| vec![e])?;
    for file in &sol_files {
        let helper_of_tests = file.starts_with("tests") && file.components().count() > 2;
        if !ex_files.contains(file) && !helper_of_tests {
            problems.push(format!(
                "{}/{} has no counterpart in {}",
                pair.sol_name,
                file.display(),
                pair.ex_name
            ));
        }
    }
    let mut regions = 0;
    for file in &ex_files {
        // Helper files of the tests are reached through the test files.
        let helper_of_tests = file.starts_with("tests") && file.components().count() > 2;
        if file.starts_with("target") || helper_of_tests {
            continue;
        }
        match pair.check_one(file) {
            Ok(n) => regions += n,
            Err(p) => problems.push(p),
        }
    }
    if problems.is_empty() {
        Ok(regions)
    } else {
        Err(problems)
    }
}

struct Pair<'a> {
    exercise: &'a Exercise,
    ex_name: String,
    sol_name: String,
    /// Every `.rs` file of the solution, with the exercise's names.
    sol_sources: Vec<String>,
}

impl<'a> Pair<'a> {
    fn new(exercise: &'a Exercise) -> Checked<Pair<'a>> {
        let mut sol_sources = Vec::new();
        for file in files_below(&exercise.solution_dir)? {
            if file.extension().is_some_and(|e| e == "rs") {
                let text = fs::read_to_string(exercise.solution_dir.join(&file))
                    .map_err(|e| format!("{}: {e}", file.display()))?;
                sol_sources.push(normalise(&text, &exercise.number));
            }
        }
        Ok(Pair {
            exercise,
            ex_name: format!("exercises/{}", exercise.package()),
            sol_name: format!("solutions/{}", exercise.solution_package()),
            sol_sources,
        })
    }

    /// Where a solution's `#[path]` or `include!` points for `file`.
    fn link_to(&self, file: &Path) -> String {
        format!("../../../{}/{}\"", self.ex_name, file.display())
    }

    fn check_one(&self, file: &Path) -> Checked<usize> {
        let shown = file.display();
        let ex_text =
            fs::read_to_string(self.exercise.dir.join(file)).unwrap_or_default();
        let sol_path = self.exercise.solution_dir.join(file);
        let sol_raw = fs::read_to_string(&sol_path).ok();
        let sol_text = sol_raw
            .as_deref()
            .map(|t| normalise(t, &self.exercise.number));
        if file == Path::new("Cargo.toml") {
            let sol = sol_text.ok_or(format!("{} has no Cargo.toml", self.sol_name))?;
            return compare_manifests(&ex_text, &sol).map(|()| 0);
        }
        let (ex_kept, ex_regions) =
            outside_regions(&ex_text, &format!("{}/{shown}", self.ex_name))?;
        if sol_raw.as_deref() == Some(ex_text.as_str()) {
            return Err(format!(
                "{}/{shown} is a copy of {}/{shown}: keep one (see CONTRIBUTING.md)",
                self.sol_name, self.ex_name
            ));
        }
        // The crate root declares the modules, so it is never a shim; the
        // solution's differs by its `#[path]` lines alone.
        if ex_regions == 0 && file != Path::new("src/lib.rs") {
            return self.check_given(file, sol_text.as_deref()).map(|()| 0);
        }
        let sol_text = sol_text.ok_or(format!(
            "{}/{shown} has no counterpart in {}",
            self.ex_name, self.sol_name
        ))?;
        if let Some(line) = sol_text
            .lines()
            .position(|l| l.contains("todo!") || l.contains("unimplemented!"))
        {
            return Err(format!(
                "{}/{shown}:{} still has todo!/unimplemented!",
                self.sol_name,
                line + 1
            ));
        }
        // The solution's `#[path]` lines to given files are its only extra text.
        let mounts = format!("#[path = \"../../../{}/", self.ex_name);
        let sol_text: String = sol_text
            .lines()
            .filter(|l| !l.trim_start().starts_with(&mounts))
            .map(|l| format!("{l}\n"))
            .collect();
        let (sol_kept, sol_regions) =
            outside_regions(&sol_text, &format!("{}/{shown}", self.sol_name))?;
        if ex_regions != sol_regions {
            return Err(format!(
                "{shown}: {ex_regions} YOUR CODE regions in the exercise, {sol_regions} in the solution"
            ));
        }
        if ex_kept != sol_kept {
            let at = ex_kept
                .lines()
                .zip(sol_kept.lines())
                .position(|(a, b)| a != b)
                .map_or("one is longer".to_string(), |i| {
                    format!(
                        "first difference at line {} of the text outside the regions",
                        i + 1
                    )
                });
            return Err(format!(
                "{shown} differs between exercise and solution outside the YOUR CODE regions ({at})"
            ));
        }
        Ok(ex_regions)
    }

    /// A given file lives only in the exercise: the solution has a shim of
    /// the same name, or reaches it by `#[path]` from one of its modules.
    fn check_given(&self, file: &Path, shim: Option<&str>) -> Checked<()> {
        let shown = file.display();
        let link = self.link_to(file);
        let is_test = file.starts_with("tests");
        let Some(shim) = shim else {
            if is_test {
                return Err(format!(
                    "{shown} has no shim in {}: the solution must run the same tests",
                    self.sol_name
                ));
            }
            if self
                .sol_sources
                .iter()
                .any(|s| s.contains(&format!("#[path = \"{link}]")))
            {
                return Ok(());
            }
            return Err(format!(
                "{}/{shown} is given code that {} never reaches: add \
                 `#[path = \"{}]` on its `mod` (see CONTRIBUTING.md)",
                self.ex_name, self.sol_name, link
            ));
        };
        // A loom shim compiles the solution's own source and includes the
        // exercise's shared models, so a test shim may point anywhere in tests/.
        let target = if is_test {
            format!("{}/tests/", self.ex_name)
        } else {
            link
        };
        let mounts = shim.contains("#[path") || shim.contains("include!(");
        if !mounts || !shim.contains(&target) {
            return Err(format!(
                "{}/{shown} must be a shim that includes {target} (with `include!` or `#[path]`)",
                self.sol_name
            ));
        }
        if shim.contains("#[test]") {
            return Err(format!(
                "{}/{shown} has tests of its own; tests belong in {}/tests",
                self.sol_name, self.ex_name
            ));
        }
        Ok(())
    }
}

/// Replaces the solution's names by the exercise's, so that the two compare.
pub fn normalise(text: &str, number: &str) -> String {
    text.replace(&format!("solution-{number}"), &format!("exercise-{number}"))
        .replace(&format!("solution_{number}"), &format!("exercise_{number}"))
}

/// The text outside the learner's regions, and how many regions there are.
pub fn outside_regions(text: &str, file: &str) -> Checked<(String, usize)> {
    let mut kept = String::new();
    let mut inside = false;
    let mut regions = 0;
    for (n, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed == BEGIN {
            if inside {
                return Err(format!("{file}:{}: `{BEGIN}` inside another region", n + 1));
            }
            inside = true;
            regions += 1;
        } else if trimmed == END {
            if !inside {
                return Err(format!("{file}:{}: `{END}` without a `{BEGIN}`", n + 1));
            }
            inside = false;
        }
        if !inside {
            kept.push_str(line);
            kept.push('\n');
        }
    }
    if inside {
        return Err(format!("{file}: a `{BEGIN}` is never closed"));
    }
    Ok((kept, regions))
}

/// Everything but `[package]` and `[lints]` must match (dependencies,
/// targets...). Starters also allow `unused`; solutions take the workspace's.
fn compare_manifests(ex: &str, sol: &str) -> Checked<()> {
    let parse = |text: &str| -> Checked<toml::Table> {
        let mut table: toml::Table =
            toml::from_str(text).map_err(|e| format!("Cargo.toml: {e}"))?;
        table.remove("package");
        table.remove("lints");
        Ok(table)
    };
    if parse(ex)? != parse(sol)? {
        return Err(
            "Cargo.toml: exercise and solution differ outside [package] and \
                    [lints] (dependencies or targets)"
                .into(),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::course;

    #[test]
    fn every_exercise_of_the_course_pairs_with_its_solution() {
        for exercise in course::exercises().unwrap() {
            if let Err(problems) = check_files(&exercise) {
                panic!("exercise {}: {problems:#?}", exercise.number);
            }
        }
    }

    /// A scratch pair: `given.rs` is given code, `lib.rs` mounts it.
    fn scratch(name: &str, sol_lib: &str, extra: &[(&str, &str)]) -> Vec<String> {
        let base =
            std::env::temp_dir().join(format!("pairing-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&base);
        let exercise = Exercise {
            number: "99".into(),
            dir: base.join("exercises/exercise-99"),
            solution_dir: base.join("solutions/solution-99"),
            meta: toml::from_str("chapter = \"x.md\"\ntitle = \"x\"\nhints = []")
                .unwrap(),
        };
        let lib = "mod given;\n// BEGIN YOUR CODE\ntodo!()\n// END YOUR CODE\n";
        let files = [
            ("exercises/exercise-99/src/lib.rs", lib),
            ("exercises/exercise-99/src/given.rs", "pub fn f() {}\n"),
            ("solutions/solution-99/src/lib.rs", sol_lib),
        ];
        for (path, text) in files.iter().chain(extra) {
            let path = base.join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
        let outcome = check_files(&exercise).err().unwrap_or_default();
        fs::remove_dir_all(&base).unwrap();
        outcome
    }

    const MOUNTED: &str = "#[path = \"../../../exercises/exercise-99/src/given.rs\"]\n\
                           mod given;\n// BEGIN YOUR CODE\n42\n// END YOUR CODE\n";

    #[test]
    fn a_given_file_mounted_by_path_pairs() {
        assert_eq!(scratch("mounted", MOUNTED, &[]), Vec::<String>::new());
    }

    #[test]
    fn a_copied_given_file_is_refused() {
        let copy = [("solutions/solution-99/src/given.rs", "pub fn f() {}\n")];
        let problems = scratch("copy", MOUNTED, &copy);
        assert!(
            problems.iter().any(|p| p.contains("is a copy")),
            "{problems:?}"
        );
    }

    #[test]
    fn a_given_file_the_solution_never_reaches_is_refused() {
        let lib = "mod given;\n// BEGIN YOUR CODE\n42\n// END YOUR CODE\n";
        let problems = scratch("unreached", lib, &[]);
        assert!(
            problems.iter().any(|p| p.contains("never reaches")),
            "{problems:?}"
        );
    }

    #[test]
    fn an_example_needs_a_shim_that_includes_it() {
        let example = ("exercises/exercise-99/examples/demo.rs", "fn main() {}\n");
        let shim = (
            "solutions/solution-99/examples/demo.rs",
            "include!(\"../../../exercises/exercise-99/examples/demo.rs\");\n",
        );
        assert_eq!(
            scratch("shim", MOUNTED, &[example, shim]),
            Vec::<String>::new()
        );
        let wrong = (
            "solutions/solution-99/examples/demo.rs",
            "fn main() { 1; }\n",
        );
        let problems = scratch("no-shim", MOUNTED, &[example, wrong]);
        assert!(
            problems.iter().any(|p| p.contains("must be a shim")),
            "{problems:?}"
        );
    }
}
