//! loom explores the interleavings of the GIL's hand-off logic. It compiles
//! `src/gil.rs` again, this time against loom's `Mutex`, `Condvar` and
//! atomics. The models are in `tests/shared/loom_models.rs`.
mod sync {
    pub use loom::sync::*;
}
#[path = "../src/gil.rs"]
#[allow(dead_code)]
mod gil;
#[path = "shared/loom_models.rs"]
mod models;
