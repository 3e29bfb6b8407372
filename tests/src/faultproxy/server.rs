//! The proxy's HTTP/1.1 front (our own, over tokio: it must be able to reset a connection,
//! or close it in the middle of a body, at a chosen point) and its way to the emulator
//! (hyper's pooled client).

use std::io;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::classify::{classify, header};
use super::plan::{Action, Engine, Fault};
use super::wire::{error_response, Canned, ErrorKind};

pub(crate) type Upstream = Client<HttpConnector, Full<Bytes>>;

/// State shared by every connection.
pub(crate) struct Shared {
    pub(crate) engine: Mutex<Engine>,
    pub(crate) upstream: String,
    pub(crate) client: Upstream,
    pub(crate) sequence: AtomicU64,
    /// One line per decided request on stderr.
    pub(crate) log: AtomicBool,
    /// Notified when the plan is replaced: releases held requests.
    pub(crate) plan_changed: tokio::sync::Notify,
}

/// Request heads larger than this are refused.
const MAX_HEAD: usize = 64 * 1024;
/// Request bodies larger than this are refused (the SDK uploads trigger zips of ~1 MB).
const MAX_BODY: usize = 256 * 1024 * 1024;

/// One request as read from a client.
struct Request {
    method: String,
    target: String,
    http10: bool,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Request {
    fn keep_alive(&self) -> bool {
        let connection = header(&self.headers, "connection").map(str::to_ascii_lowercase);
        match connection.as_deref() {
            Some(c) if c.contains("close") => false,
            Some(c) if c.contains("keep-alive") => true,
            _ => !self.http10,
        }
    }
}

/// What to send back.
enum Reply {
    Full(Canned),
    /// Reset the connection (RST) without answering.
    Reset,
    /// Headers with the full Content-Length, half the body, then close.
    Truncated(Canned),
}

/// Serves one client connection: requests one after another (keep-alive) until the client
/// closes it, an error, or a fault ends it.
pub(crate) async fn serve_connection(mut stream: TcpStream, shared: Arc<Shared>) {
    let _ = stream.set_nodelay(true);
    let mut buffer = Vec::new();
    loop {
        let request = match read_request(&mut stream, &mut buffer).await {
            Ok(Some(request)) => request,
            Ok(None) => return,
            Err(error) => {
                let body = format!("faultproxy: bad request: {error}\n");
                let _ = write_canned(&mut stream, &plain(400, body), false, false).await;
                return;
            }
        };
        let keep_alive = request.keep_alive();
        let head = request.method.eq_ignore_ascii_case("HEAD");
        match handle(&shared, request).await {
            Reply::Full(canned) => {
                if write_canned(&mut stream, &canned, head, keep_alive)
                    .await
                    .is_err()
                    || !keep_alive
                {
                    return;
                }
            }
            Reply::Reset => {
                // SO_LINGER 0: closing sends RST, as a crashed peer or a load balancer would.
                let _ = stream.set_zero_linger();
                return;
            }
            Reply::Truncated(canned) => {
                let _ = write_truncated(&mut stream, &canned).await;
                let _ = stream.shutdown().await;
                return;
            }
        }
    }
}

async fn handle(shared: &Shared, request: Request) -> Reply {
    let path = request.target.split('?').next().unwrap_or("");
    if path.starts_with("/_faultproxy/") {
        return Reply::Full(control(shared, &request.method, path));
    }
    if path.starts_with("/_ministack/") {
        return Reply::Full(forward(shared, &request).await);
    }
    let info = classify(
        &request.method,
        &request.target,
        &request.headers,
        &request.body,
    );
    // Made before the decision, so that a plan replaced after it releases a held request.
    let released = shared.plan_changed.notified();
    let action = shared
        .engine
        .lock()
        .expect("engine lock")
        .decide(&info, Instant::now());
    let sequence = shared.sequence.fetch_add(1, Ordering::Relaxed);
    if shared.log.load(Ordering::Relaxed) {
        eprintln!(
            "faultproxy: {} {} -> {}:{} {action:?}",
            request.method, request.target, info.service, info.operation
        );
    }
    let request_id = format!("faultproxy-{sequence:012}");
    let error = |kind| Reply::Full(error_response(&info, kind, &request_id));
    let forwarded = |mut canned: Canned| {
        shared.engine.lock().expect("engine lock").settle_answer(
            &info,
            canned.status,
            &mut canned.body,
            Instant::now(),
        );
        canned
    };
    match action {
        Action::Forward => Reply::Full(forwarded(forward(shared, &request).await)),
        Action::QuotaThrottle | Action::Inject(Fault::Throttle) => error(ErrorKind::Throttle),
        Action::Inject(Fault::InternalError) => error(ErrorKind::Internal),
        Action::Inject(Fault::Unavailable) => error(ErrorKind::Unavailable),
        Action::Inject(Fault::ExpiredToken) => error(ErrorKind::ExpiredToken),
        Action::Inject(Fault::Hold(at_most)) => {
            tokio::select! {
                () = released => {}
                () = tokio::time::sleep(at_most) => {}
            }
            Reply::Full(forwarded(forward(shared, &request).await))
        }
        Action::Inject(Fault::Latency(delay)) => {
            tokio::time::sleep(delay).await;
            Reply::Full(forwarded(forward(shared, &request).await))
        }
        Action::Inject(Fault::ResetBeforeForward) => Reply::Reset,
        Action::Inject(Fault::ResetAfterForward) => {
            // The call went through: what it started runs on.
            let _ = forwarded(forward(shared, &request).await);
            Reply::Reset
        }
        Action::Inject(Fault::TruncatedBody) => {
            Reply::Truncated(forwarded(forward(shared, &request).await))
        }
    }
}

/// `GET /_faultproxy/stats`: the statistics as JSON.
fn control(shared: &Shared, method: &str, path: &str) -> Canned {
    match (method, path) {
        ("GET", "/_faultproxy/stats") => {
            let stats = shared.engine.lock().expect("engine lock").stats.clone();
            Canned {
                status: 200,
                headers: vec![("Content-Type".to_owned(), "application/json".to_owned())],
                body: serde_json::to_vec_pretty(&stats).expect("stats serialize"),
            }
        }
        _ => plain(404, "faultproxy: only GET /_faultproxy/stats\n".to_owned()),
    }
}

fn plain(status: u16, body: String) -> Canned {
    Canned {
        status,
        headers: vec![("Content-Type".to_owned(), "text/plain".to_owned())],
        body: body.into_bytes(),
    }
}

/// Headers that belong to one connection, not to the message.
fn hop_by_hop(name: &str) -> bool {
    [
        "connection",
        "keep-alive",
        "proxy-connection",
        "transfer-encoding",
        "te",
        "trailer",
        "upgrade",
        "expect",
    ]
    .iter()
    .any(|h| name.eq_ignore_ascii_case(h))
}

/// Sends `request` to the emulator and returns its whole answer (502 if it cannot).
async fn forward(shared: &Shared, request: &Request) -> Canned {
    match try_forward(shared, request).await {
        Ok(canned) => canned,
        Err(error) => plain(502, format!("faultproxy: upstream: {error}\n")),
    }
}

async fn try_forward(shared: &Shared, request: &Request) -> Result<Canned, String> {
    let uri = format!("{}{}", shared.upstream, request.target);
    let mut builder = hyper::Request::builder()
        .method(request.method.as_str())
        .uri(uri);
    for (name, value) in &request.headers {
        if !hop_by_hop(name) && !name.eq_ignore_ascii_case("content-length") {
            builder = builder.header(name.as_str(), value.as_str());
        }
    }
    if !request.body.is_empty() || !["GET", "HEAD"].contains(&request.method.as_str()) {
        builder = builder.header("content-length", request.body.len());
    }
    let outgoing = builder
        .body(Full::new(Bytes::from(request.body.clone())))
        .map_err(|e| e.to_string())?;
    let response = shared
        .client
        .request(outgoing)
        .await
        .map_err(|e| e.to_string())?;
    let (parts, body) = response.into_parts();
    let body = body.collect().await.map_err(|e| e.to_string())?.to_bytes();
    let headers = parts
        .headers
        .iter()
        .filter(|(name, _)| !hop_by_hop(name.as_str()))
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect();
    Ok(Canned {
        status: parts.status.as_u16(),
        headers,
        body: body.to_vec(),
    })
}

/// Reads the next request; `None` when the client closed the connection between requests.
async fn read_request(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> io::Result<Option<Request>> {
    let (mut request, head_len) = loop {
        if !buffer.is_empty() {
            let mut headers = [httparse::EMPTY_HEADER; 128];
            let mut parsed = httparse::Request::new(&mut headers);
            match parsed.parse(buffer) {
                Ok(httparse::Status::Complete(head_len)) => {
                    let request = Request {
                        method: parsed.method.unwrap_or("GET").to_owned(),
                        target: parsed.path.unwrap_or("/").to_owned(),
                        http10: parsed.version == Some(0),
                        headers: parsed
                            .headers
                            .iter()
                            .map(|h| {
                                (
                                    h.name.to_owned(),
                                    String::from_utf8_lossy(h.value).into_owned(),
                                )
                            })
                            .collect(),
                        body: Vec::new(),
                    };
                    break (request, head_len);
                }
                Ok(httparse::Status::Partial) => {}
                Err(error) => return Err(io::Error::new(io::ErrorKind::InvalidData, error)),
            }
        }
        if buffer.len() > MAX_HEAD {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "request head too large",
            ));
        }
        if read_more(stream, buffer).await? == 0 {
            return if buffer.is_empty() {
                Ok(None)
            } else {
                Err(io::ErrorKind::UnexpectedEof.into())
            };
        }
    };
    buffer.drain(..head_len);
    if header(&request.headers, "expect").is_some_and(|e| e.eq_ignore_ascii_case("100-continue")) {
        stream.write_all(b"HTTP/1.1 100 Continue\r\n\r\n").await?;
    }
    let chunked = header(&request.headers, "transfer-encoding")
        .is_some_and(|t| t.to_ascii_lowercase().contains("chunked"));
    if chunked {
        request.body = read_chunked(stream, buffer).await?;
    } else if let Some(length) = header(&request.headers, "content-length") {
        let length: usize = length
            .trim()
            .parse()
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "bad Content-Length"))?;
        if length > MAX_BODY {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "request body too large",
            ));
        }
        fill(stream, buffer, length).await?;
        request.body = buffer.drain(..length).collect();
    }
    Ok(Some(request))
}

