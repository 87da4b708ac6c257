//! Waiting for a child process with a deadline: the one home of the
//! "drain both pipes, poll, kill when the time is up" loop that the worker
//! protocol ([`crate::worker`]) and the loom child runs
//! ([`crate::loom_child`]) both need. Plumbing, not a lesson.

use std::io::{self, Read};
use std::process::{Child, ExitStatus};
use std::thread;
use std::time::{Duration, Instant};

/// How a child ended, and everything it wrote.
#[derive(Debug)]
pub struct Finished {
    /// Its exit status, or `None` if it was still running at the deadline
    /// and was killed.
    pub status: Option<ExitStatus>,
    pub stdout: String,
    pub stderr: String,
}

/// Waits for `child` until `deadline`, reading its piped stdout and stderr
/// meanwhile (on threads of their own, so that a chatty child never blocks
/// on a full pipe). A child still running at the deadline is killed and
/// reaped. Pipes that were not piped read as empty.
pub fn wait_until(mut child: Child, deadline: Instant) -> io::Result<Finished> {
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    let stdout = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let stderr = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let status = loop {
        match child.try_wait()? {
            Some(status) => break Some(status),
            None if Instant::now() >= deadline => {
                let _ = child.kill();
                child.wait()?;
                break None;
            }
            None => thread::sleep(Duration::from_millis(5)),
        }
    };
    Ok(Finished {
        status,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    })
}
