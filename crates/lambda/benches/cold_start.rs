//! Cold start of the real bootstrap, from process start to its first response, as Lambda
//! runs it: the process is started with the Lambda environment, fetches one event from a
//! local Runtime API, and the clock stops when its response arrives.
//!
//! Measures the bootstrap in `POOLCTL_TRIGGER_ZIP` when set (the packaged `lambda` profile build, as
//! `just bench-trigger` does), else the bench-profile build cargo makes for this bench.

// A bench: it names the binary it measures.
#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "../tests/support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use support::fixture;
use support::runtime_api::{bootstrap_path, spawn_bootstrap, FakeRuntimeApi, Posted};

fn cold_start(c: &mut Criterion) {
    let event = fixture("signup_agent");
    let policy = fixture("policy_standard");
    eprintln!("bootstrap: {}", bootstrap_path().display());
    let mut group = c.benchmark_group("cold_start");
    group
        .sample_size(30)
        .measurement_time(Duration::from_secs(10));
    group.bench_function("process_start_to_first_response", |b| {
        b.iter_custom(|iterations| {
            let mut total = Duration::ZERO;
            for _ in 0..iterations {
                let api = FakeRuntimeApi::start(vec![event.clone()]);
                let started = Instant::now();
                let mut child = spawn_bootstrap(api.addr, Some(&policy));
                loop {
                    match api.posted.recv_timeout(Duration::from_secs(30)) {
                        Ok(Posted::Response { .. }) => break,
                        Ok(Posted::Next) => continue,
                        other => panic!("unexpected {other:?}"),
                    }
                }
                total += started.elapsed();
                let _ = child.kill();
                let _ = child.wait();
            }
            total
        });
    });
    group.finish();
}

criterion_group!(benches, cold_start);
criterion_main!(benches);
