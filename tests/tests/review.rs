//! `poolctl review`: the real binary against a private emulator per test (gc and ls see every
//! review pool in the account, so tests do not share one).

use std::path::PathBuf;
use std::process::{Command, Output};

use aws_sdk_cloudformation::types::StackStatus;
use e2e::{poolctl, repo_root, trigger_zip_x86_64, Emulator};
use serde_json::Value;

/// The clock every test runs at (`--now`), so expiry does not depend on the machine's time.
const NOW: &str = "2026-11-22T10:00:00Z";

fn spec() -> PathBuf {
    repo_root().join("infra/pools/review.yaml")
}

fn up_command(emulator: &Emulator, id: &str, extra: &[&str]) -> Command {
    let mut command = poolctl(emulator);
    command
        .args(["review", "up"])
        .arg(spec())
        // `--id=` so that an empty id or one starting with `-` stays a value.
        .arg(format!("--id={id}"))
        .args(["--arch", "x86_64", "--trigger-zip"])
        .arg(trigger_zip_x86_64())
        .args(["--now", NOW])
        .args(extra);
    command
}

fn run(mut command: Command) -> Output {
    command.output().expect("run poolctl")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs and asserts exit 0, showing everything poolctl and the emulator said otherwise.
fn ok(emulator: &Emulator, command: Command) -> Output {
    let output = run(command);
    assert!(
        output.status.success(),
        "exit {:?}\nstdout:\n{}\nstderr:\n{}\nemulator:\n{}",
        output.status.code(),
        text(&output.stdout),
        text(&output.stderr),
        emulator.log_tail()
    );
    output
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", text(&output.stdout)))
}

fn review(emulator: &Emulator, args: &[&str]) -> Command {
    let mut command = poolctl(emulator);
    command.arg("review").args(args);
    command
}

/// `review ls --output json`, as (id, stack) pairs sorted by id.
fn listed(emulator: &Emulator, now: &str) -> Vec<(String, String)> {
    let rows = json(&ok(
        emulator,
        review(emulator, &["ls", "--output", "json", "--now", now]),
    ));
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
    let cloudformation = aws_sdk_cloudformation::Client::new(&emulator.sdk_config().await);
    let stacks = cloudformation
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
    let outputs_file = emulator.log_path().with_file_name("review-outputs.json");

    // up: created, with what a test job needs on stdout and in the outputs file.
    let mut command = up_command(&emulator, "pr-7", &["--output", "json", "--outputs-file"]);
    command.arg(&outputs_file);
    let created = json(&ok(&emulator, command));
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
    let config = emulator.sdk_config().await;
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
    let rows = json(&ok(
        &emulator,
        review(
            &emulator,
            &["ls", "--output", "json", "--now", "2026-11-23T10:00:00Z"],
        ),
    ));
    assert_eq!(rows.as_array().map(Vec::len), Some(1), "{rows}");
    assert_eq!(rows[0]["id"], "pr-7");
    assert_eq!(rows[0]["age_seconds"], 86_400);
    assert_eq!(rows[0]["expired"], false);
    let table = text(
        &ok(
            &emulator,
            review(&emulator, &["ls", "--now", "2026-11-23T10:00:00Z"]),
        )
        .stdout,
    );
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
    let unchanged = json(&ok(&emulator, again));
    assert_eq!(unchanged["action"], "unchanged", "{unchanged}");
    assert_eq!(unchanged["user_pool_id"], pool_id.as_str());
    assert_eq!(unchanged["expires_at"], "2026-11-25T10:00:00Z");

    // down for another pool's review of the same id: nothing there, success, this one kept.
    let other = ok(
        &emulator,
        review(&emulator, &["down", "--id", "pr-7", "--pool", "other"]),
    );
    assert!(
        text(&other.stdout).contains("nothing to delete"),
        "{}",
        text(&other.stdout)
    );
    assert_eq!(stack_names(&emulator).await, ["poolctl-review-review-pr-7"]);

    // down: gone, with its artifact; down again: still success.
    let down = ok(&emulator, review(&emulator, &["down", "--id", "pr-7"]));
    let said = text(&down.stdout);
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
    let again = ok(&emulator, review(&emulator, &["down", "--id", "pr-7"]));
    assert!(
        text(&again.stdout).contains("nothing to delete"),
        "{}",
        text(&again.stdout)
    );
    assert_eq!(listed(&emulator, NOW), Vec::new());
}

#[tokio::test]
async fn gc_deletes_expired_pools_and_keeps_fresh_ones() {
    let emulator = Emulator::start();
    ok(&emulator, up_command(&emulator, "old-1", &["--ttl", "1h"]));
    ok(&emulator, up_command(&emulator, "old-2", &["--ttl", "30m"]));
    ok(&emulator, up_command(&emulator, "fresh", &["--ttl", "3d"]));
    let two_hours_later = "2026-11-22T12:00:00Z";

    // A dry run reports and deletes nothing.
    let dry = ok(
        &emulator,
        review(&emulator, &["gc", "--dry-run", "--now", two_hours_later]),
    );
    let report = text(&dry.stdout);
    assert!(
        report.contains("would delete") && report.contains("old-1") && report.contains("old-2"),
        "{report}"
    );
    assert!(!report.contains("fresh"), "{report}");
    assert_eq!(listed(&emulator, NOW).len(), 3);

    // Before expiry, nothing goes.
    ok(
        &emulator,
        review(&emulator, &["gc", "--now", "2026-11-22T10:20:00Z"]),
    );
    assert_eq!(listed(&emulator, NOW).len(), 3);

    let gc = ok(
        &emulator,
        review(
            &emulator,
            &["gc", "--concurrency", "2", "--now", two_hours_later],
        ),
    );
    let report = text(&gc.stdout);
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
            let mut command = up_command(&emulator, &format!("pr-{n}"), &[]);
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
            text(&output.stderr),
            emulator.log_tail()
        );
    }
    let ids: Vec<String> = listed(&emulator, NOW)
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    let expected: Vec<String> = (0..10).map(|n| format!("pr-{n}")).collect();
    assert_eq!(ids, expected);
    let rows = json(&ok(
        &emulator,
        review(&emulator, &["ls", "--output", "json"]),
    ));
    assert!(
        rows.as_array()
            .unwrap()
            .iter()
            .all(|row| row["status"] == "CREATE_COMPLETE"),
        "{rows}"
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
        let mut command = up_command(&emulator, id, &[]);
        command.env("POOLCTL_LOG", "error");
        let output = run(command);
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{id:?}: {stderr}");
        assert!(
            stderr.contains("invalid --id") && stderr.contains(reason),
            "{id:?}: {stderr}"
        );
    }
    let down = run(review(&emulator, &["down", "--id", "a b"]));
    assert_eq!(down.status.code(), Some(1));
    assert!(text(&down.stderr).contains("invalid --id"));
    assert_eq!(stack_names(&emulator).await, Vec::<String>::new());
}

