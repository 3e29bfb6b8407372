//! The emulator process: a private ministack (the local AWS, see TESTBED.md) on a free
//! loopback port, with its own state and temp directories, stopped with everything it started
//! when dropped or when the test process dies.

use std::fs::{self, File};
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::faultproxy::{FaultPlan, FaultProxy};
use crate::{repo_root, target_dir};

pub const REGION: &str = "us-east-1";
pub const ACCOUNT_ID: &str = "000000000000";

/// How long the emulator may take to answer its health check (it is ready in under a second).
const READY_TIMEOUT: Duration = Duration::from_secs(30);
const READY_POLL: Duration = Duration::from_millis(20);
/// A port picked as free can be taken by someone else before ministack binds it; try again.
const START_ATTEMPTS: u32 = 5;

/// Variables that would point the SDK or the CLI at a real account or a developer's profile.
pub const UNSET_VARS: &[&str] = &[
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_ENDPOINT_URL_CLOUDFORMATION",
    "AWS_ENDPOINT_URL_S3",
    "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER",
    "AWS_ENDPOINT_URL_LAMBDA",
    "AWS_ENDPOINT_URL_IAM",
    "AWS_ENDPOINT_URL_STS",
];

/// A running ministack, stopped (with everything it started) on drop.
pub struct Emulator {
    child: Child,
    /// Held open so the wrapper notices when this process dies without dropping us.
    _lifeline: ChildStdin,
    port: u16,
    /// What clients are given: the emulator itself, or the fault proxy in front of it.
    endpoint: String,
    /// The emulator's own endpoint.
    direct_endpoint: String,
    proxy: Option<FaultProxy>,
    work_dir: PathBuf,
    log_path: PathBuf,
}

impl Emulator {
    /// Starts ministack on a free loopback port and waits until it answers, CloudFormation
    /// included. Panics with the log tail if it cannot.
    pub fn start() -> Emulator {
        let ministack = repo_root().join(".venv").join("bin").join("ministack");
        assert!(
            ministack.is_file(),
            "{} is missing: run `just setup` to install the local AWS emulator",
            ministack.display()
        );
        let mut last_error = String::new();
        for _ in 0..START_ATTEMPTS {
            match Self::try_start(&ministack) {
                Ok(emulator) => return emulator,
                Err(error) => last_error = error,
            }
        }
        panic!("ministack did not start after {START_ATTEMPTS} attempts: {last_error}");
    }

    /// Starts ministack as [`start`](Emulator::start) does, with a fault-injection proxy in
    /// front of it following `plan`: [`endpoint`](Emulator::endpoint) and [`env`](Emulator::env)
    /// then point at the proxy, so poolctl and the SDK helpers go through it.
    /// [`faults`](Emulator::faults) changes the plan and reads the counts.
    pub fn start_with(plan: FaultPlan) -> Emulator {
        let mut emulator = Emulator::start();
        let proxy = FaultProxy::start(&emulator.direct_endpoint, plan)
            .unwrap_or_else(|e| panic!("start the fault proxy: {e}"));
        emulator.endpoint = proxy.endpoint().to_owned();
        emulator.proxy = Some(proxy);
        emulator
    }

    /// The fault proxy of an emulator started with [`start_with`](Emulator::start_with).
    #[track_caller]
    pub fn faults(&self) -> &FaultProxy {
        self.proxy
            .as_ref()
            .expect("this emulator has no fault proxy: start it with Emulator::start_with")
    }

