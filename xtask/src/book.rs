//! The book: built with the pinned tools (`tools.rs`), checked, served.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};
use std::{fs, thread};

use crate::course::{Result, root};
use crate::play::Playground;
use crate::serve::Server;
use crate::tools::{MDBOOK, QUIZ, TYPOS, ensure_tools, log_path, tool, tools_path};
use crate::workshop;

mod notes;
pub mod preprocess;

/// Builds the book, then checks its links and its spelling (CI).
pub fn build(release: Option<&str>) -> Result<()> {
    ensure_tools(&[&MDBOOK, &QUIZ, &TYPOS])?;
    render(false, release)?;
    eprintln!("The book is in {}", book_dir().join("index.html").display());
    crate::linkcheck::check(&book_dir())?;
    spell_check()
}

/// Where the book is built: `target/book`, or mdBook's own override
/// `MDBOOK_BUILD__BUILD_DIR` (relative to the root), which the browser
/// tests use for a workshop copy beside the learner's.
pub fn book_dir() -> PathBuf {
    match std::env::var_os("MDBOOK_BUILD__BUILD_DIR") {
        Some(dir) => root().join(dir),
        None => root().join("target").join("book"),
    }
}

/// Spell-checks the prose and the code with `typos` (config: .ci/typos.toml).
fn spell_check() -> Result<()> {
    let status = Command::new(tool("typos"))
        .current_dir(root())
        .args(["--config", ".ci/typos.toml", "README.md", "CONTRIBUTING.md"])
        .args(["book/src", "exercises", "solutions", "support", "xtask"])
        .status()
        .map_err(|e| format!("cannot run typos: {e}"))?;
    if status.success() {
        eprintln!("Spell check: no typos.");
        Ok(())
    } else {
        Err(
            "typos found spelling mistakes (above); fix them, or add a real word to \
             .ci/typos.toml"
                .into(),
        )
    }
}

/// `mdbook`, with the project's tools first on its PATH so that it finds
/// its preprocessors there, and the course's own preprocessor (this very
/// program, `preprocess.rs`) told which solutions are released.
fn mdbook(release: Option<&str>) -> Result<Command> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find xtask: {e}"))?;
    let release = workshop::current(release)?.to_config();
    let config = serde_json::json!({
        // mdBook splits the command like a shell: quote the path.
        "command": format!("'{}' __preprocess", exe.display()),
        "release": release,
    });
    let mut command = Command::new(tool("mdbook"));
    command.env("PATH", tools_path());
    let key = format!("MDBOOK_PREPROCESSOR__{}", preprocess::NAME.to_uppercase());
    command.env(key, config.to_string());
    Ok(command)
}

/// Builds the book into target/book. Any warning mdBook prints is an error,
/// except, while it installs, that mdbook-quiz is missing (`quiz_pending`).
fn render(quiz_pending: bool, release: Option<&str>) -> Result<()> {
    let out = mdbook(release)?
        .arg("build")
        .arg(root())
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run mdbook: {e}"))?;
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let expected = |line: &str| quiz_pending && line.contains("`mdbook-quiz`");
    let warnings: Vec<&str> = log
        .lines()
        .filter(|line| {
            (line.contains("WARN") || line.contains("ERROR")) && !expected(line)
        })
        .collect();
    if !out.status.success() || !warnings.is_empty() {
        eprint!("{log}");
    }
    if !out.status.success() {
        return Err(format!("mdbook build failed ({})", out.status));
    }
    if !warnings.is_empty() {
        return Err(format!(
            "mdbook printed {} warning(s); this course treats them as errors",
            warnings.len()
        ));
    }
    Ok(())
}

