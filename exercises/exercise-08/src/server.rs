//! A small TCP server to fetch from (given code: nothing to write here).
//!
//! It listens on `127.0.0.1` only, on a port the system picks, and answers
//! one request per connection after a configurable latency, like a slow
//! remote service. The protocol is one line each way:
//!
//! | request          | answer                                   |
//! |------------------|------------------------------------------|
//! | `GET <name>`     | `OK <body>` ([`expected_body`] of name)  |
//! | `GET missing-…`  | `ERR no such resource: missing-…`        |
//! | `GET hangup`     | (none: the server just closes)           |
//! | anything else    | `ERR malformed request: …`               |
//!
//! A name is 1 to 64 letters, digits, `-` or `_`.
//!
//! It counts the connections it is serving at once, and remembers the peak
//! ([`Server::peak_connections`]): that is how the tests see how many
//! requests a client really had open at the same time. A connection counts
//! from the moment it is accepted until its answer is about to be written.
//!
//! Every loop is bounded, in count and in time: the server accepts at most
//! [`ServerConfig::max_connections`] connections and stops after
//! [`ServerConfig::lifetime`]; each connection reads at most
//! [`MAX_REQUEST`] bytes and waits at most [`IO_TIMEOUT`] for them.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// The longest request line the server reads, newline included.
pub const MAX_REQUEST: u64 = 1024;
/// How long the server waits for a request, or to write an answer.
pub const IO_TIMEOUT: Duration = Duration::from_secs(5);

/// How the server behaves.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// How long it takes to answer each request.
    pub latency: Duration,
    /// Hold every answer until this many connections are in service at the
    /// same time, once (after that, answer at once). 0 or 1: no gate. The
    /// tests use it to check that a client really runs requests in parallel.
    pub gate: usize,
    /// How long the gate waits at most; after that it opens anyway.
    pub gate_timeout: Duration,
    /// Stop after accepting this many connections.
    pub max_connections: usize,
    /// Stop accepting after this long.
    pub lifetime: Duration,
}

impl Default for ServerConfig {
    fn default() -> ServerConfig {
        ServerConfig {
            latency: Duration::from_millis(10),
            gate: 0,
            gate_timeout: Duration::from_secs(5),
            max_connections: 100_000,
            lifetime: Duration::from_secs(600),
        }
    }
}

impl ServerConfig {
    /// The default server, with this latency.
    pub fn with_latency(latency: Duration) -> ServerConfig {
        ServerConfig {
            latency,
            ..ServerConfig::default()
        }
    }
}

/// The body the server answers for `name`: the name and a hash of it, such
/// as `a:af63dc4c8601ec8c` for `a` (checked in `tests/server.rs`).
pub fn expected_body(name: &str) -> String {
    // FNV-1a, 64 bits: stable across platforms and Rust versions.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in name.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{name}:{hash:016x}")
}

/// What the gate and the counters share.
#[derive(Default)]
struct Counts {
    open: usize,
    peak: usize,
    accepted: usize,
    answered: usize,
    gate_open: bool,
}

struct Shared {
    config: ServerConfig,
    counts: Mutex<Counts>,
    changed: Condvar,
    stop: AtomicBool,
}

/// A running server. Dropping it stops it and waits for every connection.
pub struct Server {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop_timer: Option<mpsc::Sender<()>>,
    threads: Vec<JoinHandle<()>>,
}

