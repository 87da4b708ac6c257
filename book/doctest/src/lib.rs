//! Every chapter of the book, as doc comments, so that `cargo test` compiles
//! and runs each of its Rust blocks. See `build.rs` for the rules.
//!
//! Code the book *includes* from the exercise and solution crates is
//! compiled and tested in those crates instead.
#![allow(
    rustdoc::broken_intra_doc_links,
    rustdoc::bare_urls,
    rustdoc::invalid_html_tags
)]

include!(concat!(env!("OUT_DIR"), "/chapters.rs"));
