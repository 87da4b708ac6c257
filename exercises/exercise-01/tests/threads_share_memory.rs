//! Tests for exercise 01. The reference solution runs this very file too.
//!
//! They check *what* your threads do, never how fast: each test hands your
//! function a closure that records which thread ran it and which part of the
//! data it saw.

use std::collections::HashSet;
use std::sync::{Arc, Barrier, Mutex};
use std::thread::{self, ThreadId};

use course_support::watch;
use exercise_01::{chunk_len, fill_in_place, sum_arc, sum_scoped};

const CHAPTER: &str =
    "Read chapter 01, \"Memory, part 1\" (book/src/01-memory-threads.md).";

/// What one call of the closure saw: the thread, and where its chunk lies.
#[derive(Clone, Copy, Debug)]
struct Call {
    thread: ThreadId,
    start: usize, // the chunk's address in memory
    len: usize,
}

type Calls = Arc<Mutex<Vec<Call>>>;

fn record(calls: &Calls, chunk: &[u64]) {
    calls.lock().unwrap().push(Call {
        thread: thread::current().id(),
        start: chunk.as_ptr() as usize,
        len: chunk.len(),
    });
}

/// Checks that the recorded chunks are `data`, cut into contiguous pieces
/// that cover every item exactly once, and returns how many threads ran them.
fn check_chunks(calls: &Calls, data: &[u64], workers: usize, what: &str) -> usize {
    let mut calls = calls.lock().unwrap().clone();
    calls.sort_by_key(|call| call.start);
    let size = std::mem::size_of::<u64>();
    let mut expected_start = data.as_ptr() as usize;
    for call in &calls {
        assert!(
            call.start == expected_start,
            "{what}: the chunks do not tile the data: a chunk starts at item {} where item {} was \
             expected. Every item must be in exactly one chunk, and the chunks must be slices of \
             the caller's data, not copies. {CHAPTER}",
            (call.start as isize - data.as_ptr() as isize) / size as isize,
            (expected_start - data.as_ptr() as usize) / size,
        );
        expected_start += call.len * size;
    }
    let covered: usize = calls.iter().map(|call| call.len).sum();
    assert_eq!(
        covered,
        data.len(),
        "{what}: the chunks cover {covered} of {} items. {CHAPTER}",
        data.len()
    );
    assert!(
        calls.len() <= workers,
        "{what}: {} chunks for {workers} workers; use `chunk_len` to cut the data. {CHAPTER}",
        calls.len()
    );

    let me = thread::current().id();
    assert!(
        calls.iter().all(|call| call.thread != me),
        "{what}: a chunk was summed on the calling thread itself. Spawn a thread for every \
         chunk. {CHAPTER}"
    );
    let threads: HashSet<ThreadId> = calls.iter().map(|call| call.thread).collect();
    assert_eq!(
        threads.len(),
        calls.len(),
        "{what}: {} chunks ran on only {} distinct threads. Each chunk needs its own thread. {CHAPTER}",
        calls.len(),
        threads.len()
    );
    threads.len()
}

fn numbers(n: u64) -> Vec<u64> {
    (1..=n).collect()
}

// ---- 1. sum_scoped ----------------------------------------------------------

#[test]
fn sum_scoped_adds_up_every_item() {
    let data = numbers(1000);
    let total = sum_scoped(&data, 4, |chunk| chunk.iter().sum());
    assert_eq!(total, 500_500, "sum_scoped(1..=1000) is wrong. {CHAPTER}");
}

#[test]
fn sum_scoped_runs_one_thread_per_chunk_on_borrowed_data() {
    let data = numbers(1000);
    let calls = Calls::default();
    let total = sum_scoped(&data, 4, |chunk| {
        record(&calls, chunk);
        chunk.iter().sum()
    });
    assert_eq!(total, 500_500, "sum_scoped(1..=1000) is wrong. {CHAPTER}");
    let threads = check_chunks(&calls, &data, 4, "sum_scoped");
    assert_eq!(
        threads, 4,
        "sum_scoped with 4 workers and 1000 items should use 4 threads. {CHAPTER}"
    );
}

#[test]
fn sum_scoped_handles_uneven_and_tiny_inputs() {
    for (n, workers) in [(10, 3), (3, 8), (1, 2), (0, 4), (7, 1)] {
        let data = numbers(n);
        let calls = Calls::default();
        let total = sum_scoped(&data, workers, |chunk| {
            record(&calls, chunk);
            chunk.iter().sum()
        });
        assert_eq!(
            total,
            n * (n + 1) / 2,
            "sum_scoped of {n} items over {workers} workers. {CHAPTER}"
        );
        check_chunks(
            &calls,
            &data,
            workers,
            &format!("sum_scoped({n} items, {workers} workers)"),
        );
    }
}

