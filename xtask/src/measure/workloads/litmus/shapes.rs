//! The litmus tests as data: each thread's accesses, the outcomes they can
//! give, and what the Rust (C++20) memory model and loom say about them.
//!
//! One description drives the hardware run, the loom models and the tests,
//! so the three columns of the table always talk about the same program.

use std::sync::atomic::Ordering;

use serde::Serialize;

/// A location: `x` or `y`.
pub type Loc = usize;
pub const X: Loc = 0;
pub const Y: Loc = 1;
/// The locations' names, for outcome labels.
pub const NAMES: [&str; 2] = ["x", "y"];

/// One access of a thread.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Store(Loc, u32),
    Load(Loc),
}

/// The orderings a test runs with, as the chapter names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Strength {
    Relaxed,
    ReleaseAcquire,
    SeqCst,
    /// `Relaxed` accesses, with a `fence(SeqCst)` between a thread's two.
    RelaxedFence,
}

impl Strength {
    pub const ALL: [Strength; 4] = [
        Strength::Relaxed,
        Strength::ReleaseAcquire,
        Strength::SeqCst,
        Strength::RelaxedFence,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Strength::Relaxed => "Relaxed",
            Strength::ReleaseAcquire => "Release/Acquire",
            Strength::SeqCst => "SeqCst",
            Strength::RelaxedFence => "Relaxed + fence(SeqCst)",
        }
    }

    fn index(self) -> usize {
        self as usize
    }

    pub fn store(self) -> Ordering {
        match self {
            Strength::ReleaseAcquire => Ordering::Release,
            Strength::SeqCst => Ordering::SeqCst,
            Strength::Relaxed | Strength::RelaxedFence => Ordering::Relaxed,
        }
    }

    pub fn load(self) -> Ordering {
        match self {
            Strength::ReleaseAcquire => Ordering::Acquire,
            Strength::SeqCst => Ordering::SeqCst,
            Strength::Relaxed | Strength::RelaxedFence => Ordering::Relaxed,
        }
    }

    /// The fence between a thread's two accesses, if any.
    pub fn fence(self) -> Option<Ordering> {
        (self == Strength::RelaxedFence).then_some(Ordering::SeqCst)
    }
}

/// One litmus test.
pub struct Shape {
    /// "SB", as `--only` and the JSON name it.
    pub name: &'static str,
    pub title: &'static str,
    pub threads: &'static [&'static [Op]],
    /// Whether the outcome is the final values of x and y (2+2W), not
    /// what the loads read.
    pub finals: bool,
    /// The one outcome that no interleaving gives (a test checks it).
    pub weak: &'static [u32],
    /// Hand-checked against C++20 [atomics.order], which Rust follows: is
    /// the weak outcome forbidden under each [`Strength`], in order?
    pub forbidden: [bool; 4],
    /// Does loom 0.7.2 find the weak outcome under each [`Strength`]? Kept
    /// here so that `measure` need not run loom; `loom_tests.rs` runs the
    /// models and fails if this is no longer what they find.
    pub loom_finds_weak: [bool; 4],
}

use Op::{Load, Store};

pub const SHAPES: &[Shape] = &[
    Shape {
        name: "SB",
        title: "store buffering",
        threads: &[&[Store(X, 1), Load(Y)], &[Store(Y, 1), Load(X)]],
        finals: false,
        weak: &[0, 0],
        // Release/Acquire makes no edge from a store to the other's load.
        forbidden: [false, false, true, true],
        // loom#180: loom's SeqCst loads may still read the initial value.
        loom_finds_weak: [true, true, true, false],
    },
    Shape {
        name: "MP",
        title: "message passing",
        threads: &[&[Store(X, 1), Store(Y, 1)], &[Load(Y), Load(X)]],
        finals: false,
        weak: &[1, 0],
        forbidden: [false, true, true, true],
        loom_finds_weak: [true, false, false, false],
    },
    Shape {
        name: "LB",
        title: "load buffering",
        threads: &[&[Load(X), Store(Y, 1)], &[Load(Y), Store(X, 1)]],
        finals: false,
        weak: &[1, 1],
        forbidden: [false, true, true, true],
        // loom runs each thread in program order: a load never reads a
        // store that comes later in the run.
        loom_finds_weak: [false, false, false, false],
    },
    Shape {
        name: "2+2W",
        title: "two stores each, in opposite orders",
        threads: &[&[Store(X, 1), Store(Y, 2)], &[Store(Y, 1), Store(X, 2)]],
        finals: true,
        weak: &[1, 1],
        // Release stores alone make no happens-before edge (no load reads).
        forbidden: [false, false, true, true],
        // loom#180 again: loom's SeqCst stores get no single order.
        loom_finds_weak: [true, true, true, false],
    },
    Shape {
        name: "IRIW",
        title: "independent reads of independent writes",
        threads: &[
            &[Store(X, 1)],
            &[Store(Y, 1)],
            &[Load(X), Load(Y)],
            &[Load(Y), Load(X)],
        ],
        finals: false,
        weak: &[1, 0, 1, 0],
        forbidden: [false, false, true, true],
        loom_finds_weak: [true, true, true, false],
    },
];