/// Installs mdBook if needed, builds the book, serves it with a token, and
/// rebuilds it when a chapter or included file changes, until Ctrl-C.
/// mdbook-quiz installs in the background: quizzes appear when it is done.
pub fn serve(port: u16, open: bool, release: Option<String>) -> Result<()> {
    let started = Instant::now();
    // mdBook first and alone, so that the first page comes as soon as it can;
    // mdbook-quiz then compiles while the reader reads.
    ensure_tools(&[&MDBOOK])?;
    let quiz = (!QUIZ.ready())
        .then(|| {
            QUIZ.announce();
            eprintln!(
                "  (in the background: the book opens now, its quizzes a little later)"
            );
            QUIZ.install(Some(&log_path(&QUIZ)))
        })
        .transpose()?;
    render(quiz.is_some(), release.as_deref())?;
    if workshop::current(release.as_deref())? != workshop::Release::All {
        eprintln!("Workshop mode: unreleased reference solutions are locked.");
    }
    let book = book_dir();
    let playground = Arc::new(Playground::course(&root()));
    playground.warm_up();
    let server = Server::bind(port, &book, Some(playground)).map_err(|e| {
        format!(
            "cannot listen on 127.0.0.1:{port} ({e}); try `cargo xtask serve --port 3001`"
        )
    })?;
    let url = server.url();
    println!(
        "The book is ready ({:.0} s). Open it at:\n\n    {url}\n\n\
         The address carries a token: only your browser can read the book. \
         It rebuilds when a chapter changes; reload the page. Ctrl-C stops it.",
        started.elapsed().as_secs_f64()
    );
    if open {
        open_browser(&url);
    }
    thread::spawn(move || rebuild_on_change(quiz, release));
    server.run();
    Ok(())
}

/// Polls the book's sources every second (a watcher crate would cost the
/// first build more than it saves) and rebuilds after a change, and once
/// more when the background mdbook-quiz install ends.
fn rebuild_on_change(mut quiz: Option<Child>, release: Option<String>) {
    let mut seen = newest_source();
    loop {
        thread::sleep(Duration::from_secs(1));
        let mut changed = false;
        if let Some(child) = quiz.as_mut()
            && let Ok(Some(status)) = child.try_wait()
        {
            quiz = None;
            changed = true;
            match status.success() {
                true => eprintln!(
                    "mdbook-quiz is installed: the quizzes are in the book now."
                ),
                false => eprintln!(
                    "error: installing mdbook-quiz failed ({status}); see {}",
                    log_path(&QUIZ).display()
                ),
            }
        }
        let newest = newest_source();
        if newest > seen {
            seen = newest;
            changed = true;
        }
        if changed {
            match render(quiz.is_some(), release.as_deref()) {
                Ok(()) => eprintln!("Rebuilt the book; reload the page."),
                Err(e) => eprintln!("error: {e}"),
            }
        }
    }
}

/// The newest modification time among the files the book is built from.
fn newest_source() -> SystemTime {
    let root = root();
    let mut newest = SystemTime::UNIX_EPOCH;
    let mut stack = vec![
        root.join("book/src"),
        root.join("exercises"),
        root.join("solutions"),
    ];
    stack.push(root.join("book.toml"));
    stack.push(root.join(workshop::FILE));
    // mdbook-quiz writes into book/src/quiz while it builds.
    let skip = [root.join("book/src/quiz"), root.join("target")];
    while let Some(path) = stack.pop() {
        if skip.contains(&path) {
            continue;
        }
        if let Ok(meta) = fs::metadata(&path) {
            newest = newest.max(meta.modified().unwrap_or(SystemTime::UNIX_EPOCH));
            if meta.is_dir()
                && let Ok(entries) = fs::read_dir(&path)
            {
                stack.extend(entries.flatten().map(|e| e.path()));
            }
        }
    }
    newest
}

fn open_browser(url: &str) {
    let (program, args): (&str, &[&str]) = if cfg!(target_os = "macos") {
        ("open", &[])
    } else if cfg!(windows) {
        ("cmd", &["/C", "start", ""])
    } else {
        ("xdg-open", &[])
    };
    if Command::new(program).args(args).arg(url).spawn().is_err() {
        eprintln!("(could not open a browser: open the address above yourself)");
    }
}
