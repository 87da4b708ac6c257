//! loom models of the two litmus tests of exercise 04, part 3, shared by
//! the exercise and the solution. Each model takes the orderings to check,
//! so the same model checks your answer, each weaker variant of it, and the
//! known too-weak answers at the end of this file (which must keep failing).

use course_support::loom_model::{Run, Suite, explore};
use loom::sync::Arc;
use loom::sync::atomic::{AtomicU32, Ordering};
use loom::thread;

use crate::litmus::{self, Accesses, mp_reader, mp_writer, sb_thread};

const CHAPTER: &str =
    "Read chapter 04, \"What your CPU does\" (book/src/04-deadlocks-and-ordering.md).";

const SUITE: Suite = Suite {
    package: env!("CARGO_PKG_NAME"),
    target: env!("CARGO_CRATE_NAME"),
    chapter: CHAPTER,
};

/// The models' assertion messages: how a failure is told apart from a panic.
const MP_BAD: &str = "the reader saw the flag up (1) but the data still 0";
const SB_BAD: &str = "both threads read 0: each missed the other's store";

/// Which accesses are stores, per thread and access: MP's writer stores
/// twice and its reader loads twice; each SB thread stores, then loads.
const MP_STORES: [[bool; 2]; 2] = [[true, true], [false, false]];
const SB_STORES: [[bool; 2]; 2] = [[true, false], [true, false]];

fn mp_model(choice: [Accesses; 2]) -> Run {
    explore(move || {
        let (data, flag) = (Arc::new(AtomicU32::new(0)), Arc::new(AtomicU32::new(0)));
        let writer = {
            let (data, flag) = (Arc::clone(&data), Arc::clone(&flag));
            thread::spawn(move || mp_writer(choice[0], &data, &flag))
        };
        let (seen_flag, seen_data) = mp_reader(choice[1], &data, &flag);
        writer.join().unwrap();
        assert!(!(seen_flag == 1 && seen_data == 0), "{MP_BAD}");
    })
}

fn sb_model(choice: [Accesses; 2]) -> Run {
    explore(move || {
        let (x, y) = (Arc::new(AtomicU32::new(0)), Arc::new(AtomicU32::new(0)));
        let other = {
            let (x, y) = (Arc::clone(&x), Arc::clone(&y));
            thread::spawn(move || sb_thread(choice[1], &y, &x))
        };
        let mine = sb_thread(choice[0], &x, &y);
        let theirs = other.join().unwrap();
        assert!(!(mine == 0 && theirs == 0), "{SB_BAD}");
    })
}

/// What is wrong with an ordering the CPU cannot do (std would panic).
fn impossible(choice: [Accesses; 2], stores: [[bool; 2]; 2]) -> Option<String> {
    for (t, (a, kinds)) in choice.iter().zip(stores).enumerate() {
        for (order, store) in [(a.first, kinds[0]), (a.second, kinds[1])] {
            let bad = if store {
                matches!(order, Ordering::Acquire | Ordering::AcqRel)
            } else {
                matches!(order, Ordering::Release | Ordering::AcqRel)
            };
            if bad {
                let what = if store { "a store" } else { "a load" };
                return Some(format!(
                    "thread {t}: {what} cannot be {order:?} (the std docs of `store` and `load` \
                     list the orderings each takes). {CHAPTER}"
                ));
            }
        }
        if a.fence == Some(Ordering::Relaxed) {
            return Some(format!("thread {t}: a fence cannot be Relaxed. {CHAPTER}"));
        }
    }
    None
}

/// Every answer one step weaker than `choice` in one place, with what changed.
fn one_step_weaker(
    choice: [Accesses; 2],
    stores: [[bool; 2]; 2],
) -> Vec<([Accesses; 2], String)> {
    let access = |order: Ordering, store: bool| match order {
        Ordering::SeqCst if store => vec![Ordering::Release],
        Ordering::SeqCst => vec![Ordering::Acquire],
        Ordering::Release | Ordering::Acquire | Ordering::AcqRel => {
            vec![Ordering::Relaxed]
        }
        _ => vec![],
    };
    let fence = |order: Option<Ordering>| match order {
        Some(Ordering::SeqCst) => vec![Some(Ordering::AcqRel)],
        Some(Ordering::AcqRel) => vec![Some(Ordering::Release), Some(Ordering::Acquire)],
        Some(_) => vec![None],
        None => vec![],
    };
    let mut weaker = Vec::new();
    for t in 0..2 {
        let a = choice[t];
        let mut push = |changed: Accesses, what: String| {
            let mut next = choice;
            next[t] = changed;
            weaker.push((next, format!("thread {t}'s {what}")));
        };
        for o in access(a.first, stores[t][0]) {
            push(Accesses { first: o, ..a }, format!("first access as {o:?}"));
        }
        for f in fence(a.fence) {
            push(Accesses { fence: f, ..a }, format!("fence as {f:?}"));
        }
        for o in access(a.second, stores[t][1]) {
            push(
                Accesses { second: o, ..a },
                format!("second access as {o:?}"),
            );
        }
    }
    weaker
}

