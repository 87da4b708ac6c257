//! The loom checks of exercise 04, part 3 (`src/litmus.rs`). They compile
//! `src/litmus.rs` a second time, with `crate::sync` = `loom::sync`, so that
//! loom sees every access and fence of the two litmus tests.
//!
//! Run them: `cargo test -p exercise-04 --test litmus`

mod sync {
    pub use loom::sync::*;
}
#[path = "../src/litmus.rs"]
mod litmus;

#[path = "litmus/models.rs"]
mod models;
