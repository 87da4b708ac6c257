//! Tests of the stage across a process pipe: the worker program
//! (src/main.rs) and `remote_stage` (src/remote.rs).

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use crossbeam_channel::bounded;
use exercise_09::frame::{FrameError, read_frame, write_frame};
use exercise_09::remote::{RemoteStage, remote_stage, run_remote_pipeline};
use exercise_09::{Item, run_pipeline, stage_work};

#[path = "shared/mod.rs"]
mod shared;
use shared::{CHAPTER, texts, watched};

/// This package's worker program, built by cargo for the tests.
const WORKER: &str = env!(concat!("CARGO_BIN_EXE_", env!("CARGO_PKG_NAME")));

const HINT: &str = "does the writer thread drop the child's stdin when the input ends? Do writing and reading happen \
                    on two different threads? (Pipes hold only about 64 KiB.)";

fn item(seq: u64, text: &str) -> Item {
    Item {
        seq,
        text: text.to_string(),
    }
}

/// Starts a remote stage over `items` and reads all it gives.
fn through_worker(
    args: &'static [&'static str],
    items: Vec<Item>,
) -> (Vec<Result<Item, FrameError>>, RemoteStage) {
    watched("a remote stage", HINT, move || {
        let (input, rx) = bounded(4);
        let stage = remote_stage(Path::new(WORKER), args, rx, 4)
            .unwrap_or_else(|e| panic!("cannot start the worker: {e}. {CHAPTER}"));
        let producer = std::thread::spawn(move || {
            for item in items {
                if input.send(item).is_err() {
                    break;
                }
            }
        });
        let results: Vec<_> = stage.output.iter().collect();
        producer.join().unwrap();
        (results, stage)
    })
}

/// Runs the worker program by hand on `stdin` bytes: (exit code, stderr).
fn run_worker_on(stdin: Vec<u8>) -> (Option<i32>, String, Vec<u8>) {
    watched(
        "the worker program",
        "the worker reads until its input ends.",
        move || {
            let mut child = Command::new(WORKER)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("start the worker");
            let mut pipe = child.stdin.take().unwrap();
            let writer = std::thread::spawn(move || {
                let _ = pipe.write_all(&stdin);
            });
            let output = child.wait_with_output().unwrap();
            writer.join().unwrap();
            (
                output.status.code(),
                String::from_utf8_lossy(&output.stderr).into_owned(),
                output.stdout,
            )
        },
    )
}

#[test]
fn the_worker_program_answers_frames_with_frames() {
    let mut request = Vec::new();
    for message in [item(0, "abc"), item(1, "pipe")] {
        write_frame(&mut request, &message)
            .unwrap_or_else(|e| panic!("write_frame: {e}. {CHAPTER}"));
    }
    let (code, stderr, stdout) = run_worker_on(request);
    assert_eq!(
        code,
        Some(0),
        "the worker should succeed; its stderr: {stderr}. {CHAPTER}"
    );
    let mut answers = stdout.as_slice();
    let first: Option<Item> =
        read_frame(&mut answers).unwrap_or_else(|e| panic!("read_frame: {e}. {CHAPTER}"));
    let second: Option<Item> =
        read_frame(&mut answers).unwrap_or_else(|e| panic!("read_frame: {e}. {CHAPTER}"));
    assert_eq!(
        (first, second),
        (Some(item(0, "CBA")), Some(item(1, "EPIP"))),
        "the worker's answers. {CHAPTER}"
    );
}

#[test]
fn the_worker_program_refuses_garbage_with_one_clear_line() {
    let (code, stderr, _) = run_worker_on(b"hello world\n".to_vec());
    assert_eq!(
        code,
        Some(2),
        "a broken frame makes the worker exit with code 2 (stderr: {stderr}). {CHAPTER}"
    );
    assert!(
        stderr.starts_with("error: ") && stderr.trim().lines().count() == 1,
        "one line `error: ...`, not {stderr:?}. {CHAPTER}"
    );
    assert!(
        stderr.contains("larger than"),
        "a 1.7 GB length is refused as too large: {stderr}. {CHAPTER}"
    );

    let mut cut = 100u32.to_be_bytes().to_vec();
    cut.extend_from_slice(b"{\"seq\":");
    let (code, stderr, _) = run_worker_on(cut);
    assert_eq!(
        code,
        Some(2),
        "a truncated frame makes the worker exit with code 2. {CHAPTER}"
    );
    assert!(
        stderr.contains("truncated"),
        "the worker should say the frame was truncated: {stderr}. {CHAPTER}"
    );
}

#[test]
fn a_remote_stage_gives_the_same_answers_as_a_thread() {
    let items: Vec<Item> = texts(300)
        .into_iter()
        .enumerate()
        .map(|(seq, text)| Item {
            seq: seq as u64,
            text,
        })
        .collect();
    let expected: Vec<Item> = items.iter().cloned().map(stage_work).collect();
    let (results, stage) = through_worker(&[], items);
    let results: Vec<Item> = results
        .into_iter()
        .map(|r| r.unwrap_or_else(|e| panic!("a frame from the worker: {e}. {CHAPTER}")))
        .collect();
    assert_eq!(
        results, expected,
        "one answer per item, in order. {CHAPTER}"
    );
    let finished = watched("RemoteStage::finish", HINT, move || stage.finish());
    assert_eq!(
        finished,
        Ok(()),
        "the worker should end well once its input ends. {CHAPTER}"
    );
}