#[tokio::test]
async fn a_failed_create_is_deleted_not_left_in_rollback_complete() {
    let emulator = Emulator::start();
    ok(&emulator, up_command(&emulator, "pr-1", &[]));
    // Another pool with the same domain prefix: its review domain for the same id is taken,
    // so its create fails and rolls back.
    let spec_text = std::fs::read_to_string(spec())
        .unwrap()
        .replace("\nname: review\n", "\nname: twin\n");
    let twin = emulator.log_path().with_file_name("twin.yaml");
    std::fs::write(&twin, spec_text).unwrap();
    let mut command = poolctl(&emulator);
    command
        .args(["review", "up"])
        .arg(&twin)
        .args([
            "--id",
            "pr-1",
            "--arch",
            "x86_64",
            "--now",
            NOW,
            "--trigger-zip",
        ])
        .arg(trigger_zip_x86_64());
    let output = run(command);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(4), "{stderr}");
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
    let cloudformation = aws_sdk_cloudformation::Client::new(&emulator.sdk_config().await);
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
    e2e::wait_for_stack(&cloudformation, "poolctl-review-review-x").await;

    let output = run(up_command(&emulator, "x", &[]));
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output.stderr).contains("is not a review pool"),
        "{}",
        text(&output.stderr)
    );
    let output = run(review(
        &emulator,
        &["down", "--id", "x", "--pool", "review"],
    ));
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output.stderr).contains("is not a review pool"),
        "{}",
        text(&output.stderr)
    );
    // Not listed, not collected, still there.
    assert_eq!(listed(&emulator, NOW), Vec::new());
    ok(
        &emulator,
        review(&emulator, &["gc", "--now", "2030-01-01T00:00:00Z"]),
    );
    assert_eq!(stack_names(&emulator).await, ["poolctl-review-review-x"]);
}
