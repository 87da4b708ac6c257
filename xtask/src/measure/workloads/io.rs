//! `io`: I/O-bound work, chapter 08. SIZE requests to a local server on
//! 127.0.0.1 that answers each after 10 ms ([`solution_08::Server`]),
//! fetched the ways of exercise 08: one after the other (the baseline),
//! through a pool of N threads, by N worker processes, and by one thread per
//! request. Throughput is requests per second; the notes give the most
//! connections the server saw open at once.

use std::net::SocketAddr;
use std::rc::Rc;
use std::time::Duration;

use solution_08::{
    FetchError, Server, ServerConfig, expected_body, fetch_pool, fetch_processes,
    fetch_sequential, fetch_threads, resource_names,
};

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
    mine: Some("08"),
    plan,
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

/// One way to fetch every name from the server, as a variant: `fetch` gets
/// the server's address and the names, and its bodies are checked.
fn fetching(
    server: &Rc<Server>,
    names: &Rc<Vec<String>>,
    name: &str,
    workers: usize,
    fetch: impl Fn(SocketAddr, &[String]) -> Result<Vec<String>, String> + 'static,
) -> Variant {
    let (server, names) = (Rc::clone(server), Rc::clone(names));
    Variant::new(name, workers, move || {
        check(&names, fetch(server.addr(), &names)?)
    })
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
    let names = Rc::new(resource_names(spec.size as usize));
    let worker = spec.worker_program("solution-08");
    let text = |e: FetchError| e.to_string();
    let mut variants = Vec::new();
    for &workers in &spec.workers {
        variants.push(fetching(
            &server,
            &names,
            "pool",
            workers,
            move |addr, names| fetch_pool(addr, names, workers).map_err(text),
        ));
    }
    for &workers in &spec.workers {
        let worker = worker.clone();
        variants.push(fetching(
            &server,
            &names,
            "processes",
            workers,
            move |addr, names| {
                fetch_processes(&worker, addr, names, workers).map_err(text)
            },
        ));
    }
    variants.push(fetching(
        &server,
        &names,
        "thread per request",
        names.len(),
        move |addr, names| fetch_threads(addr, names).map_err(text),
    ));
    // `--mine`: your four ways (exercise 08), against the same server.
    #[cfg(feature = "mine-08")]
    if spec.mine {
        let learner = spec.worker_program("exercise-08");
        let text = |e: exercise_08::FetchError| e.to_string();
        variants.push(
            fetching(&server, &names, "sequential", 1, move |addr, names| {
                exercise_08::fetch_sequential(addr, names).map_err(text)
            })
            .mine(),
        );
        for &workers in &spec.workers {
            variants.push(
                fetching(&server, &names, "pool", workers, move |addr, names| {
                    exercise_08::fetch_pool(addr, names, workers).map_err(text)
                })
                .mine(),
            );
        }
        for &workers in &spec.workers {
            let learner = learner.clone();
            variants.push(
                fetching(&server, &names, "processes", workers, move |addr, names| {
                    exercise_08::fetch_processes(&learner, addr, names, workers)
                        .map_err(text)
                })
                .mine(),
            );
        }
        variants.push(
            fetching(
                &server,
                &names,
                "thread per request",
                names.len(),
                move |addr, names| exercise_08::fetch_threads(addr, names).map_err(text),
            )
            .mine(),
        );
    }
    let baseline = fetching(&server, &names, "sequential", 1, move |addr, names| {
        fetch_sequential(addr, names).map_err(text)
    })
    .run;
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
