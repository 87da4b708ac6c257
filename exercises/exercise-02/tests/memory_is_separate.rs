//! The point of the chapter, as a test: the same counter, `SERVED`, is
//! shared by the threads of one process but not with a child process.
//!
//! This file holds a single test, so nothing else in its process touches
//! the counter while it runs.

use std::io::Cursor;

use exercise_02::{serve, served_in_this_process};

#[path = "shared/mod.rs"]
mod shared;

use shared::{CHAPTER, ask};

// ANCHOR: test
#[test]
fn threads_share_the_counter_a_child_process_has_its_own() {
    let start = served_in_this_process();

    // 1. A thread of this process serves two sums: our counter moves.
    // A panic on that thread (a `todo!`) fails the test once, here.
    let served = std::thread::scope(|scope| {
        scope
            .spawn(|| {
                course_support::catch_quietly(|| {
                    serve(Cursor::new("sum 1\nsum 2\n"), &mut Vec::new())
                })
            })
            .join()
            .expect("the thread caught its own panic")
    });
    match served {
        Ok(Ok(())) => {}
        Ok(Err(error)) => panic!("serve failed on a thread: {error}. {CHAPTER}"),
        Err(caught) => panic!("serve panicked on a thread: {caught}\n{CHAPTER}"),
    }
    assert_eq!(
        served_in_this_process(),
        start + 2,
        "a thread served 2 sums, and threads share memory, so this process's counter should have grown \
         by 2. Count each sum in SERVED. {CHAPTER}"
    );

    // 2. A child process serves three sums and reports its own counter.
    let requests: Vec<String> = ["sum 1", "sum 2", "sum 3", "served"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let answers =
        ask(requests).unwrap_or_else(|e| panic!("ask_worker failed: {e}. {CHAPTER}"));
    assert_eq!(
        answers[3], 3,
        "the child counted its own 3 sums, starting from 0. {CHAPTER}"
    );
    assert_eq!(
        served_in_this_process(),
        start + 2,
        "the child's counting must not show up here: it counted in its own memory. {CHAPTER}"
    );
}
// ANCHOR_END: test
