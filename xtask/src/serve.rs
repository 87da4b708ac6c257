//! The book's local web server, as safe as Jupyter's: it binds to loopback
//! only, and answers only a browser that holds the token printed at start
//! (`?token=...` once, then a `SameSite=Strict` cookie), whose `Host` is this
//! server (no DNS rebinding) and whose `Origin`, if any, is this server.
//! Everything else gets a one-line 403 and nothing is read from disk.
//!
//! It serves files, GET and HEAD only, from one folder (`target/book`), and
//! runs the book's snippets: `POST /evaluate.json` in the Rust playground's
//! format (`play.rs`). It is written on std alone so that the first
//! `cargo xtask serve` compiles nothing heavy; mdBook's server needs tokio.

use std::collections::hash_map::RandomState;
use std::fmt::Write as _;
use std::hash::{BuildHasher, Hasher};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use crate::play::{self, Playground};

const COOKIE: &str = "course_token";
/// A request head larger than this is refused: a browser's is a few KiB.
const MAX_HEAD: usize = 16 * 1024;
/// A snippet larger than this is refused: the book's are a few KiB.
const MAX_BODY: usize = 256 * 1024;

pub struct Server {
    listener: TcpListener,
    site: Arc<Site>,
}

/// What every connection needs to answer.
struct Site {
    root: PathBuf,
    token: String,
    port: u16,
    playground: Option<Arc<Playground>>,
}

impl Server {
    /// Binds 127.0.0.1:`port` (0: any free port) to serve the files in `root`;
    /// with a playground, it also runs snippets (`POST /evaluate.json`).
    pub fn bind(
        port: u16,
        root: &Path,
        playground: Option<Arc<Playground>>,
    ) -> std::io::Result<Server> {
        let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))?;
        let port = listener.local_addr()?.port();
        let token = new_token();
        let site = Site {
            root: root.to_path_buf(),
            token,
            port,
            playground,
        };
        Ok(Server {
            listener,
            site: Arc::new(site),
        })
    }

    #[cfg(test)]
    pub fn port(&self) -> u16 {
        self.site.port
    }

    /// The address to open: it carries the token.
    pub fn url(&self) -> String {
        format!(
            "http://127.0.0.1:{}/?token={}",
            self.site.port, self.site.token
        )
    }

    /// Answers connections until the process ends, one thread each.
    pub fn run(self) {
        for stream in self.listener.incoming().flatten() {
            let site = Arc::clone(&self.site);
            thread::spawn(move || {
                let _ = answer(&site, stream);
            });
        }
    }
}

/// 128 random bits as hex. std's `RandomState` is seeded from the operating
/// system's random source, which is all a local token needs.
fn new_token() -> String {
    let mut token = String::new();
    for i in 0..2u64 {
        let mut hasher = RandomState::new().build_hasher();
        hasher.write_u64(i);
        let _ = write!(token, "{:016x}", hasher.finish());
    }
    token
}

struct Request {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn read_request(reader: &mut impl BufRead) -> Option<Request> {
    let mut reader = reader.take(MAX_HEAD as u64);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let (method, target) = (parts.next()?.to_string(), parts.next()?.to_string());
    let mut headers = Vec::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).ok()? == 0 {
            return None; // the head never ended: too long, or cut off
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':')?;
        headers.push((name.trim().to_string(), value.trim().to_string()));
    }
    Some(Request {
        method,
        target,
        headers,
    })
}

fn answer(site: &Site, mut stream: TcpStream) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let Some(request) = read_request(&mut reader) else {
        return respond(
            &mut stream,
            400,
            "text/plain",
            &[],
            b"a malformed request\n",
        );
    };
    let (status, extra, body, kind) = match route(site, &request) {
        Ok(Action::File(path, cookie)) => match std::fs::read(&path) {
            Ok(bytes) => (200, cookie, bytes, content_type(&path)),
            Err(_) => (404, None, b"no such page\n".to_vec(), "text/plain"),
        },
        Ok(Action::Evaluate(playground)) => {
            let response = match read_body(&request, &mut reader) {
                Some(body) => match serde_json::from_slice::<play::Request>(&body) {
                    Ok(snippet) => playground.run(&snippet),
                    Err(e) => play::Response::error(format!("a malformed request: {e}")),
                },
                None => play::Response::error("a request body of at most 256 KiB"),
            };
            let json = serde_json::to_vec(&response).unwrap_or_default();
            (200, None, json, "application/json")
        }
        Err((status, why)) => {
            (status, None, format!("{why}\n").into_bytes(), "text/plain")
        }
    };
    let extra: Vec<String> = extra.into_iter().collect();
    let body = if request.method == "HEAD" {
        &[][..]
    } else {
        &body[..]
    };
    respond(&mut stream, status, kind, &extra, body)
}

