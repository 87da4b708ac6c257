//! Part 2 of exercise 04: publishing data through a flag.
//!
//! Read first: chapter 04, "Deadlocks and memory ordering"
//! (`book/src/04-deadlocks-and-ordering.md`), the part on happens-before.
//! Test your code: `cargo test -p exercise-04`. Stuck? `cargo xtask hint 04`.
//!
//! One thread writes a message, then raises a flag. Another thread checks
//! the flag, and when it is up, reads the message. Which memory orderings
//! make sure the reader sees the message, not what was there before?

// `Ordering` is for your code below (the starter does not use it yet).
#[allow(unused_imports)]
use crate::sync::atomic::{AtomicBool, AtomicU64, Ordering};

// ANCHOR: mailbox
/// A one-shot mailbox: one thread [`send`](Mailbox::send)s one message,
/// others [`try_receive`](Mailbox::try_receive) it.
///
/// The message stands for data too big for one atomic (a `Vec`, a struct):
/// it is written *before* the flag, in a separate step, and the flag alone
/// says that it is complete. It is an atomic here only so that loom can
/// watch every access to it.
#[derive(Debug)]
pub struct Mailbox {
    pub message: AtomicU64,
    pub ready: AtomicBool,
}

impl Mailbox {
    /// An empty mailbox: no message, flag down.
    pub fn new() -> Mailbox {
        Mailbox {
            message: AtomicU64::new(0),
            ready: AtomicBool::new(false),
        }
    }
}
// ANCHOR_END: mailbox

impl Default for Mailbox {
    fn default() -> Self {
        Mailbox::new()
    }
}

// ANCHOR: send_receive
impl Mailbox {
    /// Writes `message`, then raises the flag. Called once.
    pub fn send(&self, message: u64) {
        // BEGIN YOUR CODE
        self.message.store(message, Ordering::Relaxed);
        // Release: every write above happens-before any Acquire load that
        // reads this `true`.
        self.ready.store(true, Ordering::Release);
        // END YOUR CODE
    }

    /// `Some(message)` once the flag is up, `None` before.
    pub fn try_receive(&self) -> Option<u64> {
        // BEGIN YOUR CODE
        // Acquire pairs with send's Release: having read `true`, this thread
        // sees every write the sender made before it raised the flag.
        if self.ready.load(Ordering::Acquire) {
            Some(self.message.load(Ordering::Relaxed))
        } else {
            None
        }
        // END YOUR CODE
    }
}
// ANCHOR_END: send_receive