#[test]
fn sum_scoped_threads_run_at_the_same_time() {
    // Every chunk waits at a barrier until all 4 have arrived. Threads that
    // run one after another (spawn, join, spawn, join...) never all arrive.
    watch(
        CHAPTER,
        "sum_scoped with 4 threads meeting at a barrier",
        "spawn every thread before you join any of them.",
        || {
            let data = numbers(400);
            let barrier = Barrier::new(4);
            sum_scoped(&data, 4, |chunk| {
                barrier.wait();
                chunk.iter().sum()
            })
        },
    );
}

// ---- 2. fill_in_place ---------------------------------------------------------

#[test]
fn fill_in_place_writes_into_the_callers_buffer() {
    let mut buffer = vec![0u64; 1000];
    let threads = Mutex::new(HashSet::new());
    fill_in_place(&mut buffer, 4, |index, chunk| {
        threads.lock().unwrap().insert(thread::current().id());
        for item in chunk.iter_mut() {
            *item = index as u64 + 1;
        }
    });
    // The threads wrote straight into our memory: no copy came back.
    let size = chunk_len(1000, 4);
    for (position, item) in buffer.iter().enumerate() {
        assert_eq!(
            *item,
            (position / size) as u64 + 1,
            "buffer[{position}] was not written by chunk {}. {CHAPTER}",
            position / size
        );
    }
    let threads = threads.into_inner().unwrap();
    assert!(
        !threads.contains(&thread::current().id()),
        "fill_in_place filled a chunk on the calling thread. {CHAPTER}"
    );
    assert_eq!(
        threads.len(),
        4,
        "fill_in_place should use 4 threads for 4 chunks. {CHAPTER}"
    );
}

#[test]
fn fill_in_place_threads_run_at_the_same_time() {
    watch(
        CHAPTER,
        "fill_in_place with 3 threads meeting at a barrier",
        "spawn every thread inside one `std::thread::scope`, and let the scope join them.",
        || {
            let mut buffer = vec![0u64; 30];
            let barrier = Barrier::new(3);
            fill_in_place(&mut buffer, 3, |_, chunk| {
                barrier.wait();
                chunk.fill(7);
            });
            assert!(
                buffer.iter().all(|&item| item == 7),
                "fill_in_place missed some items. {CHAPTER}"
            );
        },
    );
}

// ---- 3. sum_arc -----------------------------------------------------------------

#[test]
fn sum_arc_shares_one_vector_between_static_threads() {
    let data = Arc::new(numbers(1000));
    let calls = Calls::default();
    let recorded = Arc::clone(&calls);
    let total = sum_arc(Arc::clone(&data), 4, move |chunk| {
        record(&recorded, chunk);
        chunk.iter().sum()
    });
    assert_eq!(total, 500_500, "sum_arc(1..=1000) is wrong. {CHAPTER}");
    // The chunks lie inside *our* vector: the threads shared it, nobody copied it.
    let threads = check_chunks(&calls, &data, 4, "sum_arc");
    assert_eq!(
        threads, 4,
        "sum_arc with 4 workers and 1000 items should use 4 threads. {CHAPTER}"
    );
}

#[test]
fn sum_arc_handles_uneven_and_tiny_inputs() {
    for (n, workers) in [(10, 3), (3, 8), (0, 2), (5, 1)] {
        let data = Arc::new(numbers(n));
        let calls = Calls::default();
        let recorded = Arc::clone(&calls);
        let total = sum_arc(Arc::clone(&data), workers, move |chunk| {
            record(&recorded, chunk);
            chunk.iter().sum()
        });
        assert_eq!(
            total,
            n * (n + 1) / 2,
            "sum_arc of {n} items over {workers} workers. {CHAPTER}"
        );
        check_chunks(
            &calls,
            &data,
            workers,
            &format!("sum_arc({n} items, {workers} workers)"),
        );
    }
}

#[test]
fn sum_arc_threads_run_at_the_same_time() {
    watch(
        CHAPTER,
        "sum_arc with 4 threads meeting at a barrier",
        "spawn every thread before you join any of them.",
        || {
            let barrier = Arc::new(Barrier::new(4));
            sum_arc(Arc::new(numbers(40)), 4, move |chunk| {
                barrier.wait();
                chunk.iter().sum()
            })
        },
    );
}

// ---- given code -------------------------------------------------------------------

#[test]
#[should_panic(expected = "workers must be at least 1")]
fn zero_workers_is_refused() {
    sum_scoped(&[1, 2, 3], 0, |chunk| chunk.iter().sum());
}

#[test]
fn chunk_len_covers_every_item() {
    for len in 0..50 {
        for workers in 1..10 {
            let size = chunk_len(len, workers);
            assert!(size >= 1);
            assert!(
                size * workers >= len,
                "chunk_len({len}, {workers}) = {size} is too small"
            );
        }
    }
}