impl Shape {
    /// The loads, in thread order: r0, r1, ...
    pub fn loads(&self) -> Vec<Loc> {
        let ops = self.threads.iter().flat_map(|t| t.iter());
        ops.filter_map(|op| match op {
            Load(loc) => Some(*loc),
            Store(..) => None,
        })
        .collect()
    }

    /// The values a load of `loc` can return: 0 and every value stored there.
    fn values(&self, loc: Loc, with_initial: bool) -> Vec<u32> {
        let mut values: Vec<u32> = with_initial.then_some(0).into_iter().collect();
        for op in self.threads.iter().flat_map(|t| t.iter()) {
            if let Store(l, v) = op
                && *l == loc
                && !values.contains(v)
            {
                values.push(*v);
            }
        }
        values.sort();
        values
    }

    /// Every combination of values: the complete outcome table. A final
    /// value is one of the stores (each location is stored to).
    pub fn outcomes(&self) -> Vec<Vec<u32>> {
        let domains: Vec<Vec<u32>> = if self.finals {
            vec![self.values(X, false), self.values(Y, false)]
        } else {
            self.loads().iter().map(|&l| self.values(l, true)).collect()
        };
        let mut all = vec![Vec::new()];
        for domain in domains {
            all = all
                .into_iter()
                .flat_map(|prefix| {
                    domain.iter().map(move |&v| {
                        let mut next = prefix.clone();
                        next.push(v);
                        next
                    })
                })
                .collect();
        }
        all
    }

    /// "r0=0 r1=0", or "x=1 y=1" for final values.
    pub fn label(&self, outcome: &[u32]) -> String {
        let names: Vec<String> = if self.finals {
            NAMES.iter().map(|n| n.to_string()).collect()
        } else {
            (0..outcome.len()).map(|i| format!("r{i}")).collect()
        };
        let pairs: Vec<String> = names
            .iter()
            .zip(outcome)
            .map(|(n, v)| format!("{n}={v}"))
            .collect();
        pairs.join(" ")
    }

    /// The model's verdict: every outcome that some interleaving gives is
    /// allowed under every ordering; the weak one as [`Shape::forbidden`] says.
    pub fn allowed(&self, strength: Strength, outcome: &[u32]) -> bool {
        outcome != self.weak || !self.forbidden[strength.index()]
    }

    pub fn loom_finds(&self, strength: Strength, outcome: &[u32]) -> bool {
        outcome != self.weak || self.loom_finds_weak[strength.index()]
    }

    /// How many threads must run at once for the test to mean anything.
    pub fn cores(&self) -> usize {
        self.threads.len()
    }
}

/// Memory that a thread's accesses run against: a slot of the hardware
/// run's arrays, or loom's atomics.
pub trait Memory {
    fn store(&self, loc: Loc, value: u32, order: Ordering);
    fn load(&self, loc: Loc, order: Ordering) -> u32;
    fn fence(&self, order: Ordering);
}

/// Runs one thread's accesses, with a fence between two where `strength`
/// has one; hands each loaded value to `read`, in order.
#[inline(always)]
pub fn run_thread(
    memory: &impl Memory,
    ops: &[Op],
    strength: Strength,
    mut read: impl FnMut(u32),
) {
    for (i, op) in ops.iter().enumerate() {
        if i > 0
            && let Some(order) = strength.fence()
        {
            memory.fence(order);
        }
        match *op {
            Store(loc, value) => memory.store(loc, value, strength.store()),
            Load(loc) => read(memory.load(loc, strength.load())),
        }
    }
}
