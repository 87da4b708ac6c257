//! Tests of your four ways to fetch. The reference solution runs this very
//! file too.
//!
//! They never time anything. The server counts how many connections were
//! open at once (its *peak*), and its *gate* holds every answer until a
//! given number of requests are open together: a fetch that is meant to run
//! requests in parallel but does not fails the peak check instead of being
//! merely slow.

#[path = "shared/helpers.rs"]
mod helpers;

use std::net::SocketAddr;

use course_support::worker::Program;
use exercise_08::{
    FetchError, expected_body, fetch_pool, fetch_processes, fetch_sequential,
    fetch_threads, resource_names,
};
use helpers::{CHAPTER, WORKER, refused_addr, server, watch};

type Fetch = fn(SocketAddr, &[String]) -> Result<Vec<String>, FetchError>;

fn pool_of(
    workers: usize,
) -> impl Fn(SocketAddr, &[String]) -> Result<Vec<String>, FetchError> {
    move |addr, names| fetch_pool(addr, names, workers)
}

fn processes(
    count: usize,
) -> impl Fn(SocketAddr, &[String]) -> Result<Vec<String>, FetchError> {
    move |addr, names| fetch_processes(&Program::new(WORKER), addr, names, count)
}

/// Fetches `names` with `fetch` from a server with this gate; returns the
/// outcome and the server's peak of connections open at once.
fn run<F>(
    what: &str,
    fetch: F,
    names: Vec<String>,
    gate: usize,
) -> (Result<Vec<String>, FetchError>, usize)
where
    F: Fn(SocketAddr, &[String]) -> Result<Vec<String>, FetchError> + Send + 'static,
{
    let server = server(20, gate);
    let addr = server.addr();
    let outcome = watch(what, move || fetch(addr, &names));
    (outcome, server.peak_connections())
}

fn expected(names: &[String]) -> Vec<String> {
    names.iter().map(|name| expected_body(name)).collect()
}

fn check_bodies(what: &str, outcome: Result<Vec<String>, FetchError>, names: &[String]) {
    match outcome {
        Ok(bodies) => assert_eq!(
            bodies,
            expected(names),
            "{what}: the bodies must match the names, in the order of the names. {CHAPTER}"
        ),
        Err(error) => panic!("{what} failed: {error}. {CHAPTER}"),
    }
}

#[test]
fn sequential_fetches_every_resource_one_at_a_time() {
    let names = resource_names(6);
    let (outcome, peak) = run(
        "fetch_sequential",
        fetch_sequential as Fetch,
        names.clone(),
        0,
    );
    check_bodies("fetch_sequential", outcome, &names);
    assert_eq!(
        peak, 1,
        "fetch_sequential had {peak} connections open at once, not 1. {CHAPTER}"
    );
}

#[test]
fn threads_fetch_every_resource_all_at_once() {
    let names = resource_names(12);
    let (outcome, peak) = run("fetch_threads", fetch_threads as Fetch, names.clone(), 12);
    check_bodies("fetch_threads", outcome, &names);
    assert_eq!(
        peak, 12,
        "fetch_threads had at most {peak} of its 12 requests open at once: start every thread before \
         you join any. {CHAPTER}"
    );
}

#[test]
fn a_pool_uses_all_its_workers_and_never_more() {
    for workers in [1, 3, 4] {
        let names = resource_names(4 * workers + 1);
        let what = format!("fetch_pool with {workers} workers");
        let (outcome, peak) = run(&what, pool_of(workers), names.clone(), workers);
        check_bodies(&what, outcome, &names);
        assert!(
            peak <= workers,
            "{what} had {peak} requests open at once: a pool of {workers} must never have more. {CHAPTER}"
        );
        assert_eq!(
            peak, workers,
            "{what} never had more than {peak} requests open at once: all {workers} workers should fetch \
             at the same time. {CHAPTER}"
        );
    }
}

#[test]
fn a_pool_larger_than_the_job_starts_only_what_it_needs() {
    let names = resource_names(3);
    let (outcome, peak) = run(
        "fetch_pool with 16 workers and 3 names",
        pool_of(16),
        names.clone(),
        3,
    );
    check_bodies("fetch_pool with 16 workers and 3 names", outcome, &names);
    assert_eq!(peak, 3, "{CHAPTER}");
}

#[test]
fn worker_processes_fetch_their_shares_at_once() {
    let names = resource_names(8);
    let (outcome, peak) = run(
        "fetch_processes with 4 processes",
        processes(4),
        names.clone(),
        4,
    );
    check_bodies("fetch_processes with 4 processes", outcome, &names);
    assert!(
        peak <= 4,
        "4 worker processes had {peak} requests open at once: one share per process. {CHAPTER}"
    );
    assert_eq!(
        peak, 4,
        "the 4 worker processes did not all fetch at the same time. {CHAPTER}"
    );
}

