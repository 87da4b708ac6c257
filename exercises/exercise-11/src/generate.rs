//! The log tree generator. It is given code: you write nothing here.
//!
//! [`LogTree::generate`] writes a small tree of log files into a fresh
//! temporary folder, deterministically from a seed, and removes it again
//! when the [`LogTree`] is dropped. While it writes, it records the exact
//! statistics a correct analyser must find ([`LogTree::expected`]): the
//! tests compare your answer with them.
//!
//! The tree looks like a real `/var/log`, traps included:
//!
//! ```text
//! logs-XXXX/
//!   2026-11-01/  api.log  web.log  worker.log ...   the day's logs
//!                api.log.1                          a rotated log: not a .log file
//!                secret.log                         no read permission (unix)
//!                agent.log                          Windows line endings (\r\n)
//!   2026-11-02/  ...   locked/audit.log             a folder without permission (unix)
//!   2026-11-03/  ...   dump.log                     gzip bytes, not text
//!                      empty.log                    an empty file: read, 0 entries
//!   current -> 2026-11-03                           a symlink to a folder (unix)
//!   latest.log -> 2026-11-03/api.log                a symlink to a file (unix)
//!   2026-11-01/back -> ..                           a symlink loop (unix)
//!   notes.txt                                       not a log
//! ```
//!
//! About one line in 150 is malformed and one in 100 is blank.
//! As root, permissions do not stop reads: then `secret.log` and
//! `locked/audit.log` are read like any other file, and the expected
//! statistics say so.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::{Entry, Level, Stats};

/// How big a tree to make.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shape {
    /// Folders, one per day.
    pub days: usize,
    /// Ordinary log files per day (the trap files come on top).
    pub files_per_day: usize,
    /// The mean number of lines per file; each file gets between a quarter
    /// of it and 1.75 times it, so the files are of uneven size.
    pub lines_per_file: usize,
}

impl Shape {
    /// The tests' tree: about 13,000 lines, about 0.7 MB.
    pub const SMALL: Shape = Shape {
        days: 3,
        files_per_day: 5,
        lines_per_file: 800,
    };
    /// The benchmark's tree: about 100,000 lines, about 5 MB.
    pub const BENCH: Shape = Shape {
        days: 8,
        files_per_day: 12,
        lines_per_file: 1000,
    };
}

/// A generated tree of log files in a temporary folder, removed on drop.
#[derive(Debug)]
pub struct LogTree {
    root: PathBuf,
    expected: Stats,
    log_files: Vec<PathBuf>,
    unreadable: Vec<PathBuf>,
    permissions_apply: bool,
}

/// Paths of the web service, most popular first. Popularity falls off
/// steeply, as in real traffic.
const PATHS: &[&str] = &[
    "/",
    "/api/users",
    "/api/orders",
    "/login",
    "/static/app.js",
    "/static/style.css",
    "/api/cart",
    "/api/search",
    "/health",
    "/api/users/me",
    "/logout",
    "/api/orders/recent",
    "/favicon.ico",
    "/api/products",
    "/api/products/featured",
    "/admin",
    "/api/reports",
    "/robots.txt",
    "/api/payments",
    "/api/invoices",
    "/docs",
    "/api/export",
    "/api/import",
    "/metrics",
];
const METHODS: &[&str] = &["GET", "GET", "GET", "POST", "PUT", "DELETE"];
const SERVICES: &[&str] = &[
    "api", "web", "worker", "auth", "billing", "search", "mailer", "cron", "proxy",
    "cache", "db", "queue",
];

/// A tiny deterministic random number generator (splitmix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

impl LogTree {
    /// Writes a tree of the given shape into a new temporary folder.
    ///
    /// The same seed and shape always give the same files.
    pub fn generate(seed: u64, shape: Shape) -> io::Result<LogTree> {
        let root = fresh_temp_dir()?;
        let mut tree = LogTree {
            root,
            expected: Stats::default(),
            log_files: Vec::new(),
            unreadable: Vec::new(),
            permissions_apply: false,
        };
        // If writing fails half-way, dropping `tree` removes what was written.
        tree.write(seed, shape)?;
        Ok(tree)
    }

    /// The folder to analyse.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// What a correct analyser finds in this tree. The reasons of the
    /// malformed lines and unreadable files are the generator's own words;
    /// only their places (file and line) must match yours.
    pub fn expected(&self) -> &Stats {
        &self.expected
    }

    /// Every `.log` file a correct scan lists, sorted; those it cannot read
    /// are among them.
    pub fn log_files(&self) -> &[PathBuf] {
        &self.log_files
    }

    /// Files and folders that cannot be read, sorted.
    pub fn unreadable(&self) -> &[PathBuf] {
        &self.unreadable
    }

    /// Whether missing read permissions stop reads here: false as root, or
    /// off unix. The permission traps are then ordinary, readable files.
    pub fn permissions_apply(&self) -> bool {
        self.permissions_apply
    }

