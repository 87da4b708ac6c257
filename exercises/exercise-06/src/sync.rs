//! The synchronisation types this crate uses: `std::sync` here, loom's in
//! `tests/loom.rs` and shuttle's in `tests/shuttle.rs`, which compile
//! `gil.rs` again with their own `sync`.

pub use std::sync::*;
