//! The CI role's policy (infra/iam) against what the code calls, and the workflow against the
//! role. No emulator: these are documents, checked for what would break a real deploy.

use std::collections::BTreeSet;
use std::path::Path;

use e2e::repo_root;
use serde_json::Value;

fn document(path: &str) -> Value {
    let text =
        std::fs::read_to_string(repo_root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path} is not JSON: {e}"))
}

fn strings(value: &Value) -> Vec<String> {
    match value {
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    }
}

/// (action, resources, statement) for every allowed action.
fn grants(policy: &Value) -> Vec<(String, Vec<String>, Value)> {
    let mut out = Vec::new();
    for statement in policy["Statement"].as_array().expect("Statement array") {
        assert_eq!(statement["Effect"], "Allow", "{statement}");
        for action in strings(&statement["Action"]) {
            out.push((action, strings(&statement["Resource"]), statement.clone()));
        }
    }
    out
}

/// Every `DeployError::aws("service:Operation", ...)` in the crates that call AWS for review
/// pools (the deploy driver and review pools), and the account lookup of the AWS context
/// (`AwsError::from_sdk("sts:GetCallerIdentity", ...)`): the calls poolctl makes.
fn calls_in_deploy_crate() -> BTreeSet<String> {
    let mut calls = BTreeSet::new();
    let mut pending = vec![
        repo_root().join("crates/deploy/src"),
        repo_root().join("crates/review/src"),
    ];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                collect_calls(&path, &mut calls);
            }
        }
    }
    collect_calls(&repo_root().join("crates/aws/src/context.rs"), &mut calls);
    calls
}

fn collect_calls(path: &Path, calls: &mut BTreeSet<String>) {
    let text = std::fs::read_to_string(path).unwrap();
    for opener in ["aws(\"", "from_sdk(\""] {
        for piece in text.split(opener).skip(1) {
            if let Some(call) = piece.split('"').next() {
                if call.contains(':') && !call.contains(' ') {
                    calls.insert(call.to_owned());
                }
            }
        }
    }
}

/// The IAM action that authorises an API operation, where the names differ.
fn iam_action(call: &str) -> Option<&str> {
    Some(match call {
        "sts:GetCallerIdentity" => return None, // needs no permission
        "s3:HeadObject" => "s3:GetObject",
        "s3:HeadBucket" | "s3:ListObjectsV2" => "s3:ListBucket",
        "s3:DeleteObjects" => "s3:DeleteObject",
        "s3:PutBucketEncryption" => "s3:PutEncryptionConfiguration",
        "s3:PutBucketLifecycleConfiguration" => "s3:PutLifecycleConfiguration",
        "s3:PutPublicAccessBlock" => "s3:PutBucketPublicAccessBlock",
        other => other,
    })
}

#[test]
fn the_policy_allows_every_call_poolctl_makes() {
    let policy = document("infra/iam/review-ci-policy.json");
    let allowed: BTreeSet<String> = grants(&policy)
        .into_iter()
        .map(|(action, _, _)| action)
        .collect();
    let calls = calls_in_deploy_crate();
    assert!(
        calls.contains("cloudformation:CreateChangeSet")
            && calls.contains("s3:PutObject")
            && calls.contains("s3:DeleteObjects"),
        "{calls:?}"
    );
    for call in &calls {
        if let Some(action) = iam_action(call) {
            assert!(
                allowed.contains(action),
                "{call} needs {action}, which review-ci-policy.json does not allow"
            );
        }
    }
    // What CloudFormation does for the review template on the caller's behalf.
    for action in [
        "cognito-idp:CreateUserPool",
        "cognito-idp:DeleteUserPool",
        "cognito-idp:CreateUserPoolClient",
        "cognito-idp:CreateUserPoolDomain",
        "lambda:CreateFunction",
        "lambda:AddPermission",
        "iam:CreateRole",
        "iam:PutRolePolicy",
        "iam:PassRole",
        "logs:CreateLogGroup",
        "logs:PutRetentionPolicy",
    ] {
        assert!(allowed.contains(action), "{action} missing");
    }
}

