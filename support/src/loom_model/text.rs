//! The plain text of the driver's messages.

use super::Run;

/// The failing execution's table, or, if none was recorded, loom's message
/// after `intro`.
pub(super) fn shown(run: &Run, intro: &str, message: &str) -> String {
    match &run.trace {
        Some(trace) => format!("\n\n{}", trace.table.trim_end()),
        None => format!(" {intro}\n{}", indented(message)),
    }
}

/// Every line indented, so that a quoted panic message stands apart (and
/// no line of it reads like one of the test harness's own).
pub(super) fn indented(text: &str) -> String {
    text.lines()
        .map(|line| format!("    {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The non-empty parts, a blank line between them, and blank lines around.
pub(super) fn paragraphs(parts: &[&str]) -> String {
    let kept: Vec<&str> = parts
        .iter()
        .map(|p| p.trim_end())
        .filter(|p| !p.is_empty())
        .collect();
    format!("\n\n{}\n", kept.join("\n\n"))
}
