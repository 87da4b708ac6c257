//! # Exercise 09 · Communication: channels, pipes and frames
//!
//! Read first: the chapter "Communication" (`book/src/09-communication.md`;
//! `cargo xtask serve` shows the book).
//! Test your code: `cargo test -p exercise-09`
//! Stuck? `cargo xtask hint 09` gives a nudge, then a hint, then the solution.
//!
//! You build a small pipeline by message passing, then move one of its stage
//! boundaries into another process:
//!
//! ```text
//! producer ──▶ fan_out: N worker threads ──▶ fan_in_ordered ──▶ consumer
//!
//! producer ──▶ remote_stage: a worker *process*, through pipes ──▶ consumer
//! ```
//!
//! 1. [`fan_out`] (here): N threads take items from one channel, apply a
//!    stage function and send the results on, through a **bounded** channel.
//! 2. [`fan_in_ordered`] (here): one thread puts results back in order of
//!    their sequence number, passing each on as soon as it can.
//! 3. [`frame::write_frame`] and [`frame::read_frame`] (`src/frame.rs`): one
//!    message through a byte stream, length-prefixed JSON, with a clear error
//!    for every broken frame.
//! 4. [`remote::remote_stage`] (`src/remote.rs`): the same stage, run by the
//!    worker program (`src/main.rs`, which runs `src/worker.rs`) in a child
//!    process.
//!
//! `src/shm.rs` (already written) shows the third way: two processes that
//! share memory on purpose, through a memory-mapped file.
//!
//! Write your code only between `// BEGIN YOUR CODE` and `// END YOUR CODE`.

pub mod frame;
pub mod remote;
#[path = "../../../exercises/exercise-09/src/shm.rs"]
pub mod shm;
#[path = "../../../exercises/exercise-09/src/worker.rs"]
pub mod worker;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::thread::{self, JoinHandle};

use crossbeam_channel::{Receiver, bounded};
use serde::{Deserialize, Serialize};

/// One message of the pipeline: a sequence number and some text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    /// The item's place in the input, counting from 0.
    pub seq: u64,
    pub text: String,
}

// ANCHOR: stage_work
/// The work of the middle stage: the text reversed and in capitals.
/// (Cheap on purpose: in this exercise the messages are the point.)
pub fn stage_work(item: Item) -> Item {
    Item {
        seq: item.seq,
        text: item.text.chars().rev().collect::<String>().to_uppercase(),
    }
}
// ANCHOR_END: stage_work

/// A running stage: the channel its results come out of, and its threads.
///
/// The stage ends when its input is disconnected (every sender dropped) and
/// it has passed everything on; then `output` disconnects too. If `output`
/// is dropped, the stage's threads stop at their next send.
#[derive(Debug)]
pub struct Stage<T> {
    pub output: Receiver<T>,
    pub threads: Vec<JoinHandle<()>>,
}

impl<T> Stage<T> {
    /// Waits for the stage's threads. A panic in one of them is passed on.
    pub fn join(threads: Vec<JoinHandle<()>>) {
        for thread in threads {
            if let Err(payload) = thread.join() {
                std::panic::resume_unwind(payload);
            }
        }
    }
}

// ANCHOR: fan_out
/// Starts `workers` threads that share `input`: each takes items from it,
/// applies `work`, and sends the result into the stage's output channel,
/// which is bounded to `capacity` items.
///
/// * When `input` is disconnected and drained, every worker ends, and so the
///   output disconnects: no thread may keep an output sender alive.
/// * When the output is dropped, a worker's send fails: it stops at once.
pub fn fan_out<F>(
    input: Receiver<Item>,
    workers: usize,
    capacity: usize,
    work: F,
) -> Stage<Item>
where
    F: Fn(Item) -> Item + Send + Sync + 'static,
{
    // BEGIN YOUR CODE
    let (results, output) = bounded(capacity);
    let work = Arc::new(work);
    let threads = (0..workers)
        .map(|_| {
            let (input, results, work) =
                (input.clone(), results.clone(), Arc::clone(&work));
            thread::spawn(move || {
                for item in input {
                    if results.send(work(item)).is_err() {
                        return; // nobody listens any more
                    }
                }
            })
        })
        .collect();
    // Our own `results` and `input` are dropped here: only the workers hold
    // them now, so the output disconnects when the last worker ends.
    Stage { output, threads }
    // END YOUR CODE
}
// ANCHOR_END: fan_out

// ANCHOR: fan_in_ordered
/// Starts one thread that passes the items of `input` on in order of `seq`
/// (0, 1, 2, ...), through an output channel bounded to `capacity`.
///
/// It passes each item on *as soon as* every item before it has been passed
/// on, keeping only the early arrivals aside. When `input` ends, whatever is
/// still set aside (after a gap in the numbers) follows in order of `seq`.
pub fn fan_in_ordered(input: Receiver<Item>, capacity: usize) -> Stage<Item> {
    // BEGIN YOUR CODE
    let (results, output) = bounded(capacity);
    let thread = thread::spawn(move || {
        let mut next = 0;
        let mut early = BTreeMap::new();
        for item in input {
            early.insert(item.seq, item);
            while let Some(item) = early.remove(&next) {
                if results.send(item).is_err() {
                    return;
                }
                next += 1;
            }
        }
        for (_, item) in early {
            if results.send(item).is_err() {
                return;
            }
        }
    });
    Stage {
        output,
        threads: vec![thread],
    }
    // END YOUR CODE
}
// ANCHOR_END: fan_in_ordered

/// Gives each text its sequence number and sends it into a new channel
/// bounded to `capacity`, from a producer thread. The thread stops early if
/// the channel's receiver is dropped.
pub fn produce(texts: Vec<String>, capacity: usize) -> (Receiver<Item>, JoinHandle<()>) {
    let (sender, receiver) = bounded(capacity);
    let producer = thread::spawn(move || {
        for (seq, text) in texts.into_iter().enumerate() {
            if sender
                .send(Item {
                    seq: seq as u64,
                    text,
                })
                .is_err()
            {
                return;
            }
        }
        // `sender` is dropped here: that is what tells the next stage "no more".
    });
    (receiver, producer)
}

// ANCHOR: run_pipeline
/// The whole pipeline in one process: a producer, [`fan_out`] over
/// `workers` threads running [`stage_work`], and [`fan_in_ordered`].
/// Returns the results in input order.
pub fn run_pipeline(texts: Vec<String>, workers: usize, capacity: usize) -> Vec<Item> {
    let (items, producer) = produce(texts, capacity);
    let middle = fan_out(items, workers, capacity, stage_work);
    let last = fan_in_ordered(middle.output, capacity);
    let results: Vec<Item> = last.output.iter().collect();
    Stage::<Item>::join(vec![producer]);
    Stage::<Item>::join(middle.threads);
    Stage::<Item>::join(last.threads);
    results
}
// ANCHOR_END: run_pipeline
