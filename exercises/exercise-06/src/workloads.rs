//! # Exercise 06 · The GIL, part 3: the experiments (given code)
//!
//! Read first: the chapter "The GIL" (`book/src/06-the-gil.md`).
//! Nothing to write here: these workloads run on *your* [`Gil`] and
//! interpreter once the tests pass. Time them with
//! `cargo run --release -p exercise-06 --example gil_experiments`.
//!
//! They only compute; timing them is the job of the example and of
//! `cargo xtask measure`. Every CPU variant returns the same answer, so a
//! harness can check each one against the sequential run.

use std::io;
use std::net::UdpSocket;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use crate::gil::{Gil, GilConfig, GilStats};
use crate::interpreter::{Instr, RunReport, compute_free, run};

/// The CPU-bound job is cut into this many equal pieces, whatever the
/// number of threads (1, 2 or 4 threads divide it evenly).
pub const PIECES: u64 = 4;

/// The answer every CPU variant must return for `total` bytecodes.
pub fn cpu_answer(total: u64) -> u64 {
    compute_free(total / PIECES, 0).wrapping_mul(PIECES)
}

// ANCHOR: cpu_gil
/// Beazley's countdown under the toy GIL: `total` bytecodes, cut into
/// [`PIECES`] pieces, run by `threads` threads that share one GIL.
/// `threads = 1` is the sequential Python program.
pub fn cpu_gil(config: GilConfig, threads: usize, total: u64) -> (u64, GilStats) {
    assert!(threads >= 1, "threads must be at least 1");
    let gil = Gil::new(config);
    let piece = total / PIECES;
    let value = thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                let gil = &gil;
                scope.spawn(move || {
                    let mine = (0..PIECES).filter(|p| *p as usize % threads == t);
                    mine.map(|_| run(gil, [Instr::Compute(piece)]).value)
                        .fold(0u64, u64::wrapping_add)
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("a GIL thread panicked"))
            .fold(0u64, u64::wrapping_add)
    });
    (value, gil.stats())
}
// ANCHOR_END: cpu_gil

/// The same job in plain Rust threads: no GIL, every thread runs at once.
pub fn cpu_threads(threads: usize, total: u64) -> u64 {
    assert!(threads >= 1, "threads must be at least 1");
    let piece = total / PIECES;
    thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || {
                    (0..PIECES)
                        .filter(|p| *p as usize % threads == t)
                        .map(|_| compute_free(piece, 0))
                        .fold(0u64, u64::wrapping_add)
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("a thread panicked"))
            .fold(0u64, u64::wrapping_add)
    })
}

// ANCHOR: io_gil
/// I/O-bound threads under the toy GIL: each of `threads` threads makes
/// `calls` blocking calls of `block` each (a sleep stands in for a network
/// wait), with a few bytecodes around each call, and releases the GIL while
/// it blocks. `threads = 1` with `calls * threads` calls is the sequential
/// program.
pub fn io_gil(
    config: GilConfig,
    threads: usize,
    calls: usize,
    block: Duration,
) -> GilStats {
    assert!(threads >= 1, "threads must be at least 1");
    let gil = Gil::new(config);
    thread::scope(|scope| {
        for _ in 0..threads {
            let gil = &gil;
            scope.spawn(move || {
                let program = (0..calls).flat_map(|_| {
                    [
                        Instr::Compute(100),
                        Instr::blocking(move || thread::sleep(block)),
                    ]
                });
                run(gil, program)
            });
        }
    });
    gil.stats()
}
// ANCHOR_END: io_gil

