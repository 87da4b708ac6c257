//! Runs a litmus test on real threads, the way `litmus7` does: in batches.
//!
//! Each thread runs its accesses over a whole array of fresh locations
//! (slot 0, 1, 2, ...), so that one barrier per batch, not per iteration,
//! starts them together; being at about the same slot at about the same
//! time is what makes the threads overlap. After each batch the calling
//! thread counts the outcomes and clears the slots while the others wait.

use std::sync::atomic::{AtomicU32, AtomicU64, AtomicUsize, Ordering, fence};
use std::time::{Duration, Instant};

use super::shapes::{Loc, Memory, Op, Shape, Strength, run_thread};

/// Slots per batch: big enough that the barrier's cost is spread thin,
/// small enough that the threads do not drift far apart within a batch.
pub const BATCH: usize = 2000;

/// One slot per 64-byte cache line (16 `u32`s): slots that shared a line
/// made the threads' stores collide and gave far fewer overlaps (SB on a
/// busy 2-core VM: 0.04 % weak outcomes at stride 1, 4.6 % at 16).
const STRIDE: usize = 16;

/// What a run saw: a count per outcome of [`Shape::outcomes`], in order.
/// `impossible` counts values that no store wrote (a bug in this code).
#[derive(Clone, Debug, Default)]
pub struct Tally {
    pub counts: Vec<u64>,
    pub impossible: u64,
}

/// A spin barrier that can also start its threads together: the last to
/// arrive sets a start time a little ahead, and everyone spins until then
/// (litmus7's "timebase" idea), so that a thread that was slow to notice
/// the barrier open does not start a whole batch late.
struct Barrier {
    arrived: AtomicUsize,
    generation: AtomicUsize,
    parties: usize,
    epoch: Instant,
    /// Nanoseconds after `epoch`.
    start: AtomicU64,
}

/// How far ahead the start is set: longer than waking a spinning thread.
const START_AHEAD: Duration = Duration::from_micros(20);

impl Barrier {
    fn new(parties: usize) -> Barrier {
        Barrier {
            arrived: AtomicUsize::new(0),
            generation: AtomicUsize::new(0),
            parties,
            epoch: Instant::now(),
            start: AtomicU64::new(0),
        }
    }

    fn now(&self) -> u64 {
        self.epoch.elapsed().as_nanos() as u64
    }

    fn wait(&self) {
        let generation = self.generation.load(Ordering::Acquire);
        if self.arrived.fetch_add(1, Ordering::AcqRel) + 1 == self.parties {
            self.arrived.store(0, Ordering::Relaxed);
            let start = self.now() + START_AHEAD.as_nanos() as u64;
            self.start.store(start, Ordering::Relaxed);
            self.generation.store(generation + 1, Ordering::Release);
            return;
        }
        let mut spins = 0u32;
        while self.generation.load(Ordering::Acquire) == generation {
            // Spin long, and only then give the core away: a yield can
            // cost a time slice, the whole batch.
            spins += 1;
            if spins < 1 << 20 {
                std::hint::spin_loop();
            } else {
                std::thread::yield_now();
            }
        }
    }

    /// [`Barrier::wait`], then spin until the start time.
    fn wait_and_start(&self) {
        self.wait();
        let start = self.start.load(Ordering::Relaxed);
        while self.now() < start {
            std::hint::spin_loop();
        }
    }
}

/// One slot of the arrays: the memory that iteration `slot` runs against.
struct Slot<'a> {
    locations: &'a [Vec<AtomicU32>; 2],
    slot: usize,
}

impl Memory for Slot<'_> {
    #[inline(always)]
    fn store(&self, loc: Loc, value: u32, order: Ordering) {
        self.locations[loc][self.slot * STRIDE].store(value, order);
    }
    #[inline(always)]
    fn load(&self, loc: Loc, order: Ordering) -> u32 {
        self.locations[loc][self.slot * STRIDE].load(order)
    }
    #[inline(always)]
    fn fence(&self, order: Ordering) {
        fence(order);
    }
}

fn atomics(n: usize) -> Vec<AtomicU32> {
    (0..n).map(|_| AtomicU32::new(0)).collect()
}

/// Runs `shape` with `strength` `iterations` times; `progress` hears of
/// every finished batch (its size).
pub fn run(
    shape: &Shape,
    strength: Strength,
    iterations: u64,
    progress: &(dyn Fn(u64) + Sync),
) -> Tally {
    let outcomes = shape.outcomes();
    // An outcome's values as digits in base 3 (every value is 0, 1 or 2).
    let key = |values: &mut dyn Iterator<Item = u32>| -> Option<usize> {
        let mut k = 0;
        for v in values {
            if v >= 3 {
                return None;
            }
            k = k * 3 + v as usize;
        }
        Some(k)
    };
    let digits = outcomes[0].len() as u32;
    let mut index = vec![None; 3usize.pow(digits)];
    for (i, outcome) in outcomes.iter().enumerate() {
        index[key(&mut outcome.iter().copied()).expect("values below 3")] = Some(i);
    }
    let locations = [atomics(BATCH * STRIDE), atomics(BATCH * STRIDE)];
    let registers: Vec<Vec<AtomicU32>> =
        shape.loads().iter().map(|_| atomics(BATCH)).collect();
    // Each thread's first register.
    let firsts: Vec<usize> = shape
        .threads
        .iter()
        .scan(0, |next, ops| {
            let first = *next;
            *next += ops.iter().filter(|op| matches!(op, Op::Load(_))).count();
            Some(first)
        })
        .collect();
    let barrier = Barrier::new(shape.threads.len());
    let batches = iterations.div_ceil(BATCH as u64);
    let batch_len = |b: u64| (iterations - b * BATCH as u64).min(BATCH as u64) as usize;
    let one_batch = |thread: usize, len: usize| {
        let (ops, first) = (shape.threads[thread], firsts[thread]);
        // The slot indexes two arrays and a register file: a plain range.
        #[allow(clippy::needless_range_loop)]
        for slot in 0..len {
            let mut register = first;
            let memory = Slot {
                locations: &locations,
                slot,
            };
            run_thread(&memory, ops, strength, |value| {
                registers[register][slot].store(value, Ordering::Relaxed);
                register += 1;
            });
        }
    };
    let mut tally = Tally {
        counts: vec![0; outcomes.len()],
        impossible: 0,
    };
    std::thread::scope(|s| {
        for thread in 1..shape.threads.len() {
            let (barrier, one_batch) = (&barrier, &one_batch);
            s.spawn(move || {
                for b in 0..batches {
                    barrier.wait_and_start();
                    one_batch(thread, batch_len(b));
                    barrier.wait();
                }
            });
        }
        for b in 0..batches {
            let len = batch_len(b);
            barrier.wait_and_start();
            one_batch(0, len);
            barrier.wait();
            // The others wait at the next batch's barrier: the slots are ours.
            for slot in 0..len {
                let k = if shape.finals {
                    key(&mut locations
                        .iter()
                        .map(|l| l[slot * STRIDE].load(Ordering::Relaxed)))
                } else {
                    key(&mut registers.iter().map(|r| r[slot].load(Ordering::Relaxed)))
                };
                match k.and_then(|k| index[k]) {
                    Some(i) => tally.counts[i] += 1,
                    None => tally.impossible += 1,
                }
                for location in &locations {
                    location[slot * STRIDE].store(0, Ordering::Relaxed);
                }
            }
            progress(len as u64);
        }
    });
    tally
}
