//! Where a failing execution's trace goes: into the test's failure message
//! ([`TraceText`]), through a child's stderr to its parent, and into
//! [`TRACE_DIR`] for `cargo xtask trace`.

use std::io::Write;
use std::panic;
use std::sync::Once;

use crate::loom_child::{LOOM_DEADLOCK, PARENT_TEST};
use crate::panic_message;
use crate::recorded::{self, Trace};

/// With this variable set to a folder, every test writes there the first
/// failing execution it finds: `TEST.json` and `TEST.txt` (the table), `::`
/// written as `.`.
pub const TRACE_DIR: &str = "COURSE_TRACE_DIR";

/// Set in a child run by `loom_child` (the parent reads its stderr).
const IN_CHILD: &str = "COURSE_SUPPORT_LOOM_CHILD";

const JSON_BEGIN: &str = "==== course-support trace: json ====";
const TABLE_BEGIN: &str = "==== course-support trace: table ====";
const END: &str = "==== course-support trace: end ====";

/// A failing execution as text: the JSON of `cargo xtask trace`, and the
/// table a failing test prints.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TraceText {
    pub json: String,
    pub table: String,
}

impl From<&Trace> for TraceText {
    fn from(trace: &Trace) -> TraceText {
        TraceText {
            json: trace.to_json(),
            table: trace.table(),
        }
    }
}

impl TraceText {
    /// The trace a child run printed between its markers, if any.
    pub fn from_child(stderr: &str) -> Option<TraceText> {
        let between = |begin: &str, end: &str| {
            let start = stderr.find(begin)? + begin.len() + 1;
            let stop = start + stderr.get(start..)?.find(end)?;
            Some(stderr[start..stop].to_string())
        };
        Some(TraceText {
            json: between(JSON_BEGIN, TABLE_BEGIN)?,
            table: between(TABLE_BEGIN, END)?,
        })
    }
}

/// The running test's name, as `--exact` wants it.
pub(super) fn test_name() -> String {
    match std::thread::current().name() {
        Some(name) if name != "main" => name.to_string(),
        _ => "NAME_OF_THE_TEST".to_string(),
    }
}

/// Shows a failing execution: into [`TRACE_DIR`] if set, to the parent of
/// a child run, and, unless [`super::explore`] shows it in its message, on
/// stderr (the test harness prints it with the failure).
pub(super) fn publish(trace: &Trace, explored: bool) {
    write_dir(trace);
    if !to_parent(trace) && !explored {
        eprintln!("\n{}", trace.table());
    }
}

/// Writes the trace into [`TRACE_DIR`], unless this test wrote one before.
fn write_dir(trace: &Trace) {
    let Some(dir) = std::env::var_os(TRACE_DIR) else {
        return;
    };
    // A child's trace is named by the test that started it: the one that fails.
    let test = std::env::var(PARENT_TEST)
        .ok()
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| trace.test.clone());
    let file = |ext: &str| {
        std::path::Path::new(&dir).join(format!("{}.{ext}", test.replace("::", ".")))
    };
    let first = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(file("json"));
    if let Ok(mut json) = first {
        let _ = json.write_all(trace.to_json().as_bytes());
        let _ = std::fs::write(file("txt"), trace.table());
    }
}

/// In a child run, prints the trace between markers for the parent, past
/// the harness's capture (a deadlock exits right after); `false` if not.
fn to_parent(trace: &Trace) -> bool {
    if std::env::var_os(IN_CHILD).is_none() {
        return false;
    }
    let text = format!(
        "{JSON_BEGIN}\n{}{TABLE_BEGIN}\n{}{END}\n",
        trace.to_json(),
        trace.table()
    );
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
    true
}

/// Installs, once, a panic hook for loom's deadlock report. loom panics
/// with "deadlock; threads = ..." and the unwinding then panics again in
/// loom's own drops, which aborts the process with a backtrace. The hook
/// prints the deadlocked execution instead and ends the process cleanly.
pub(super) fn install_deadlock_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            previous(info);
            let message = panic_message(info.payload());
            if !message.contains(LOOM_DEADLOCK) {
                return;
            }
            let Some(execution) = recorded::end() else {
                return;
            };
            let trace = execution.trace(&test_name(), &message);
            write_dir(&trace);
            if !to_parent(&trace) {
                let _ = writeln!(
                    std::io::stderr().lock(),
                    "\n{}\nloom found a deadlock in `{}`; the test process stops here.",
                    trace.table(),
                    trace.test
                );
            }
            std::process::exit(101);
        }));
    });
}