// ANCHOR: over_range
/// Any job over a range, run by `threads` threads under one toy GIL: each
/// thread takes its share of `range`, one item at a time. A CPU-bound job
/// counts as one bytecode per item (a `tick` after each); a `blocking` one
/// (a sleep, a network wait) runs with the GIL released, as CPython's C code
/// does. The answer is the sum of `job(i..i + 1)`, which for a job that
/// adds up over its items is `job(range)`.
pub fn gil_over_range(
    config: GilConfig,
    threads: usize,
    range: std::ops::Range<u64>,
    job: fn(std::ops::Range<u64>) -> u64,
    blocking: bool,
) -> u64 {
    assert!(threads >= 1, "threads must be at least 1");
    let gil = Gil::new(config);
    let chunk = (range.end - range.start).div_ceil(threads as u64).max(1);
    thread::scope(|scope| {
        let workers: Vec<_> = (0..threads as u64)
            .map(|t| {
                let gil = &gil;
                let start = (range.start + t * chunk).min(range.end);
                let end = (start + chunk).min(range.end);
                scope.spawn(move || {
                    let mut guard = gil.acquire();
                    let mut sum = 0u64;
                    for i in start..end {
                        let value = if blocking {
                            guard.allow_threads(|| job(i..i + 1))
                        } else {
                            job(i..i + 1)
                        };
                        sum = sum.wrapping_add(value);
                        guard.tick();
                    }
                    sum
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("a GIL thread panicked"))
            .fold(0u64, u64::wrapping_add)
    })
}
// ANCHOR_END: over_range

/// What one convoy run measured.
#[derive(Clone, Copy, Debug)]
pub struct ConvoyReport {
    /// UDP round trips made by the I/O thread.
    pub round_trips: u32,
    /// How long the I/O thread took for all of them.
    pub io_time: Duration,
    /// Bytecodes the CPU-bound threads ran meanwhile (0 when alone).
    pub cpu_bytecodes: u64,
    /// The GIL's counters at the end.
    pub stats: GilStats,
}

impl ConvoyReport {
    /// A checksum of the replies: the sum of the round trips' sequence
    /// numbers `0..round_trips`, each checked when its echo came back.
    pub fn checksum(&self) -> u64 {
        (0..u64::from(self.round_trips)).sum()
    }

    /// The mean time of one round trip.
    pub fn per_round_trip(&self) -> Duration {
        self.io_time / self.round_trips.max(1)
    }
}

/// Sets the flag when dropped, so that helper threads stop even if the
/// measuring thread panics.
struct StopOnDrop<'a>(&'a AtomicBool);

impl Drop for StopOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

// ANCHOR: convoy
/// The convoy effect (bpo-7946): an "I/O thread" under the GIL makes
/// `round_trips` UDP round trips to an echo server on 127.0.0.1, releasing
/// the GIL around each `send` and each `recv`, while `cpu_threads`
/// CPU-bound threads (0: none, the I/O thread alone) run under the same GIL.
///
/// The echo server is a plain Rust thread without the GIL: it stands for
/// another process. Every wait is bounded (2 s), so a lost packet fails
/// the run instead of hanging it.
pub fn convoy(
    config: GilConfig,
    round_trips: u32,
    cpu_threads: usize,
) -> io::Result<ConvoyReport> {
    let gil = Gil::new(config);
    let server = UdpSocket::bind("127.0.0.1:0")?;
    let client = UdpSocket::bind("127.0.0.1:0")?;
    client.connect(server.local_addr()?)?;
    let patience = Duration::from_secs(2);
    server.set_read_timeout(Some(Duration::from_millis(50)))?;
    client.set_read_timeout(Some(patience))?;
    let stop = AtomicBool::new(false);

    thread::scope(|scope| -> io::Result<ConvoyReport> {
        let _stop_helpers = StopOnDrop(&stop);
        // The echo server: no GIL, like a server in another process.
        scope.spawn(|| {
            let mut buffer = [0u8; 64];
            while !stop.load(Ordering::SeqCst) {
                if let Ok((len, from)) = server.recv_from(&mut buffer) {
                    let _ = server.send_to(&buffer[..len], from);
                }
            }
        });
        // The CPU-bound threads: compute under the GIL until the I/O is done.
        let (started_tx, started_rx) = mpsc::channel();
        let cpu: Vec<_> = (0..cpu_threads)
            .map(|_| {
                let (gil, stop, started_tx) = (&gil, &stop, started_tx.clone());
                scope.spawn(move || {
                    let started = Instr::BlockingKeepsGil(Box::new(move || {
                        started_tx.send(()).unwrap_or(())
                    }));
                    let work = std::iter::from_fn(|| {
                        (!stop.load(Ordering::SeqCst)).then_some(Instr::Compute(10_000))
                    });
                    run(gil, std::iter::once(started).chain(work))
                })
            })
            .collect();
        for _ in 0..cpu_threads {
            started_rx
                .recv_timeout(patience)
                .map_err(|_| io::Error::other("a CPU thread did not start"))?;
        }

        // The I/O thread: this one.
        let failure = std::cell::RefCell::new(None::<io::Error>);
        let client = &client;
        let program = (0..round_trips).flat_map(|i| {
            let failure = &failure;
            [
                Instr::Compute(10),
                Instr::blocking(move || {
                    if let Err(e) = client.send(&i.to_le_bytes()) {
                        failure.borrow_mut().get_or_insert(e);
                    }
                }),
                Instr::blocking(move || {
                    let mut reply = [0u8; 4];
                    match client.recv(&mut reply) {
                        Ok(4) if reply == i.to_le_bytes() => {}
                        Ok(_) => drop(
                            failure
                                .borrow_mut()
                                .get_or_insert(io::Error::other("a wrong echo")),
                        ),
                        Err(e) => drop(failure.borrow_mut().get_or_insert(e)),
                    }
                }),
            ]
        });
        let start = Instant::now();
        let _io: RunReport = run(&gil, program);
        let io_time = start.elapsed();
        stop.store(true, Ordering::SeqCst);
        // Wake the echo server from its `recv_from`, so that it sees `stop` now.
        let _ = client.send(&[]);
        let mut cpu_bytecodes = 0;
        for thread in cpu {
            cpu_bytecodes += thread
                .join()
                .map_err(|_| io::Error::other("a CPU thread panicked"))?
                .bytecodes;
        }
        if let Some(error) = failure.into_inner() {
            return Err(error);
        }
        Ok(ConvoyReport {
            round_trips,
            io_time,
            cpu_bytecodes,
            stats: gil.stats(),
        })
    })
}
// ANCHOR_END: convoy
