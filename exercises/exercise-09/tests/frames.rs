//! Tests of `write_frame` and `read_frame` (src/frame.rs), in memory.

use std::io::{self, Read};

use exercise_09::Item;
use exercise_09::frame::{FrameError, HEADER, MAX_FRAME, read_frame, write_frame};

#[path = "shared/mod.rs"]
mod shared;
use shared::{CHAPTER, watched};

const HINT: &str =
    "a read loop that never ends? `read` returning 0 means the input has ended.";

fn item(seq: u64, text: &str) -> Item {
    Item {
        seq,
        text: text.to_string(),
    }
}

fn framed(items: &[Item]) -> Vec<u8> {
    let mut bytes = Vec::new();
    for item in items {
        write_frame(&mut bytes, item)
            .unwrap_or_else(|e| panic!("write_frame failed: {e}. {CHAPTER}"));
    }
    bytes
}

/// Reads frames until the end or the first error, under a watchdog.
fn read_all(bytes: Vec<u8>) -> (Vec<Item>, Option<FrameError>) {
    watched("reading frames", HINT, move || {
        let mut input = bytes.as_slice();
        let mut items = Vec::new();
        loop {
            match read_frame::<Item>(&mut input) {
                Ok(Some(item)) => items.push(item),
                Ok(None) => return (items, None),
                Err(error) => return (items, Some(error)),
            }
            assert!(
                items.len() <= 1000,
                "read_frame keeps returning items. {CHAPTER}"
            );
        }
    })
}

#[test]
fn a_frame_is_a_big_endian_length_then_a_json_body() {
    let message = item(7, "héllo");
    let bytes = framed(std::slice::from_ref(&message));
    let body = serde_json::to_vec(&message).unwrap();
    assert!(
        bytes.len() >= HEADER,
        "a frame starts with a 4-byte length. {CHAPTER}"
    );
    assert_eq!(
        &bytes[..HEADER],
        &(body.len() as u32).to_be_bytes(),
        "the first 4 bytes are the body's length as a big-endian u32. {CHAPTER}"
    );
    assert_eq!(
        &bytes[HEADER..],
        &body[..],
        "after the length comes the JSON body (serde_json::to_vec). {CHAPTER}"
    );
}

#[test]
fn frames_read_back_what_was_written_then_end_cleanly() {
    let items = vec![
        item(0, "first"),
        item(1, ""),
        item(2, "ünïcödé ✓"),
        item(u64::MAX, &"x".repeat(10_000)),
    ];
    let (read, error) = read_all(framed(&items));
    if let Some(error) = error {
        panic!("reading good frames failed: {error}. {CHAPTER}");
    }
    assert_eq!(
        read, items,
        "the frames read back differ from those written. {CHAPTER}"
    );
}

#[test]
fn no_bytes_at_all_is_a_clean_end() {
    let (read, error) = read_all(Vec::new());
    assert!(
        read.is_empty() && error.is_none(),
        "an empty stream is Ok(None), not {error:?}. {CHAPTER}"
    );
}

/// A stream that hands over one byte per `read`, as a slow pipe may.
struct Trickle(Vec<u8>, usize);

impl Read for Trickle {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.1 == self.0.len() || buf.is_empty() {
            return Ok(0);
        }
        buf[0] = self.0[self.1];
        self.1 += 1;
        Ok(1)
    }
}

#[test]
fn a_frame_that_arrives_in_small_pieces_is_still_read_whole() {
    let items = vec![item(1, "pieces"), item(2, "of a frame")];
    let bytes = framed(&items);
    let read = watched("reading a trickle", HINT, move || {
        let mut input = Trickle(bytes, 0);
        let mut read = Vec::new();
        while let Some(item) =
            read_frame::<Item>(&mut input).unwrap_or_else(|e| panic!("{e}. {CHAPTER}"))
        {
            read.push(item);
        }
        read
    });
    assert_eq!(
        read, items,
        "one `read` may return fewer bytes than asked for: keep reading (the given `fill` does). {CHAPTER}"
    );
}

#[test]
fn a_stream_that_ends_inside_the_length_is_truncated() {
    let (_, error) = read_all(vec![0, 0]);
    match error {
        Some(FrameError::Truncated {
            expected: 4,
            got: 2,
        }) => {}
        other => panic!(
            "2 bytes of a 4-byte length should give Truncated {{ expected: 4, got: 2 }}, not {other:?}. {CHAPTER}"
        ),
    }
}

