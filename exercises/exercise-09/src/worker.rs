//! The worker's side of the remote stage. It is already written: it reads
//! frames of [`Item`]s from its standard input, runs [`stage_work`] on each
//! and writes the result as a frame to its standard output, until its input
//! ends. A frame it cannot read makes it print one line `error: ...` to its
//! standard error and exit with code 2.
//!
//! Two switches inject faults, for the tests:
//! * `--cut-after N`: after N answers, write half a frame and crash;
//! * `--garble-after N`: after N answers, write a frame whose body is not
//!   JSON, and exit with code 3;
//! * `--garble-once-at N`: write that frame instead of answer N, then go on
//!   answering (a reader must still stop at the broken frame).
//!
//! With `--fill-shared PATH` it reads no frames at all: it fills the shared
//! memory file at PATH (see [`crate::shm::fill_shared`]) and exits.
//!
//! The worker program `src/main.rs` only calls [`worker_main`];
//! `cargo xtask measure` calls it too.

use std::io::{self, BufReader, BufWriter, Write};
use std::process::ExitCode;

use crate::frame::{read_frame, write_frame};
use crate::{Item, stage_work};

/// The whole worker: `args` are its command-line arguments, without the
/// program's name.
pub fn worker_main(args: Vec<String>) -> ExitCode {
    let after = |flag: &str| -> Option<usize> {
        let at = args.iter().position(|a| a == flag)?;
        args.get(at + 1)?.parse().ok()
    };
    let (cut, garble) = (after("--cut-after"), after("--garble-after"));
    let garble_once = after("--garble-once-at");
    if let Some(at) = args.iter().position(|a| a == "--fill-shared") {
        let Some(path) = args.get(at + 1) else {
            eprintln!("error: --fill-shared needs a file");
            return ExitCode::from(2);
        };
        return match crate::shm::fill_shared(std::path::Path::new(path)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("error: cannot fill {path}: {error}");
                ExitCode::from(2)
            }
        };
    }

    let mut input = BufReader::new(io::stdin().lock());
    let mut output = BufWriter::new(io::stdout().lock());
    let mut answered = 0;
    loop {
        let item: Item = match read_frame(&mut input) {
            Ok(Some(item)) => item,
            Ok(None) => return ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("error: {error}");
                return ExitCode::from(2);
            }
        };
        if cut == Some(answered) {
            // A crash half-way through writing: 100 bytes announced, 3 sent.
            let _ = output.write_all(&[0, 0, 0, 100, b'{', b'"', b's']);
            let _ = output.flush();
            std::process::abort();
        }
        if garble == Some(answered) {
            let _ = output.write_all(&[0, 0, 0, 5, b'h', b'e', b'l', b'l', b'o']);
            let _ = output.flush();
            return ExitCode::from(3);
        }
        if garble_once == Some(answered) {
            let _ = output.write_all(&[0, 0, 0, 5, b'h', b'e', b'l', b'l', b'o']);
            answered += 1;
            continue;
        }
        if let Err(error) = write_frame(&mut output, &stage_work(item)) {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
        answered += 1;
    }
}
