//! Part 3 of exercise 04: the weakest orderings for two litmus tests.
//!
//! Read first: chapter 04, "Deadlocks and memory ordering"
//! (`book/src/04-deadlocks-and-ordering.md`), the section "What your CPU does".
//! Test your code: `cargo test -p exercise-04 --test litmus`. Stuck? `cargo xtask hint 04`.
//!
//! A litmus test is a tiny program of two threads and two locations, run to
//! see which results are possible. Below are two of them, message passing
//! and store buffering. You choose each access's [`Ordering`], and whether a
//! [`fence`] sits between a thread's two accesses. loom checks that the bad
//! outcome never happens, and that no choice of yours could be weaker.
//! `cargo xtask measure litmus` runs the same shapes on your CPU.

use crate::sync::atomic::{AtomicU32, Ordering, fence};

/// One thread's choice: the ordering of its first access, the fence between
/// its two accesses (`None`: no fence), and the ordering of its second.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Accesses {
    pub first: Ordering,
    pub fence: Option<Ordering>,
    pub second: Ordering,
}

// ANCHOR: shapes
/// Message passing, the writer: the data, then the flag.
pub fn mp_writer(choice: Accesses, data: &AtomicU32, flag: &AtomicU32) {
    data.store(1, choice.first);
    between(choice);
    flag.store(1, choice.second);
}

/// Message passing, the reader: the flag, then the data. The bad outcome
/// is (flag, data) = (1, 0): the flag is up, the data is not there.
pub fn mp_reader(choice: Accesses, data: &AtomicU32, flag: &AtomicU32) -> (u32, u32) {
    let seen_flag = flag.load(choice.first);
    between(choice);
    (seen_flag, data.load(choice.second))
}

/// Store buffering, either thread: raise my flag, then read yours. The bad
/// outcome is that both threads read 0: each missed the other's store.
pub fn sb_thread(choice: Accesses, mine: &AtomicU32, theirs: &AtomicU32) -> u32 {
    mine.store(1, choice.first);
    between(choice);
    theirs.load(choice.second)
}

fn between(choice: Accesses) {
    if let Some(order) = choice.fence {
        fence(order);
    }
}
// ANCHOR_END: shapes

/// Your orderings for message passing: `[writer, reader]`.
pub fn message_passing() -> [Accesses; 2] {
    // BEGIN YOUR CODE
    // The flag's store releases the data's store; the flag's load acquires
    // it. The data's own accesses need nothing.
    [
        Accesses {
            first: Ordering::Relaxed,
            fence: None,
            second: Ordering::Release,
        },
        Accesses {
            first: Ordering::Acquire,
            fence: None,
            second: Ordering::Relaxed,
        },
    ]
    // END YOUR CODE
}

/// Your orderings for store buffering: `[thread 0, thread 1]`.
pub fn store_buffering() -> [Accesses; 2] {
    // BEGIN YOUR CODE
    // Only the single order of SeqCst fences puts one thread's store before
    // the other's load; Release/Acquire never orders a store before a load.
    let thread = Accesses {
        first: Ordering::Relaxed,
        fence: Some(Ordering::SeqCst),
        second: Ordering::Relaxed,
    };
    [thread, thread]
    // END YOUR CODE
}