fn read_body(request: &Request, reader: &mut impl Read) -> Option<Vec<u8>> {
    let length: usize = request.header("Content-Length")?.parse().ok()?;
    if length > MAX_BODY {
        return None;
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(body)
}

/// What an accepted request gets.
enum Action {
    /// A file, and the cookie to set if the token came in the address.
    File(PathBuf, Option<String>),
    Evaluate(Arc<Playground>),
}

/// What to do, or the status and reason of a refusal. Every check comes
/// before any disk access or run.
fn route(site: &Site, request: &Request) -> Result<Action, (u16, String)> {
    let here = [
        format!("127.0.0.1:{}", site.port),
        format!("localhost:{}", site.port),
    ];
    if !request
        .header("Host")
        .is_some_and(|host| here.iter().any(|h| h == host))
    {
        return Err((
            403,
            format!("refused: the Host must be {} or {}", here[0], here[1]),
        ));
    }
    if let Some(origin) = request.header("Origin")
        && !here.iter().any(|h| origin == format!("http://{h}"))
    {
        return Err((
            403,
            "refused: a page of another site sent this request".into(),
        ));
    }
    let (path, query) = request
        .target
        .split_once('?')
        .unwrap_or((&request.target, ""));
    let given = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("token="));
    let cookie = request.header("Cookie").and_then(|cookies| {
        cookies
            .split(';')
            .find_map(|c| c.trim().strip_prefix(&format!("{COOKIE}=")))
    });
    let set_cookie = if given.is_some_and(|t| same(t, &site.token)) {
        Some(format!(
            "Set-Cookie: {COOKIE}={}; HttpOnly; SameSite=Strict; Path=/",
            site.token
        ))
    } else if cookie.is_some_and(|t| same(t, &site.token)) {
        None
    } else {
        return Err((
            403,
            "refused: open the address that `cargo xtask serve` printed (it carries a token)"
                .into(),
        ));
    };
    match (request.method.as_str(), &site.playground) {
        ("POST", Some(playground)) if path == "/evaluate.json" => {
            Ok(Action::Evaluate(Arc::clone(playground)))
        }
        ("GET" | "HEAD", _) => {
            let file =
                local_path(&site.root, path).ok_or((404, "no such page".to_string()))?;
            Ok(Action::File(file, set_cookie))
        }
        _ => Err((
            405,
            "refused: this server reads the book and runs snippets".into(),
        )),
    }
}

/// Compares without stopping at the first difference, so that the time a
/// refusal takes says nothing about the token.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The file under `root` that a URL path names, or `None` if it would leave
/// `root` (`..`, an absolute path, a drive prefix).
fn local_path(root: &Path, url_path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(url_path)?;
    let mut file = root.to_path_buf();
    for component in Path::new(decoded.trim_start_matches('/')).components() {
        match component {
            Component::Normal(part) => file.push(part),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if file.is_dir() {
        file.push("index.html");
    }
    file.is_file().then_some(file)
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css",
        "js" => "text/javascript",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        _ => "text/plain; charset=utf-8",
    }
}

fn respond(
    stream: &mut TcpStream,
    status: u16,
    kind: &str,
    extra: &[String],
    body: &[u8],
) -> std::io::Result<()> {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        _ => "Method Not Allowed",
    };
    let mut head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n\
         Cache-Control: no-cache\r\nConnection: close\r\n",
        body.len()
    );
    for line in extra {
        head.push_str(line);
        head.push_str("\r\n");
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)
}

#[cfg(test)]
mod tests;