#[test]
fn a_megabyte_each_way_does_not_deadlock_the_pipes() {
    let items: Vec<Item> = (0..5000).map(|seq| item(seq, &"z".repeat(200))).collect();
    let (results, stage) = through_worker(&[], items);
    assert_eq!(results.len(), 5000, "5000 items went in. {CHAPTER}");
    assert!(
        results.iter().all(Result::is_ok),
        "every frame reads. {CHAPTER}"
    );
    assert_eq!(
        watched("RemoteStage::finish", HINT, move || stage.finish()),
        Ok(())
    );
}

#[test]
fn a_frame_cut_by_a_crash_is_reported_not_lost() {
    let items: Vec<Item> = (0..10).map(|seq| item(seq, "abc")).collect();
    let (results, stage) = through_worker(&["--cut-after", "2"], items);
    assert_eq!(
        results.len(),
        3,
        "2 answers, then one error, then the end: got {results:?}. {CHAPTER}"
    );
    assert!(
        results[..2].iter().all(Result::is_ok),
        "the 2 whole frames read: {results:?}. {CHAPTER}"
    );
    assert!(
        matches!(
            results[2],
            Err(FrameError::Truncated {
                expected: 100,
                got: 3
            })
        ),
        "the half-written frame is Truncated {{ expected: 100, got: 3 }}, not {:?}. {CHAPTER}",
        results[2]
    );
    let finished = watched("RemoteStage::finish", HINT, move || stage.finish());
    assert!(
        finished.is_err(),
        "the worker crashed: finish must say so. {CHAPTER}"
    );
}

#[test]
fn a_garbled_frame_from_the_worker_is_an_error() {
    let items: Vec<Item> = (0..10).map(|seq| item(seq, "abc")).collect();
    let (results, stage) = through_worker(&["--garble-after", "1"], items);
    assert_eq!(
        results.len(),
        2,
        "1 answer, then one error, then the end: got {results:?}. {CHAPTER}"
    );
    assert!(
        matches!(results[1], Err(FrameError::Malformed(_))),
        "got {:?}. {CHAPTER}",
        results[1]
    );
    let finished = watched("RemoteStage::finish", HINT, move || stage.finish());
    assert!(
        finished.unwrap_err().contains("exit status: 3"),
        "finish reports the worker's exit code. {CHAPTER}"
    );
}

#[test]
fn the_reader_stops_at_the_first_broken_frame() {
    // The worker writes a broken frame in place of answer 1, then goes on
    // answering: what follows a broken frame cannot be trusted, so the stage
    // gives one error and ends there.
    let items: Vec<Item> = (0..10).map(|seq| item(seq, "abc")).collect();
    let (results, stage) = through_worker(&["--garble-once-at", "1"], items);
    assert_eq!(
        results.len(),
        2,
        "1 answer, then one error, then the end, even though the worker goes on \
         writing: the reader thread must stop after the first broken frame; got {} \
         results. {CHAPTER}",
        results.len()
    );
    assert!(
        matches!(results[1], Err(FrameError::Malformed(_))),
        "got {:?}. {CHAPTER}",
        results[1]
    );
    let _ = watched("RemoteStage::finish", HINT, move || stage.finish());
}

#[test]
fn the_pipeline_across_a_process_matches_the_pipeline_on_threads() {
    let input = texts(400);
    let expected = run_pipeline(input.clone(), 2, 4);
    let results = watched("run_remote_pipeline", HINT, move || {
        run_remote_pipeline(Path::new(WORKER), &[], input, 4)
    });
    assert_eq!(
        results,
        Ok(expected),
        "the process stage gives the same results as the threads. {CHAPTER}"
    );
}

#[test]
fn a_child_process_writes_into_memory_its_parent_maps() {
    use exercise_09::shm::{SharedSlots, stage_value};
    use std::sync::atomic::Ordering;
    let path =
        std::env::temp_dir().join(format!("exercise-09-shm-{}", std::process::id()));
    let shared = SharedSlots::create(&path, 1000)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}. {CHAPTER}", path.display()));
    assert!(
        shared
            .slots()
            .iter()
            .all(|slot| slot.load(Ordering::Acquire) == 0),
        "a new file is zeroed. {CHAPTER}"
    );
    let shown = path.display().to_string();
    let status = watched("the worker filling shared memory", "", move || {
        Command::new(WORKER)
            .args(["--fill-shared", &shown])
            .status()
            .expect("start the worker")
    });
    assert!(
        status.success(),
        "the worker failed to fill the shared file ({status}). {CHAPTER}"
    );
    // The child wrote into *its* mapping; the parent sees it in its own,
    // without a single byte sent through a pipe.
    let seen: Vec<u64> = shared
        .slots()
        .iter()
        .map(|slot| slot.load(Ordering::Acquire))
        .collect();
    let _ = std::fs::remove_file(&path);
    assert_eq!(
        seen,
        (0..1000).map(stage_value).collect::<Vec<_>>(),
        "the parent reads what the child stored. {CHAPTER}"
    );
}
