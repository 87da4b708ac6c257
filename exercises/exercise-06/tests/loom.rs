//! loom explores the interleavings of the GIL's hand-off logic. It compiles
//! `src/gil.rs` again, this time against loom's `Mutex`, `Condvar` and
//! atomics (recorded by `course_support::recorded::sync`, so that a failure
//! shows its interleaving, step by step). The models are in `tests/shared/loom_models.rs`.
mod sync {
    // loom's types, each call recorded: a failure shows its interleaving.
    pub use course_support::recorded::sync::*;
}
#[path = "../src/gil.rs"]
#[allow(dead_code)]
mod gil;
#[path = "shared/loom_models.rs"]
mod models;
