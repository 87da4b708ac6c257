//! The trace as the JSON of `cargo xtask trace` (schema in chapter 03,
//! "Reading a failing interleaving"): written by hand, one step per line,
//! so that the same execution gives the same bytes.

use super::Trace;

/// A JSON string literal.
fn string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn optional(text: Option<&str>) -> String {
    text.map_or_else(|| "null".to_string(), string)
}

pub(super) fn write(trace: &Trace) -> String {
    let threads: Vec<String> = trace.threads.iter().map(|t| string(t)).collect();
    let steps: Vec<String> = trace
        .steps
        .iter()
        .map(|s| {
            format!(
                "    {{\"thread\": {}, \"op\": {}, \"object\": {}, \"ordering\": {}, \
                 \"location\": {}, \"value\": {}, \"stale\": {}}}",
                s.thread,
                string(s.op),
                string(&s.object),
                optional(s.ordering.as_deref()),
                string(&s.location),
                optional(s.value.as_deref()),
                s.stale
            )
        })
        .collect();
    format!(
        "{{\n  \"exercise\": {},\n  \"test\": {},\n  \"threads\": [{}],\n  \"steps\": [\n{}\n  ],\n  \"verdict\": {}\n}}\n",
        string(&trace.exercise),
        string(&trace.test),
        threads.join(", "),
        steps.join(",\n"),
        string(&trace.verdict)
    )
}