#[test]
fn no_names_means_no_requests() {
    let none = Vec::<String>::new();
    let ways: Vec<(&str, AnyFetch)> = vec![
        ("fetch_sequential", Box::new(fetch_sequential)),
        ("fetch_threads", Box::new(fetch_threads)),
        ("fetch_pool", Box::new(pool_of(4))),
        ("fetch_processes", Box::new(processes(4))),
    ];
    for (what, fetch) in ways {
        let server = server(1, 0);
        let addr = server.addr();
        let none = none.clone();
        let outcome = watch(what, move || fetch(addr, &none));
        assert!(
            matches!(&outcome, Ok(bodies) if bodies.is_empty()),
            "{what} of no names gave {outcome:?}. {CHAPTER}"
        );
        assert_eq!(
            server.connections(),
            0,
            "{what} of no names connected anyway. {CHAPTER}"
        );
    }
}

/// Every way, for the error tests.
/// One way to fetch, boxed so that the four ways fit in one list.
type AnyFetch =
    Box<dyn Fn(SocketAddr, &[String]) -> Result<Vec<String>, FetchError> + Send>;

fn every_way() -> Vec<(&'static str, AnyFetch)> {
    vec![
        ("fetch_sequential", Box::new(fetch_sequential)),
        ("fetch_threads", Box::new(fetch_threads)),
        ("fetch_pool", Box::new(pool_of(2))),
        ("fetch_processes", Box::new(processes(2))),
    ]
}

#[test]
fn a_refused_connection_is_a_clear_error_not_a_panic() {
    for (what, fetch) in every_way() {
        let addr = refused_addr();
        let names = resource_names(4);
        let outcome = watch(what, move || fetch(addr, &names));
        let error = match outcome {
            Ok(bodies) => {
                panic!("{what} from a closed port answered {bodies:?}. {CHAPTER}")
            }
            Err(error) => error,
        };
        let text = error.to_string();
        match &error {
            FetchError::Connect { .. } if what != "fetch_processes" => {}
            FetchError::Worker(_) if what == "fetch_processes" => {}
            _ => panic!(
                "{what} from a closed port: expected the error of `fetch_one` (or of the worker), got {error:?}. {CHAPTER}"
            ),
        }
        assert!(
            text.contains(&format!("cannot connect to {addr}")),
            "{what}: the error should say where: {text}. {CHAPTER}"
        );
        assert!(
            !text.contains('\n'),
            "{what}: the error should be one line: {text:?}. {CHAPTER}"
        );
    }
}

#[test]
fn the_first_server_error_in_order_is_reported() {
    for (what, fetch) in every_way() {
        let names: Vec<String> = ["a", "missing-b", "c", "missing-d", "e"]
            .map(String::from)
            .to_vec();
        let (outcome, _) = run(what, fetch, names, 0);
        match outcome {
            Err(FetchError::Server { resource, message })
                if what != "fetch_processes" =>
            {
                assert_eq!(
                    resource, "missing-b",
                    "{what}: report the first error in the order of the names. {CHAPTER}"
                );
                assert_eq!(message, "no such resource: missing-b", "{what}. {CHAPTER}");
            }
            Err(FetchError::Worker(report)) if what == "fetch_processes" => {
                assert!(
                    report.contains("no such resource: missing-b"),
                    "{what}: the worker's report: {report}. {CHAPTER}"
                );
            }
            other => panic!(
                "{what} with missing resources: expected the server's error, got {other:?}. {CHAPTER}"
            ),
        }
    }
}

#[test]
fn a_server_that_hangs_up_is_an_error_not_a_hang() {
    for (what, fetch) in every_way() {
        let names: Vec<String> = ["a", "hangup", "c"].map(String::from).to_vec();
        let (outcome, _) = run(what, fetch, names, 0);
        match outcome {
            Err(FetchError::BadAnswer { resource, .. }) if what != "fetch_processes" => {
                assert_eq!(resource, "hangup", "{what}. {CHAPTER}");
            }
            Err(FetchError::Worker(report)) if what == "fetch_processes" => {
                assert!(
                    report.contains("hangup"),
                    "{what}: the worker's report: {report}. {CHAPTER}"
                );
            }
            other => panic!(
                "{what} when the server hangs up: expected an error, got {other:?}. {CHAPTER}"
            ),
        }
    }
}
