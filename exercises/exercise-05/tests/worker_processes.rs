//! Tests for exercise 05, worker processes. The reference solution runs this
//! very file too.
//!
//! The workers are this crate's own binary (`src/main.rs`), which runs the
//! given [`worker_main`](exercise_05::worker_main).

use std::collections::HashSet;
use std::io::Write;
use std::ops::Range;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use course_support::worker::Program;
use course_support::{is_todo, panic_message, watch};
use exercise_05::{count_inside, sum_processes};

const CHAPTER: &str =
    "Read chapter 05, \"Parallelism vs concurrency\" (book/src/05-parallelism.md).";

/// This crate's worker binary (the package name is the binary's name).
const WORKER: &str = env!(concat!("CARGO_BIN_EXE_", env!("CARGO_PKG_NAME")));

fn worker() -> Program {
    Program::new(WORKER)
}

/// A fresh, empty folder for one test's trace files.
fn trace_dir(test: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("course-05-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn the_worker_answers_ok_and_exits_with_2_on_a_bad_request() {
    let mut child = Command::new(WORKER)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cannot start the worker binary");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"inside 0 1000\nfly 1 2\ninside 0 1\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        format!("ok {}\n", count_inside(0..1000))
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("error: unknown job `fly`") && stderr.lines().count() == 1,
        "{stderr}"
    );
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn sum_processes_gives_the_sequential_answer() {
    let cases: Vec<(Range<u64>, usize)> = vec![
        (0..10_000, 1),
        (0..10_000, 2),
        (5..77_777, 3),
        (10..13, 5),
        (8..8, 2),
    ];
    for (range, workers) in cases {
        let expected = count_inside(range.clone());
        let r = range.clone();
        let got = watch(CHAPTER, "sum_processes", "", move || {
            sum_processes(&worker(), "inside", r, workers)
        });
        match got {
            Ok(got) => assert_eq!(
                got, expected,
                "sum_processes(\"inside\", {range:?}, {workers} workers) returned {got}, but the \
                 sequential answer is {expected}. {CHAPTER}"
            ),
            Err(e) => panic!(
                "sum_processes(\"inside\", {range:?}, {workers} workers) failed: {e}. {CHAPTER}"
            ),
        }
    }
}

#[test]
fn sum_processes_runs_one_worker_per_piece_at_the_same_time() {
    for workers in [2, 3] {
        let dir = trace_dir(&format!("together-{workers}"));
        // Each traced worker writes a file, then waits until `workers` files
        // exist: it answers only if all the workers run at once.
        let program = worker()
            .arg("--trace")
            .arg(&dir)
            .arg("--expect")
            .arg(workers.to_string());
        let what = format!("sum_processes(\"trace\", 0..3000, {workers} workers)");
        let got = watch(CHAPTER, &what, "", move || {
            sum_processes(&program, "trace", 0..3000, workers)
        });
        let got = got.unwrap_or_else(|e| panic!("{what} failed: {e}. {CHAPTER}"));
        assert_eq!(
            got,
            count_inside(0..3000),
            "{what} gave the wrong answer. {CHAPTER}"
        );

        let mut seen: Vec<(u32, Range<u64>)> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|entry| {
                let name = entry.unwrap().file_name().to_string_lossy().into_owned();
                let parts: Vec<u64> =
                    name.split('-').map(|p| p.parse().unwrap()).collect();
                (parts[0] as u32, parts[1]..parts[2])
            })
            .collect();
        let _ = std::fs::remove_dir_all(&dir);
        seen.sort_by_key(|(_, piece)| piece.start);
        let pids: HashSet<u32> = seen.iter().map(|(pid, _)| *pid).collect();
        assert!(
            seen.len() == workers && pids.len() == workers,
            "{what}: {} requests went to {} processes; start one worker process per piece \
             (`split(range, workers)`), one request each. {CHAPTER}",
            seen.len(),
            pids.len()
        );
        assert!(
            !pids.contains(&std::process::id()),
            "{what}: the work ran in the test's own process. {CHAPTER}"
        );
        let mut next = 0;
        for (_, piece) in &seen {
            assert!(
                piece.start == next,
                "{what}: the pieces {seen:?} do not cover 0..3000 exactly once. {CHAPTER}"
            );
            next = piece.end;
        }
        assert_eq!(
            next, 3000,
            "{what}: the pieces {seen:?} stop short of 3000. {CHAPTER}"
        );
    }
}

#[test]
fn sum_processes_reports_a_failing_worker_as_an_error() {
    // `fly` is no job: every worker exits with code 2 and says why on stderr.
    let outcome = watch(CHAPTER, "sum_processes with a bad job", "", || {
        std::panic::catch_unwind(|| sum_processes(&worker(), "fly", 0..100, 2))
            .map_err(|p| panic_message(&*p))
    });
    match outcome {
        Ok(Err(error)) => {
            let text = error.to_string();
            assert!(
                text.contains("unknown job `fly`") && !text.contains('\n'),
                "sum_processes with the unknown job `fly` gave the error `{text}`; pass on the \
                 error of `run_workers` (it quotes the worker's own message). {CHAPTER}"
            );
        }
        Ok(Ok(value)) => panic!(
            "sum_processes with the unknown job `fly` returned Ok({value}) instead of an error. {CHAPTER}"
        ),
        Err(message) if is_todo(&message) => panic!("{message}"),
        Err(message) => panic!(
            "sum_processes panicked (`{message}`) when a worker failed; return the \
             `WorkerError` instead (the `?` operator does that). {CHAPTER}"
        ),
    }
}
