//! Every refusal of the book's server, over real loopback connections.

use std::io::{Read, Write};
use std::net::TcpStream;

use super::*;

/// A server on a free port over a scratch folder with one page and one file
/// beside the folder that a request must never reach.
fn server(name: &str) -> (u16, String) {
    let base = std::env::temp_dir().join(format!("serve-{name}-{}", std::process::id()));
    let root = base.join("book");
    std::fs::create_dir_all(root.join("sub")).unwrap();
    std::fs::write(root.join("index.html"), "<p>the book</p>").unwrap();
    std::fs::write(root.join("sub/page.html"), "<p>a page</p>").unwrap();
    std::fs::write(base.join("secret.txt"), "SECRET").unwrap();
    let server = Server::bind(0, &root).unwrap();
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
