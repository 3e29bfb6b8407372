//! `poolctl review`: the real binary against a private emulator per test (gc and ls see every
//! review pool in the account, so tests do not share one).

use std::path::PathBuf;
use std::process::Command;

use aws_sdk_cloudformation::types::StackStatus;
use e2e::aws;
use e2e::cli::{expect_code, poolctl, run_on, run_poolctl, trigger_zip_x86_64, Run};
use e2e::emulator::Emulator;
use e2e::{repo_root, scratch_dir, spec_variant};
use serde_json::Value;

/// The clock every test runs at (`--now`), so expiry does not depend on the machine's time.
const NOW: &str = "2026-11-22T10:00:00Z";

fn spec() -> PathBuf {
    repo_root().join("infra/pools/review.yaml")
}

fn up_command(emulator: &Emulator, spec: PathBuf, id: &str, extra: &[&str]) -> Command {
    let mut command = poolctl(emulator);
    command
        .args(["review", "up"])
        .arg(spec)
        // `--id=` so that an empty id or one starting with `-` stays a value.
        .arg(format!("--id={id}"))
        .args(["--arch", "x86_64", "--trigger-zip"])
        .arg(trigger_zip_x86_64())
        .args(["--now", NOW])
        .args(extra);
    command
}

/// `review up` of infra/pools/review.yaml at [`NOW`].
fn up(emulator: &Emulator, id: &str, extra: &[&str]) -> Run {
    run_on(emulator, &mut up_command(emulator, spec(), id, extra))
}

/// `poolctl review ARGS`.
fn review(emulator: &Emulator, args: &[&str]) -> Run {
    let args: Vec<&str> = ["review"].iter().chain(args).copied().collect();
    run_poolctl(emulator, &args)
}

