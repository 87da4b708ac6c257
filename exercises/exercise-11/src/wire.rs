//! Partial results as one line of text, for worker processes. Given code.
//!
//! A process cannot hand its parent a [`Stats`]: it must write it out as
//! bytes, and the parent must read it back (chapter 02). With worker
//! processes, `analyse` sends each worker a request made by
//! [`encode_request`], and decodes each worker's answer with
//! [`decode_stats`]. Every latency travels as text: that is the price of
//! the separate memory.
//!
//! For example (`tests/generator.rs` runs this round trip; the block is not a
//! doc-test because the solution compiles this same file as `solution_11`):
//!
//! ```ignore
//! use exercise_11::{Stats, wire};
//! let mut stats = Stats { files: 1, entries: 2, latencies: vec![3, 4], ..Stats::default() };
//! stats.hits.insert("/a b".into(), 2);
//! assert_eq!(wire::decode_stats(&wire::encode_stats(&stats)), Ok(stats));
//! ```

use std::path::{Path, PathBuf};

use crate::{FileError, LineError, Stats};

/// The request for a worker: `analyse <path> <path> ...`.
pub fn encode_request(paths: &[PathBuf]) -> String {
    let mut line = String::from("analyse");
    for path in paths {
        line.push(' ');
        line.push_str(&escape(&path.to_string_lossy()));
    }
    line
}

/// The paths of a request made by [`encode_request`].
pub fn decode_request(line: &str) -> Result<Vec<PathBuf>, String> {
    let mut words = line.split(' ').filter(|w| !w.is_empty());
    match words.next() {
        Some("analyse") => words.map(|w| unescape(w).map(PathBuf::from)).collect(),
        _ => Err(format!("expected `analyse <path> ...`, got `{line}`")),
    }
}

/// One line, without spaces inside a field: `key=value` pairs.
pub fn encode_stats(stats: &Stats) -> String {
    let list = |items: Vec<String>| items.join(",");
    let levels = list(stats.levels.iter().map(u64::to_string).collect());
    let hits = list(
        stats
            .hits
            .iter()
            .map(|(path, n)| format!("{};{n}", escape(path)))
            .collect(),
    );
    let latencies = list(stats.latencies.iter().map(u32::to_string).collect());
    let malformed = list(
        stats
            .malformed
            .iter()
            .map(|e| format!("{};{};{}", escape_path(&e.file), e.line, escape(&e.reason)))
            .collect(),
    );
    let unreadable = list(
        stats
            .unreadable
            .iter()
            .map(|e| format!("{};{}", escape_path(&e.path), escape(&e.reason)))
            .collect(),
    );
    format!(
        "files={} entries={} levels={levels} hits={hits} latencies={latencies} malformed={malformed} unreadable={unreadable}",
        stats.files, stats.entries
    )
}

/// The [`Stats`] of a line made by [`encode_stats`].
pub fn decode_stats(line: &str) -> Result<Stats, String> {
    let mut stats = Stats::default();
    let bad = |what: &str| {
        format!(
            "cannot decode the stats ({what}) in `{}`",
            line.chars().take(80).collect::<String>()
        )
    };
    let number = |text: &str| {
        text.parse::<u64>()
            .map_err(|_| bad(&format!("{text:?} is not a number")))
    };
    for field in line.split(' ').filter(|f| !f.is_empty()) {
        let (key, value) = field
            .split_once('=')
            .ok_or_else(|| bad("a field without ="))?;
        let items = || value.split(',').filter(|item| !item.is_empty());
        match key {
            "files" => stats.files = number(value)?,
            "entries" => stats.entries = number(value)?,
            "levels" => {
                let levels: Vec<u64> = items().map(number).collect::<Result<_, _>>()?;
                stats.levels = levels.try_into().map_err(|_| bad("not 4 levels"))?;
            }
            "hits" => {
                for item in items() {
                    let (path, n) =
                        item.split_once(';').ok_or_else(|| bad("a hit without ;"))?;
                    stats.hits.insert(unescape(path)?, number(n)?);
                }
            }
            "latencies" => {
                for item in items() {
                    stats.latencies.push(
                        u32::try_from(number(item)?)
                            .map_err(|_| bad("a latency too large"))?,
                    );
                }
            }
            "malformed" => {
                for item in items() {
                    let parts: Vec<&str> = item.split(';').collect();
                    let [file, number_text, reason] = parts[..] else {
                        return Err(bad("a malformed line"));
                    };
                    let line = usize::try_from(number(number_text)?)
                        .map_err(|_| bad("a line number"))?;
                    stats.malformed.push(LineError {
                        file: PathBuf::from(unescape(file)?),
                        line,
                        reason: unescape(reason)?,
                    });
                }
            }
            "unreadable" => {
                for item in items() {
                    let (path, reason) = item
                        .split_once(';')
                        .ok_or_else(|| bad("an unreadable file"))?;
                    stats.unreadable.push(FileError {
                        path: PathBuf::from(unescape(path)?),
                        reason: unescape(reason)?,
                    });
                }
            }
            _ => return Err(bad(&format!("unknown field {key:?}"))),
        }
    }
    Ok(stats)
}

fn escape_path(path: &Path) -> String {
    escape(&path.to_string_lossy())
}

/// Percent-escapes the bytes that separate fields and items.
fn escape(text: &str) -> String {
    let mut bytes = Vec::with_capacity(text.len());
    for byte in text.bytes() {
        if matches!(
            byte,
            b'%' | b' ' | b',' | b';' | b'=' | b'\t' | b'\n' | b'\r'
        ) {
            bytes.extend_from_slice(format!("%{byte:02X}").as_bytes());
        } else {
            bytes.push(byte);
        }
    }
    String::from_utf8(bytes).expect("only ASCII bytes were replaced, by ASCII")
}

fn unescape(text: &str) -> Result<String, String> {
    let mut bytes = Vec::with_capacity(text.len());
    let mut rest = text.as_bytes();
    while let Some((&byte, tail)) = rest.split_first() {
        if byte == b'%' {
            let hex = tail.get(..2).and_then(|h| std::str::from_utf8(h).ok());
            let value = hex
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| format!("a bad escape in {text:?}"))?;
            bytes.push(value);
            rest = &tail[2..];
        } else {
            bytes.push(byte);
            rest = tail;
        }
    }
    String::from_utf8(bytes).map_err(|_| format!("not UTF-8 after unescaping {text:?}"))
}
