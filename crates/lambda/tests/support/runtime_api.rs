//! A minimal Lambda Runtime API (the HTTP interface the Lambda service offers a `provided`
//! runtime) on 127.0.0.1, to run the real `bootstrap` as Lambda would: it hands out queued
//! events at `/runtime/invocation/next` and captures what the function posts back.
//!
//! Shared by the end-to-end test and the cold-start benchmark.

#![allow(dead_code)]

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread;

/// What the function posted for one invocation.
#[derive(Debug, Clone)]
pub enum Posted {
    /// `/runtime/invocation/{id}/response`
    Response { request_id: String, body: String },
    /// `/runtime/invocation/{id}/error`
    Error { request_id: String, body: String },
    /// `/runtime/init/error`
    InitError { body: String },
    /// The function asked for an event (recorded so a test can tell it started polling).
    Next,
}

pub struct FakeRuntimeApi {
    pub addr: SocketAddr,
    pub posted: Receiver<Posted>,
    stopped: Arc<AtomicBool>,
}

impl FakeRuntimeApi {
    /// Serves `events` in order, each under request id `req-<n>`; once they are used up, a
    /// request for the next event waits for ever (as Lambda does between invocations).
    pub fn start(events: Vec<String>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local addr");
        let events: VecDeque<(String, String)> = events
            .into_iter()
            .enumerate()
            .map(|(n, event)| (format!("req-{n}"), event))
            .collect();
        let queue = Arc::new(Mutex::new(events));
        let (tx, posted) = mpsc::channel();
        let stopped = Arc::new(AtomicBool::new(false));
        let stop = stopped.clone();
        thread::spawn(move || {
            for stream in listener.incoming() {
                if stop.load(Ordering::SeqCst) {
                    return;
                }
                let Ok(stream) = stream else { return };
                let queue = queue.clone();
                let tx = tx.clone();
                thread::spawn(move || serve_connection(stream, &queue, &tx));
            }
        });
        FakeRuntimeApi {
            addr,
            posted,
            stopped,
        }
    }
}

impl Drop for FakeRuntimeApi {
    /// Ends the accept loop (woken by one last connection), so that a benchmark starting a
    /// server per iteration leaves no threads behind.
    fn drop(&mut self) {
        self.stopped.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr);
    }
}

struct Request {
    method: String,
    path: String,
    body: Vec<u8>,
}

fn read_request(reader: &mut BufReader<TcpStream>) -> Option<Request> {
    let mut line = String::new();
    if reader.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let path = parts.next()?.to_string();
    let mut content_length = 0usize;
    let mut chunked = false;
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).ok()?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':')?;
        let value = value.trim();
        if name.eq_ignore_ascii_case("content-length") {
            content_length = value.parse().ok()?;
        } else if name.eq_ignore_ascii_case("transfer-encoding")
            && value.eq_ignore_ascii_case("chunked")
        {
            chunked = true;
        }
    }
    let mut body = Vec::new();
    if chunked {
        loop {
            let mut size = String::new();
            reader.read_line(&mut size).ok()?;
            let size = usize::from_str_radix(size.trim().split(';').next()?, 16).ok()?;
            let mut chunk = vec![0; size + 2];
            reader.read_exact(&mut chunk).ok()?;
            if size == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..size]);
        }
    } else {
        body.resize(content_length, 0);
        reader.read_exact(&mut body).ok()?;
    }
    Some(Request { method, path, body })
}