    /// One emulator for the whole test binary, started on first use. Tests that share it must
    /// use [`unique_name`](crate::unique_name)s. It is never dropped; the wrapper's lifeline stops it when the
    /// test process exits.
    pub fn shared() -> &'static Emulator {
        static SHARED: OnceLock<Emulator> = OnceLock::new();
        SHARED.get_or_init(Emulator::start)
    }

    fn try_start(ministack: &Path) -> Result<Emulator, String> {
        static INSTANCES: AtomicU32 = AtomicU32::new(0);
        let port = free_port();
        let instance = format!(
            "light-e2e-{}-{}",
            std::process::id(),
            INSTANCES.fetch_add(1, Ordering::Relaxed)
        );
        let work_dir = target_dir()
            .join("e2e")
            .join(format!("ministack-{port}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&work_dir);
        let state_dir = work_dir.join("state");
        let tmp_dir = work_dir.join("tmp");
        fs::create_dir_all(&state_dir)
            .map_err(|e| format!("create {}: {e}", state_dir.display()))?;
        fs::create_dir_all(&tmp_dir).map_err(|e| format!("create {}: {e}", tmp_dir.display()))?;
        let log_path = work_dir.join("ministack.log");
        let log = File::create(&log_path).map_err(|e| format!("create log: {e}"))?;
        let log_err = log.try_clone().map_err(|e| format!("clone log: {e}"))?;

        // A bash wrapper leads a process group holding ministack and every function process it
        // starts. Its stdin is a pipe from this process: when this process goes away, even
        // without running destructors (statics, SIGKILL), the read sees EOF and the wrapper
        // kills the group, so no emulator outlives its tests.
        let script = r#"
            "$0" </dev/null &
            emulator=$!
            exec 3<&0
            ( read -r _ <&3; kill -KILL -- -$$ ) &
            wait "$emulator"
        "#;
        let mut child = Command::new("bash")
            .arg("-c")
            .arg(script)
            .arg(ministack)
            .env("BIND_HOST", "127.0.0.1")
            .env("GATEWAY_PORT", port.to_string())
            .env("STATE_DIR", &state_dir)
            .env("PERSIST_STATE", "0")
            .env("TMPDIR", &tmp_dir)
            // Only echoed by the health check: tells our instance from any other server that
            // took the port between free_port() and ministack's bind.
            .env("MINISTACK_EDITION", &instance)
            .env("MINISTACK_REGION", REGION)
            .env("AWS_DEFAULT_REGION", REGION)
            .current_dir(&work_dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::from(log))
            .stderr(Stdio::from(log_err))
            .process_group(0)
            .spawn()
            .map_err(|e| format!("spawn bash for {}: {e}", ministack.display()))?;
        let lifeline = child.stdin.take().expect("stdin is piped");
        let endpoint = format!("http://127.0.0.1:{port}");
        let mut emulator = Emulator {
            child,
            _lifeline: lifeline,
            port,
            endpoint: endpoint.clone(),
            direct_endpoint: endpoint,
            proxy: None,
            work_dir,
            log_path,
        };
        emulator.wait_ready(&instance)?;
        emulator.warm_up_cloudformation()?;
        Ok(emulator)
    }

    fn wait_ready(&mut self, instance: &str) -> Result<(), String> {
        let deadline = Instant::now() + READY_TIMEOUT;
        let edition = format!("\"edition\": \"{instance}\"");
        loop {
            if !self.is_running() {
                return Err(format!(
                    "ministack exited during start:\n{}",
                    self.log_tail()
                ));
            }
            match http(self.port, "GET", "/_ministack/health", &[], "") {
                Ok((200, body)) if body.contains(&edition) => return Ok(()),
                Ok((status, _)) => {
                    return Err(format!(
                        "port {} answered {status} for another server; retrying elsewhere",
                        self.port
                    ))
                }
                Err(_) => {}
            }
            if Instant::now() >= deadline {
                return Err(format!(
                    "ministack not healthy on port {} within {READY_TIMEOUT:?}:\n{}",
                    self.port,
                    self.log_tail()
                ));
            }
            std::thread::sleep(READY_POLL);
        }
    }

    /// The first CloudFormation request pays for a lazy import (~0.35 s); pay it here.
    fn warm_up_cloudformation(&self) -> Result<(), String> {
        let auth = format!(
            "AWS4-HMAC-SHA256 Credential=test/20260101/{REGION}/cloudformation/aws4_request, \
             SignedHeaders=host, Signature=0"
        );
        let headers = [
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Authorization", auth.as_str()),
        ];
        match http(
            self.port,
            "POST",
            "/",
            &headers,
            "Action=ListStacks&Version=2010-05-15",
        ) {
            Ok((200, body)) if body.contains("ListStacksResponse") => Ok(()),
            Ok((status, body)) => Err(format!("CloudFormation warm-up got {status}: {body}")),
            Err(e) => Err(format!("CloudFormation warm-up failed: {e}")),
        }
    }

    fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Base URL for `AWS_ENDPOINT_URL`, e.g. `http://127.0.0.1:41234`: the fault proxy's when
    /// there is one.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The emulator's own base URL, bypassing any fault proxy.
    pub fn direct_endpoint(&self) -> &str {
        &self.direct_endpoint
    }

    /// The emulator's own port (never the proxy's).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The emulator's output, kept under `target/e2e/` for post-mortems.
    pub fn log_path(&self) -> &Path {
        &self.log_path
    }

    /// The last lines of the emulator's log, for assertion messages.
    pub fn log_tail(&self) -> String {
        log_tail(&self.log_path)
    }

    /// Environment for a process that should talk to this emulator (the AWS CLI or poolctl).
    /// Also remove [`UNSET_VARS`] from that process's environment.
    pub fn env(&self) -> Vec<(String, String)> {
        let missing = self.work_dir.join("no-such-aws-file");
        let missing = missing.to_string_lossy().into_owned();
        [
            ("AWS_ENDPOINT_URL", self.endpoint.as_str()),
            ("AWS_ACCESS_KEY_ID", "test"),
            ("AWS_SECRET_ACCESS_KEY", "test"),
            ("AWS_REGION", REGION),
            ("AWS_DEFAULT_REGION", REGION),
            // Keep a developer's ~/.aws out of the tests.
            ("AWS_CONFIG_FILE", missing.as_str()),
            ("AWS_SHARED_CREDENTIALS_FILE", missing.as_str()),
            ("AWS_EC2_METADATA_DISABLED", "true"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
    }

    /// Forgets every resource (stacks, pools, functions): a clean emulator without a restart.
    pub fn reset(&self) {
        match http(self.port, "POST", "/_ministack/reset", &[], "") {
            Ok((200, _)) => {}
            other => panic!("ministack reset failed: {other:?}\n{}", self.log_tail()),
        }
    }
}

impl Drop for Emulator {
    // kill(2) on the emulator's process group has no safe std equivalent.
    #[allow(unsafe_code)]
    fn drop(&mut self) {
        // The wrapper leads the group (process_group(0)), so its pid is the group id.
        // SAFETY: plain kill(2) on a process group this harness created.
        unsafe {
            libc::kill(-(self.child.id() as libc::pid_t), libc::SIGKILL);
        }
        let _ = self.child.wait();
        // The emulator itself is the wrapper's child: wait until the whole group is gone, so
        // its port and files are free when drop returns.
        let deadline = Instant::now() + Duration::from_secs(5);
        // SAFETY: signal 0 only asks whether any process of the group still exists.
        while unsafe { libc::kill(-(self.child.id() as libc::pid_t), 0) } == 0
            && Instant::now() < deadline
        {
            std::thread::sleep(READY_POLL);
        }
        // Keep the log for post-mortems; drop the state and unpacked function code.
        let _ = fs::remove_dir_all(self.work_dir.join("state"));
        let _ = fs::remove_dir_all(self.work_dir.join("tmp"));
    }
}

/// The last lines of an emulator log.
pub(crate) fn log_tail(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(40)..].join("\n")
}

/// A loopback port that was free a moment ago.
fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .expect("bind a loopback port")
}

/// A minimal HTTP/1.1 exchange, enough for health checks before the SDK is involved.
fn http(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> std::io::Result<(u16, String)> {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(1))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes())?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("not an HTTP response: {response:.200}")))?;
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_owned())
        .unwrap_or_default();
    Ok((status, body))
}
