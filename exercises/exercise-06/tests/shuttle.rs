//! shuttle runs the GIL with more threads than loom can: 8 and 16 threads
//! that all want it at once, each run in another random order. It compiles
//! `src/gil.rs` again, this time against shuttle's `Mutex`, `Condvar` and
//! atomics. The models are in `tests/shared/shuttle_models.rs`.
//!
//! Run only these: `cargo test -p exercise-06 --test shuttle`
mod sync {
    // shuttle's types: shuttle decides which thread runs at each of their calls.
    pub use shuttle::sync::*;
}
#[path = "../src/gil.rs"]
#[allow(dead_code)]
mod gil;
#[path = "shared/shuttle_models.rs"]
mod models;
