//! A policy decision: `decide` on an event already parsed, and the whole in-process path of
//! an invocation (parse the JSON Cognito sends, decide, serialize the reply).

#[path = "../tests/support/mod.rs"]
mod support;

use criterion::{criterion_group, criterion_main, Criterion};
use serde_json::Value;
use std::hint::black_box;
use support::fixture;
use trigger::{decide, respond, CompiledPolicy, SignUpEvent};

fn benches(c: &mut Criterion) {
    let policy = CompiledPolicy::from_json(&fixture("policy_standard")).unwrap();
    for name in [
        "signup_agent",
        "signup_self_service",
        "signup_denied_domain",
        "external_google_verified",
        "admin_create_user",
    ] {
        let text = fixture(name);
        let event: Value = serde_json::from_str(&text).unwrap();
        let view = SignUpEvent::from_json(&event);
        c.bench_function(&format!("decide/{name}"), |b| {
            b.iter(|| black_box(decide(black_box(&policy), black_box(&view)).is_ok()));
        });
        c.bench_function(&format!("parse_decide_reply/{name}"), |b| {
            b.iter(|| {
                let event: Value = serde_json::from_str(black_box(&text)).unwrap();
                let reply =
                    respond(&policy, event, |_, _| {}).map(|r| serde_json::to_vec(&r).unwrap());
                black_box(reply.is_ok())
            });
        });
    }
}

criterion_group!(decision, benches);
criterion_main!(decision);