    fn write(&mut self, seed: u64, shape: Shape) -> io::Result<()> {
        let mut rng = Rng(seed);
        if shape.days > 30 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "at most 30 days of logs",
            ));
        }
        let days: Vec<String> = (0..shape.days)
            .map(|d| format!("2026-11-{:02}", 1 + d))
            .collect();
        for (d, day) in days.iter().enumerate() {
            let folder = self.root.join(day);
            fs::create_dir_all(&folder)?;
            for i in 0..shape.files_per_day {
                let service = SERVICES[i % SERVICES.len()];
                let name = match i / SERVICES.len() {
                    0 => format!("{service}.log"),
                    n => format!("{service}-{n}.log"),
                };
                self.log_file(&folder.join(name), &mut rng, shape, day, "\n")?;
            }
            // A rotated log: real lines, but not a `.log` file.
            let rotated = log_text(
                &mut rng,
                shape.lines_per_file / 4,
                day,
                "\n",
                &mut Stats::default(),
                Path::new(""),
            );
            fs::write(folder.join("api.log.1"), rotated)?;
            match d % 3 {
                0 => {
                    self.log_file(
                        &folder.join("agent.log"),
                        &mut rng,
                        shape,
                        day,
                        "\r\n",
                    )?;
                    let secret = folder.join("secret.log");
                    self.locked(&secret, &mut rng, shape, day, false)?;
                }
                1 => {
                    let locked = folder.join("locked");
                    fs::create_dir(&locked)?;
                    self.locked(&locked.join("audit.log"), &mut rng, shape, day, true)?;
                }
                _ => {
                    let dump = folder.join("dump.log");
                    // The gzip magic bytes, then garbage: not UTF-8 text.
                    let mut bytes = vec![0x1f, 0x8b, 0x08, 0x00, 0xff, 0xfe, b'\n'];
                    bytes.extend((0..200).map(|_| rng.below(256) as u8));
                    fs::write(&dump, bytes)?;
                    self.log_files.push(dump.clone());
                    self.unreadable.push(dump.clone());
                    self.expected
                        .merge_unreadable(&dump, "generated: not UTF-8 text");
                    let empty = folder.join("empty.log");
                    fs::write(&empty, "")?;
                    self.log_files.push(empty);
                    self.expected.files += 1;
                }
            }
        }
        fs::write(
            self.root.join("notes.txt"),
            "INFO GET / 200 1ms\nnot a log file\n",
        )?;
        #[cfg(unix)]
        if let Some(last) = days.last() {
            std::os::unix::fs::symlink(last, self.root.join("current"))?;
            std::os::unix::fs::symlink(
                Path::new(last).join("api.log"),
                self.root.join("latest.log"),
            )?;
            // A loop: a walk that follows links never ends.
            std::os::unix::fs::symlink("..", self.root.join(&days[0]).join("back"))?;
        }
        self.log_files.sort();
        self.unreadable.sort();
        Ok(())
    }

    /// Writes one ordinary log file and records what it holds.
    fn log_file(
        &mut self,
        path: &Path,
        rng: &mut Rng,
        shape: Shape,
        day: &str,
        newline: &str,
    ) -> io::Result<()> {
        let lines = file_lines(rng, shape);
        let mut stats = Stats::default();
        let text = log_text(rng, lines, day, newline, &mut stats, path);
        fs::write(path, text)?;
        stats.files = 1;
        merge_exact(&mut self.expected, stats);
        self.log_files.push(path.to_path_buf());
        Ok(())
    }

    /// Writes a log file, then takes away the read permission of the file
    /// (or of its folder, when `folder` is true).
    fn locked(
        &mut self,
        path: &Path,
        rng: &mut Rng,
        shape: Shape,
        day: &str,
        folder: bool,
    ) -> io::Result<()> {
        let lines = file_lines(rng, shape) / 4;
        let mut stats = Stats::default();
        let text = log_text(rng, lines, day, "\n", &mut stats, path);
        fs::write(path, text)?;
        stats.files = 1;
        let target = if folder {
            path.parent().expect("a file in a folder").to_path_buf()
        } else {
            path.to_path_buf()
        };
        let blocked = set_readable(&target, false)?;
        if blocked {
            self.permissions_apply = true;
            self.unreadable.push(target.clone());
            self.expected
                .merge_unreadable(&target, "generated: permission denied");
            if !folder {
                self.log_files.push(path.to_path_buf());
            }
        } else {
            merge_exact(&mut self.expected, stats);
            self.log_files.push(path.to_path_buf());
        }
        Ok(())
    }
}

impl Drop for LogTree {
    fn drop(&mut self) {
        // Give the permissions back first, or the folder cannot be removed.
        for path in &self.unreadable {
            let _ = set_readable(path, true);
        }
        let _ = fs::remove_dir_all(&self.root);
    }
}

