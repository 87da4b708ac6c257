//! Tests of the given server and of `fetch_one`: they pass on the untouched
//! starter, and show what the server does.

#[path = "shared/helpers.rs"]
mod helpers;

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::thread;

use exercise_08::{FetchError, expected_body, fetch_one, worker_answer};
use helpers::{CHAPTER, refused_addr, server, watch};

/// Sends raw bytes and reads one line back.
fn raw(addr: SocketAddr, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(addr).expect("cannot connect to the test server");
    stream.write_all(request).expect("cannot send");
    let mut line = String::new();
    BufReader::new(stream)
        .read_line(&mut line)
        .expect("cannot read the answer");
    line
}

#[test]
fn the_server_answers_a_get_with_the_expected_body() {
    let server = server(1, 0);
    let addr = server.addr();
    assert!(
        addr.ip().is_loopback(),
        "the server listens on loopback only"
    );
    // FNV-1a: the same body on every platform and Rust version.
    assert_eq!(expected_body("a"), "a:af63dc4c8601ec8c");
    let line = watch("a GET", move || raw(addr, b"GET apple\n"));
    assert_eq!(
        line,
        format!("OK {}\n", expected_body("apple")),
        "{CHAPTER}"
    );
    assert_eq!(server.answered(), 1);
}

#[test]
fn the_server_answers_a_malformed_request_with_an_error_and_keeps_serving() {
    let server = server(1, 0);
    let addr = server.addr();
    let answers = watch("malformed requests", move || {
        let mut long = vec![b'x'; 5000];
        long.push(b'\n');
        [
            raw(addr, b"HELLO\n"),
            raw(addr, b"GET a b\n"),
            raw(addr, &[0xff, 0xfe, b'\n']),
            raw(addr, &long),
            raw(addr, b"GET pear\n"),
        ]
    });
    for answer in &answers[..4] {
        assert!(
            answer.starts_with("ERR malformed request: "),
            "answer {answer:?}. {CHAPTER}"
        );
    }
    assert_eq!(
        answers[4],
        format!("OK {}\n", expected_body("pear")),
        "{CHAPTER}"
    );
}

#[test]
fn the_server_answers_an_unknown_resource_with_an_error() {
    let server = server(1, 0);
    let addr = server.addr();
    let outcome = watch("fetching a missing resource", move || {
        fetch_one(addr, "missing-7")
    });
    match outcome {
        Err(FetchError::Server { resource, message }) => {
            assert_eq!(resource, "missing-7");
            assert_eq!(message, "no such resource: missing-7");
        }
        other => panic!("expected FetchError::Server, got {other:?}. {CHAPTER}"),
    }
    let outcome = watch("fetching `hangup`", move || fetch_one(addr, "hangup"));
    assert!(
        matches!(outcome, Err(FetchError::BadAnswer { .. })),
        "hangup gave {outcome:?}. {CHAPTER}"
    );
}

#[test]
fn the_server_counts_connections_open_at_once() {
    // The gate holds the answers until 3 connections are open at once.
    let server = server(1, 3);
    let addr = server.addr();
    watch("3 requests at once", move || {
        thread::scope(|scope| {
            for name in ["a", "b", "c"] {
                scope.spawn(move || fetch_one(addr, name).unwrap());
            }
        })
    });
    assert_eq!(server.peak_connections(), 3, "{CHAPTER}");
    assert_eq!(server.connections(), 3, "{CHAPTER}");
}

#[test]
fn the_server_stops_after_max_connections() {
    let server = exercise_08::Server::start(exercise_08::ServerConfig {
        max_connections: 2,
        ..Default::default()
    })
    .expect("cannot start the test server");
    let addr = server.addr();
    let outcomes = watch("3 requests to a server that takes 2", move || {
        (0..3)
            .map(|_| fetch_one(addr, "a").map_err(|e| e.to_string()))
            .collect::<Vec<_>>()
    });
    assert!(outcomes[0].is_ok() && outcomes[1].is_ok(), "{outcomes:?}");
    assert!(
        outcomes[2].is_err(),
        "the third connection should fail: {outcomes:?}"
    );
    drop(server); // returns: the server's threads have all ended
}

#[test]
fn fetch_one_reports_a_refused_connection() {
    let addr = refused_addr();
    let outcome = watch("fetch_one from a closed port", move || fetch_one(addr, "a"));
    match outcome {
        Err(error @ FetchError::Connect { .. }) => {
            let text = error.to_string();
            assert!(
                text.starts_with(&format!("cannot connect to {addr}: ")),
                "{text}"
            );
        }
        other => panic!("expected FetchError::Connect, got {other:?}. {CHAPTER}"),
    }
}

#[test]
fn the_worker_program_fetches_and_rejects_a_bad_request() {
    let server = server(1, 0);
    let addr = server.addr();
    let answer = watch("worker_answer", move || {
        worker_answer(&format!("fetch {addr} a b"))
    });
    assert_eq!(
        answer,
        Ok(format!("{} {}", expected_body("a"), expected_body("b")))
    );
    assert!(
        worker_answer("fetch nowhere a")
            .unwrap_err()
            .contains("bad address")
    );
    assert!(worker_answer("get a").is_err());
}
