//! Tests of the pipeline on threads: `fan_out`, `fan_in_ordered` and
//! `run_pipeline` (src/lib.rs).

use std::collections::BTreeSet;
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::Duration;

use crossbeam_channel::{TrySendError, bounded};
use exercise_09::{Item, Stage, fan_in_ordered, fan_out, run_pipeline, stage_work};

#[path = "shared/mod.rs"]
mod shared;
use shared::{CHAPTER, texts, watched};

fn item(seq: u64) -> Item {
    Item {
        seq,
        text: format!("text {seq}"),
    }
}

#[test]
fn fan_out_delivers_every_item_exactly_once() {
    let results = watched(
        "fan_out over 4 workers",
        "do the workers end when their input is disconnected? Does any thread keep a sender of the output alive?",
        || {
            let (input, rx) = bounded(4);
            let stage = fan_out(rx, 4, 4, stage_work);
            let producer = thread::spawn(move || {
                (0..1000).for_each(|seq| input.send(item(seq)).unwrap())
            });
            let results: Vec<Item> = stage.output.iter().collect();
            producer.join().unwrap();
            Stage::<Item>::join(stage.threads);
            results
        },
    );
    assert_eq!(
        results.len(),
        1000,
        "1000 items went in, {} came out. {CHAPTER}",
        results.len()
    );
    let seqs: BTreeSet<u64> = results.iter().map(|i| i.seq).collect();
    assert_eq!(
        seqs.len(),
        1000,
        "some items came out twice, others never. {CHAPTER}"
    );
    for result in &results {
        assert_eq!(
            *result,
            stage_work(item(result.seq)),
            "each item goes through `work` once. {CHAPTER}"
        );
    }
}

#[test]
fn fan_out_runs_its_workers_at_the_same_time() {
    // Each call of `work` waits until 3 calls are running at once: that
    // happens only with 3 workers that really run side by side.
    let barrier = Arc::new(Barrier::new(3));
    let threads = watched(
        "fan_out with 3 workers that wait for each other",
        "fan_out must start `workers` threads that each take items from the shared input.",
        move || {
            let (input, rx) = bounded(6);
            let stage = fan_out(rx, 3, 6, move |item| {
                barrier.wait();
                item
            });
            (0..6).for_each(|seq| input.send(item(seq)).unwrap());
            drop(input);
            let count = stage.output.iter().count();
            assert_eq!(count, 6, "6 items went in. {CHAPTER}");
            let threads = stage.threads.len();
            Stage::<Item>::join(stage.threads);
            threads
        },
    );
    assert_eq!(
        threads, 3,
        "Stage::threads should hold the 3 worker threads. {CHAPTER}"
    );
}

#[test]
fn a_bounded_pipeline_pushes_back_on_its_producer() {
    // Nobody reads the output. With bounded channels, the workers soon block
    // on their sends, the input fills up, and the producer is refused: at
    // most (input capacity + output capacity + one item per worker) can be
    // in flight. An unbounded output would swallow everything.
    let (capacity, workers, offered) = (2, 2, 10_000);
    let (accepted, stage, input) =
        watched("offering items to a pipeline nobody reads", "", move || {
            let (input, rx) = bounded(capacity);
            let stage = fan_out(rx, workers, capacity, |item| item);
            let mut accepted = 0;
            let mut refused_in_a_row = 0;
            while accepted < offered && refused_in_a_row < 200 {
                match input.try_send(item(accepted as u64)) {
                    Ok(()) => {
                        accepted += 1;
                        refused_in_a_row = 0;
                    }
                    Err(TrySendError::Full(_)) => {
                        refused_in_a_row += 1;
                        thread::sleep(Duration::from_millis(1));
                    }
                    Err(TrySendError::Disconnected(_)) => {
                        panic!("fan_out dropped its input while running. {CHAPTER}")
                    }
                }
            }
            (accepted, stage, input)
        });
    let most = capacity + capacity + 2 * workers;
    assert!(
        accepted <= most,
        "nobody read the output, yet the pipeline took {accepted} items (at most {most} fit in bounded channels of \
         capacity {capacity}): is fan_out's output channel `bounded(capacity)`? {CHAPTER}"
    );
    // Shut it down: drop the input, drain the output.
    watched("shutting the pipeline down", "", move || {
        drop(input);
        let drained = stage.output.iter().count();
        Stage::<Item>::join(stage.threads);
        assert_eq!(
            drained, accepted,
            "every accepted item comes out. {CHAPTER}"
        );
    });
}

