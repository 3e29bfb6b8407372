//! A fault-injection proxy for the local AWS emulator: it sits on loopback between an AWS SDK
//! client (poolctl, the tests' SDK clients) and ministack, tells each request's service and
//! operation, and answers some of them with what real AWS sometimes does and ministack never
//! does: throttling in each service's own error shape, 500s and 503s, latency, connections
//! reset before or after the request reached the service, truncated bodies, and request-rate
//! quotas (Cognito's per-category rates), and CloudFormation's settle times ([`settle`]).
//!
//! ```no_run
//! use e2e::faultproxy::{Fault, FaultPlan, FaultProxy, Quotas, Rule};
//!
//! let proxy = FaultProxy::start("http://127.0.0.1:4566", FaultPlan::none()).unwrap();
//! // ... point AWS_ENDPOINT_URL at proxy.endpoint(), deploy cleanly, then start a storm:
//! proxy.set_plan(
//!     FaultPlan::seeded(42)
//!         .rule(Rule::new("cloudformation", "Describe*", Fault::Throttle).probability(0.3))
//!         .rule(Rule::new("cognito-idp", "AdminCreateUser", Fault::ResetAfterForward).nth(2))
//!         .quotas(Quotas::aws_defaults()),
//! );
//! let stats = proxy.stats();
//! println!("{} throttled", stats.op("cloudformation", "DescribeStacks").fault("Throttle"));
//! ```
//!
//! Decisions are deterministic for a seed (see [`plan`]); the proxy's clock only matters for
//! time-window rules, latency and quotas. `/_ministack/*` requests pass through untouched and
//! uncounted; `GET /_faultproxy/stats` serves [`Stats`] as JSON.

pub mod classify;
pub mod plan;
pub mod quota;
mod server;
pub mod settle;
pub mod stats;
pub mod wire;

use std::io;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Instant;

use hyper_util::rt::TokioExecutor;

pub use classify::{classify, Protocol, RequestInfo, Resource};
pub use plan::{Decision, Fault, FaultPlan, Outcome, Rule, When};
pub use quota::{Limit, Quotas};
pub use settle::Settle;
pub use stats::{CategoryStats, OpStats, Stats};

use plan::Engine;
use server::Shared;

/// A running proxy, on its own thread and tokio runtime (so sync and async tests can both use
/// it). Stops on drop; open connections are cut.
pub struct FaultProxy {
    addr: SocketAddr,
    endpoint: String,
    shared: Arc<Shared>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl FaultProxy {
    /// Starts a proxy to `upstream` (e.g. `http://127.0.0.1:4566`) on a free loopback port.
    pub fn start(upstream: &str, plan: FaultPlan) -> io::Result<FaultProxy> {
        FaultProxy::start_on(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)), upstream, plan)
    }

    /// Starts a proxy on `listen`, which must be a loopback address.
    pub fn start_on(listen: SocketAddr, upstream: &str, plan: FaultPlan) -> io::Result<FaultProxy> {
        if !listen.ip().is_loopback() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("the proxy listens on loopback only, not {listen}"),
            ));
        }
        let upstream = upstream.trim_end_matches('/').to_owned();
        if !upstream.starts_with("http://") {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("the upstream must be an http:// URL, not {upstream:?}"),
            ));
        }
        let listener = TcpListener::bind(listen)?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("faultproxy")
            .enable_all()
            .build()?;
        let client = {
            let _guard = runtime.enter();
            hyper_util::client::legacy::Client::builder(TokioExecutor::new()).build_http()
        };
        let shared = Arc::new(Shared {
            engine: Mutex::new(Engine::new(plan, Instant::now())),
            upstream,
            client,
            sequence: AtomicU64::new(0),
            log: AtomicBool::new(false),
            plan_changed: tokio::sync::Notify::new(),
        });
        let (shutdown, mut stop) = tokio::sync::oneshot::channel::<()>();
        let accept_shared = Arc::clone(&shared);
        let listener = {
            let _guard = runtime.enter();
            tokio::net::TcpListener::from_std(listener)?
        };
        let thread = std::thread::Builder::new()
            .name("faultproxy-accept".to_owned())
            .spawn(move || {
                runtime.block_on(async move {
                    loop {
                        tokio::select! {
                            _ = &mut stop => break,
                            accepted = listener.accept() => {
                                if let Ok((stream, _)) = accepted {
                                    tokio::spawn(server::serve_connection(
                                        stream,
                                        Arc::clone(&accept_shared),
                                    ));
                                }
                            }
                        }
                    }
                });
                // Dropping the runtime here cancels every connection task.
                drop(runtime);
            })?;
        Ok(FaultProxy {
            addr,
            endpoint: format!("http://{addr}"),
            shared,
            shutdown: Some(shutdown),
            thread: Some(thread),
        })
    }

    /// The base URL for `AWS_ENDPOINT_URL`, e.g. `http://127.0.0.1:41235`.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Replaces the plan: rule counters, the schedule clock and quota buckets start afresh;
    /// statistics are kept. Requests held by [`Fault::Hold`] go through.
    pub fn set_plan(&self, plan: FaultPlan) {
        self.shared
            .engine
            .lock()
            .expect("engine lock")
            .set_plan(plan, Instant::now());
        self.shared.plan_changed.notify_waiters();
    }

    /// Writes one line per decided request to stderr (method, target, service:Operation, what
    /// the proxy did), or stops.
    pub fn set_logging(&self, on: bool) {
        self.shared.log.store(on, Ordering::Relaxed);
    }

    /// What the proxy has passed, faulted and throttled so far.
    pub fn stats(&self) -> Stats {
        self.shared
            .engine
            .lock()
            .expect("engine lock")
            .stats
            .clone()
    }

    /// Zeroes the statistics and forgets the decisions.
    pub fn reset_stats(&self) {
        let mut engine = self.shared.engine.lock().expect("engine lock");
        engine.stats = Stats::default();
        engine.decisions.clear();
    }

    /// Every decision so far, in order (the most recent 100 000 at most).
    pub fn decisions(&self) -> Vec<Decision> {
        self.shared
            .engine
            .lock()
            .expect("engine lock")
            .decisions
            .clone()
    }

    /// Blocks until the proxy stops (it does not on its own: for the binary).
    pub fn wait(mut self) {
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
