//! `comm`: the cost of a message, chapter 09. The same texts go through
//! [`solution_09::stage_work`] three ways: in one thread (the baseline), through
//! crossbeam channels and N worker threads ([`solution_09::run_pipeline`]),
//! and through a worker process, framed and serialized with serde
//! ([`solution_09::remote::run_remote_pipeline`], one process whatever N);
//! and, for the price of moving the same bytes with nothing serialized, a
//! worker process that fills a memory-mapped file ([`solution_09::shm`]).
//! `--size` is the size of one message in bytes; the number of messages is
//! chosen so that every size moves about 8 MB.

use solution_09::shm::{SharedSlots, stage_value};

use super::{Counts, Items, Mode, Plan, Spec, Variant, Workload};

pub const WORKLOAD: Workload = Workload {
    name: "comm",
    about: "message passing: texts of SIZE bytes through channels and N threads, or framed (serde JSON) \
            through one worker process's pipes, or the same bytes through shared memory; about 8 MB in all (chapter 09)",
    unit: "bytes per message",
    default_size: 1024,
    max_size: 1 << 19,
    chapter: "09-communication.md",
    python: None,
    mode: Mode::Speedup,
    counts: Counts::EveryUpTo,
    items: Some(Items { name: "messages", per_run: messages, bytes_each: Some(|bytes| bytes) }),
    plan,
};

/// How many messages of `bytes` each: about 8 MB in all, between 200 and 100,000.
fn messages(bytes: u64) -> u64 {
    (8_000_000 / bytes.max(1)).clamp(200, 100_000)
}

fn texts(bytes: u64) -> Vec<String> {
    (0..messages(bytes)).map(|i| char::from(b'a' + (i % 26) as u8).to_string().repeat(bytes as usize)).collect()
}

/// The checksum: the number of results, once each one is checked.
fn check(results: &[solution_09::Item], texts: &[String]) -> Result<u64, String> {
    if results.len() != texts.len() {
        return Err(format!("{} results for {} messages", results.len(), texts.len()));
    }
    for (seq, (result, text)) in results.iter().zip(texts).enumerate() {
        let expected = solution_09::stage_work(solution_09::Item { seq: seq as u64, text: text.clone() });
        if *result != expected {
            return Err(format!("message {seq} came back wrong"));
        }
    }
    Ok(results.len() as u64)
}

fn plan(spec: &Spec) -> Plan {
    let bytes = spec.size;
    let baseline = move || -> Result<u64, String> {
        let texts = texts(bytes);
        let results: Vec<_> = texts
            .iter()
            .enumerate()
            .map(|(seq, text)| solution_09::stage_work(solution_09::Item { seq: seq as u64, text: text.clone() }))
            .collect();
        check(&results, &texts)
    };
    let mut variants = Vec::new();
    for &workers in &spec.workers {
        variants.push(Variant::new("channels", workers, move || {
            let texts = texts(bytes);
            check(&solution_09::run_pipeline(texts.clone(), workers, 64), &texts)
        }));
    }
    // One worker process, whatever the worker count: measured once.
    let worker = spec.worker_program("solution-09");
    variants.push(Variant::new("pipe + serde", 1, move || {
        let texts = texts(bytes);
        let args: Vec<String> = worker.args.iter().map(|a| a.to_string_lossy().into_owned()).collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        check(&solution_09::remote::run_remote_pipeline(&worker.path, &args, texts.clone(), 64)?, &texts)
    }));
    // The same bytes through memory both processes map: nothing framed,
    // nothing serialized, no pipe. The worker stores u64 values (not the
    // texts); the checksum is again the number of messages, once every
    // slot is checked.
    let worker = spec.worker_program("solution-09");
    variants.push(Variant::new("shared memory", 1, move || {
        let slots = (messages(bytes) * bytes).div_ceil(8) as usize;
        let path = std::env::temp_dir().join(format!("xtask-comm-shm-{}.bin", std::process::id()));
        let result = fill_through_shared_memory(&worker, &path, slots);
        let _ = std::fs::remove_file(&path);
        result.map(|()| messages(bytes))
    }));
    let mut plan = Plan::new(baseline, variants);
    plan.notes = Some(Box::new(|| {
        vec!["`shared memory` moves the same bytes as u64 values and skips the text work: compare its MB/s, not its speedup".into()]
    }));
    plan
}

/// Has a worker process fill `slots` slots of a shared file, and checks them.
fn fill_through_shared_memory(worker: &course_support::worker::Program, path: &std::path::Path, slots: usize) -> Result<(), String> {
    use std::sync::atomic::Ordering;
    let shared = SharedSlots::create(path, slots).map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    let status = std::process::Command::new(&worker.path)
        .args(&worker.args)
        .arg("--fill-shared")
        .arg(path)
        .status()
        .map_err(|e| format!("cannot start the worker: {e}"))?;
    if !status.success() {
        return Err(format!("the worker filling shared memory exited with {status}"));
    }
    match shared.slots().iter().enumerate().find(|(i, slot)| slot.load(Ordering::Acquire) != stage_value(*i as u64)) {
        Some((i, _)) => Err(format!("shared slot {i} holds the wrong value")),
        None => Ok(()),
    }
}
