//! `comm`: the cost of a message, chapter 09. The same texts go through
//! [`solution_09::stage_work`] three ways: in one thread (the baseline), through
//! crossbeam channels and N worker threads ([`solution_09::run_pipeline`]),
//! and through a worker process, framed and serialized with serde
//! ([`solution_09::remote::run_remote_pipeline`], one process whatever N).
//! `--size` is the size of one message in bytes; the number of messages is
//! chosen so that every size moves about 8 MB.

use super::{Counts, Items, Mode, Plan, Spec, Variant, Workload};

pub const WORKLOAD: Workload = Workload {
    name: "comm",
    about: "message passing: texts of SIZE bytes through channels and N threads, or framed (serde JSON) \
            through one worker process's pipes; about 8 MB in all (chapter 09)",
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
    Plan::new(baseline, variants)
}
