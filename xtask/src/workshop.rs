//! Solutions on cue: in a live workshop, the "Reference solution" boxes of
//! the book and the last tier of `cargo xtask hint` stay locked until the
//! instructor releases them.
//!
//! Workshop mode is on when the clone holds `workshop.toml` (the instructor
//! commits it on the workshop's tag) or when `cargo xtask serve` or `book`
//! gets `--release-solutions`. Without either, the course is self-study and
//! nothing is locked.

use std::fs;
use std::path::Path;

use serde::Deserialize;

use crate::course::{Result, root};

/// The release file, at the repository's root.
pub const FILE: &str = "workshop.toml";

/// Which exercises' solutions are open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Release {
    /// Self-study: every solution is open.
    All,
    /// A workshop: only these exercise numbers ("01", "02", ...).
    Only(Vec<u32>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    /// "01-03,05", or "none".
    released: String,
}

impl Release {
    pub fn is_open(&self, exercise: u32) -> bool {
        match self {
            Release::All => true,
            Release::Only(numbers) => numbers.contains(&exercise),
        }
    }

    /// The book's preprocessor gets it as text: "all" or "01,03".
    pub fn to_config(&self) -> String {
        match self {
            Release::All => "all".into(),
            Release::Only(numbers) => {
                let list: Vec<String> =
                    numbers.iter().map(|n| format!("{n:02}")).collect();
                list.join(",")
            }
        }
    }

    pub fn from_config(text: &str) -> Result<Release> {
        match text {
            "all" => Ok(Release::All),
            _ => parse_ranges(text).map(Release::Only),
        }
    }
}

/// "01-03,05" → [1, 2, 3, 5]; "none" or "" → [].
pub fn parse_ranges(text: &str) -> Result<Vec<u32>> {
    let bad = || {
        format!(
            "cannot read the release {text:?}: give exercise numbers and ranges such as \
             01-03,05, or none"
        )
    };
    let mut numbers = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        if part == "none" {
            continue;
        }
        let (from, to) = part.split_once('-').unwrap_or((part, part));
        let from: u32 = from.trim().parse().map_err(|_| bad())?;
        let to: u32 = to.trim().parse().map_err(|_| bad())?;
        if from == 0 || to < from || to > 99 {
            return Err(bad());
        }
        numbers.extend(from..=to);
    }
    numbers.sort_unstable();
    numbers.dedup();
    Ok(numbers)
}

/// What this clone releases: `--release-solutions` if given, else
/// `workshop.toml` if present, else everything (self-study).
pub fn current(flag: Option<&str>) -> Result<Release> {
    current_in(&root(), flag)
}

pub fn current_in(root: &Path, flag: Option<&str>) -> Result<Release> {
    if let Some(flag) = flag {
        return parse_ranges(flag).map(Release::Only);
    }
    let path = root.join(FILE);
    match fs::read_to_string(&path) {
        Ok(text) => {
            let file: File = toml::from_str(&text).map_err(|e| {
                format!("{FILE}: {}", e.message().lines().next().unwrap_or(""))
            })?;
            parse_ranges(&file.released)
                .map(Release::Only)
                .map_err(|e| format!("{FILE}: {e}"))
        }
        Err(_) => Ok(Release::All),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_read_as_the_guide_writes_them() {
        assert_eq!(parse_ranges("01-03,05").unwrap(), vec![1, 2, 3, 5]);
        assert_eq!(parse_ranges("none").unwrap(), Vec::<u32>::new());
        assert_eq!(parse_ranges(" 2 , 1").unwrap(), vec![1, 2]);
        for bad in ["03-01", "x", "0", "1-100"] {
            assert!(parse_ranges(bad).unwrap_err().contains("01-03,05"), "{bad}");
        }
    }

    #[test]
    fn without_a_file_or_flag_everything_is_open() {
        let scratch =
            std::env::temp_dir().join(format!("workshop-{}", std::process::id()));
        fs::create_dir_all(&scratch).unwrap();
        assert_eq!(current_in(&scratch, None).unwrap(), Release::All);
        fs::write(scratch.join(FILE), "released = \"02\"\n").unwrap();
        let release = current_in(&scratch, None).unwrap();
        assert!(release.is_open(2) && !release.is_open(1));
        // The flag wins over the file.
        assert!(current_in(&scratch, Some("01")).unwrap().is_open(1));
        fs::write(scratch.join(FILE), "released = 3\n").unwrap();
        assert!(current_in(&scratch, None).unwrap_err().starts_with(FILE));
        fs::remove_dir_all(&scratch).unwrap();
        let round = Release::Only(vec![1, 3]);
        assert_eq!(Release::from_config(&round.to_config()).unwrap(), round);
        assert_eq!(Release::from_config("all").unwrap(), Release::All);
    }
}
