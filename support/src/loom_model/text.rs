//! The plain text of the driver's messages.

use super::Run;
pub(super) use crate::text::{indented, paragraphs};

/// The failing execution's table, or, if none was recorded, loom's message
/// after `intro`.
pub(super) fn shown(run: &Run, intro: &str, message: &str) -> String {
    match &run.trace {
        Some(trace) => format!("\n\n{}", trace.table.trim_end()),
        None => format!(" {intro}\n{}", indented(message)),
    }
}
