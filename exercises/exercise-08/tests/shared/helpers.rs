//! Helpers shared by the test files of exercise 08.
//! Each test file uses only some of them.
#![allow(dead_code)]

use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::time::Duration;

use exercise_08::{Server, ServerConfig};

pub const CHAPTER: &str =
    "Read chapter 08, \"Best for: I/O-bound work\" (book/src/08-io-bound.md).";

/// This package's worker program, built by cargo for the tests.
pub const WORKER: &str = env!(concat!("CARGO_BIN_EXE_", env!("CARGO_PKG_NAME")));

/// A server with a short latency and, optionally, a gate (see
/// `ServerConfig::gate`).
pub fn server(latency_ms: u64, gate: usize) -> Server {
    Server::start(ServerConfig {
        latency: Duration::from_millis(latency_ms),
        gate,
        gate_timeout: Duration::from_secs(10),
        max_connections: 1_000,
        lifetime: Duration::from_secs(60),
    })
    .expect("cannot start the test server on 127.0.0.1")
}

/// An address on 127.0.0.1 where nothing listens: connecting is refused.
pub fn refused_addr() -> SocketAddr {
    let listener =
        TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("cannot bind 127.0.0.1:0");
    listener
        .local_addr()
        .expect("a bound listener has an address")
}

/// Runs `work` under a watchdog: a fetch that hangs fails the test.
pub fn watch<T: Send + 'static>(
    what: &str,
    work: impl FnOnce() -> T + Send + 'static,
) -> T {
    course_support::watchdog(
        Duration::from_secs(30),
        what,
        "every request is bounded by CLIENT_TIMEOUT, so a fetch should never hang: is a thread waiting for \
         another that never ends?",
        work,
    )
}
