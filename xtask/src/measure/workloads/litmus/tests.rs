//! The litmus tables, checked without a clock: complete, equal to the
//! hand-checked verdicts, and never a forbidden outcome in a SeqCst run.

use std::collections::BTreeSet;

use super::shapes::{Op, SHAPES, Shape, Strength};
use super::{forbidden_seen, hardware};

/// Every outcome of every sequentially consistent interleaving (threads
/// take turns, each in program order): what `SeqCst` everywhere allows.
fn interleavings(shape: &Shape) -> BTreeSet<Vec<u32>> {
    fn explore(
        shape: &Shape,
        next: &mut Vec<usize>,
        memory: &mut [u32; 2],
        reads: &mut Vec<(usize, u32)>,
        out: &mut BTreeSet<Vec<u32>>,
    ) {
        let mut done = true;
        for t in 0..shape.threads.len() {
            let Some(&op) = shape.threads[t].get(next[t]) else {
                continue;
            };
            done = false;
            // The register of this load: the loads before it, in thread order.
            let earlier = shape.threads[..t].iter().flat_map(|ops| ops.iter());
            let register = earlier
                .chain(&shape.threads[t][..next[t]])
                .filter(|op| matches!(op, Op::Load(_)))
                .count();
            let saved = *memory;
            next[t] += 1;
            match op {
                Op::Store(loc, v) => memory[loc] = v,
                Op::Load(loc) => reads.push((register, memory[loc])),
            }
            explore(shape, next, memory, reads, out);
            if matches!(op, Op::Load(_)) {
                reads.pop();
            }
            next[t] -= 1;
            *memory = saved;
        }
        if done {
            let outcome = if shape.finals {
                memory.to_vec()
            } else {
                let mut sorted = reads.clone();
                sorted.sort();
                sorted.into_iter().map(|(_, v)| v).collect()
            };
            out.insert(outcome);
        }
    }
    let mut out = BTreeSet::new();
    let mut next = vec![0; shape.threads.len()];
    explore(shape, &mut next, &mut [0; 2], &mut Vec::new(), &mut out);
    out
}

#[test]
fn every_table_lists_every_combination_of_values_once() {
    let sizes: Vec<(&str, usize)> = SHAPES
        .iter()
        .map(|s| (s.name, s.outcomes().len()))
        .collect();
    assert_eq!(
        sizes,
        [("SB", 4), ("MP", 4), ("LB", 4), ("2+2W", 4), ("IRIW", 16)]
    );
    for shape in SHAPES {
        let outcomes = shape.outcomes();
        let unique: BTreeSet<&Vec<u32>> = outcomes.iter().collect();
        assert_eq!(unique.len(), outcomes.len(), "{}", shape.name);
        assert!(
            outcomes.iter().any(|o| o.as_slice() == shape.weak),
            "{}",
            shape.name
        );
    }
}

#[test]
fn the_weak_outcome_is_the_only_one_no_interleaving_gives() {
    for shape in SHAPES {
        let all: BTreeSet<Vec<u32>> = shape.outcomes().into_iter().collect();
        let mut expected = all.clone();
        expected.remove(shape.weak);
        assert_eq!(interleavings(shape), expected, "{}", shape.name);
    }
}

/// The verdicts, written out by hand: (test, ordering, outcome) for every
/// forbidden one. Sources: C++20 [atomics.order] (Rust follows C++20, see
/// `std::sync::atomic`); SeqCst everywhere forbids any non-interleaving
/// outcome; a SeqCst fence between the accesses forbids all five; acquire
/// loads that read release stores forbid MP and LB; 2+2W, SB and IRIW
/// need the single order of SeqCst.
const FORBIDDEN: &[(&str, &str, &str)] = &[
    ("SB", "SeqCst", "r0=0 r1=0"),
    ("SB", "Relaxed + fence(SeqCst)", "r0=0 r1=0"),
    ("MP", "Release/Acquire", "r0=1 r1=0"),
    ("MP", "SeqCst", "r0=1 r1=0"),
    ("MP", "Relaxed + fence(SeqCst)", "r0=1 r1=0"),
    ("LB", "Release/Acquire", "r0=1 r1=1"),
    ("LB", "SeqCst", "r0=1 r1=1"),
    ("LB", "Relaxed + fence(SeqCst)", "r0=1 r1=1"),
    ("2+2W", "SeqCst", "x=1 y=1"),
    ("2+2W", "Relaxed + fence(SeqCst)", "x=1 y=1"),
    ("IRIW", "SeqCst", "r0=1 r1=0 r2=1 r3=0"),
    ("IRIW", "Relaxed + fence(SeqCst)", "r0=1 r1=0 r2=1 r3=0"),
];

#[test]
fn the_verdicts_are_the_hand_checked_ones() {
    let mut forbidden = Vec::new();
    for shape in SHAPES {
        for strength in Strength::ALL {
            for outcome in shape.outcomes() {
                if !shape.allowed(strength, &outcome) {
                    forbidden.push((shape.name, strength.label(), shape.label(&outcome)));
                }
            }
        }
    }
    let expected: Vec<(&str, &str, String)> = FORBIDDEN
        .iter()
        .map(|&(a, b, c)| (a, b, c.to_string()))
        .collect();
    assert_eq!(forbidden, expected);
}

#[test]
fn a_seqcst_run_of_every_shape_never_sees_a_forbidden_outcome() {
    // A few hundred thousand runs each; IRIW's four threads share the cores
    // here when there are fewer, which is slower but still correct.
    for shape in SHAPES {
        let runs = if shape.cores() > 2 { 50_000 } else { 300_000 };
        for strength in [Strength::SeqCst, Strength::RelaxedFence] {
            let tally = hardware::run(shape, strength, runs, &|_| {});
            assert_eq!(tally.counts.iter().sum::<u64>(), runs, "{}", shape.name);
            assert_eq!(
                forbidden_seen(shape, strength, &tally),
                0,
                "{} with {}: {:?}",
                shape.name,
                strength.label(),
                tally
            );
        }
    }
}

#[test]
fn a_run_counts_what_it_saw_and_the_harness_plan_covers_every_test() {
    let tally = hardware::run(&SHAPES[0], Strength::Relaxed, 2500, &|_| {});
    assert_eq!(tally.counts.iter().sum::<u64>(), 2500);
    assert_eq!(tally.impossible, 0);
    let spec = super::Spec {
        size: 10,
        workers: vec![1],
        mine: false,
        only: Vec::new(),
    };
    let plan = (super::WORKLOAD.plan)(&spec);
    assert_eq!(plan.variants.len(), SHAPES.len() * Strength::ALL.len());
    for variant in &plan.variants {
        assert_eq!((variant.run)(), Ok(0), "{}", variant.name);
    }
}
