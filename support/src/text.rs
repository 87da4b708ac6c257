//! The plain text of the drivers' messages (`loom_model`, `shuttle_model`).

/// Every line indented, so that a quoted panic message stands apart (and
/// no line of it reads like one of the test harness's own).
pub(crate) fn indented(text: &str) -> String {
    text.lines()
        .map(|line| format!("    {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The non-empty parts, a blank line between them, and blank lines around.
pub(crate) fn paragraphs(parts: &[&str]) -> String {
    let kept: Vec<&str> = parts
        .iter()
        .map(|p| p.trim_end())
        .filter(|p| !p.is_empty())
        .collect();
    format!("\n\n{}\n", kept.join("\n\n"))
}
