//! The least-privilege policies of `poolctl users` (infra/iam/users-*-policy.json) against
//! the calls each command makes. No emulator: a missing action would fail on AWS with
//! AccessDenied part-way through a run; an extra one is privilege nobody needs.

use std::collections::BTreeSet;

use e2e::repo_root;
use serde_json::Value;

/// Every `call("cognito-idp:Operation", ...)` in these files of the users crate.
fn calls_in(files: &[&str]) -> BTreeSet<String> {
    let mut calls = BTreeSet::new();
    for file in files {
        let path = repo_root().join("crates/users/src").join(file);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
        for piece in text.split(".call(").skip(1) {
            // rustfmt may put the operation on the next line.
            if let Some(quoted) = piece.trim_start().strip_prefix('"') {
                calls.insert(quoted.split('"').next().unwrap().to_owned());
            }
        }
    }
    calls
}

fn policy(command: &str) -> Value {
    let path = repo_root().join(format!("infra/iam/users-{command}-policy.json"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn actions_and_resources(policy: &Value) -> (BTreeSet<String>, Vec<String>) {
    let mut actions = BTreeSet::new();
    let mut resources = Vec::new();
    for statement in policy["Statement"].as_array().unwrap() {
        assert_eq!(statement["Effect"], "Allow");
        for action in statement["Action"].as_array().unwrap() {
            actions.insert(action.as_str().unwrap().to_owned());
        }
        resources.push(statement["Resource"].as_str().unwrap().to_owned());
    }
    (actions, resources)
}

#[test]
fn each_command_is_granted_exactly_the_calls_it_makes_on_one_pool() {
    // The files whose calls each command reaches (audit: the pool and the scan).
    let commands: [(&str, &[&str]); 3] = [
        ("audit", &["pool.rs", "scan.rs", "audit.rs"]),
        ("verify", &["pool.rs", "scan.rs", "audit.rs", "verify.rs"]),
        ("create", &["pool.rs", "create.rs"]),
    ];
    for (command, files) in commands {
        let mut expected = calls_in(files);
        assert!(
            !expected.is_empty(),
            "{command}: no calls found in {files:?}"
        );
        // `--stack` reads the pool id from the stack's outputs.
        expected.insert("cloudformation:DescribeStacks".to_owned());
        let (actions, resources) = actions_and_resources(&policy(command));
        assert_eq!(actions, expected, "users {command}");
        for resource in resources {
            assert!(
                resource.ends_with(":userpool/POOL_ID") || resource.contains(":stack/STACK_NAME/"),
                "users {command}: {resource} is not scoped to one pool or stack"
            );
        }
    }
}