impl Server {
    /// Starts a server on `127.0.0.1`, on a free port.
    pub fn start(config: ServerConfig) -> io::Result<Server> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            config,
            counts: Mutex::new(Counts::default()),
            changed: Condvar::new(),
            stop: AtomicBool::new(false),
        });
        let accept = {
            let shared = Arc::clone(&shared);
            thread::Builder::new()
                .name("server-accept".into())
                .spawn(move || accept_loop(listener, &shared))?
        };
        // The time bound: a timer wakes the accept loop when the lifetime
        // is over (or when the server is dropped, whichever comes first).
        let (stop_timer, timer_rx) = mpsc::channel::<()>();
        let timer = {
            let shared = Arc::clone(&shared);
            thread::Builder::new()
                .name("server-timer".into())
                .spawn(move || {
                    let _ = timer_rx.recv_timeout(shared.config.lifetime);
                    stop(&shared, addr);
                })?
        };
        Ok(Server {
            addr,
            shared,
            stop_timer: Some(stop_timer),
            threads: vec![accept, timer],
        })
    }

    /// Where it listens: `127.0.0.1:<port>`.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The most connections it has served at the same time.
    pub fn peak_connections(&self) -> usize {
        self.shared.counts.lock().unwrap().peak
    }

    /// How many connections it has accepted.
    pub fn connections(&self) -> usize {
        self.shared.counts.lock().unwrap().accepted
    }

    /// How many requests it has answered with `OK`.
    pub fn answered(&self) -> usize {
        self.shared.counts.lock().unwrap().answered
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        drop(self.stop_timer.take()); // the timer stops the accept loop now
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

/// Tells the accept loop to stop, and wakes it with a connection of its own.
fn stop(shared: &Shared, addr: SocketAddr) {
    shared.stop.store(true, Ordering::SeqCst);
    let _ = TcpStream::connect_timeout(&addr, IO_TIMEOUT);
}

fn accept_loop(listener: TcpListener, shared: &Shared) {
    // The scope joins every connection's thread before the loop returns.
    thread::scope(|scope| {
        for _ in 0..shared.config.max_connections {
            let accepted = listener.accept();
            if shared.stop.load(Ordering::SeqCst) {
                break;
            }
            let Ok((stream, _)) = accepted else { continue };
            {
                let mut counts = shared.counts.lock().unwrap();
                counts.accepted += 1;
                counts.open += 1;
                counts.peak = counts.peak.max(counts.open);
                if counts.open >= shared.config.gate {
                    counts.gate_open = true;
                }
            }
            shared.changed.notify_all();
            scope.spawn(move || serve_connection(stream, shared));
        }
    });
}

/// What to answer: `Some(line)`, or `None` to close without a word.
fn answer_for(request: Result<String, String>) -> (Option<String>, bool) {
    let request = match request {
        Ok(request) => request,
        Err(why) => return (Some(format!("ERR malformed request: {why}")), false),
    };
    let Some(name) = request.strip_prefix("GET ") else {
        let shown: String = request.chars().take(40).collect();
        return (
            Some(format!(
                "ERR malformed request: expected `GET <name>`, got `{shown}`"
            )),
            false,
        );
    };
    let valid = (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !valid {
        return (
            Some(
                "ERR malformed request: a name is 1 to 64 letters, digits, `-` or `_`"
                    .to_string(),
            ),
            false,
        );
    }
    if name == "hangup" {
        (None, false)
    } else if name.starts_with("missing") {
        (Some(format!("ERR no such resource: {name}")), false)
    } else {
        (Some(format!("OK {}", expected_body(name))), true)
    }
}

/// Reads one request line: at most [`MAX_REQUEST`] bytes, in UTF-8.
fn read_request(stream: &TcpStream) -> Result<String, String> {
    let mut line = Vec::new();
    BufReader::new(stream.take(MAX_REQUEST))
        .read_until(b'\n', &mut line)
        .map_err(|e| format!("cannot read it: {e}"))?;
    if line.last() != Some(&b'\n') {
        return Err(format!("no end of line within {MAX_REQUEST} bytes"));
    }
    let text = String::from_utf8(line).map_err(|_| "it is not UTF-8".to_string())?;
    Ok(text.trim_end_matches(['\r', '\n']).to_string())
}

fn serve_connection(mut stream: TcpStream, shared: &Shared) {
    let _ = stream.set_read_timeout(Some(IO_TIMEOUT));
    let _ = stream.set_write_timeout(Some(IO_TIMEOUT));
    let (answer, ok) = answer_for(read_request(&stream));
    // The gate, bounded in time: wait until enough connections are open.
    let deadline = Instant::now() + shared.config.gate_timeout;
    let mut counts = shared.counts.lock().unwrap();
    while !counts.gate_open {
        let now = Instant::now();
        if now >= deadline {
            counts.gate_open = true;
            shared.changed.notify_all();
            break;
        }
        counts = shared
            .changed
            .wait_timeout(counts, deadline - now)
            .unwrap()
            .0;
    }
    drop(counts);
    thread::sleep(shared.config.latency);
    {
        // Out of service before the answer leaves: a client that reads it
        // and connects again is never counted twice.
        let mut counts = shared.counts.lock().unwrap();
        counts.open -= 1;
        if ok {
            counts.answered += 1;
        }
    }
    if let Some(answer) = answer {
        let _ = stream.write_all(format!("{answer}\n").as_bytes());
    }
    // Read what the client may still send (bounded), so that closing does
    // not reset the connection before the client has read the answer.
    let _ = stream.shutdown(Shutdown::Write);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(1)));
    let _ = io::copy(&mut (&stream).take(64 * 1024), &mut io::sink());
}
