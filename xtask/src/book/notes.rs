//! The speaker notes' markdown, turned into HTML at build time. Notes are
//! short lists and paragraphs with `code`, *emphasis*, **strong** and
//! [links](url); this is all of it, so the course needs no markdown crate.

/// HTML for a notes block's markdown.
pub fn to_html(markdown: &str) -> String {
    let mut html = String::new();
    for block in markdown
        .split("\n\n")
        .map(str::trim)
        .filter(|b| !b.is_empty())
    {
        if block.starts_with("- ") {
            html.push_str("<ul>");
            for item in block.split("\n- ") {
                let item = item.trim_start_matches("- ");
                html.push_str(&format!("<li>{}</li>", inline(&join_lines(item))));
            }
            html.push_str("</ul>");
        } else {
            html.push_str(&format!("<p>{}</p>", inline(&join_lines(block))));
        }
    }
    html
}

fn join_lines(text: &str) -> String {
    text.lines().map(str::trim).collect::<Vec<_>>().join(" ")
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `code` first (nothing inside it is markup), then links and emphasis.
fn inline(text: &str) -> String {
    let mut out = String::new();
    for (i, part) in text.split('`').enumerate() {
        if i % 2 == 1 {
            out.push_str(&format!("<code>{}</code>", escape(part)));
        } else {
            out.push_str(&emphasis(&links(&escape(part))));
        }
    }
    out
}

fn links(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let Some((label, tail)) = rest[open + 1..].split_once("](") else {
            break;
        };
        let Some((url, after)) = tail.split_once(')') else {
            break;
        };
        out.push_str(&rest[..open]);
        out.push_str(&format!("<a href=\"{url}\" target=\"_blank\">{label}</a>"));
        rest = after;
    }
    out.push_str(rest);
    out
}

fn emphasis(text: &str) -> String {
    let strong = wrap(text, "**", "strong");
    wrap(&strong, "*", "em")
}

/// Wraps every closed pair of `mark` in `<tag>`.
fn wrap(text: &str, mark: &str, tag: &str) -> String {
    let parts: Vec<&str> = text.split(mark).collect();
    if parts.len() < 3 {
        return text.to_string();
    }
    let mut out = String::new();
    for (i, part) in parts.iter().enumerate() {
        match (i % 2, i + 1 == parts.len()) {
            (1, false) => out.push_str(&format!("<{tag}>{part}</{tag}>")),
            (1, true) => out.push_str(&format!("{mark}{part}")),
            _ => out.push_str(part),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::to_html;

    #[test]
    fn lists_paragraphs_and_inline_marks() {
        let notes = "- Live-code `a < b`, then *break* it.\n  Read the **error**.\n\
                     - See [the docs](https://doc.rust-lang.org).\n\nTiming: 10 minutes.";
        assert_eq!(
            to_html(notes),
            "<ul><li>Live-code <code>a &lt; b</code>, then <em>break</em> it. Read the \
             <strong>error</strong>.</li><li>See <a href=\"https://doc.rust-lang.org\" \
             target=\"_blank\">the docs</a>.</li></ul><p>Timing: 10 minutes.</p>"
        );
    }
}
