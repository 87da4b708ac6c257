//! `comm`: the cost of a message, chapter 09. The same texts, at message
//! sizes from 64 bytes to 64 KiB, go through [`solution_09::stage_work`]:
//! in one thread (`sequential`), through crossbeam channels and 1 or 2
//! worker threads ([`solution_09::run_pipeline`]), and through a worker
//! process, framed and serialized with serde
//! ([`solution_09::remote::run_remote_pipeline`]); and, for the price of
//! moving the same bytes with nothing serialized, a worker process fills a
//! memory-mapped file ([`solution_09::shm`]). `--size` is the bytes each
//! variant moves per run; the report gives the time per message and the
//! MB/s at each message size.

use solution_09::shm::{SharedSlots, stage_value};

use super::{Counts, Items, Mode, Plan, PythonTwin, Spec, Variant, Workload};

pub const WORKLOAD: Workload = Workload {
    name: "comm",
    about: "message passing at 64 B to 64 KiB per message: one thread, channels and 1 or 2 threads, framed serde \
            JSON through a worker process's pipes, or the same bytes through shared memory (chapter 09)",
    unit: "bytes moved per variant and message size",
    default_size: 8_000_000,
    max_size: 1 << 30,
    chapter: "09-communication.md",
    // Python moves a quarter of the bytes: it is that much slower.
    python: Some(PythonTwin {
        script: "comm.py",
        size_divisor: 4,
        reference: None,
    }),
    mode: Mode::Cost {
        x_label: "bytes per message",
        reference: "sequential",
    },
    counts: Counts::Own,
    items: Some(Items {
        name: "messages",
        per_run: messages,
        bytes_each: Some(|_, bytes| bytes as u64),
    }),
    mine: None,
    plan,
    reports: None,
};

/// The message sizes, in bytes.
pub const SIZES: [usize; 4] = [64, 1024, 16 * 1024, 64 * 1024];

/// How many messages of `bytes` make about `total` bytes: between 10 and 100,000.
fn messages(total: u64, bytes: usize) -> u64 {
    (total / bytes.max(1) as u64).clamp(10, 100_000)
}

fn texts(total: u64, bytes: usize) -> Vec<String> {
    (0..messages(total, bytes))
        .map(|i| char::from(b'a' + (i % 26) as u8).to_string().repeat(bytes))
        .collect()
}

/// The checksum: the number of results, once each one is checked.
fn check(results: &[solution_09::Item], texts: &[String]) -> Result<u64, String> {
    if results.len() != texts.len() {
        return Err(format!(
            "{} results for {} messages",
            results.len(),
            texts.len()
        ));
    }
    for (seq, (result, text)) in results.iter().zip(texts).enumerate() {
        let expected = solution_09::stage_work(solution_09::Item {
            seq: seq as u64,
            text: text.clone(),
        });
        if *result != expected {
            return Err(format!("message {seq} came back wrong"));
        }
    }
    Ok(1)
}

fn plan(spec: &Spec) -> Plan {
    let total = spec.size;
    let worker = spec.worker_program("solution-09");
    let mut variants = Vec::new();
    for bytes in SIZES {
        variants.push(Variant::new("sequential", bytes, move || {
            let texts = texts(total, bytes);
            let results: Vec<_> = texts
                .iter()
                .enumerate()
                .map(|(seq, text)| {
                    solution_09::stage_work(solution_09::Item {
                        seq: seq as u64,
                        text: text.clone(),
                    })
                })
                .collect();
            check(&results, &texts)
        }));
    }
    for workers in [1, 2] {
        let name = if workers == 1 {
            "channels, 1 thread"
        } else {
            "channels, 2 threads"
        };
        for bytes in SIZES {
            variants.push(Variant::new(name, bytes, move || {
                let texts = texts(total, bytes);
                check(
                    &solution_09::run_pipeline(texts.clone(), workers, 64),
                    &texts,
                )
            }));
        }
    }
    for bytes in SIZES {
        let worker = worker.clone();
        variants.push(Variant::new("pipe + serde", bytes, move || {
            let texts = texts(total, bytes);
            let args: Vec<String> = worker
                .args
                .iter()
                .map(|a| a.to_string_lossy().into_owned())
                .collect();
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            check(
                &solution_09::remote::run_remote_pipeline(
                    &worker.path,
                    &args,
                    texts.clone(),
                    64,
                )?,
                &texts,
            )
        }));
    }
    // The same bytes through memory both processes map: nothing framed,
    // nothing serialized, no pipe. The worker stores u64 values (not the
    // texts), every slot is checked.
    for bytes in SIZES {
        let worker = worker.clone();
        variants.push(Variant::new("shared memory", bytes, move || {
            let slots = (messages(total, bytes) * bytes as u64).div_ceil(8) as usize;
            let path = std::env::temp_dir()
                .join(format!("xtask-comm-shm-{}.bin", std::process::id()));
            let result = fill_through_shared_memory(&worker, &path, slots);
            let _ = std::fs::remove_file(&path);
            result.map(|()| 1)
        }));
    }
    let mut plan = Plan::new(|| Ok(1), variants);
    plan.notes = Some(Box::new(|| {
        vec!["`shared memory` moves the same bytes as u64 values and skips the text work: compare its MB/s".into()]
    }));
    plan
}

/// Has a worker process fill `slots` slots of a shared file, and checks them.
fn fill_through_shared_memory(
    worker: &course_support::worker::Program,
    path: &std::path::Path,
    slots: usize,
) -> Result<(), String> {
    use std::sync::atomic::Ordering;
    let shared = SharedSlots::create(path, slots)
        .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    let status = std::process::Command::new(&worker.path)
        .args(&worker.args)
        .arg("--fill-shared")
        .arg(path)
        .status()
        .map_err(|e| format!("cannot start the worker: {e}"))?;
    if !status.success() {
        return Err(format!(
            "the worker filling shared memory exited with {status}"
        ));
    }
    match shared
        .slots()
        .iter()
        .enumerate()
        .find(|(i, slot)| slot.load(Ordering::Acquire) != stage_value(*i as u64))
    {
        Some((i, _)) => Err(format!("shared slot {i} holds the wrong value")),
        None => Ok(()),
    }
}
