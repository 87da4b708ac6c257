//! The course's mdBook preprocessor (`xtask __preprocess`, wired in by
//! `book.rs` through mdBook's `MDBOOK_PREPROCESSOR__…` setting, so that
//! `book.toml` names no path):
//!
//! * each `<details class="speaker-notes">` block becomes a
//!   `<script type="text/x-speaker-notes">` holding its HTML, in place: the
//!   page never shows it, mdBook's search index skips `script` elements, and
//!   `presenter.js` finds the section it belongs to by its place;
//! * in a workshop (`workshop.rs`), an unreleased chapter's "Reference
//!   solution" box is replaced by a locked one: its code is not in the page,
//!   nor in the search index, nor in a copy of `target/book` shared as files.

use std::io::Read;

use serde_json::Value;

use super::notes;
use crate::course::Result;
use crate::workshop::Release;

/// The preprocessor's name in mdBook's configuration.
pub const NAME: &str = "course";

/// `xtask __preprocess [supports RENDERER]`: mdBook's preprocessor protocol.
pub fn run(args: &[String]) -> Result<()> {
    if args.first().is_some_and(|a| a == "supports") {
        return Ok(()); // every renderer: the html one is the one that matters
    }
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .map_err(|e| e.to_string())?;
    let (context, mut book): (Value, Value) =
        serde_json::from_str(&input).map_err(|e| format!("preprocessor input: {e}"))?;
    let release = context["config"]["preprocessor"][NAME]["release"]
        .as_str()
        .map_or(Ok(Release::All), Release::from_config)?;
    visit(&mut book, &release);
    serde_json::to_writer(std::io::stdout(), &book).map_err(|e| e.to_string())
}

/// Rewrites every chapter of the book's JSON, wherever it nests.
fn visit(value: &mut Value, release: &Release) {
    match value {
        Value::Object(map) => {
            if let (Some(Value::String(content)), Some(path)) =
                (map.get("content"), map.get("path").and_then(Value::as_str))
            {
                let exercise = exercise_of(path);
                let new = rewrite(content, exercise.filter(|&n| !release.is_open(n)));
                map.insert("content".into(), Value::String(new));
            }
            map.values_mut().for_each(|v| visit(v, release));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| visit(v, release)),
        _ => {}
    }
}

/// "03-race-conditions.md" → 3.
fn exercise_of(path: &str) -> Option<u32> {
    let name = path.rsplit(['/', '\\']).next()?;
    name.get(..3)?.strip_suffix('-')?.parse().ok()
}

/// The chapter with its notes moved out of sight, and, if `locked` names
/// its exercise, its solution boxes locked.
pub fn rewrite(content: &str, locked: Option<u32>) -> String {
    let mut out = String::new();
    let mut lines = content.lines().peekable();
    while let Some(line) = lines.next() {
        let trimmed = line.trim();
        let solution = trimmed.starts_with("<details>")
            && (trimmed.contains("<summary>Reference solution</summary>")
                || lines.peek().is_some_and(|l| {
                    l.trim() == "<summary>Reference solution</summary>"
                }));
        if trimmed == "<details class=\"speaker-notes\">" {
            let body: Vec<&str> = lines
                .by_ref()
                .take_while(|l| l.trim() != "</details>")
                .filter(|l| !l.trim().starts_with("<summary>"))
                .collect();
            out.push_str(&notes_script(&body.join("\n")));
        } else if let (true, Some(number)) = (solution, locked) {
            lines
                .by_ref()
                .take_while(|l| l.trim() != "</details>")
                .for_each(drop);
            out.push_str(&locked_box(number));
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

fn notes_script(markdown: &str) -> String {
    // `</script` cannot occur in the notes' HTML: `<` is escaped in text.
    format!(
        "\n<script type=\"text/x-speaker-notes\" class=\"speaker-notes\">{}</script>\n\n",
        notes::to_html(markdown)
    )
}

fn locked_box(exercise: u32) -> String {
    format!(
        "<div class=\"solution-locked\" data-exercise=\"{exercise:02}\">\n\n\
         **Reference solution: locked.** Your instructor releases it after the \
         exercise. Until then, `cargo xtask hint {exercise:02}` has a nudge and a hint.\n\n\
         </div>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHAPTER: &str = "# Title\n\n## Exercise 01\n\nText.\n\n\
        <details class=\"speaker-notes\">\n<summary>Speaker notes</summary>\n\n\
        - Ask the room.\n\n</details>\n\n\
        <details>\n<summary>Reference solution</summary>\n\n```rust\nfn answer() {}\n```\n\n\
        </details>\n\nAfter.\n";

    #[test]
    fn notes_become_a_script_in_place() {
        let out = rewrite(CHAPTER, None);
        assert!(out.contains(
            "<script type=\"text/x-speaker-notes\" class=\"speaker-notes\">\
             <ul><li>Ask the room.</li></ul></script>"
        ));
        assert!(!out.contains("<details class=\"speaker-notes\">"));
        assert!(out.find("Text.").unwrap() < out.find("Ask the room").unwrap());
        // Self-study: the solution stays.
        assert!(out.contains("fn answer()") && out.contains("After."));
    }

    #[test]
    fn a_locked_chapter_loses_its_solution_not_the_rest() {
        let out = rewrite(CHAPTER, Some(1));
        assert!(
            !out.contains("fn answer()") && !out.contains("Reference solution</summary>")
        );
        assert!(out.contains("solution-locked") && out.contains("cargo xtask hint 01"));
        assert!(out.contains("After.") && out.contains("Ask the room"));
        let inline =
            "<details><summary>Reference solution</summary>\n\nsecret\n</details>\n";
        assert!(!rewrite(inline, Some(3)).contains("secret"));
    }

    #[test]
    fn chapters_are_found_in_the_book_json() {
        assert_eq!(exercise_of("03-race-conditions.md"), Some(3));
        assert_eq!(exercise_of("introduction.md"), None);
        let mut book = serde_json::json!({"items": [{"Chapter": {
            "content": CHAPTER, "path": "01-memory-threads.md",
            "sub_items": [{"Chapter": {"content": CHAPTER, "path": "11-capstone.md"}}]}}]});
        visit(&mut book, &Release::Only(vec![11]));
        let top = book["items"][0]["Chapter"]["content"].as_str().unwrap();
        let sub =
            book["items"][0]["Chapter"]["sub_items"][0]["Chapter"]["content"].as_str();
        assert!(top.contains("solution-locked") && sub.unwrap().contains("fn answer()"));
    }
}
