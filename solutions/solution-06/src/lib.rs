//! # Exercise 06 · The GIL: build one, and measure what it does
//!
//! Read first: the chapter "The GIL" (`book/src/06-the-gil.md`;
//! `cargo xtask serve` shows the book).
//! Test your code: `cargo test -p exercise-06`
//! Stuck? `cargo xtask hint 06` gives a nudge, then a hint, then the solution.
//!
//! Rust has no GIL, so you build CPython's, and then watch it do what
//! CPython's does:
//!
//! * [`gil`]: the lock, in four steps (your code);
//! * [`interpreter`]: the eval loop that runs bytecode under it (your code);
//! * [`workloads`]: the experiments of the chapter (given).
//!
//! Then run `cargo run --release -p exercise-06 --example gil_experiments`.

pub mod gil;
pub mod interpreter;
#[path = "../../../exercises/exercise-06/src/sync.rs"]
pub mod sync;
#[path = "../../../exercises/exercise-06/src/workloads.rs"]
pub mod workloads;

pub use gil::{Gil, GilConfig, GilGuard, GilStats};
pub use interpreter::{Instr, RunReport, run};