async fn read_more(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> io::Result<usize> {
    let mut chunk = [0u8; 16 * 1024];
    let n = stream.read(&mut chunk).await?;
    buffer.extend_from_slice(&chunk[..n]);
    Ok(n)
}

/// Reads until `buffer` holds at least `len` bytes.
async fn fill(stream: &mut TcpStream, buffer: &mut Vec<u8>, len: usize) -> io::Result<()> {
    while buffer.len() < len {
        if read_more(stream, buffer).await? == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
    }
    Ok(())
}

/// Reads one CRLF-terminated line (without the CRLF) from the front of `buffer`.
async fn read_line(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> io::Result<Vec<u8>> {
    loop {
        if let Some(end) = buffer.windows(2).position(|w| w == b"\r\n") {
            let line = buffer[..end].to_vec();
            buffer.drain(..end + 2);
            return Ok(line);
        }
        if buffer.len() > MAX_HEAD {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "chunk line too long",
            ));
        }
        if read_more(stream, buffer).await? == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
    }
}

/// A `Transfer-Encoding: chunked` body, decoded (trailers dropped).
async fn read_chunked(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> io::Result<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line = read_line(stream, buffer).await?;
        let size = String::from_utf8_lossy(&line);
        let size = size.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size, 16)
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "bad chunk size"))?;
        if size == 0 {
            while !read_line(stream, buffer).await?.is_empty() {}
            return Ok(body);
        }
        if body.len() + size > MAX_BODY {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "request body too large",
            ));
        }
        fill(stream, buffer, size + 2).await?;
        body.extend_from_slice(&buffer[..size]);
        buffer.drain(..size + 2);
    }
}

