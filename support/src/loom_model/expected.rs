//! The committed failing executions of the known wrong answers
//! (`book/src/generated/traces/NN-NAME.json`, and `.txt`: the table the
//! book shows): a test compares the trace it records with its files, byte
//! for byte, and `cargo xtask figures traces` writes the files again.

use std::path::PathBuf;

use super::{Run, Suite, trace_out};

/// The committed traces, below the workspace's root.
pub const TRACES: &str = "book/src/generated/traces";

/// With this variable set, [`Suite::expect_trace`] writes the trace into
/// [`TRACES`] instead of comparing (`cargo xtask figures traces` sets it).
pub const WRITE_TRACES: &str = "COURSE_WRITE_TRACES";

/// The test-name prefixes of the known wrong answers' tests.
pub const WRONG_PREFIXES: [&str; 2] = ["loom_catches_wrong_", "loom_rejects_wrong_"];

/// The committed file of the running test: `03-lock_twice_counter.json` for
/// `models::loom_catches_wrong_lock_twice_counter` of exercise 03.
fn committed_file(package: &str) -> (String, Option<PathBuf>) {
    let test = trace_out::test_name();
    let mut name = test.rsplit("::").next().unwrap_or(&test);
    for prefix in WRONG_PREFIXES {
        name = name.strip_prefix(prefix).unwrap_or(name);
    }
    let number = package.rsplit('-').next().unwrap_or(package);
    let file = format!("{TRACES}/{number}-{name}.json");
    let here = std::env::current_dir().unwrap_or_default();
    let root = here
        .ancestors()
        .find(|dir| dir.join(TRACES).is_dir())
        .map(|dir| dir.join(&file));
    (file, root)
}

impl Suite {
    /// Fails unless the failing execution of `run` is the same as that of
    /// `again` (the same model run once more) and as the committed one.
    #[track_caller]
    pub fn expect_trace(&self, run: &Run, again: &Run) {
        let chapter = self.chapter;
        let (file, path) = committed_file(self.package);
        let Some(trace) = &run.trace else {
            panic!("loom recorded no failing execution for {file}. {chapter}");
        };
        assert!(
            run.trace == again.trace,
            "two runs of the same model recorded different executions: a trace must be \
             deterministic. First:\n{}\nSecond:\n{:?}",
            trace.json,
            again.trace.as_ref().map(|t| &t.json)
        );
        let Some(path) = path else {
            panic!("{TRACES} is not above this test's folder. {chapter}");
        };
        for (path, recorded) in [
            (path.with_extension("json"), &trace.json),
            (path.with_extension("txt"), &trace.table),
        ] {
            let file = path.display();
            if std::env::var_os(WRITE_TRACES).is_some() {
                std::fs::write(&path, recorded)
                    .unwrap_or_else(|e| panic!("cannot write {file}: {e}"));
                continue;
            }
            let committed = std::fs::read_to_string(&path).unwrap_or_default();
            if committed != *recorded {
                let differ = committed
                    .lines()
                    .zip(recorded.lines())
                    .position(|(a, b)| a != b)
                    .map_or(String::new(), |i| {
                        format!(
                            "\nFirst difference, line {}:\n  committed: {}\n  recorded:  {}",
                            i + 1,
                            committed.lines().nth(i).unwrap_or(""),
                            recorded.lines().nth(i).unwrap_or("")
                        )
                    });
                panic!(
                    "the failing execution that loom recorded is not the committed one, \
                     {file}.{differ}\nIf you changed a model or a wrong answer on purpose, run \
                     `cargo xtask figures traces` and review the diff. Recorded:\n{}",
                    trace.table
                );
            }
        }
    }
}
