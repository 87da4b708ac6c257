//! # Exercise 06 · The GIL, part 2: a tiny interpreter
//!
//! Read first: the chapter "The GIL" (`book/src/06-the-gil.md`).
//! Test your code: `cargo test -p exercise-06`
//! Stuck? `cargo xtask hint 06`
//!
//! A "program" is a list of [`Instr`]uctions. [`run`] is the eval loop: it
//! runs every bytecode under the [`Gil`], counts each one with
//! [`crate::gil::GilGuard::tick`] (where a drop request is honoured), and releases the
//! GIL around blocking calls with [`crate::gil::GilGuard::allow_threads`].
//!
//! Write your code only between `// BEGIN YOUR CODE` and `// END YOUR CODE`.

use std::hint::black_box;

use crate::gil::Gil;

/// One instruction of a toy program.
pub enum Instr<'a> {
    /// `n` bytecodes of pure computation, like `while n > 0: n -= 1`.
    Compute(u64),
    /// A blocking call (a socket read, a sleep) that releases the GIL while
    /// it blocks, as CPython's C code does.
    Blocking(Box<dyn FnOnce() + 'a>),
    /// A blocking call that keeps the GIL (a C extension that forgets to
    /// release it): nobody else runs meanwhile.
    BlockingKeepsGil(Box<dyn FnOnce() + 'a>),
}

impl<'a> Instr<'a> {
    /// A [`Instr::Blocking`] call.
    pub fn blocking(call: impl FnOnce() + 'a) -> Instr<'a> {
        Instr::Blocking(Box::new(call))
    }
}

/// What a run of [`run`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RunReport {
    /// Bytecodes run (each counted by one `tick`).
    pub bytecodes: u64,
    /// How many times this thread handed the GIL over on request.
    pub hand_overs: u64,
    /// The result of the computation, so that the optimiser keeps it.
    pub value: u64,
}

/// One bytecode's worth of work: a few steps of a random number generator,
/// about as long as a simple CPython bytecode (some nanoseconds).
#[inline]
pub fn bytecode(value: u64) -> u64 {
    let mut x = value;
    for _ in 0..8 {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
    }
    black_box(x)
}

/// `n` bytecodes without any GIL: what a Rust thread does.
pub fn compute_free(n: u64, seed: u64) -> u64 {
    (0..n).fold(seed, |x, _| bytecode(x))
}

// ANCHOR: run
/// Runs `program` on the current thread under `gil`, and reports what it did.
///
/// Take the GIL once, at the start. `Compute(n)`: run [`bytecode`] `n` times
/// on `report.value`, calling `tick` after each one. `Blocking(call)`: run
/// `call` inside `allow_threads`. `BlockingKeepsGil(call)`: just call it.
pub fn run<'a>(gil: &Gil, program: impl IntoIterator<Item = Instr<'a>>) -> RunReport {
    // BEGIN YOUR CODE
    // TODO: take the GIL (`gil.acquire()`), then run each instruction:
    //       `Compute(n)`: `n` times, `report.value = bytecode(report.value)`
    //       and `guard.tick()` (count the ticks that return true in
    //       `report.hand_overs`); `Blocking(call)`: `guard.allow_threads(call)`;
    //       `BlockingKeepsGil(call)`: `call()`. At the end,
    //       `report.bytecodes = guard.ops()`.
    todo!("exercise 06: write `run` (chapter 06, book/src/06-the-gil.md)")
    // END YOUR CODE
}
// ANCHOR_END: run
