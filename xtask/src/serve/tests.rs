//! Every refusal of the book's server, over real loopback connections.

use std::io::{Read, Write};
use std::net::TcpStream;

use super::*;
use crate::play;

/// A server on a free port over a scratch folder with one page and one file
/// beside the folder that a request must never reach.
fn server(name: &str) -> (u16, String) {
    let base = std::env::temp_dir().join(format!("serve-{name}-{}", std::process::id()));
    let root = base.join("book");
    std::fs::create_dir_all(root.join("sub")).unwrap();
    std::fs::write(root.join("index.html"), "<p>the book</p>").unwrap();
    std::fs::write(root.join("sub/page.html"), "<p>a page</p>").unwrap();
    std::fs::write(base.join("secret.txt"), "SECRET").unwrap();
    let server = Server::bind(0, &root, None).unwrap();
    let (port, url) = (server.port(), server.url());
    let token = url.split("token=").nth(1).unwrap().to_string();
    thread::spawn(move || server.run());
    (port, token)
}

/// Sends a raw request; returns the status code and the whole response.
fn send(port: u16, request: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response.split_whitespace().nth(1).unwrap().parse().unwrap();
    (status, response)
}

fn get(port: u16, target: &str, headers: &str) -> (u16, String) {
    send(
        port,
        &format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{headers}\r\n"),
    )
}

#[test]
fn the_printed_url_opens_the_book_and_sets_a_cookie() {
    let (port, token) = server("ok");
    let (status, response) = get(port, &format!("/?token={token}"), "");
    assert_eq!(status, 200, "{response}");
    assert!(response.contains("the book"));
    assert!(response.contains(&format!("Set-Cookie: course_token={token}; HttpOnly")));
    let cookie = format!("Cookie: theme=navy; course_token={token}\r\n");
    let (status, response) = get(port, "/sub/page.html", &cookie);
    assert_eq!(status, 200, "{response}");
    assert!(response.contains("a page"));
}

#[test]
fn no_token_or_a_wrong_one_is_refused() {
    let (port, token) = server("token");
    assert_eq!(get(port, "/", "").0, 403);
    assert_eq!(get(port, "/?token=0123", "").0, 403);
    let wrong = "x".repeat(token.len());
    assert_eq!(
        get(port, "/", &format!("Cookie: course_token={wrong}\r\n")).0,
        403
    );
    let (_, response) = get(port, "/", "");
    assert!(response.contains("cargo xtask serve"), "{response}");
    assert!(!response.contains("the book"));
}

#[test]
fn a_foreign_host_is_refused_even_with_the_token() {
    let (port, token) = server("host");
    let request =
        format!("GET /?token={token} HTTP/1.1\r\nHost: evil.example:{port}\r\n\r\n");
    let (status, response) = send(port, &request);
    assert_eq!(status, 403);
    assert!(!response.contains("the book"));
    let no_host = format!("GET /?token={token} HTTP/1.1\r\n\r\n");
    assert_eq!(send(port, &no_host).0, 403);
}

#[test]
fn a_foreign_origin_is_refused_even_with_the_cookie() {
    let (port, token) = server("origin");
    let headers =
        format!("Origin: http://evil.example\r\nCookie: course_token={token}\r\n");
    let (status, response) = get(port, "/", &headers);
    assert_eq!(status, 403);
    assert!(!response.contains("the book"));
    let own =
        format!("Origin: http://localhost:{port}\r\nCookie: course_token={token}\r\n");
    assert_eq!(get(port, "/", &own).0, 200);
}

#[test]
fn only_files_under_the_book_can_be_read() {
    let (port, token) = server("path");
    let cookie = format!("Cookie: course_token={token}\r\n");
    for target in [
        "/../secret.txt",
        "/sub/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/nope",
    ] {
        let (status, response) = get(port, target, &cookie);
        assert_eq!(status, 404, "{target}: {response}");
        assert!(!response.contains("SECRET"), "{target}");
    }
}

#[test]
fn only_reading_is_allowed() {
    let (port, token) = server("method");
    let request = format!(
        "POST /?token={token} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\n\r\n"
    );
    assert_eq!(send(port, &request).0, 405);
}

#[test]
fn a_malformed_request_gets_a_400() {
    let (port, _) = server("malformed");
    assert_eq!(send(port, "nonsense\r\n\r\n").0, 400);
}

// ---- running snippets: POST /evaluate.json ----------------------------------

