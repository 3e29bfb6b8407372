//! The least-privilege policies of `poolctl import`, `poolctl adopt` and `poolctl explain
//! --stack` with no spec (infra/iam/{import,adopt,explain-stack}-policy.json) against the calls
//! they make. No emulator: a missing
//! action fails on AWS with AccessDenied; an extra one is privilege nobody needs.

use std::collections::BTreeSet;

use e2e::repo_root;
use serde_json::Value;

/// Every `"<service>:<Operation>"` string literal in `file` (how both crates name the calls
/// they report errors for).
fn operations(file: &str, service: &str) -> BTreeSet<String> {
    let text =
        std::fs::read_to_string(repo_root().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    text.split('"')
        .skip(1)
        .step_by(2)
        .filter(|s| {
            s.strip_prefix(service)
                .and_then(|s| s.strip_prefix(':'))
                .is_some_and(|op| !op.is_empty() && op.chars().all(|c| c.is_ascii_alphanumeric()))
        })
        .map(str::to_owned)
        .collect()
}

fn actions(command: &str, service: &str) -> BTreeSet<String> {
    let path = repo_root().join(format!("infra/iam/{command}-policy.json"));
    let policy: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut actions = BTreeSet::new();
    for statement in policy["Statement"].as_array().unwrap() {
        assert_eq!(statement["Effect"], "Allow");
        let resource = statement["Resource"].as_str().unwrap();
        for action in statement["Action"].as_array().unwrap() {
            let action = action.as_str().unwrap();
            assert!(!action.contains('*'), "{command}: wildcard action {action}");
            if action == "cognito-idp:DescribeUserPoolDomain" {
                assert_eq!(resource, "*", "DescribeUserPoolDomain takes no pool ARN");
            } else if action.starts_with("cognito-idp:") {
                assert!(
                    resource.ends_with(":userpool/POOL_ID"),
                    "{command}: {action} on {resource}"
                );
            } else {
                assert!(
                    resource.contains(":stack/STACK_NAME/"),
                    "{command}: {action} on {resource}"
                );
            }
            if action.starts_with(service) {
                actions.insert(action.to_owned());
            }
        }
    }
    actions
}

#[test]
fn import_and_adopt_are_granted_exactly_the_cognito_reads_they_make() {
    let mut reads = operations("crates/import/src/live.rs", "cognito-idp");
    // The app-client paginator is the AWS context's, shared with `explain --prove`.
    reads.extend(operations("crates/aws/src/cognito.rs", "cognito-idp"));
    assert!(reads.contains("cognito-idp:DescribeUserPool"), "{reads:?}");
    assert_eq!(actions("import", "cognito-idp"), reads);
    assert_eq!(actions("adopt", "cognito-idp"), reads);
    assert_eq!(actions("explain-stack", "cognito-idp"), reads);
    assert!(actions("import", "cloudformation").is_empty());
}

#[test]
fn explain_of_a_stack_is_granted_its_lookup_and_template_read() {
    // import::stack_spec: the stack's pool (Aws::user_pool_id) and its template.
    let source = std::fs::read_to_string(repo_root().join("crates/import/src/stack.rs")).unwrap();
    assert!(
        source.contains(".user_pool_id(stack)") && source.contains(".deployed_template(stack)")
    );
    let mut stack_calls = operations("crates/deploy/src/stack.rs", "cloudformation");
    stack_calls.extend(operations("crates/aws/src/stack.rs", "cloudformation"));
    let expected: BTreeSet<String> = [
        "cloudformation:DescribeStacks",
        "cloudformation:GetTemplate",
    ]
    .map(str::to_owned)
    .into();
    assert!(expected.is_subset(&stack_calls), "{stack_calls:?}");
    assert_eq!(actions("explain-stack", "cloudformation"), expected);
}

#[test]
fn adopt_is_granted_the_change_set_calls_of_an_import() {
    let mut calls = BTreeSet::new();
    for file in ["crates/deploy/src/import.rs", "crates/deploy/src/plan.rs"] {
        calls.extend(operations(file, "cloudformation"));
    }
    // Watching the operation (stack.rs, events.rs).
    calls.insert("cloudformation:DescribeStacks".to_owned());
    calls.insert("cloudformation:DescribeStackEvents".to_owned());
    assert!(
        calls.contains("cloudformation:CreateChangeSet"),
        "{calls:?}"
    );
    assert_eq!(actions("adopt", "cloudformation"), calls);
}
