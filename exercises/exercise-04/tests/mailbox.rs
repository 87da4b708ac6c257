//! Tests of `Mailbox` on real threads, outside loom. On a real machine a
//! wrong ordering may still *happen* to work (x86 keeps stores in order), so
//! only the loom model (`tests/loom.rs`) can show that your orderings are
//! right; these check the behaviour and that a receiver is not left waiting.

use std::sync::Arc;
use std::thread;
use std::time::Duration;

use exercise_04::mailbox::Mailbox;

const CHAPTER: &str = "Read chapter 04, \"Deadlocks and memory ordering\" (book/src/04-deadlocks-and-ordering.md).";

#[test]
fn an_empty_mailbox_has_nothing_to_receive() {
    let mailbox = Mailbox::new();
    assert_eq!(
        mailbox.try_receive(),
        None,
        "try_receive on a mailbox nobody sent to must return None. {CHAPTER}"
    );
}

#[test]
fn the_sender_itself_receives_its_message() {
    let mailbox = Mailbox::new();
    mailbox.send(7);
    assert_eq!(
        mailbox.try_receive(),
        Some(7),
        "after send(7), try_receive must return Some(7). {CHAPTER}"
    );
    assert_eq!(
        mailbox.try_receive(),
        Some(7),
        "the message stays in the mailbox: a second try_receive sees it too. {CHAPTER}"
    );
}

#[test]
fn a_receiver_on_another_thread_gets_the_message() {
    course_support::watchdog(
        Duration::from_secs(20),
        "a receiver waiting for send(42) from another thread",
        "`send` must raise the flag (`ready`) after writing the message, and `try_receive` must read it.",
        || {
            for _ in 0..100 {
                let mailbox = Arc::new(Mailbox::new());
                let sender = {
                    let mailbox = Arc::clone(&mailbox);
                    thread::spawn(move || mailbox.send(42))
                };
                let seen = loop {
                    if let Some(message) = mailbox.try_receive() {
                        break message;
                    }
                    std::hint::spin_loop();
                };
                sender.join().expect("the sending thread panicked");
                assert_eq!(
                    seen, 42,
                    "the receiver got {seen}, not the 42 that was sent. {CHAPTER}"
                );
            }
        },
    );
}
