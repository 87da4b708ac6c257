//! Tests of the protocol itself, inside one process: `parse_request` and
//! `serve` on in-memory input and output. The reference solution runs this
//! very file too.

use std::io::Cursor;

use exercise_02::{Request, parse_request, serve};

const CHAPTER: &str =
    "Read chapter 02, \"Memory, part 2\" (book/src/02-memory-processes.md).";

/// Runs `serve` on `input` and returns its result and everything it wrote.
fn run_serve(input: &str) -> (Result<(), String>, String) {
    let mut output = Vec::new();
    let result = serve(Cursor::new(input.to_string()), &mut output);
    (result, String::from_utf8(output).expect("serve wrote text"))
}

#[test]
fn parse_request_understands_every_request() {
    let cases = [
        ("sum 1 2 3", Request::Sum(vec![1, 2, 3])),
        ("sum", Request::Sum(vec![])),
        ("  sum   7  ", Request::Sum(vec![7])),
        ("sum 18446744073709551615", Request::Sum(vec![u64::MAX])),
        ("served", Request::Served),
        ("crash", Request::Crash),
    ];
    for (line, expected) in cases {
        assert_eq!(
            parse_request(line),
            Ok(expected),
            "parse_request({line:?}). {CHAPTER}"
        );
    }
}

#[test]
fn parse_request_explains_what_is_wrong() {
    let cases = [
        ("", "empty request"),
        ("   ", "empty request"),
        ("sum 1 x 3", "\"x\" is not a number"),
        ("sum -1", "\"-1\" is not a number"),
        (
            "sum 18446744073709551616",
            "\"18446744073709551616\" is not a number",
        ),
        ("add 1 2", "unknown request \"add\""),
        ("served 3", "\"served\" takes no arguments"),
    ];
    for (line, expected) in cases {
        match parse_request(line) {
            Ok(request) => panic!(
                "parse_request({line:?}) accepted a malformed line as {request:?}. {CHAPTER}"
            ),
            Err(message) => assert!(
                message.contains(expected),
                "parse_request({line:?}) says {message:?}; it should say {expected:?}. {CHAPTER}"
            ),
        }
    }
}

#[test]
fn serve_answers_each_request_on_its_own_line() {
    let (result, output) = run_serve("sum 1 2 3\nsum\nsum 10 20\n");
    assert_eq!(result, Ok(()), "serve failed on valid input. {CHAPTER}");
    assert_eq!(output, "ok 6\nok 0\nok 30\n", "serve's answers. {CHAPTER}");
}

#[test]
fn serve_accepts_a_last_line_without_newline() {
    let (result, output) = run_serve("sum 4 5");
    assert_eq!(result, Ok(()), "serve failed on valid input. {CHAPTER}");
    assert_eq!(output, "ok 9\n", "serve's answers. {CHAPTER}");
}

#[test]
fn serve_counts_sums_in_this_process() {
    // Other tests of this file run `serve` at the same time, on other
    // threads of this same process, so the count can only have grown.
    let (result, output) = run_serve("sum 1\nsum 2\nserved\n");
    assert_eq!(result, Ok(()), "serve failed on valid input. {CHAPTER}");
    let lines: Vec<&str> = output.lines().collect();
    assert_eq!(
        lines.len(),
        3,
        "serve should answer 3 requests, it wrote {output:?}. {CHAPTER}"
    );
    let count: u64 = lines[2]
        .strip_prefix("ok ")
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| {
            panic!(
                "the answer to `served` should be `ok <count>`, not {:?}. {CHAPTER}",
                lines[2]
            )
        });
    assert!(
        count >= 2,
        "`served` answered {count} after two sums: count each sum in SERVED. {CHAPTER}"
    );
}

#[test]
fn serve_stops_at_the_first_malformed_line_and_names_it() {
    let (result, output) = run_serve("sum 1 1\nsum 1 x\nsum 5\n");
    let message =
        result.expect_err(&format!("serve accepted a malformed line. {CHAPTER}"));
    assert!(
        message.starts_with("line 2: ") && message.contains("\"x\" is not a number"),
        "serve's error should be `line 2: \"x\" is not a number`, not {message:?}. {CHAPTER}"
    );
    assert_eq!(
        output, "ok 2\n",
        "serve should answer line 1, and nothing after the bad line 2. {CHAPTER}"
    );
}

#[test]
fn serve_refuses_a_sum_that_overflows() {
    let overflow = format!(
        "`serve` must refuse a sum that does not fit in a u64. In a debug build, `+` and \
         `.sum()` panic when it overflows (\"attempt to add with overflow\"): add with \
         `checked_add`, and turn its `None` into the error `the sum does not fit in a u64`. \
         {CHAPTER}"
    );
    let (result, _) = course_support::explain(&overflow, || {
        run_serve(&format!("sum {} 1\n", u64::MAX))
    });
    let message = result.expect_err(&format!("serve let a sum overflow u64. {CHAPTER}"));
    assert!(
        message.starts_with("line 1: ") && message.contains("does not fit"),
        "an overflowing sum should give `line 1: the sum does not fit in a u64`, not {message:?}. {CHAPTER}"
    );
}
