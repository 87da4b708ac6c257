//! # Exercise 04 · Deadlocks and memory ordering
//!
//! Read first: the chapter "Deadlocks and memory ordering"
//! (`book/src/04-deadlocks-and-ordering.md`; `cargo xtask serve` shows the book).
//! Test your code: `cargo test -p exercise-04`
//! Stuck? `cargo xtask hint 04` gives a nudge, then a hint, then the solution.
//!
//! Rust stops data races at compile time. It does not stop two threads from
//! waiting for each other forever, and it does not decide for you what one
//! thread's writes look like to another. Here you meet both, and loom checks
//! your fixes in every interleaving:
//!
//! 1. [`bank::transfer`]: move money between two accounts, each behind its
//!    own lock, without the deadlock that [`bank::transfer_naive`] has.
//! 2. [`mailbox::Mailbox`]: publish a message through a "ready" flag, with
//!    memory orderings that make the message visible to the thread that sees
//!    the flag.
//! 3. [`litmus`]: the weakest orderings that make two litmus tests, message
//!    passing and store buffering, correct; `cargo xtask measure litmus`
//!    shows what your CPU does with weaker ones.
//!
//! Write your code only between `// BEGIN YOUR CODE` and `// END YOUR CODE`,
//! in `src/bank.rs`, `src/mailbox.rs` and `src/litmus.rs`.

#[path = "../../../exercises/exercise-04/src/sync.rs"]
pub mod sync;

pub mod bank;
pub mod litmus;
pub mod mailbox;