#[test]
fn dropping_the_producer_shuts_the_pipeline_down() {
    let drained = watched(
        "a pipeline whose producer was dropped",
        "when every sender of the input is dropped, `for item in input` ends; each worker must then end and drop \
         its output sender. Keep no extra sender alive.",
        || {
            let (input, rx) = bounded(3);
            let middle = fan_out(rx, 3, 3, stage_work);
            let last = fan_in_ordered(middle.output, 3);
            (0..10).for_each(|seq| input.send(item(seq)).unwrap());
            drop(input);
            let drained: Vec<u64> = last.output.iter().map(|i| i.seq).collect();
            Stage::<Item>::join(middle.threads);
            Stage::<Item>::join(last.threads);
            drained
        },
    );
    assert_eq!(
        drained,
        (0..10).collect::<Vec<_>>(),
        "the 10 items, in order, then the end. {CHAPTER}"
    );
}

#[test]
fn dropping_the_consumer_stops_the_workers_and_the_producer() {
    let refused = watched(
        "a pipeline whose consumer was dropped",
        "a worker whose send fails (nobody listens) must stop, and so drop its input receiver.",
        || {
            let (input, rx) = bounded(2);
            let stage = fan_out(rx, 2, 2, stage_work);
            drop(stage.output);
            let refused = (0..10_000).any(|seq| input.send(item(seq)).is_err());
            Stage::<Item>::join(stage.threads);
            refused
        },
    );
    assert!(
        refused,
        "the output was dropped, yet the workers kept taking all 10,000 items: a failed send means \"stop\". {CHAPTER}"
    );
}

#[test]
fn fan_in_puts_items_back_in_order() {
    let order = [5, 3, 0, 1, 4, 2, 7, 6];
    let seqs = watched(
        "fan_in_ordered",
        "does fan_in_ordered end when its input ends?",
        move || {
            let (input, rx) = bounded(8);
            let stage = fan_in_ordered(rx, 8);
            order.iter().for_each(|&seq| input.send(item(seq)).unwrap());
            drop(input);
            let seqs: Vec<u64> = stage.output.iter().map(|i| i.seq).collect();
            Stage::<Item>::join(stage.threads);
            seqs
        },
    );
    assert_eq!(
        seqs,
        (0..8).collect::<Vec<_>>(),
        "fan_in_ordered passes items on in order of seq. {CHAPTER}"
    );
}

#[test]
fn fan_in_passes_each_item_on_as_soon_as_it_can() {
    let early = watched(
        "waiting for items 0 and 1 while the input is still open",
        "fan_in_ordered must not wait for the end of its input: pass item `next` on as soon as it is there.",
        || {
            let (input, rx) = bounded(4);
            let stage = fan_in_ordered(rx, 4);
            input.send(item(1)).unwrap();
            input.send(item(0)).unwrap();
            let early: Vec<u64> =
                (0..2).map(|_| stage.output.recv().unwrap().seq).collect();
            drop(input);
            Stage::<Item>::join(stage.threads);
            early
        },
    );
    assert_eq!(early, [0, 1], "items 0 then 1. {CHAPTER}");
}

#[test]
fn fan_in_passes_on_what_follows_a_gap_at_the_end() {
    let seqs = watched("fan_in_ordered with a missing item", "", || {
        let (input, rx) = bounded(4);
        let stage = fan_in_ordered(rx, 4);
        [0, 3, 2]
            .iter()
            .for_each(|&seq| input.send(item(seq)).unwrap());
        drop(input);
        let seqs: Vec<u64> = stage.output.iter().map(|i| i.seq).collect();
        Stage::<Item>::join(stage.threads);
        seqs
    });
    assert_eq!(
        seqs,
        [0, 2, 3],
        "item 1 never came: the rest follows in order when the input ends. {CHAPTER}"
    );
}

#[test]
fn the_whole_pipeline_keeps_every_item_in_order() {
    let input = texts(500);
    let expected: Vec<Item> = input
        .iter()
        .enumerate()
        .map(|(seq, text)| {
            stage_work(Item {
                seq: seq as u64,
                text: text.clone(),
            })
        })
        .collect();
    let results = watched(
        "run_pipeline",
        "see the other tests' messages first.",
        move || run_pipeline(input, 3, 4),
    );
    assert_eq!(
        results, expected,
        "run_pipeline gives each result once, in input order. {CHAPTER}"
    );
}