/// The status line and headers of `canned`, with the given Content-Length (none when
/// `None`).
fn head_bytes(canned: &Canned, content_length: Option<String>, keep_alive: bool) -> Vec<u8> {
    let reason = hyper::StatusCode::from_u16(canned.status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("");
    let mut head = format!("HTTP/1.1 {} {reason}\r\n", canned.status);
    for (name, value) in &canned.headers {
        if !name.eq_ignore_ascii_case("content-length") {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    if let Some(length) = content_length {
        head.push_str(&format!("Content-Length: {length}\r\n"));
    }
    if !keep_alive {
        head.push_str("Connection: close\r\n");
    }
    head.push_str("\r\n");
    head.into_bytes()
}

/// Writes a whole answer. An answer to HEAD keeps the emulator's Content-Length (the object's
/// size) and has no body; 1xx, 204 and 304 have neither.
async fn write_canned(
    stream: &mut TcpStream,
    canned: &Canned,
    head: bool,
    keep_alive: bool,
) -> io::Result<()> {
    let no_body = head || canned.status < 200 || canned.status == 204 || canned.status == 304;
    let content_length = if head {
        Some(
            header(&canned.headers, "content-length")
                .map(str::to_owned)
                .unwrap_or_else(|| canned.body.len().to_string()),
        )
    } else if no_body {
        None
    } else {
        Some(canned.body.len().to_string())
    };
    let mut bytes = head_bytes(canned, content_length, keep_alive);
    if !no_body {
        bytes.extend_from_slice(&canned.body);
    }
    stream.write_all(&bytes).await?;
    stream.flush().await
}

/// Writes the head with the full Content-Length and the first half of the body.
async fn write_truncated(stream: &mut TcpStream, canned: &Canned) -> io::Result<()> {
    let mut bytes = head_bytes(canned, Some(canned.body.len().to_string()), false);
    bytes.extend_from_slice(&canned.body[..canned.body.len() / 2]);
    stream.write_all(&bytes).await?;
    stream.flush().await
}
