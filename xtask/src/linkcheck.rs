//! A link check of the built book: every internal link must reach a page
//! that exists and, when it names a `#fragment`, an element with that id.
//!
//! mdBook itself refuses a SUMMARY entry whose file is missing; this catches
//! the rest: a mistyped link in a chapter, a link to a chapter that is not in
//! the book, a heading anchor that changed.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Component, Path, PathBuf};

use crate::course::{Result, files_below};

/// Pages that only repeat other pages, with rewritten ids.
const SKIPPED: &[&str] = &["print.html", "404.html", "toc.html"];

pub fn check(book: &Path) -> Result<()> {
    let pages: Vec<PathBuf> = files_below(book)?
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    let mut ids: HashMap<PathBuf, HashSet<String>> = HashMap::new();
    let mut texts = Vec::new();
    for page in &pages {
        let text = fs::read_to_string(book.join(page))
            .map_err(|e| format!("{}: {e}", page.display()))?;
        ids.insert(
            page.clone(),
            attribute_values(&text, "id").into_iter().collect(),
        );
        texts.push((page.clone(), text));
    }
    let mut broken = Vec::new();
    let mut checked = 0;
    for (page, text) in &texts {
        if SKIPPED.iter().any(|s| page == Path::new(s)) {
            continue;
        }
        let mut links = attribute_values(text, "href");
        links.extend(attribute_values(text, "src"));
        for link in links {
            if is_external(&link) {
                continue;
            }
            checked += 1;
            let (path, fragment) = match link.split_once('#') {
                Some((path, fragment)) => (path, Some(fragment)),
                None => (link.as_str(), None),
            };
            let path = path.split('?').next().unwrap_or("");
            let target = if path.is_empty() {
                page.clone()
            } else {
                let mut joined =
                    normalise(&page.parent().unwrap_or(Path::new("")).join(path));
                if path.ends_with('/') || book.join(&joined).is_dir() {
                    joined = joined.join("index.html");
                }
                joined
            };
            if !book.join(&target).is_file() {
                broken.push(format!("{}: link to {link}: no such page", page.display()));
                continue;
            }
            if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
                let known = ids.get(&target).is_some_and(|set| set.contains(fragment));
                if !known {
                    broken.push(format!(
                        "{}: link to {link}: no #{fragment} on {}",
                        page.display(),
                        target.display()
                    ));
                }
            }
        }
    }
    if broken.is_empty() {
        eprintln!(
            "Link check: {checked} internal links on {} pages, none broken.",
            texts.len()
        );
        Ok(())
    } else {
        for line in &broken {
            eprintln!("broken link: {line}");
        }
        Err(format!("the book has {} broken link(s)", broken.len()))
    }
}

fn is_external(link: &str) -> bool {
    [
        "http://",
        "https://",
        "mailto:",
        "javascript:",
        "data:",
        "//",
    ]
    .iter()
    .any(|p| link.starts_with(p))
}

/// Resolves `a/../b` without touching the file system.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// The values of every `name="..."` attribute in an HTML text.
fn attribute_values(html: &str, name: &str) -> Vec<String> {
    let needle = format!(" {name}=\"");
    let mut values = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find(&needle) {
        rest = &rest[start + needle.len()..];
        if let Some(end) = rest.find('"') {
            values.push(rest[..end].replace("&amp;", "&"));
            rest = &rest[end..];
        }
    }
    values
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_attribute_values() {
        let html = r#"<a href="a.html#x">A</a> <h2 id="x">X</h2> <img src="i.svg">"#;
        assert_eq!(attribute_values(html, "href"), ["a.html#x"]);
        assert_eq!(attribute_values(html, "id"), ["x"]);
        assert_eq!(attribute_values(html, "src"), ["i.svg"]);
    }

    #[test]
    fn resolves_parent_folders() {
        assert_eq!(
            normalise(Path::new("a/b/../c.html")),
            PathBuf::from("a/c.html")
        );
    }

    #[test]
    fn reports_a_missing_page_and_a_missing_anchor() {
        let dir =
            std::env::temp_dir().join(format!("linkcheck-test-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        fs::write(
            dir.join("a.html"),
            r#"<h1 id="top">A</h1><a href="b.html#nope">b</a><a href="c.html">c</a>"#,
        )
        .unwrap();
        fs::write(
            dir.join("b.html"),
            r#"<h1 id="here">B</h1><a href="a.html#top">a</a>"#,
        )
        .unwrap();
        let error = check(&dir).unwrap_err();
        fs::remove_dir_all(&dir).unwrap();
        assert_eq!(error, "the book has 2 broken link(s)");
    }
}
