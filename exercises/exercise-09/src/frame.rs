//! Frames: how one message travels through a byte stream such as a pipe.
//!
//! A pipe carries bytes, not messages. To send a message you must say where
//! it ends. This course's frame is the simplest that works:
//!
//! ```text
//! +----------------------+---------------------------------+
//! | length: u32, big end | body: `length` bytes of JSON    |
//! +----------------------+---------------------------------+
//! ```
//!
//! The body is the message encoded by `serde_json`. A reader must never
//! trust the length blindly: the other side may be buggy, may have crashed
//! half-way through a frame, or may not speak this protocol at all.

use std::fmt;
use std::io::{self, Read, Write};

use serde::Serialize;
use serde::de::DeserializeOwned;

/// The largest body a frame may have: 1 MiB. A length above it is refused
/// before anything is allocated.
pub const MAX_FRAME: usize = 1 << 20;

/// The bytes of a frame's length prefix.
pub const HEADER: usize = 4;

/// Why a frame could not be written or read. Its `Display` is one line.
#[derive(Debug)]
pub enum FrameError {
    /// The stream itself failed (for example, the other end is gone).
    Io(io::Error),
    /// The stream ended inside a frame: `got` of `expected` bytes arrived.
    /// `expected` is 4 while the length prefix itself is incomplete.
    Truncated { expected: usize, got: usize },
    /// The length prefix (or a message to write) is above [`MAX_FRAME`].
    TooLarge { len: usize },
    /// The body arrived whole but is not a valid message.
    Malformed(String),
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FrameError::Io(error) => write!(f, "the stream failed: {error}"),
            FrameError::Truncated { expected, got } => {
                write!(
                    f,
                    "truncated frame: the stream ended after {got} of {expected} bytes"
                )
            }
            FrameError::TooLarge { len } => write!(
                f,
                "frame of {len} bytes is larger than the limit of {MAX_FRAME} bytes \
                 (is the other side speaking this protocol?)"
            ),
            FrameError::Malformed(why) => {
                write!(f, "malformed frame: {}", why.replace('\n', " "))
            }
        }
    }
}

impl std::error::Error for FrameError {}

impl From<io::Error> for FrameError {
    fn from(error: io::Error) -> FrameError {
        FrameError::Io(error)
    }
}

/// Reads from `input` until `buf` is full or the input ends, and returns how
/// many bytes it read. (`read` may return fewer bytes than asked for, even
/// when more are on their way: a pipe hands over what it has.)
pub fn fill(input: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match input.read(&mut buf[got..]) {
            Ok(0) => break, // the end of the input
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}

// ANCHOR: write_frame
/// Writes `message` as one frame (length prefix, then JSON body) and flushes.
///
/// A message whose body would be above [`MAX_FRAME`] gives
/// [`FrameError::TooLarge`] and writes nothing.
pub fn write_frame<T: Serialize>(
    output: &mut impl Write,
    message: &T,
) -> Result<(), FrameError> {
    // BEGIN YOUR CODE
    // TODO: `serde_json::to_vec(message)` gives the body; refuse a body above
    //       MAX_FRAME with `FrameError::TooLarge`. Put the length
    //       (`(len as u32).to_be_bytes()`) and the body in one buffer, write it
    //       with `write_all`, then `flush`. (`?` turns an io::Error into
    //       FrameError::Io.)
    todo!("exercise 09: write `write_frame` (chapter 09, book/src/09-communication.md)")
    // END YOUR CODE
}
// ANCHOR_END: write_frame

// ANCHOR: read_frame
/// Reads one frame and decodes its body.
///
/// * `Ok(None)`: the input ended cleanly, *between* two frames.
/// * [`FrameError::Truncated`]: it ended inside a frame (in the length
///   prefix or in the body).
/// * [`FrameError::TooLarge`]: the length is above [`MAX_FRAME`]; nothing
///   more is read and nothing is allocated.
/// * [`FrameError::Malformed`]: the body is not a valid `T`.
pub fn read_frame<T: DeserializeOwned>(
    input: &mut impl Read,
) -> Result<Option<T>, FrameError> {
    // BEGIN YOUR CODE
    // TODO: read the 4-byte length with the given `fill`: 0 bytes is a clean
    //       end (`Ok(None)`), 1 to 3 bytes `Truncated`. Refuse a length above
    //       MAX_FRAME *before* allocating. Then `fill` the body (too few bytes:
    //       `Truncated`) and decode it with `serde_json::from_slice`; a decoding
    //       error is `FrameError::Malformed(e.to_string())`.
    todo!("exercise 09: write `read_frame` (chapter 09, book/src/09-communication.md)")
    // END YOUR CODE
}
// ANCHOR_END: read_frame
