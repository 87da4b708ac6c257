//! Every chapter of the book, as doc comments, so that `cargo test` compiles
//! and runs each of its Rust blocks. See `build.rs` for the rules.
//!
//! Code the book *includes* from the exercise and solution crates is
//! compiled and tested in those crates instead.
// The chapters show whole programs, `fn main` included: the reader runs
// them from the page (the Run button) and edits them.
#![allow(clippy::needless_doctest_main)]
#![allow(
    rustdoc::broken_intra_doc_links,
    rustdoc::bare_urls,
    rustdoc::invalid_html_tags
)]

include!(concat!(env!("OUT_DIR"), "/chapters.rs"));
