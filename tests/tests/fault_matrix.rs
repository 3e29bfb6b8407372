//! The fault matrix, part one: what the network and the service do to a deploy, a diff and a
//! destroy (throttling, 5xx bursts, connection resets, a cut-off answer), and a template too
//! large to send inline. Every case asserts what the user is told, the exit code, and that
//! nothing was lost (`Case::assert_nothing_lost`). RELIABILITY.md has the table.
//!
//! Each case has its own stack on the shared emulator and its own fault proxy in front of it;
//! the checks go to the emulator directly, around the proxy.

use std::time::Duration;

use aws_sdk_cloudformation::types::ResourceStatus;
use e2e::cli::{expect_code, spec_command};
use e2e::emulator::{ACCOUNT_ID, REGION};
use e2e::faultproxy::{Fault, FaultPlan, Rule};
use e2e::matrix::Case;
use e2e::spec_variant;

/// Each service's own throttling answer on 30% of all calls, the same calls every run, and
/// always on the first DescribeStacks (so that even a command of a few calls meets one).
fn throttle_30_percent() -> FaultPlan {
    FaultPlan::seeded(30)
        .rule(Rule::new("cloudformation", "DescribeStacks", Fault::Throttle).nth(1))
        .rule(Rule::new("*", "*", Fault::Throttle).probability(0.3))
}

/// The stack's own UPDATE_COMPLETE events: one per update that ran.
async fn updates_completed(case: &Case) -> usize {
    let mut count = 0;
    let mut pages = case
        .cfn
        .describe_stack_events()
        .stack_name(&case.stack)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        count += page
            .expect("describe stack events")
            .stack_events()
            .iter()
            .filter(|e| {
                e.resource_type() == Some("AWS::CloudFormation::Stack")
                    && e.resource_status() == Some(&ResourceStatus::UpdateComplete)
            })
            .count();
    }
    count
}

/// A case's pool, deployed without faults, then updated in place through `plan`: the update
/// must succeed ("updated (UPDATE_COMPLETE)"). Returns the case, the id of the pool it held
/// and how many updates of the stack had completed before this one.
async fn update_through(name: &str, plan: FaultPlan, what: &str) -> (Case, String, usize) {
    let case = Case::deployed(name).await;
    let pool = case.pool_id().await;
    let before = updates_completed(&case).await;
    case.proxy.set_plan(plan);
    let run = case.poolctl(&case.deploy_args(&case.updated_spec));
    expect_code(&run, 0, what);
    assert!(
        run.stderr.contains("updated (UPDATE_COMPLETE)"),
        "{}",
        run.stderr
    );
    (case, pool, before)
}