/// A server whose playground compiles snippets with no dependencies (quick),
/// with a 4 s limit; waits until its warm-up build is done.
fn play_server(name: &str) -> (u16, String, std::path::PathBuf) {
    let base = std::env::temp_dir().join(format!("play-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    std::fs::create_dir_all(base.join("book")).unwrap();
    let playground = Playground::new(&base.join("playground"), String::new(), None)
        .with_limit(Duration::from_secs(4));
    let playground = Arc::new(playground);
    playground.warm_up();
    while !playground.is_ready() {
        thread::sleep(Duration::from_millis(50));
    }
    let server = Server::bind(0, &base.join("book"), Some(playground)).unwrap();
    let (port, url) = (server.port(), server.url());
    let token = url.split("token=").nth(1).unwrap().to_string();
    thread::spawn(move || server.run());
    (port, token, base)
}

fn evaluate(port: u16, code: &str, headers: &str) -> (u16, serde_json::Value) {
    let body = serde_json::json!({"code": code, "edition": "2024", "version": "stable",
                                  "optimize": "0"})
    .to_string();
    let request = format!(
        "POST /evaluate.json HTTP/1.1\r\nContent-Length: {}\r\n{headers}\r\n{body}",
        body.len()
    );
    let (status, response) = send(port, &request);
    let json = response.split("\r\n\r\n").nth(1).unwrap_or("");
    (
        status,
        serde_json::from_str(json).unwrap_or(serde_json::Value::Null),
    )
}

fn own(port: u16, token: &str) -> String {
    format!(
        "Host: 127.0.0.1:{port}\r\nOrigin: http://127.0.0.1:{port}\r\nCookie: course_token={token}\r\n"
    )
}

#[test]
fn a_snippet_runs_and_its_output_comes_back() {
    let (port, token, _) = play_server("ok");
    let code = "fn main() { println!(\"hello from the book\"); }";
    let (status, json) = evaluate(port, code, &own(port, &token));
    assert_eq!(status, 200);
    assert_eq!(json["result"], "hello from the book\n", "{json}");
    assert!(json["error"].is_null(), "{json}");
}

#[test]
fn a_compile_error_comes_back_as_the_error() {
    let (port, token, _) = play_server("compile");
    let code = "fn main() { let x: u32 = \"no\"; }";
    let (_, json) = evaluate(port, code, &own(port, &token));
    assert!(
        json["error"].as_str().unwrap().contains("mismatched types"),
        "{json}"
    );
}

#[test]
fn refused_requests_run_nothing() {
    let (port, token, base) = play_server("refused");
    let marker = base.join("ran.txt");
    let code = format!(
        "fn main() {{ std::fs::write({:?}, \"ran\").unwrap(); }}",
        marker
    );
    let host = format!("Host: 127.0.0.1:{port}\r\n");
    let refusals = [
        ("no token", host.clone()),
        (
            "a wrong token",
            format!("{host}Cookie: course_token={}\r\n", "0".repeat(32)),
        ),
        (
            "a foreign Origin",
            format!(
                "{host}Origin: http://evil.example\r\nCookie: course_token={token}\r\n"
            ),
        ),
        (
            "a foreign Host",
            format!("Host: evil.example:{port}\r\nCookie: course_token={token}\r\n"),
        ),
    ];
    for (what, headers) in refusals {
        assert_eq!(evaluate(port, &code, &headers).0, 403, "{what}");
    }
    assert!(!marker.exists(), "a refused request ran the snippet");
    // The marker works: the same snippet with the token does run.
    evaluate(port, &code, &own(port, &token));
    assert!(marker.exists());
}

#[test]
fn an_endless_loop_is_stopped_and_one_run_at_a_time() {
    let (port, token, _) = play_server("loop");
    let headers = own(port, &token);
    let looping = {
        let headers = headers.clone();
        thread::spawn(move || evaluate(port, "fn main() { loop {} }", &headers).1)
    };
    thread::sleep(Duration::from_millis(1500));
    let (_, second) = evaluate(port, "fn main() {}", &headers);
    assert!(
        second["error"]
            .as_str()
            .unwrap_or("")
            .contains("one runs at a time"),
        "{second}"
    );
    let json = looping.join().unwrap();
    assert!(
        json["result"].as_str().unwrap().contains("[stopped:"),
        "{json}"
    );
}

#[test]
fn a_flood_of_output_is_cut_at_the_cap() {
    let (port, token, _) = play_server("flood");
    let code = "fn main() { loop { println!(\"{}\", \"x\".repeat(100)); } }";
    let (_, json) = evaluate(port, code, &own(port, &token));
    let result = json["result"].as_str().unwrap();
    assert!(
        result.contains("[output cut at 64 KiB"),
        "{}",
        &result[result.len() - 200..]
    );
    assert!(result.len() < play::CAP + 200);
}
