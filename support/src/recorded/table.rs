//! The failing execution as a learner reads it: one column per thread, one
//! row per step, in the order loom ran them, ending with what broke.

use super::sync::BLOCKED;
use super::{Step, Trace};

/// What one step did, as its cell says it.
fn cell(step: &Step) -> String {
    let Step {
        op, object, value, ..
    } = step;
    let ordering = step.ordering.as_deref().unwrap_or("");
    let value = value.as_deref().unwrap_or("");
    match *op {
        "load" => {
            let stale = if step.stale { "  STALE" } else { "" };
            format!("{object}.load({ordering}) -> {value}{stale}")
        }
        "store" => format!("{object}.store({value}, {ordering})"),
        "try_lock" if value == "busy" => format!("{object}.try_lock(): BUSY, not taken"),
        "lock" | "try_lock" => format!("{object}.{op}(): finds {value}"),
        "unlock" => format!("{object} unlocked: leaves {value}"),
        BLOCKED => format!("{object}.lock(): WAITS for it"),
        "wait" => format!("{object}.wait(): lets go of {value}"),
        "woken" => format!("{object}: woken, holds {value}"),
        "notify_one" | "notify_all" => format!("{object}.{op}()"),
        _ => format!("{object}.{op}({ordering}): {value}"),
    }
}

/// The table, the legend of its threads above it and the verdict below.
pub(super) fn render(trace: &Trace) -> String {
    let threads = trace.threads.len().max(1);
    let cells: Vec<String> = trace.steps.iter().map(cell).collect();
    let mut widths = vec![0; threads];
    for (step, cell) in trace.steps.iter().zip(&cells) {
        widths[step.thread] = widths[step.thread].max(cell.chars().count());
    }
    for (t, width) in widths.iter_mut().enumerate() {
        *width = (*width).max(format!("thread {t}").len());
    }
    let pad = |text: &str, width: usize| {
        format!("{text}{}", " ".repeat(width - text.chars().count()))
    };

    let mut out = String::from(
        "The failing execution, step by step (one column per thread, in the order loom ran them):\n",
    );
    for (t, role) in trace.threads.iter().enumerate() {
        out.push_str(&format!("  thread {t}: {role}\n"));
    }
    out.push('\n');
    let mut header = String::from("  step  ");
    for (t, width) in widths.iter().enumerate() {
        header.push_str(&pad(&format!("thread {t}"), *width));
        header.push_str("  ");
    }
    out.push_str(&format!("{header}line\n"));
    for (i, (step, cell)) in trace.steps.iter().zip(&cells).enumerate() {
        let mut row = format!("  {:>4}  ", i + 1);
        for (t, width) in widths.iter().enumerate() {
            let text = if t == step.thread { cell.as_str() } else { "" };
            row.push_str(&pad(text, *width));
            row.push_str("  ");
        }
        out.push_str(&format!("{row}{}\n", step.location));
    }
    if trace.steps.iter().any(|s| s.stale) {
        out.push_str(
            "\n  STALE: that load returned an older value than the latest store to the same \
             atomic (above it) wrote.\n",
        );
    }
    let verdict: Vec<String> = trace.verdict.lines().map(|l| format!("  {l}")).collect();
    out.push_str(&format!("\nThen it broke:\n{}\n", verdict.join("\n")));
    out
}

/// Who holds which lock and waits for which, from the steps of a
/// deadlocked execution and loom's message (which threads are blocked).
pub(super) fn deadlock(steps: &[Step], message: &str) -> String {
    let threads = steps.iter().map(|s| s.thread).max().unwrap_or(0) + 1;
    let blocked = |t: usize| message.contains(&format!("(Id({t}), Blocked"));
    let mut held: Vec<Vec<String>> = vec![Vec::new(); threads];
    let mut waits: Vec<Option<&Step>> = vec![None; threads];
    for step in steps {
        let mine = &mut held[step.thread];
        let lock = step
            .value
            .as_deref()
            .and_then(|v| v.split_once(": "))
            .map(|p| p.0);
        match step.op {
            "lock" | "try_lock" if step.value.as_deref() != Some("busy") => {
                mine.push(step.object.clone());
            }
            "unlock" => {
                if let Some(i) = mine.iter().rposition(|o| *o == step.object) {
                    mine.remove(i);
                }
            }
            "wait" => mine.retain(|o| Some(o.as_str()) != lock),
            "woken" => mine.extend(lock.map(str::to_string)),
            _ => {}
        }
        waits[step.thread] = match step.op {
            BLOCKED | "wait" => Some(step),
            _ => None,
        };
    }
    let holder = |object: &str| held.iter().position(|h| h.iter().any(|o| o == object));
    let mut parts = Vec::new();
    for t in (0..threads).filter(|&t| blocked(t)) {
        let holds = match held[t].as_slice() {
            [] => "holds no lock".to_string(),
            locks => format!("holds {}", locks.join(" and ")),
        };
        parts.push(match waits[t] {
            Some(step) if step.op == BLOCKED => {
                let by = match holder(&step.object) {
                    Some(h) if h == t => "which it holds itself".to_string(),
                    Some(h) => format!("which thread {h} holds"),
                    None => "which no thread holds".to_string(),
                };
                format!(
                    "thread {t} {holds} and waits for {} ({}), {by}",
                    step.object, step.location
                )
            }
            Some(step) => format!(
                "thread {t} {holds} and waits on {} ({}) for a notify that no thread is left to send",
                step.object, step.location
            ),
            None => format!("thread {t} {holds} and waits for another thread to finish (join)"),
        });
    }
    format!(
        "DEADLOCK: every thread waits, and none can go on.\n{}.",
        parts.join(";\n")
    )
}