#[tokio::test(flavor = "multi_thread")]
async fn deploy_create_under_30_percent_throttling() {
    let case = Case::new("fm-create").await;
    case.proxy.set_plan(throttle_30_percent());
    let run = case.poolctl(&case.deploy_args(&case.spec));
    expect_code(&run, 0, "a create under throttling");
    assert!(
        run.stderr.contains("created (CREATE_COMPLETE)"),
        "{}",
        run.stderr
    );
    assert!(
        case.proxy.stats().fault_total("Throttle") > 0,
        "no call was throttled"
    );
    case.proxy.set_plan(FaultPlan::none());
    case.add_users().await;
    case.assert_nothing_lost(&case.pool_id().await).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn deploy_update_under_30_percent_throttling() {
    let (case, pool, _) = update_through(
        "fm-update",
        throttle_30_percent(),
        "an update under throttling",
    )
    .await;
    assert!(
        case.proxy.stats().fault_total("Throttle") > 0,
        "no call was throttled"
    );
    case.assert_nothing_lost(&pool).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn deploy_without_changes_under_30_percent_throttling() {
    let case = Case::deployed("fm-noop").await;
    let pool = case.pool_id().await;
    case.proxy.set_plan(throttle_30_percent());
    let run = case.poolctl(&case.deploy_args(&case.spec));
    expect_code(&run, 0, "a no-op under throttling");
    assert!(
        run.stderr.contains("unchanged") && run.stderr.contains("no change set created"),
        "{}",
        run.stderr
    );
    assert!(
        case.proxy.stats().fault_total("Throttle") > 0,
        "no call was throttled"
    );
    case.assert_nothing_lost(&pool).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn diff_under_30_percent_throttling_lists_changes_and_leaves_no_change_set() {
    let case = Case::deployed("fm-diff").await;
    let pool = case.pool_id().await;
    case.proxy.set_plan(throttle_30_percent());
    let diff = spec_command("diff", &case.updated_spec, &case.stack);
    let run = case.poolctl(&diff.iter().map(String::as_str).collect::<Vec<_>>());
    expect_code(&run, 0, "a diff under throttling");
    assert!(
        run.stdout.contains("Changes to stack") && run.stdout.contains("~ modify   UserPool"),
        "{}",
        run.stdout
    );
    assert!(
        case.proxy.stats().fault_total("Throttle") > 0,
        "no call was throttled"
    );
    case.assert_nothing_lost(&pool).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn destroy_under_30_percent_throttling_deletes_the_stack() {
    let case = Case::deployed("fm-destroy").await;
    case.proxy.set_plan(throttle_30_percent());
    let run = case.poolctl(&["destroy", "--stack", &case.stack, "--yes"]);
    expect_code(&run, 0, "a destroy under throttling");
    assert!(run.stderr.contains("deleted in"), "{}", run.stderr);
    assert!(
        case.proxy.stats().fault_total("Throttle") > 0,
        "no call was throttled"
    );
    // What was asked is gone, and nothing half-deleted is left behind.
    let described = case
        .cfn
        .describe_stacks()
        .stack_name(&case.stack)
        .send()
        .await;
    assert!(described.is_err(), "the stack still exists: {described:?}");
    assert!(case.pending_change_sets().await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_ten_second_throttling_storm_is_ridden_out() {
    let (case, pool, _) = update_through(
        "fm-storm",
        FaultPlan::seeded(10)
            .rule(Rule::new("*", "*", Fault::Throttle).for_first(Duration::from_secs(10))),
        "an update through a throttling storm",
    )
    .await;
    assert!(
        case.proxy.stats().fault_total("Throttle") > 0,
        "the storm throttled nothing"
    );
    case.assert_nothing_lost(&pool).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_5xx_burst_on_describe_stack_events_is_retried() {
    let (case, pool, _) = update_through(
        "fm-events-5xx",
        FaultPlan::seeded(5).rule(
            Rule::new(
                "cloudformation",
                "DescribeStackEvents",
                Fault::InternalError,
            )
            .calls(1..=4),
        ),
        "an update through a 5xx burst on DescribeStackEvents",
    )
    .await;
    let events = case
        .proxy
        .stats()
        .op("cloudformation", "DescribeStackEvents");
    assert_eq!(events.fault("InternalError"), 4, "{events:?}");
    case.assert_nothing_lost(&pool).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_5xx_burst_on_execute_change_set_is_retried_and_executes_once() {
    let (case, pool, before) = update_through(
        "fm-exec-5xx",
        FaultPlan::seeded(6)
            .rule(Rule::new("cloudformation", "ExecuteChangeSet", Fault::Unavailable).calls(1..=2)),
        "an update through 503s on ExecuteChangeSet",
    )
    .await;
    let execute = case.proxy.stats().op("cloudformation", "ExecuteChangeSet");
    assert_eq!(execute.fault("Unavailable"), 2, "{execute:?}");
    assert_eq!(updates_completed(&case).await, before + 1, "one update ran");
    case.assert_nothing_lost(&pool).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reset_after_execute_change_set_was_forwarded_neither_executes_twice_nor_fails() {
    let (case, pool, before) = update_through(
        "fm-exec-reset",
        FaultPlan::seeded(7).rule(
            Rule::new(
                "cloudformation",
                "ExecuteChangeSet",
                Fault::ResetAfterForward,
            )
            .nth(1),
        ),
        "an update whose ExecuteChangeSet answer was lost",
    )
    .await;
    let execute = case.proxy.stats().op("cloudformation", "ExecuteChangeSet");
    assert_eq!(execute.fault("ResetAfterForward"), 1, "{execute:?}");
    assert_eq!(updates_completed(&case).await, before + 1, "one update ran");
    case.assert_nothing_lost(&pool).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reset_after_create_change_set_was_forwarded_carries_on_with_that_change_set() {
    let (case, pool, _) = update_through(
        "fm-create-cs-reset",
        FaultPlan::seeded(8).rule(
            Rule::new(
                "cloudformation",
                "CreateChangeSet",
                Fault::ResetAfterForward,
            )
            .nth(1),
        ),
        "an update whose CreateChangeSet answer was lost",
    )
    .await;
    let create = case.proxy.stats().op("cloudformation", "CreateChangeSet");
    assert_eq!(create.fault("ResetAfterForward"), 1, "{create:?}");
    case.assert_nothing_lost(&pool).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cut_off_describe_stacks_answer_is_retried() {
    let (case, pool, _) = update_through(
        "fm-truncated",
        FaultPlan::seeded(9).rule(
            Rule::new("cloudformation", "DescribeStacks", Fault::TruncatedBody).calls([1, 3]),
        ),
        "an update through cut-off DescribeStacks answers",
    )
    .await;
    let describe = case.proxy.stats().op("cloudformation", "DescribeStacks");
    assert_eq!(describe.fault("TruncatedBody"), 2, "{describe:?}");
    case.assert_nothing_lost(&pool).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_template_over_the_inline_limit_deploys_through_the_bucket() {
    let case = Case::new("fm-large").await;
    // Sixty callback URLs of 900 characters: about 55 KB of template, over the 51,200 bytes
    // CloudFormation takes inline, and within what Cognito accepts (100 URLs of 1,024).
    let urls: Vec<String> = (0..60)
        .map(|n| format!("\"https://app.example.com/{}/{n}\"", "c".repeat(870)))
        .collect();
    let callbacks = format!("callback_urls: [{}]", urls.join(", "));
    let spec = spec_variant(
        "infra/pools/demo.yaml",
        "demo-large.yaml",
        &[
            (
                "prefix: poolctl-demo-7f3a",
                &format!("prefix: {}", case.domain_prefix),
            ),
            (
                r#"callback_urls: ["http://localhost:3000/callback"]"#,
                &callbacks,
            ),
        ],
    );
    let run = case.poolctl(&case.deploy_args(&spec));
    expect_code(&run, 0, "a deploy of an over-limit template");
    assert!(
        run.stderr
            .contains("over CloudFormation's inline limit of 51200"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("created (CREATE_COMPLETE)"),
        "{}",
        run.stderr
    );
    // The template went to the artifact bucket, named by its hash, under the stack's prefix.
    let listed = case
        .s3
        .list_objects_v2()
        .bucket(format!("poolctl-artifacts-{ACCOUNT_ID}-{REGION}"))
        .prefix(format!("templates/{}/", case.stack))
        .send()
        .await
        .expect("list the artifact bucket");
    let keys: Vec<&str> = listed.contents().iter().filter_map(|o| o.key()).collect();
    assert_eq!(keys.len(), 1, "{keys:?}");
    assert!(keys[0].ends_with(".json"), "{keys:?}");
    // The trigger and the template both needed the account (for the bucket): asked once.
    assert_eq!(case.proxy.stats().op("sts", "GetCallerIdentity").passed, 1);
    case.add_users().await;
    case.assert_nothing_lost(&case.pool_id().await).await;
}
