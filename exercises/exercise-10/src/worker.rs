//! The worker of exercise 10. It is already written: it reads one
//! request per line from its standard input (`<id> <attempt> <task>`, see
//! `src/jobs.rs`), runs the task and answers `ok <id> <value>`, until its
//! input ends. A request it cannot read makes it print one line `error: ...`
//! to its standard error and exit with code 2.
//!
//! `--pid-dir DIR` makes it create an empty file named after its process id
//! in DIR when it starts, so that a test can check later that it is gone.
//!
//! The worker program `src/main.rs` only calls [`worker_main`];
//! `cargo xtask measure` calls it too. Try it by hand:
//! `echo "1 0 crunch 10" | cargo run -q -p exercise-10`

use std::io::{self, Read, Write};
use std::process::ExitCode;
use std::time::Duration;

use crate::jobs::{Task, crunch, parse_request};

// ANCHOR: abort_on_panic
/// Makes every panic in this program abort the process, as the Cargo profile
/// setting `panic = "abort"` does: the usual message is printed first, then
/// there is no unwinding, no destructors, no `catch_unwind`, no `join` that
/// returns `Err`. (Profile settings apply to a whole workspace, so this
/// course's worker gets the same behaviour from a panic hook.)
pub fn abort_on_panic() {
    let print_message = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        print_message(info);
        std::process::abort();
    }));
}
// ANCHOR_END: abort_on_panic

/// The whole worker: `args` are its command-line arguments, without the
/// program's name. Installs [`abort_on_panic`] first.
pub fn worker_main(args: Vec<String>) -> ExitCode {
    abort_on_panic();
    if let Some(at) = args.iter().position(|a| a == "--pid-dir") {
        let Some(dir) = args.get(at + 1) else {
            eprintln!("error: --pid-dir needs a folder");
            return ExitCode::from(2);
        };
        if let Err(e) = std::fs::write(
            std::path::Path::new(dir).join(std::process::id().to_string()),
            "",
        ) {
            eprintln!("error: cannot write to {dir}: {e}");
            return ExitCode::from(2);
        }
    }
    let mut line = String::new();
    loop {
        line.clear();
        // `read_line` locks stdin only while it reads, so `hang` can take it.
        match io::stdin().read_line(&mut line) {
            Ok(0) => return ExitCode::SUCCESS,
            Ok(_) => {}
            Err(e) => {
                eprintln!("error: cannot read a request: {e}");
                return ExitCode::from(2);
            }
        }
        if line.trim().is_empty() {
            continue;
        }
        let (job, attempt) = match parse_request(line.trim()) {
            Ok(request) => request,
            Err(why) => {
                eprintln!("error: {why}");
                return ExitCode::from(2);
            }
        };
        let value = run(job.id, job.task, attempt);
        let id = match job.task {
            Task::WrongId(_) => job.id + 1,
            _ => job.id,
        };
        let mut out = io::stdout().lock();
        if writeln!(out, "ok {id} {value}")
            .and_then(|()| out.flush())
            .is_err()
        {
            return ExitCode::FAILURE; // the supervisor is gone
        }
    }
}

/// Runs one task in this process. The faults are real: nothing is caught.
fn run(id: u64, task: Task, attempt: u32) -> u64 {
    match task {
        Task::Crunch(n) => crunch(n),
        Task::Abort => std::process::abort(),
        Task::Panic => panic!("job {id} panics on purpose"),
        Task::Exit(code) => std::process::exit(code.into()),
        Task::Hang => hang(),
        Task::StackOverflow => recurse(1),
        Task::CrashUntil(k, _) if attempt < k => std::process::abort(),
        Task::CrashUntil(_, n) => crunch(n),
        Task::SlowOnce(ms, n) => {
            if attempt == 0 {
                std::thread::sleep(Duration::from_millis(ms));
            }
            crunch(n)
        }
        Task::WrongId(n) => crunch(n),
    }
}

/// Never returns. A safety net for test runs: once the supervisor has
/// closed this worker's stdin (or died), the worker exits by itself, so a
/// supervisor that forgets to kill it leaves no process behind for ever.
fn hang() -> ! {
    std::thread::spawn(|| {
        let _ = io::copy(&mut io::stdin().lock().take(u64::MAX), &mut io::sink());
        std::process::exit(0);
    });
    loop {
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Recursion without end: each call keeps 4 KiB on the stack.
#[allow(unconditional_recursion)]
fn recurse(depth: u64) -> u64 {
    let frame = std::hint::black_box([depth as u8; 4096]);
    recurse(depth + 1) + frame[0] as u64
}