fn serve_connection(
    stream: TcpStream,
    queue: &Mutex<VecDeque<(String, String)>>,
    tx: &Sender<Posted>,
) {
    let _ = stream.set_nodelay(true);
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    while let Some(request) = read_request(&mut reader) {
        let path = request.path.trim_start_matches("/2018-06-01");
        let body = String::from_utf8_lossy(&request.body).into_owned();
        let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
        match (request.method.as_str(), segments.as_slice()) {
            ("GET", ["runtime", "invocation", "next"]) => {
                let _ = tx.send(Posted::Next);
                let next = queue.lock().expect("queue").pop_front();
                let Some((request_id, event)) = next else {
                    // No more events: hold the connection open, as Lambda does while idle.
                    let _ = reader.get_mut().read(&mut [0u8; 1]);
                    return;
                };
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                     Lambda-Runtime-Aws-Request-Id: {request_id}\r\n\
                     Lambda-Runtime-Deadline-Ms: 32503680000000\r\n\
                     Lambda-Runtime-Invoked-Function-Arn: arn:aws:lambda:eu-west-1:000000000000:function:pre-sign-up\r\n\
                     Lambda-Runtime-Trace-Id: Root=1-00000000-000000000000000000000000\r\n\
                     Content-Length: {}\r\n\r\n",
                    event.len()
                );
                if writer
                    .write_all(head.as_bytes())
                    .and_then(|_| writer.write_all(event.as_bytes()))
                    .is_err()
                {
                    return;
                }
            }
            ("POST", ["runtime", "invocation", request_id, kind]) => {
                let request_id = request_id.to_string();
                let posted = match *kind {
                    "response" => Posted::Response { request_id, body },
                    _ => Posted::Error { request_id, body },
                };
                if accept(&mut writer).is_err() {
                    return;
                }
                let _ = tx.send(posted);
            }
            ("POST", ["runtime", "init", "error"]) => {
                if accept(&mut writer).is_err() {
                    return;
                }
                let _ = tx.send(Posted::InitError { body });
            }
            _ => {
                let _ = writer.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
            }
        }
    }
}

fn accept(writer: &mut TcpStream) -> std::io::Result<()> {
    writer.write_all(b"HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\nContent-Length: 16\r\n\r\n{\"status\":\"OK\"}\n")
}

/// The bootstrap under test: the one inside the zip `POOLCTL_TRIGGER_ZIP` (the artifact Lambda gets,
/// unpacked with the mode the zip gives it), else the binary cargo built for this test run.
pub fn bootstrap_path() -> PathBuf {
    static UNPACKED: OnceLock<PathBuf> = OnceLock::new();
    if let Some(zip) = std::env::var_os("POOLCTL_TRIGGER_ZIP") {
        return UNPACKED
            .get_or_init(|| unpack_bootstrap(Path::new(&zip)))
            .clone();
    }
    PathBuf::from(env!("CARGO_BIN_EXE_bootstrap"))
}

/// Unpacks `bootstrap` from the zip into a fresh directory, as Lambda unpacks a function.
fn unpack_bootstrap(zip_path: &Path) -> PathBuf {
    let file = std::fs::File::open(zip_path)
        .unwrap_or_else(|e| panic!("POOLCTL_TRIGGER_ZIP={}: {e}", zip_path.display()));
    let mut archive = zip::ZipArchive::new(file).expect("POOLCTL_TRIGGER_ZIP is not a zip");
    let mut entry = archive
        .by_name("bootstrap")
        .expect("no bootstrap in POOLCTL_TRIGGER_ZIP");
    let mode = entry
        .unix_mode()
        .expect("bootstrap has no unix mode in the zip");
    let dir = std::env::temp_dir().join(format!("poolctl-trigger-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("bootstrap");
    let mut out = std::fs::File::create(&path).expect("create bootstrap");
    std::io::copy(&mut entry, &mut out).expect("unpack bootstrap");
    drop(out);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).expect("chmod");
    path
}

/// Starts the bootstrap with the environment Lambda gives a function, and nothing else.
pub fn spawn_bootstrap(api: SocketAddr, policy: Option<&str>) -> Child {
    spawn_bootstrap_with(api, policy, None)
}

/// [`spawn_bootstrap`] with the providers the function decides for as the inbound federation
/// trigger, as the template passes them when the pool wires inbound federation to it.
pub fn spawn_bootstrap_with(
    api: SocketAddr,
    policy: Option<&str>,
    decided_providers: Option<&str>,
) -> Child {
    let mut command = Command::new(bootstrap_path());
    command
        .env_clear()
        .env("AWS_LAMBDA_RUNTIME_API", api.to_string())
        .env("AWS_LAMBDA_FUNCTION_NAME", "pre-sign-up")
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .env("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/pre-sign-up")
        .env("AWS_LAMBDA_LOG_STREAM_NAME", "local")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(policy) = policy {
        command.env(policy::POLICY_ENV, policy);
    }
    if let Some(providers) = decided_providers {
        command.env(policy::DECIDED_PROVIDERS_ENV, providers);
    }
    command.spawn().expect("start the bootstrap")
}