#[test]
fn a_stream_that_ends_inside_the_body_is_truncated() {
    let mut bytes = framed(&[item(1, "whole"), item(2, "cut in the middle")]);
    let second_len = bytes.len() - framed(&[item(1, "whole")]).len() - HEADER;
    bytes.truncate(bytes.len() - 5);
    let (read, error) = read_all(bytes);
    assert_eq!(
        read,
        vec![item(1, "whole")],
        "the first, whole frame still reads. {CHAPTER}"
    );
    match error {
        Some(FrameError::Truncated { expected, got }) => {
            assert_eq!(
                (expected, got),
                (second_len, second_len - 5),
                "Truncated counts the body's bytes. {CHAPTER}"
            )
        }
        other => panic!(
            "a body cut short should give FrameError::Truncated, not {other:?}. {CHAPTER}"
        ),
    }
}

#[test]
fn a_huge_length_is_refused_before_reading_the_body() {
    // "hello world" read as a length: 0x68656c6c bytes, about 1.7 GB.
    let (_, error) = read_all(b"hello world\n".to_vec());
    match error {
        Some(FrameError::TooLarge { len }) => assert_eq!(
            len, 0x6865_6c6c,
            "TooLarge carries the length read. {CHAPTER}"
        ),
        other => panic!(
            "a length above MAX_FRAME should give FrameError::TooLarge, not {other:?}. {CHAPTER}"
        ),
    }
    let (_, error) = read_all(((MAX_FRAME + 1) as u32).to_be_bytes().to_vec());
    assert!(
        matches!(error, Some(FrameError::TooLarge { .. })),
        "MAX_FRAME + 1 is too large, and must be refused before reading on; got {error:?}. {CHAPTER}"
    );
}

#[test]
fn a_body_that_is_not_json_is_malformed() {
    let mut bytes = 5u32.to_be_bytes().to_vec();
    bytes.extend_from_slice(b"hello");
    let (_, error) = read_all(bytes);
    match error {
        Some(error @ FrameError::Malformed(_)) => {
            let text = error.to_string();
            assert!(
                text.starts_with("malformed frame") && !text.contains('\n'),
                "one clear line: {text}. {CHAPTER}"
            );
        }
        other => panic!(
            "a body that is not an Item should give FrameError::Malformed, not {other:?}. {CHAPTER}"
        ),
    }
    // Valid JSON, but not an Item.
    let mut bytes = 4u32.to_be_bytes().to_vec();
    bytes.extend_from_slice(b"[42]");
    let (_, error) = read_all(bytes);
    assert!(
        matches!(error, Some(FrameError::Malformed(_))),
        "`[42]` is not an Item: got {error:?}. {CHAPTER}"
    );
}

#[test]
fn a_frame_of_exactly_max_frame_bytes_is_allowed() {
    // `{"seq":0,"text":""}` is 19 bytes: this body is MAX_FRAME bytes long.
    let big = item(0, &"y".repeat(MAX_FRAME - 19));
    let mut bytes = Vec::new();
    let written = write_frame(&mut bytes, &big);
    assert!(
        written.is_ok(),
        "a body of exactly MAX_FRAME bytes is allowed (only above it is too large); \
         write_frame said {written:?}. {CHAPTER}"
    );
    assert_eq!(bytes.len(), HEADER + MAX_FRAME, "header + body. {CHAPTER}");
    let (items, error) = read_all(bytes);
    assert!(
        error.is_none() && items == [big],
        "a frame of exactly MAX_FRAME bytes must read back (only above it is too large); \
         read_frame gave {} items and {error:?}. {CHAPTER}",
        items.len()
    );
}

#[test]
fn a_message_too_large_to_send_is_refused_and_nothing_is_written() {
    let mut bytes = Vec::new();
    let result = write_frame(&mut bytes, &item(0, &"y".repeat(MAX_FRAME)));
    assert!(
        matches!(result, Err(FrameError::TooLarge { .. })),
        "a body above MAX_FRAME gives TooLarge, or the reader would refuse it; got {result:?}. {CHAPTER}"
    );
    assert!(
        bytes.is_empty(),
        "a refused frame must not be half-written ({} bytes were). {CHAPTER}",
        bytes.len()
    );
}