/// Fails unless no answer one step weaker than `choice` also passes.
fn expect_weakest(
    choice: [Accesses; 2],
    stores: [[bool; 2]; 2],
    model: fn([Accesses; 2]) -> Run,
    code: &str,
) {
    if let Some(why) = impossible(choice, stores) {
        panic!("{code}: {why}");
    }
    for (weaker, what) in one_step_weaker(choice, stores) {
        if model(weaker).found == course_support::loom_model::Found::Nothing {
            panic!(
                "{code} could be weaker: with {what}, loom still finds no bad outcome. Use \
                 the weakest orderings that work; each stronger one costs on some CPU. \
                 {CHAPTER}"
            );
        }
    }
}

#[test]
fn your_message_passing_never_shows_the_flag_without_the_data() {
    let choice = litmus::message_passing();
    if let Some(why) = impossible(choice, MP_STORES) {
        panic!("your `message_passing`: {why}");
    }
    let advice = "The reader's load of the flag must make the writer's store of the data \
                  visible: pair a store that releases with a load that acquires.";
    SUITE.expect_nothing(
        &mp_model(choice),
        "your `message_passing` orderings",
        "a reader that sees the flag up also sees the data",
        advice,
    );
}

#[test]
fn your_message_passing_orderings_are_the_weakest() {
    let code = "your `message_passing` orderings";
    expect_weakest(litmus::message_passing(), MP_STORES, mp_model, code);
}

#[test]
fn your_store_buffering_never_has_both_threads_read_0() {
    let choice = litmus::store_buffering();
    if let Some(why) = impossible(choice, SB_STORES) {
        panic!("your `store_buffering`: {why}");
    }
    let all_seqcst = choice.iter().all(|a| {
        a.fence.is_none() && a.first == Ordering::SeqCst && a.second == Ordering::SeqCst
    });
    let advice = if all_seqcst {
        "SeqCst on all four accesses is correct in the memory model, but loom cannot check \
         it: loom models a SeqCst access as AcqRel (loom#180) and finds the outcome the model \
         forbids. It is also not the weakest: keep the accesses Relaxed and put a \
         fence(SeqCst) between each thread's two; loom models fences faithfully."
    } else {
        "Release and Acquire order a store before a later store, or a load before a later \
         access, never a store before a later load: that takes the single order of SeqCst."
    };
    SUITE.expect_nothing(
        &sb_model(choice),
        "your `store_buffering` orderings",
        "at least one thread reads the other's 1",
        advice,
    );
}

#[test]
fn your_store_buffering_orderings_are_the_weakest() {
    let code = "your `store_buffering` orderings";
    expect_weakest(litmus::store_buffering(), SB_STORES, sb_model, code);
}

// ---- known too-weak answers: loom must go on catching every one -----------

fn thread(first: Ordering, fence: Option<Ordering>, second: Ordering) -> Accesses {
    Accesses {
        first,
        fence,
        second,
    }
}

use Ordering::{AcqRel, Acquire, Relaxed, Release, SeqCst};

#[test]
fn loom_rejects_too_weak_message_passing_answers() {
    for (name, choice) in [
        (
            "all Relaxed",
            [
                thread(Relaxed, None, Relaxed),
                thread(Relaxed, None, Relaxed),
            ],
        ),
        (
            "release without acquire",
            [
                thread(Relaxed, None, Release),
                thread(Relaxed, None, Relaxed),
            ],
        ),
        (
            "acquire without release",
            [
                thread(Relaxed, None, Relaxed),
                thread(Acquire, None, Relaxed),
            ],
        ),
        (
            "Release on the data, not the flag",
            [
                thread(Release, None, Relaxed),
                thread(Acquire, None, Relaxed),
            ],
        ),
        (
            "a release fence in the writer only",
            [
                thread(Relaxed, Some(Release), Relaxed),
                thread(Relaxed, None, Relaxed),
            ],
        ),
    ] {
        let what = format!("the too-weak message passing answer \"{name}\"");
        SUITE.expect_caught(&mp_model(choice), &what, |f| f.is_failure_with(MP_BAD));
    }
}

#[test]
fn loom_rejects_too_weak_store_buffering_answers() {
    for (name, choice) in [
        (
            "Release/Acquire",
            [
                thread(Release, None, Acquire),
                thread(Release, None, Acquire),
            ],
        ),
        (
            "a SeqCst fence in one thread only",
            [
                thread(Relaxed, Some(SeqCst), Relaxed),
                thread(Relaxed, None, Relaxed),
            ],
        ),
        (
            "AcqRel fences",
            [
                thread(Relaxed, Some(AcqRel), Relaxed),
                thread(Relaxed, Some(AcqRel), Relaxed),
            ],
        ),
    ] {
        let what = format!("the too-weak store buffering answer \"{name}\"");
        SUITE.expect_caught(&sb_model(choice), &what, |f| f.is_failure_with(SB_BAD));
    }
}
