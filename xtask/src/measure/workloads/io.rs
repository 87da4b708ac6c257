//! `io`: I/O-bound work, chapter 08. SIZE requests to a local server on
//! 127.0.0.1 that answers each after 10 ms ([`solution_08::Server`]),
//! fetched the ways of exercise 08: one after the other (the baseline),
//! through a pool of N threads, by N worker processes, and by one thread per
//! request. Throughput is requests per second; the notes give the most
//! connections the server saw open at once.

use std::net::SocketAddr;
use std::rc::Rc;
use std::time::Duration;

use solution_08::{Server, ServerConfig, expected_body, resource_names};

use super::crates::{self, Crate, Fetch};
use super::{Counts, Items, Mode, Plan, Spec, Variant, Workload};

/// How long the server takes to answer each request.
pub const LATENCY: Duration = Duration::from_millis(10);

pub const WORKLOAD: Workload = Workload {
    name: "io",
    about: "I/O-bound: SIZE requests to a local server that answers each after 10 ms, one after the other, \
            through a pool of N threads, by N worker processes, or a thread per request (chapter 08)",
    unit: "requests",
    // 1.6 s one after the other.
    default_size: 160,
    // Sequentially 10 ms each: more than about 3 minutes is a mistake.
    max_size: 20_000,
    chapter: "08-io-bound.md",
    python: None,
    mode: Mode::Speedup,
    counts: Counts::Doubling(64),
    items: Some(Items {
        name: "requests",
        per_run: |size, _| size,
        bytes_each: None,
    }),
    mine: Some(crates::CHAPTER_08.number),
    plan,
    reports: None,
};

/// The checksum: the number of bodies, once each one is checked.
fn check(names: &[String], bodies: Vec<String>) -> Result<u64, String> {
    if bodies.len() != names.len() {
        return Err(format!(
            "{} bodies for {} requests",
            bodies.len(),
            names.len()
        ));
    }
    if let Some((name, body)) = names
        .iter()
        .zip(&bodies)
        .find(|(name, body)| **body != expected_body(name))
    {
        return Err(format!("`{name}` came back as {body:?}"));
    }
    Ok(bodies.len() as u64)
}

/// The server, and the names every way fetches from it.
type Target = (Rc<Server>, Rc<Vec<String>>);

/// One way to fetch every name from the server, as a variant of `krate`:
/// `fetch` gets the server's address and the names, and its bodies are checked.
fn fetching(
    target: &Target,
    krate: &Crate<Fetch>,
    name: &str,
    workers: usize,
    fetch: impl Fn(SocketAddr, &[String]) -> Result<Vec<String>, String> + 'static,
) -> Variant {
    let (server, names) = target.clone();
    krate.variant(name, workers, move || {
        check(&names, fetch(server.addr(), &names)?)
    })
}

/// A crate's four ways: one after the other, through a pool of N threads,
/// by N worker processes, and by one thread per request.
fn ways(spec: &Spec, krate: Crate<Fetch>, at: &Target) -> Vec<Variant> {
    let worker = spec.worker_program(krate.name);
    let mut ways = vec![fetching(at, &krate, "sequential", 1, krate.sequential)];
    for &workers in &spec.workers {
        let pool = krate.pool;
        ways.push(fetching(at, &krate, "pool", workers, move |addr, names| {
            pool(addr, names, workers)
        }));
    }
    for &workers in &spec.workers {
        let (worker, processes) = (worker.clone(), krate.processes);
        ways.push(fetching(
            at,
            &krate,
            "processes",
            workers,
            move |addr, names| processes(&worker, addr, names, workers),
        ));
    }
    let requests = at.1.len();
    ways.push(fetching(
        at,
        &krate,
        "thread per request",
        requests,
        krate.threads,
    ));
    ways
}

fn plan(spec: &Spec) -> Plan {
    // The server lives as long as the plan: every variant holds it.
    let config = ServerConfig {
        latency: LATENCY,
        // Bounds, not limits: the largest run makes far fewer connections,
        // and takes far less time.
        max_connections: 100_000_000,
        lifetime: Duration::from_secs(3 * 3600),
        ..ServerConfig::default()
    };
    let server = Rc::new(
        Server::start(config).expect("cannot start the local server on 127.0.0.1"),
    );
    let at: Target = (
        Rc::clone(&server),
        Rc::new(resource_names(spec.size as usize)),
    );
    // The reference's sequential way is the baseline; `--mine` adds your
    // four ways (exercise 08), against the same server.
    let mut reference = ways(spec, crates::CHAPTER_08.reference, &at);
    let baseline = reference.remove(0).run;
    let mut variants = reference;
    if let Some(mine) = crates::CHAPTER_08.learner(spec) {
        variants.extend(ways(spec, mine, &at));
    }
    let mut plan = Plan::new(baseline, variants);
    plan.notes = Some(Box::new(move || {
        vec![format!(
            "the server answered {} requests, each after {} ms, and saw at most {} connections open at once",
            server.answered(),
            LATENCY.as_millis(),
            server.peak_connections()
        )]
    }));
    plan
}
