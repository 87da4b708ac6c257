//! Runs a snippet of the book on this machine, for the book's Run buttons:
//! the playground's `evaluate.json` protocol, served by `serve.rs` behind its
//! token, `Host` and `Origin` checks.
//!
//! A snippet is compiled as a scratch crate under `target/playground/`,
//! which may use the course's crates (course-support) and the workspace's
//! dependencies (rayon, crossbeam, loom) at the versions of its Cargo.lock,
//! offline. Their compiled artifacts are kept in one target folder, built
//! once in the background when the server starts, so a run takes seconds.
//! Each run gets a fresh folder, removed afterwards; one run at a time;
//! compile and run together get [`LIMIT`], and the output is cut at [`CAP`].

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use std::{fs, thread};

use serde::{Deserialize, Serialize};

/// Compile and run together.
pub const LIMIT: Duration = Duration::from_secs(10);
/// Output kept, stdout and stderr together.
pub const CAP: usize = 64 * 1024;

/// The playground's request (`version` is accepted and ignored: the
/// snippet runs on this machine's toolchain).
#[derive(Deserialize)]
pub struct Request {
    pub code: String,
    #[serde(default)]
    pub edition: Option<String>,
}

/// The playground's response: the program's output, or the compiler's.
#[derive(Serialize, Debug)]
pub struct Response {
    pub result: String,
    pub error: Option<String>,
}

impl Response {
    /// No output: what went wrong, or why the server will not run it.
    pub fn error(message: impl Into<String>) -> Response {
        Response {
            result: String::new(),
            error: Some(message.into()),
        }
    }
}

pub struct Playground {
    /// `target/playground`: the shared target folder and the runs' folders.
    base: PathBuf,
    /// `[dependencies]` lines of every snippet crate.
    dependencies: String,
    /// The workspace's Cargo.lock, so that snippets build the same versions.
    lock: Option<String>,
    /// Compile and run together ([`LIMIT`]; tests use less).
    limit: Duration,
    busy: Mutex<()>,
    ready: AtomicBool,
    runs: AtomicU64,
}

impl Playground {
    /// The course's playground: snippets may use these crates.
    pub fn course(root: &Path) -> Playground {
        let support = root
            .join("support")
            .display()
            .to_string()
            .replace('\\', "/");
        let dependencies = format!(
            "course-support = {{ path = \"{support}\" }}\nrayon = \"1\"\n\
             crossbeam = \"0.8\"\nloom = \"0.7\"\n"
        );
        let lock = fs::read_to_string(root.join("Cargo.lock")).ok();
        Playground::new(&root.join("target").join("playground"), dependencies, lock)
    }

    pub fn new(base: &Path, dependencies: String, lock: Option<String>) -> Playground {
        Playground {
            base: base.to_path_buf(),
            dependencies,
            lock,
            limit: LIMIT,
            busy: Mutex::new(()),
            ready: AtomicBool::new(false),
            runs: AtomicU64::new(0),
        }
    }

    #[cfg(test)]
    pub fn with_limit(mut self, limit: Duration) -> Playground {
        self.limit = limit;
        self
    }

    #[cfg(test)]
    pub fn is_ready(&self) -> bool {
        self.ready.load(Ordering::SeqCst)
    }

    /// Compiles the dependencies once, so that the first Run is quick.
    pub fn warm_up(self: &Arc<Self>) {
        let playground = Arc::clone(self);
        thread::spawn(move || {
            let _guard = playground.busy.lock();
            let started = Instant::now();
            match playground.compile("fn main() {}", "2024", None) {
                Ok(binary) => {
                    let _ = fs::remove_dir_all(binary.parent().unwrap_or(&binary));
                    if started.elapsed() > Duration::from_secs(5) {
                        eprintln!(
                            "The Run buttons are ready (their crates are compiled)."
                        );
                    }
                }
                Err(e) => eprintln!(
                    "warning: the Run buttons cannot compile snippets: {}",
                    e.error.unwrap_or_default()
                ),
            }
            playground.ready.store(true, Ordering::SeqCst);
        });
    }

