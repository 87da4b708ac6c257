// Lost updates on your own machine (exercise 03, chapter 03,
// `book/src/03-race-conditions.md`).
//
// Run: `cargo run -p exercise-03 --release --example lost_updates`
// Optional arguments: threads, then increments per thread.
//
// Several threads increment one counter at the same time, and this prints
// how many increments each counter kept. It is a demonstration, not a test:
// how many updates get lost depends on your CPU, how many cores are free,
// and luck. A counter that is not written yet is skipped (or, for part (a),
// replaced by the example's own racy counter).

use std::sync::Barrier;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::Instant;

use exercise_03::{AtomicCounter, Counter, MutexCounter, RacyCounter};

/// Stands in for your `RacyCounter` until you write part (a): the same
/// load-then-store race.
struct GivenRacyCounter {
    value: AtomicU64,
}

impl Counter for GivenRacyCounter {
    fn new() -> Self {
        GivenRacyCounter {
            value: AtomicU64::new(0),
        }
    }
    fn increment(&self) {
        let seen = self.value.load(Ordering::SeqCst);
        self.value.store(seen + 1, Ordering::SeqCst);
    }
    fn get(&self) -> u64 {
        self.value.load(Ordering::SeqCst)
    }
}

/// Whether `C::increment` is written yet (the starter's is a `todo!()`).
fn written<C: Counter>() -> bool {
    course_support::written(|| C::new().increment()).is_some()
}

/// Runs `threads` threads that each increment one shared counter `per_thread`
/// times, and prints what the counter kept. Returns how many were lost.
fn race<C: Counter>(name: &str, threads: u64, per_thread: u64) -> u64 {
    let expected = threads * per_thread;
    let mut lost_in_all = 0;
    for round in 1..=3 {
        let counter = C::new();
        // All threads start counting at the same moment, so that they overlap.
        let start_line = Barrier::new(threads as usize);
        let start = Instant::now();
        thread::scope(|scope| {
            for _ in 0..threads {
                scope.spawn(|| {
                    start_line.wait();
                    for _ in 0..per_thread {
                        counter.increment();
                    }
                });
            }
        });
        let elapsed = start.elapsed();
        let counted = counter.get();
        let lost = expected.saturating_sub(counted);
        lost_in_all += lost;
        println!(
            "{name:<32} round {round}: counted {counted:>10}, lost {lost:>10} ({:>5.1}%)  in {:>7.1} ms",
            100.0 * lost as f64 / expected as f64,
            elapsed.as_secs_f64() * 1000.0
        );
    }
    lost_in_all
}

fn main() {
    let mut args = std::env::args().skip(1).map(|arg| {
        arg.parse::<u64>()
            .expect("arguments: [threads] [increments per thread]")
    });
    let cores = thread::available_parallelism().map_or(1, |n| n.get()) as u64;
    let threads = args.next().unwrap_or(cores.clamp(2, 8)).max(1);
    let per_thread = args.next().unwrap_or(1_000_000);

    println!(
        "{threads} threads x {per_thread} increments = {} expected, on {cores} available core(s)\n",
        threads * per_thread
    );

    let racy_lost = if written::<RacyCounter>() {
        race::<RacyCounter>("RacyCounter (yours, part a)", threads, per_thread)
    } else {
        println!(
            "RacyCounter is not written yet: write part (a) first. Meanwhile, the same race:"
        );
        race::<GivenRacyCounter>("load, then store (given)", threads, per_thread)
    };
    if written::<AtomicCounter>() {
        race::<AtomicCounter>("AtomicCounter (yours, part b)", threads, per_thread);
    } else {
        println!("AtomicCounter is not written yet (part b).");
    }
    if written::<MutexCounter>() {
        race::<MutexCounter>("MutexCounter (yours, part b)", threads, per_thread);
    } else {
        println!("MutexCounter is not written yet (part b).");
    }
    if racy_lost == 0 {
        println!(
            "\nThe racy counter lost nothing this time: its threads hardly ran at the same moment \
             (one core, a busy machine, or too few increments). Run it again, or with more \
             increments. A race that hides in a test run is still there; that is why the tests use loom."
        );
    } else if cores < 2 {
        println!(
            "\nWith one core, threads only interleave when the OS switches them, so fewer updates get lost."
        );
    }
}
