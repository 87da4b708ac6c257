//! loom beside the hardware: the same litmus tests as loom models. Each
//! model records every outcome loom's runs give; the test checks that
//! this is what `Shape::loom_finds_weak` says, the column `measure` prints.

use std::collections::BTreeSet;
use std::sync::Mutex;

use course_support::loom_model::check;
use loom::sync::Arc;
use loom::sync::atomic::{AtomicU32, Ordering, fence};

use super::shapes::{Loc, Memory, SHAPES, Shape, Strength, X, Y, run_thread};

struct LoomMemory([AtomicU32; 2]);

impl Memory for LoomMemory {
    fn store(&self, loc: Loc, value: u32, order: Ordering) {
        self.0[loc].store(value, order);
    }
    fn load(&self, loc: Loc, order: Ordering) -> u32 {
        self.0[loc].load(order)
    }
    fn fence(&self, order: Ordering) {
        fence(order);
    }
}

/// Every outcome that loom's runs of `shape` with `strength` give.
fn loom_outcomes(shape: &'static Shape, strength: Strength) -> BTreeSet<Vec<u32>> {
    let seen = std::sync::Arc::new(Mutex::new(BTreeSet::new()));
    let record = std::sync::Arc::clone(&seen);
    check(move || {
        let memory = Arc::new(LoomMemory([AtomicU32::new(0), AtomicU32::new(0)]));
        // Thread 0 runs in loom's main thread: IRIW stays within loom's 5.
        let others: Vec<_> = (1..shape.threads.len())
            .map(|t| {
                let memory = Arc::clone(&memory);
                loom::thread::spawn(move || {
                    let mut reads = Vec::new();
                    run_thread(&*memory, shape.threads[t], strength, |v| reads.push(v));
                    reads
                })
            })
            .collect();
        let mut reads = Vec::new();
        run_thread(&*memory, shape.threads[0], strength, |v| reads.push(v));
        for other in others {
            reads.extend(other.join().unwrap());
        }
        let outcome = if shape.finals {
            vec![
                memory.load(X, Ordering::SeqCst),
                memory.load(Y, Ordering::SeqCst),
            ]
        } else {
            reads
        };
        record.lock().unwrap().insert(outcome);
    });
    seen.lock().unwrap().clone()
}

#[test]
fn loom_finds_what_the_table_says() {
    let mut wrong = Vec::new();
    for shape in SHAPES {
        for strength in Strength::ALL {
            let found = loom_outcomes(shape, strength);
            let expected: BTreeSet<Vec<u32>> = shape
                .outcomes()
                .into_iter()
                .filter(|o| shape.loom_finds(strength, o))
                .collect();
            if found != expected {
                let labels = |set: &BTreeSet<Vec<u32>>| -> Vec<String> {
                    set.iter().map(|o| shape.label(o)).collect()
                };
                wrong.push(format!(
                    "{} with {}: loom found {:?}, the table says {:?}",
                    shape.name,
                    strength.label(),
                    labels(&found),
                    labels(&expected)
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "update Shape::loom_finds_weak:\n{}",
        wrong.join("\n")
    );
}
