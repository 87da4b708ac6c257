//! The synchronisation types this crate uses: `std::sync` here, loom's in
//! `tests/loom.rs`, which compiles `gil.rs` again with its own `sync`.

pub use std::sync::*;