/// `review ls --output json`, as (id, stack) pairs sorted by id.
fn listed(emulator: &Emulator, now: &str) -> Vec<(String, String)> {
    let ls = review(emulator, &["ls", "--output", "json", "--now", now]);
    let rows = expect_code(&ls, 0, "review ls").json();
    let mut pairs: Vec<(String, String)> = rows
        .as_array()
        .expect("an array")
        .iter()
        .map(|row| {
            (
                row["id"].as_str().unwrap().to_owned(),
                row["stack"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    pairs.sort();
    pairs
}

/// Every stack the emulator knows that is not deleted.
async fn stack_names(emulator: &Emulator) -> Vec<String> {
    let stacks = aws::cloudformation(emulator)
        .await
        .describe_stacks()
        .send()
        .await
        .expect("describe stacks");
    let mut names: Vec<String> = stacks
        .stacks()
        .iter()
        .filter(|s| s.stack_status() != Some(&StackStatus::DeleteComplete))
        .map(|s| s.stack_name().unwrap_or_default().to_owned())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn up_ls_up_again_down_and_down_again() {
    let emulator = Emulator::start();
    let outputs_file = scratch_dir("review").join("review-outputs.json");

    // up: created, with what a test job needs on stdout and in the outputs file.
    let outputs_arg = outputs_file.to_str().expect("UTF-8 path");
    let up_7 = up(
        &emulator,
        "pr-7",
        &["--output", "json", "--outputs-file", outputs_arg],
    );
    let created = expect_code(&up_7, 0, "review up pr-7").json();
    assert_eq!(created["action"], "created");
    assert_eq!(created["stack"], "poolctl-review-review-pr-7");
    assert_eq!(created["created_at"], NOW);
    assert_eq!(
        created["expires_at"], "2026-11-25T10:00:00Z",
        "default TTL is 3 days"
    );
    let pool_id = created["user_pool_id"]
        .as_str()
        .expect("user_pool_id")
        .to_owned();
    assert!(
        created["client_ids"]["web"]
            .as_str()
            .is_some_and(|id| !id.is_empty()),
        "{created}"
    );
    assert!(
        created["client_ids"]["agent"]
            .as_str()
            .is_some_and(|id| !id.is_empty()),
        "{created}"
    );
    assert_eq!(
        created["hosted_ui_url"],
        "https://poolctl-review-pr-pr-7.auth.us-east-1.amazoncognito.com"
    );
    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(&outputs_file).expect("outputs file"))
            .unwrap();
    assert_eq!(written, created);

    // The pool can be deleted and the stack carries the review tags.
    let config = aws::sdk_config(&emulator).await;
    let cognito = aws_sdk_cognitoidentityprovider::Client::new(&config);
    let described = cognito
        .describe_user_pool()
        .user_pool_id(&pool_id)
        .send()
        .await
        .expect("describe pool");
    let protection = described
        .user_pool()
        .and_then(|p| p.deletion_protection())
        .map(|p| p.as_str().to_owned());
    assert_eq!(protection.as_deref(), Some("INACTIVE"));
    let cloudformation = aws_sdk_cloudformation::Client::new(&config);
    let stack = cloudformation
        .describe_stacks()
        .stack_name("poolctl-review-review-pr-7")
        .send()
        .await
        .unwrap();
    let tags: Vec<(String, String)> = stack.stacks()[0]
        .tags()
        .iter()
        .map(|t| {
            (
                t.key().unwrap_or_default().to_owned(),
                t.value().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    for expected in [
        ("poolctl:kind", "review"),
        ("poolctl:review-id", "pr-7"),
        ("poolctl:pool", "review"),
        ("poolctl:created-at", NOW),
        ("poolctl:expires-at", "2026-11-25T10:00:00Z"),
    ] {
        assert!(
            tags.contains(&(expected.0.to_owned(), expected.1.to_owned())),
            "{expected:?} not in {tags:?}"
        );
    }

    // ls: the pool, with its age and expiry relative to the clock.
    let ls = review(
        &emulator,
        &["ls", "--output", "json", "--now", "2026-11-23T10:00:00Z"],
    );
    let rows = expect_code(&ls, 0, "review ls --output json").json();
    assert_eq!(rows.as_array().map(Vec::len), Some(1), "{rows}");
    assert_eq!(rows[0]["id"], "pr-7");
    assert_eq!(rows[0]["age_seconds"], 86_400);
    assert_eq!(rows[0]["expired"], false);
    let ls = review(&emulator, &["ls", "--now", "2026-11-23T10:00:00Z"]);
    let table = &expect_code(&ls, 0, "review ls").stdout;
    assert!(
        table
            .lines()
            .nth(1)
            .is_some_and(|l| l.starts_with("pr-7") && l.contains("in 2d")),
        "{table}"
    );

    // up again, a day later, nothing changed: nothing done, same pool, same expiry.
    let mut again = poolctl(&emulator);
    again
        .args(["review", "up"])
        .arg(spec())
        .args([
            "--id",
            "pr-7",
            "--arch",
            "x86_64",
            "--output",
            "json",
            "--now",
            "2026-11-23T10:00:00Z",
            "--trigger-zip",
        ])
        .arg(trigger_zip_x86_64());
    let again = run_on(&emulator, &mut again);
    let unchanged = expect_code(&again, 0, "review up pr-7 again").json();
    assert_eq!(unchanged["action"], "unchanged", "{unchanged}");
    assert_eq!(unchanged["user_pool_id"], pool_id.as_str());
    assert_eq!(unchanged["expires_at"], "2026-11-25T10:00:00Z");

    // down for another pool's review of the same id: nothing there, success, this one kept.
    let other = review(&emulator, &["down", "--id", "pr-7", "--pool", "other"]);
    expect_code(&other, 0, "review down --pool other");
    assert!(
        other.stdout.contains("nothing to delete"),
        "{}",
        other.stdout
    );
    assert_eq!(stack_names(&emulator).await, ["poolctl-review-review-pr-7"]);

    // down: gone, with its artifact; down again: still success.
    let down = review(&emulator, &["down", "--id", "pr-7"]);
    let said = &expect_code(&down, 0, "review down").stdout;
    assert!(
        said.contains("Deleted review pool pr-7") && said.contains("1 artifact object"),
        "{said}"
    );
    assert_eq!(stack_names(&emulator).await, Vec::<String>::new());
    assert!(
        cognito
            .describe_user_pool()
            .user_pool_id(&pool_id)
            .send()
            .await
            .is_err(),
        "the pool is gone"
    );
    let again = review(&emulator, &["down", "--id", "pr-7"]);
    expect_code(&again, 0, "review down again");
    assert!(
        again.stdout.contains("nothing to delete"),
        "{}",
        again.stdout
    );
    assert_eq!(listed(&emulator, NOW), Vec::new());
}

#[tokio::test]
async fn gc_deletes_expired_pools_and_keeps_fresh_ones() {
    let emulator = Emulator::start();
    expect_code(&up(&emulator, "old-1", &["--ttl", "1h"]), 0, "up old-1");
    expect_code(&up(&emulator, "old-2", &["--ttl", "30m"]), 0, "up old-2");
    expect_code(&up(&emulator, "fresh", &["--ttl", "3d"]), 0, "up fresh");
    let two_hours_later = "2026-11-22T12:00:00Z";

    // A dry run reports and deletes nothing.
    let dry = review(&emulator, &["gc", "--dry-run", "--now", two_hours_later]);
    let report = &expect_code(&dry, 0, "gc --dry-run").stdout;
    assert!(
        report.contains("would delete") && report.contains("old-1") && report.contains("old-2"),
        "{report}"
    );
    assert!(!report.contains("fresh"), "{report}");
    assert_eq!(listed(&emulator, NOW).len(), 3);

    // Before expiry, nothing goes.
    expect_code(
        &review(&emulator, &["gc", "--now", "2026-11-22T10:20:00Z"]),
        0,
        "gc before expiry",
    );
    assert_eq!(listed(&emulator, NOW).len(), 3);

    let gc = review(
        &emulator,
        &["gc", "--concurrency", "2", "--now", two_hours_later],
    );
    let report = &expect_code(&gc, 0, "gc after expiry").stdout;
    assert_eq!(
        report.lines().filter(|l| l.starts_with("deleted")).count(),
        2,
        "{report}"
    );
    assert_eq!(
        listed(&emulator, two_hours_later),
        vec![("fresh".to_owned(), "poolctl-review-review-fresh".to_owned())]
    );
    assert_eq!(
        stack_names(&emulator).await,
        ["poolctl-review-review-fresh"]
    );
}

#[tokio::test]
async fn ten_review_up_processes_at_once_all_succeed() {
    let emulator = Emulator::start();
    // All ten start before any finishes: they race for the first-use artifact bucket and
    // call CloudFormation at the same time.
    let children: Vec<_> = (0..10)
        .map(|n| {
            let mut command = up_command(&emulator, spec(), &format!("pr-{n}"), &[]);
            command
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped());
            command.spawn().expect("spawn poolctl")
        })
        .collect();
    for (n, child) in children.into_iter().enumerate() {
        let output = child.wait_with_output().expect("wait for poolctl");
        assert!(
            output.status.success(),
            "review up pr-{n} exit {:?}\n{}\n{}",
            output.status.code(),
            String::from_utf8_lossy(&output.stderr),
            emulator.log_tail()
        );
    }
    let ids: Vec<String> = listed(&emulator, NOW)
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    let expected: Vec<String> = (0..10).map(|n| format!("pr-{n}")).collect();
    assert_eq!(ids, expected);
    let ls = review(&emulator, &["ls", "--output", "json"]);
    let rows = expect_code(&ls, 0, "review ls").json();
    let rows = rows.as_array().expect("an array");
    // Ten rows, so that `all` below cannot pass on an empty list.
    assert_eq!(rows.len(), 10, "{rows:?}");
    assert!(
        rows.iter().all(|row| row["status"] == "CREATE_COMPLETE"),
        "{rows:?}"
    );
}

#[tokio::test]
async fn bad_ids_get_a_clear_error_and_create_nothing() {
    let emulator = Emulator::start();
    let too_long = "a".repeat(65);
    let cases = [
        ("", "empty"),
        (too_long.as_str(), "65 characters"),
        ("pr 12", "' '"),
        ("pr#12", "'#'"),
        ("prü", "'ü'"),
        ("${{ github.event.number }}", "'$'"),
        ("--/", "no letter or digit"),
    ];
    for (id, reason) in cases {
        let mut command = up_command(&emulator, spec(), id, &[]);
        command.env("POOLCTL_LOG", "error");
        let output = run_on(&emulator, &mut command);
        expect_code(&output, 1, &format!("review up --id={id:?}"));
        let stderr = &output.stderr;
        assert!(
            stderr.contains("invalid --id") && stderr.contains(reason),
            "{id:?}: {stderr}"
        );
    }
    let down = review(&emulator, &["down", "--id", "a b"]);
    expect_code(&down, 1, "review down --id 'a b'");
    assert!(down.stderr.contains("invalid --id"), "{}", down.stderr);
    assert_eq!(stack_names(&emulator).await, Vec::<String>::new());
}

#[tokio::test]
async fn exit_4_when_a_review_create_fails_and_the_failed_stack_is_deleted() {
    let emulator = Emulator::start();
    expect_code(&up(&emulator, "pr-1", &[]), 0, "review up pr-1");
    // Another pool with the same domain prefix: its review domain for the same id is taken,
    // so its create fails and rolls back.
    let twin = spec_variant(
        "infra/pools/review.yaml",
        "twin.yaml",
        &[("\nname: review\n", "\nname: twin\n")],
    );
    let output = run_on(&emulator, &mut up_command(&emulator, twin, "pr-1", &[]));
    expect_code(&output, 4, "review up of a pool whose domain is taken");
    let stderr = &output.stderr;
    assert!(
        stderr.contains("UserPoolDomain") && stderr.contains("deleting it"),
        "{stderr}"
    );
    assert_eq!(stack_names(&emulator).await, ["poolctl-review-review-pr-1"]);
}

#[tokio::test]
async fn a_stack_that_is_not_a_review_pool_is_never_touched() {
    let emulator = Emulator::start();
    // A stack that happens to have the name review pool `x` would get, without review tags.
    let cloudformation = aws::cloudformation(&emulator).await;
    let template = serde_json::json!({
        "Resources": { "Topic": { "Type": "AWS::SNS::Topic" } }
    });
    cloudformation
        .create_stack()
        .stack_name("poolctl-review-review-x")
        .template_body(template.to_string())
        .send()
        .await
        .expect("create stack");
    aws::wait_for_stack(&cloudformation, "poolctl-review-review-x").await;

    let output = up(&emulator, "x", &[]);
    expect_code(
        &output,
        1,
        "review up over a stack that is not a review pool",
    );
    assert!(
        output.stderr.contains("is not a review pool"),
        "{}",
        output.stderr
    );
    let output = review(&emulator, &["down", "--id", "x", "--pool", "review"]);
    expect_code(
        &output,
        1,
        "review down of a stack that is not a review pool",
    );
    assert!(
        output.stderr.contains("is not a review pool"),
        "{}",
        output.stderr
    );
    // Not listed, not collected, still there.
    assert_eq!(listed(&emulator, NOW), Vec::new());
    expect_code(
        &review(&emulator, &["gc", "--now", "2030-01-01T00:00:00Z"]),
        0,
        "gc far in the future",
    );
    assert_eq!(stack_names(&emulator).await, ["poolctl-review-review-x"]);
}