#[test]
fn the_policy_is_scoped_to_review_resources() {
    let policy = document("infra/iam/review-ci-policy.json");
    // Only these cannot name a resource (listing stacks; a pool that does not exist yet;
    // domains, which are not resources).
    let unscopable = [
        "cloudformation:DescribeStacks",
        "cognito-idp:CreateUserPool",
        "cognito-idp:DescribeUserPoolDomain",
    ];
    for (action, resources, statement) in grants(&policy) {
        assert!(!action.contains('*'), "wildcard action {action}");
        assert!(!resources.is_empty(), "{action} has no Resource");
        for resource in &resources {
            if resource == "*" {
                assert!(unscopable.contains(&action.as_str()), "{action} on *");
                continue;
            }
            assert!(
                resource.contains("ACCOUNT_ID") || resource.starts_with("arn:aws:s3:::"),
                "{resource}"
            );
            let service = action.split(':').next().unwrap();
            let expected = match service {
                "cloudformation" => vec![":stack/poolctl-review-", ":changeSet/poolctl-"],
                "lambda" => vec![":function:poolctl-review-"],
                "iam" => vec![":role/poolctl-review-"],
                "logs" if action == "logs:DescribeLogGroups" => vec![":log-group:*"],
                "logs" => vec![":log-group:/aws/lambda/poolctl-review-"],
                "s3" if resource.contains('/') => vec!["poolctl-artifacts-ACCOUNT_ID-*/review/"],
                "s3" => vec!["poolctl-artifacts-ACCOUNT_ID-"],
                "cognito-idp" => vec![":userpool/"],
                other => panic!("unexpected service {other}"),
            };
            assert!(
                expected.iter().any(|e| resource.contains(e)),
                "{action} on {resource}"
            );
        }
        if action.starts_with("cognito-idp:") && !resources.contains(&"*".to_owned()) {
            assert_eq!(
                statement["Condition"]["StringEquals"]["aws:ResourceTag/poolctl:kind"], "review",
                "{action}"
            );
        }
        if action == "iam:PassRole" {
            assert_eq!(
                statement["Condition"]["StringEquals"]["iam:PassedToService"],
                "lambda.amazonaws.com"
            );
        }
    }
}

#[test]
fn the_trust_policy_admits_github_oidc_for_this_repository_only() {
    let trust = document("infra/iam/review-ci-trust.json");
    let statements = trust["Statement"].as_array().unwrap();
    assert_eq!(statements.len(), 1);
    let statement = &statements[0];
    assert_eq!(statement["Action"], "sts:AssumeRoleWithWebIdentity");
    assert!(statement["Principal"]["Federated"]
        .as_str()
        .unwrap()
        .ends_with(":oidc-provider/token.actions.githubusercontent.com"));
    assert_eq!(
        statement["Condition"]["StringEquals"]["token.actions.githubusercontent.com:aud"],
        "sts.amazonaws.com"
    );
    let subjects =
        strings(&statement["Condition"]["StringLike"]["token.actions.githubusercontent.com:sub"]);
    assert!(
        !subjects.is_empty() && subjects.iter().all(|s| s.starts_with("repo:OWNER/REPO:")),
        "{subjects:?}"
    );
}

#[test]
fn the_workflow_runs_each_command_through_the_role() {
    let workflow =
        std::fs::read_to_string(repo_root().join(".github/workflows/review-pools.yml")).unwrap();
    for needle in [
        "id-token: write",
        "aws-actions/configure-aws-credentials",
        "role-to-assume:",
        "poolctl review up",
        "--id \"pr-${{ github.event.number }}\"",
        "--outputs-file",
        "review down --id",
        "review gc",
        "schedule:",
        "cancel-in-progress: false",
    ] {
        assert!(workflow.contains(needle), "the workflow lacks {needle:?}");
    }
    assert!(
        !workflow.contains("aws-access-key-id"),
        "the workflow must not use stored keys"
    );
}
