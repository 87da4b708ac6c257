//! # Exercise 01 · Memory, part 1: threads share one address space
//!
//! Read first: the chapter "Memory, part 1" (`book/src/01-memory-threads.md`;
//! `cargo xtask serve` shows the book).
//! Test your code: `cargo test -p exercise-01`
//! Stuck? `cargo xtask hint 01` gives a nudge, then a hint, then the solution.
//!
//! Every thread of a process sees the same memory. You will split one job
//! over several threads that all work on the *same* data, without copying it:
//!
//! 1. [`sum_scoped`]: scoped threads that *borrow* a slice.
//! 2. [`fill_in_place`]: scoped threads that each *write* their own part of
//!    one buffer, which the caller then sees.
//! 3. [`sum_arc`]: `'static` threads, which cannot borrow, share the data
//!    through an [`Arc`].
//!
//! Write your code only between `// BEGIN YOUR CODE` and `// END YOUR CODE`.

use std::sync::Arc;

/// How many items each worker gets when `len` items are split over
/// `workers` workers: the length rounded up, and never 0 (`chunks(0)` panics).
///
/// With this length, `slice.chunks(chunk_len(len, workers))` gives at most
/// `workers` chunks, and exactly `workers` when `len` is a multiple of it.
///
/// ```
/// assert_eq!(exercise_01::chunk_len(10, 3), 4); // chunks of 4, 4 and 2
/// assert_eq!(exercise_01::chunk_len(0, 3), 1);
/// ```
pub fn chunk_len(len: usize, workers: usize) -> usize {
    len.div_ceil(workers).max(1)
}

// ANCHOR: sum_scoped
/// Sums `data` by calling `sum_chunk` on each chunk, each chunk on its own
/// thread, and adding up what the threads return.
///
/// Use [`chunk_len`] to cut `data` into chunks, spawn one scoped thread per
/// chunk, and join them all. The threads borrow `data` and `sum_chunk`
/// directly: `std::thread::scope` guarantees they end before this returns.
///
/// # Panics
/// If `workers` is 0.
pub fn sum_scoped<F>(data: &[u64], workers: usize, sum_chunk: F) -> u64
where
    F: Fn(&[u64]) -> u64 + Sync,
{
    assert!(workers >= 1, "workers must be at least 1, got 0");
    // BEGIN YOUR CODE
    // TODO: cut `data` into chunks of `chunk_len(data.len(), workers)` items,
    //       spawn one scoped thread per chunk (`std::thread::scope`) that calls
    //       `sum_chunk(chunk)`, then join them all and add up their results.
    //       Spawn them all before you join any, or they run one at a time.
    todo!("exercise 01: write `sum_scoped` (chapter 01, book/src/01-memory-threads.md)")
    // END YOUR CODE
}
// ANCHOR_END: sum_scoped

// ANCHOR: fill_in_place
/// Fills `buffer` in place: cuts it into chunks with [`chunk_len`], and
/// calls `fill_chunk(chunk_index, chunk)` for each chunk on its own scoped
/// thread. Chunk 0 is the first one.
///
/// Nothing is copied or sent back: the threads write straight into the
/// caller's memory, so the caller sees every write once this returns.
///
/// # Panics
/// If `workers` is 0.
pub fn fill_in_place<F>(buffer: &mut [u64], workers: usize, fill_chunk: F)
where
    F: Fn(usize, &mut [u64]) + Sync,
{
    assert!(workers >= 1, "workers must be at least 1, got 0");
    // BEGIN YOUR CODE
    // TODO: cut `buffer` with `chunks_mut(chunk_len(buffer.len(), workers))`,
    //       and call `fill_chunk(index, chunk)` on its own scoped thread for
    //       each chunk (`enumerate` gives the index).
    todo!(
        "exercise 01: write `fill_in_place` (chapter 01, book/src/01-memory-threads.md)"
    )
    // END YOUR CODE
}
// ANCHOR_END: fill_in_place

// ANCHOR: sum_arc
/// The same job as [`sum_scoped`], with threads from `std::thread::spawn`.
///
/// Those threads may outlive this call, so they cannot borrow: everything
/// they use must be `'static`. Share `data` (already in an [`Arc`]) and
/// `sum_chunk` (put it in one) by cloning the `Arc` into each thread; each
/// thread then sums its own index range of the one shared vector.
///
/// # Panics
/// If `workers` is 0.
pub fn sum_arc<F>(data: Arc<Vec<u64>>, workers: usize, sum_chunk: F) -> u64
where
    F: Fn(&[u64]) -> u64 + Send + Sync + 'static,
{
    assert!(workers >= 1, "workers must be at least 1, got 0");
    // BEGIN YOUR CODE
    // TODO: `std::thread::spawn` one thread per chunk. Each thread needs its
    //       own clone of the `Arc` around `data`, and of an `Arc` you put
    //       around `sum_chunk`, plus the index range of its chunk. Join the
    //       handles and add up what the threads return.
    todo!("exercise 01: write `sum_arc` (chapter 01, book/src/01-memory-threads.md)")
    // END YOUR CODE
}
// ANCHOR_END: sum_arc
