//! A stage in another process: the same work as [`crate::stage_work`], done
//! by the worker program (`src/main.rs`), with frames going through its
//! standard input and output.

use std::io::{BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::thread::{self, JoinHandle};

use crossbeam_channel::{Receiver, bounded};

use crate::frame::{FrameError, read_frame, write_frame};
use crate::{Item, Stage, produce};

/// A stage running in a worker process.
///
/// Its results come out of `output` in the order the worker wrote them. A
/// frame that cannot be read arrives as one `Err`, and then `output`
/// disconnects.
#[derive(Debug)]
pub struct RemoteStage {
    pub output: Receiver<Result<Item, FrameError>>,
    pub child: Child,
    /// The thread that writes frames to the child, and the one that reads.
    pub threads: Vec<JoinHandle<()>>,
}

// ANCHOR: remote_stage
/// Starts `program` with `args` as a worker process and connects it:
///
/// * a **writer thread** takes each item from `input` and writes it to the
///   child's stdin as a frame. When `input` ends it drops the child's stdin,
///   so that the child sees the end of its input and exits.
/// * a **reader thread** reads frames from the child's stdout and sends them
///   as `Ok(item)` into `output`, bounded to `capacity`. At the clean end of
///   the stream it stops; a broken frame is sent as one `Err`, then it stops.
///
/// Pipe the child's stderr too: [`RemoteStage::finish`] reads it.
pub fn remote_stage(
    program: &Path,
    args: &[&str],
    input: Receiver<Item>,
    capacity: usize,
) -> std::io::Result<RemoteStage> {
    // BEGIN YOUR CODE
    // TODO: start `program` with `args` and three `Stdio::piped()`. Take the
    //       child's stdin and stdout (`child.stdin.take()`); wrap stdout in a
    //       `BufReader`. Make the output channel `bounded(capacity)`.
    //       Writer thread: `write_frame` each item of `input`, then drop stdin.
    //       Reader thread: `read_frame::<Item>` until `Ok(None)`; send each item
    //       as `Ok(item)`; send an error once as `Err(e)`, then stop.
    //       Return `RemoteStage { output, child, threads: vec![writer, reader] }`.
    let _: fn(&mut &'static [u8]) -> Result<Option<Item>, FrameError> = read_frame;
    let _: fn(&mut Vec<u8>, &Item) -> Result<(), FrameError> = write_frame;
    todo!("exercise 09: write `remote_stage` (chapter 09, book/src/09-communication.md)")
    // END YOUR CODE
}
// ANCHOR_END: remote_stage

impl RemoteStage {
    /// Ends the stage: drops `output` (a worker still writing then sees a
    /// broken pipe), waits for both threads and the child, and reports how
    /// the child ended: `Err` with its status and the first line of its
    /// stderr when it failed.
    ///
    /// Call it after the stage's input has been disconnected, or the writer
    /// thread waits for more items forever.
    pub fn finish(self) -> Result<(), String> {
        let RemoteStage {
            output,
            mut child,
            threads,
        } = self;
        drop(output);
        Stage::<Item>::join(threads);
        let mut stderr = String::new();
        if let Some(mut pipe) = child.stderr.take() {
            let _ = pipe.read_to_string(&mut stderr);
        }
        let status = child.wait().map_err(|e| format!("lost the worker: {e}"))?;
        if status.success() {
            return Ok(());
        }
        match stderr.lines().find(|line| !line.trim().is_empty()) {
            Some(line) => Err(format!("the worker failed ({status}): {}", line.trim())),
            None => Err(format!("the worker failed ({status}) without a message")),
        }
    }
}

// ANCHOR: run_remote_pipeline
/// The pipeline with its middle stage in a worker process: a producer, the
/// worker `program` (started with `args`) running [`crate::stage_work`], and
/// a consumer. One process keeps the order, so no re-ordering stage is needed.
pub fn run_remote_pipeline(
    program: &Path,
    args: &[&str],
    texts: Vec<String>,
    capacity: usize,
) -> Result<Vec<Item>, String> {
    let (items, producer) = produce(texts, capacity);
    let stage = remote_stage(program, args, items, capacity)
        .map_err(|e| format!("cannot start the worker: {e}"))?;
    let mut results = Vec::new();
    let mut broken = None;
    for result in stage.output.iter() {
        match result {
            Ok(item) => results.push(item),
            Err(error) => broken = Some(error.to_string()),
        }
    }
    let finished = stage.finish();
    Stage::<Item>::join(vec![producer]);
    match (broken, finished) {
        (Some(error), _) => Err(error),
        (None, Err(error)) => Err(error),
        (None, Ok(())) => Ok(results),
    }
}
// ANCHOR_END: run_remote_pipeline