    pub fn run(&self, request: &Request) -> Response {
        if !self.ready.load(Ordering::SeqCst) {
            return Response::error(
                "The course's crates are still compiling for the Run buttons (first start \
                 of `cargo xtask serve` only, about a minute). Try again shortly.",
            );
        }
        let Ok(_guard) = self.busy.try_lock() else {
            return Response::error(
                "Another snippet is running; one runs at a time. Try again.",
            );
        };
        let deadline = Instant::now() + self.limit;
        let edition = request.edition.as_deref().unwrap_or("2024");
        match self.compile(&request.code, edition, Some(deadline)) {
            Ok(binary) => {
                let response = execute(&binary, deadline, self.limit);
                let _ = fs::remove_dir_all(binary.parent().unwrap_or(&binary));
                response
            }
            Err(response) => response,
        }
    }

    /// Builds the snippet in a fresh folder; returns its program (moved out
    /// of the shared target folder) or the compiler's complaint.
    fn compile(
        &self,
        code: &str,
        edition: &str,
        deadline: Option<Instant>,
    ) -> Result<PathBuf, Response> {
        let n = self.runs.fetch_add(1, Ordering::SeqCst);
        let dir = self.base.join(format!("run-{}-{n}", std::process::id()));
        let fail =
            |e: std::io::Error| Response::error(format!("cannot prepare the run: {e}"));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("src")).map_err(fail)?;
        let edition = if ["2015", "2018", "2021", "2024"].contains(&edition) {
            edition
        } else {
            "2024"
        };
        let manifest = format!(
            "[package]\nname = \"snippet\"\nversion = \"0.0.0\"\nedition = \"{edition}\"\n\
             [dependencies]\n{}\n[workspace]\n\n[profile.dev]\nopt-level = 1\n\
             [profile.dev.package.\"*\"]\nopt-level = 3\n",
            self.dependencies
        );
        fs::write(dir.join("Cargo.toml"), manifest).map_err(fail)?;
        if let Some(lock) = &self.lock {
            fs::write(dir.join("Cargo.lock"), lock).map_err(fail)?;
        }
        fs::write(dir.join("src/main.rs"), code).map_err(fail)?;
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let child = Command::new(cargo)
            .args(["build", "--offline", "--quiet", "--color", "never"])
            .current_dir(&dir)
            .env("CARGO_TARGET_DIR", self.base.join("target"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(fail)?;
        let deadline =
            deadline.unwrap_or_else(|| Instant::now() + Duration::from_secs(3600));
        let (status, log) = wait_capped(child, deadline);
        let outcome = match status {
            Some(true) => {
                let built = self.base.join("target/debug").join(binary_name());
                let binary = dir.join(binary_name());
                fs::rename(&built, &binary).map(|()| binary).map_err(fail)
            }
            Some(false) => Err(Response::error(log)),
            None => Err(Response::error(format!(
                "{log}\nStopped: compiling and running may take {} s at most.",
                self.limit.as_secs()
            ))),
        };
        if outcome.is_err() {
            let _ = fs::remove_dir_all(&dir);
        }
        outcome
    }
}

fn binary_name() -> String {
    format!("snippet{}", std::env::consts::EXE_SUFFIX)
}

fn execute(binary: &Path, deadline: Instant, limit: Duration) -> Response {
    let child = Command::new(binary)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let Ok(child) = child else {
        return Response::error("cannot start the compiled snippet");
    };
    let (status, mut result) = wait_capped(child, deadline);
    match status {
        None if result.len() >= CAP => {
            result.push_str(&format!(
                "\n[output cut at {} KiB; the program was stopped]",
                CAP / 1024
            ));
        }
        None => result.push_str(&format!(
            "\n[stopped: compiling and running may take {} s at most]",
            limit.as_secs()
        )),
        Some(false) => result.push_str("\n[the program exited with an error]"),
        Some(true) => {}
    }
    Response {
        result,
        error: None,
    }
}

/// Waits for `child` until `deadline` or until it has written [`CAP`] bytes
/// (then it is killed). Returns whether it succeeded (`None`: killed) and
/// its stdout and stderr, interleaved as they came.
fn wait_capped(child: Child, deadline: Instant) -> (Option<bool>, String) {
    let output = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&output);
    let status = course_support::child::wait_reading(child, deadline, move |_, bytes| {
        let mut out = sink.lock().unwrap();
        let room = CAP.saturating_sub(out.len());
        out.extend_from_slice(&bytes[..bytes.len().min(room)]);
        bytes.len() <= room
    });
    let bytes = output.lock().unwrap();
    let status = status.ok().flatten().map(|status| status.success());
    (status, String::from_utf8_lossy(&bytes).into_owned())
}