/// Adds `part` into `total` field by field: the generator's own merge.
/// [`LogTree::expected`] adds up with it, and so do the tests, so that
/// neither depends on your [`Stats::merge`].
pub fn merge_exact(total: &mut Stats, part: Stats) {
    total.files += part.files;
    total.entries += part.entries;
    for (mine, theirs) in total.levels.iter_mut().zip(part.levels) {
        *mine += theirs;
    }
    for (path, hits) in part.hits {
        *total.hits.entry(path).or_default() += hits;
    }
    total.latencies.extend(part.latencies);
    total.malformed.extend(part.malformed);
    total.unreadable.extend(part.unreadable);
}

impl Stats {
    fn merge_unreadable(&mut self, path: &Path, reason: &str) {
        merge_exact(self, Stats::unreadable_file(path, reason));
    }
}

fn file_lines(rng: &mut Rng, shape: Shape) -> usize {
    let mean = shape.lines_per_file.max(1) as u64;
    (mean / 4 + rng.below(mean * 3 / 2 + 1)) as usize
}

/// The text of one log file of `lines` lines; records every line in `stats`
/// as a correct analyser must count it (`file` names the file).
fn log_text(
    rng: &mut Rng,
    lines: usize,
    day: &str,
    newline: &str,
    stats: &mut Stats,
    file: &Path,
) -> String {
    let mut text = String::with_capacity(lines * 56);
    let mut seconds = rng.below(600);
    for number in 1..=lines {
        seconds += rng.below(7);
        let time = format!(
            "{day}T{:02}:{:02}:{:02}.{:03}Z",
            seconds / 3600 % 24,
            seconds / 60 % 60,
            seconds % 60,
            rng.below(1000)
        );
        let roll = rng.below(1000);
        let line = if roll < 10 {
            // Blank lines are neither entries nor errors.
            if roll < 5 {
                String::new()
            } else {
                "   ".to_string()
            }
        } else if roll < 17 {
            let bad = match roll % 6 {
                0 => format!("{time} INFO GET /api/us"),
                1 => format!("{time} NOTICE GET /api/users 200 12ms"),
                2 => format!("{time} INFO GET /api/users 200 fast"),
                3 => format!("{time} WARN POST /api/orders 2OO 31ms"),
                4 => "    at com.example.Server.handle(Server.java:42)".to_string(),
                _ => format!("{time} ERROR GET /api/users 500 -12ms"),
            };
            stats.record_malformed(file, number, "generated: malformed");
            bad
        } else {
            let level = match rng.below(100) {
                0..20 => Level::Debug,
                20..80 => Level::Info,
                80..95 => Level::Warn,
                _ => Level::Error,
            };
            // Popularity falls off steeply: the product of two uniform
            // numbers is small far more often than large.
            let a = rng.below(PATHS.len() as u64);
            let b = rng.below(PATHS.len() as u64);
            let path = PATHS[(a * b / PATHS.len() as u64) as usize];
            let method = METHODS[rng.below(METHODS.len() as u64) as usize];
            let status = match level {
                Level::Error => [500, 502, 503][rng.below(3) as usize],
                Level::Warn => [404, 401, 429][rng.below(3) as usize],
                _ => [200, 200, 200, 201, 204, 304][rng.below(6) as usize],
            };
            // Mostly fast, with a long tail.
            let latency = match rng.below(100) {
                0..90 => 1 + rng.below(40),
                90..99 => 40 + rng.below(400),
                _ => 400 + rng.below(4000),
            } as u32;
            stats.record(&Entry {
                level,
                path,
                status,
                latency_ms: latency,
            });
            format!(
                "{time} {} {method} {path} {status} {latency}ms",
                level.as_str()
            )
        };
        text.push_str(&line);
        text.push_str(newline);
    }
    text
}

/// Gives (`true`) or takes away (`false`) the read permission of a file or
/// folder. Returns whether it is now really unreadable.
fn set_readable(path: &Path, readable: bool) -> io::Result<bool> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let is_dir = path.is_dir();
        let mode = match (readable, is_dir) {
            (true, true) => 0o755,
            (true, false) => 0o644,
            (false, _) => 0o000,
        };
        fs::set_permissions(path, fs::Permissions::from_mode(mode))?;
        if readable {
            return Ok(false);
        }
        // Root reads anything, whatever the permissions say.
        let still_readable = if is_dir {
            fs::read_dir(path).is_ok()
        } else {
            fs::File::open(path).is_ok()
        };
        Ok(!still_readable)
    }
    #[cfg(not(unix))]
    {
        let _ = (path, readable);
        Ok(false)
    }
}

/// A new, empty folder under the system's temporary folder.
fn fresh_temp_dir() -> io::Result<PathBuf> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let base = std::env::temp_dir();
    loop {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let name = format!(
            "exercise-11-logs-{}-{}-{nanos}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let dir = base.join(name);
        match fs::create_dir(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
}
