//! The fault matrix (issue 10), the cases about state: poolctl killed or interrupted at each
//! point of a deploy, two deploys of one stack at once, a change set left over by a killed run,
//! a trigger artifact deleted from the bucket, credentials expiring and the emulator going
//! away while a stack operation is watched, a stack stuck in UPDATE_ROLLBACK_FAILED, and
//! review pools under quotas and throttling. (fault_matrix.rs has throttling, 5xx, resets and
//! truncation on each command.)
//!
//! Every case asserts three things: what the user is told, the exit code, and that nothing was
//! lost (the pool, its users, a settled stack, no change set left waiting, no review pool left
//! behind). Each case has its own stack, domain and fault proxy on the shared emulator.

use std::process::Child;
use std::time::Duration;

use aws_sdk_cloudformation::types::{Capability, Parameter, StackStatus, TemplateStage};
use e2e::aws::wait_for_stack;
use e2e::cli::{expect_code, interrupt, trigger_zip_x86_64, Run};
use e2e::faultproxy::{Fault, FaultPlan, Quotas, Rule};
use e2e::matrix::{self, Case};
use e2e::{repo_root, spec_variant, unique_name};

/// A call held or delayed this long does not come back while the test looks: the test
/// releases it (a new plan) or kills the process first.
const STALL: Duration = Duration::from_secs(120);

/// A plan that holds every call of `operation` (CloudFormation) for [`STALL`].
fn stall(operations: &[&str]) -> FaultPlan {
    operations.iter().fold(FaultPlan::none(), |plan, op| {
        plan.rule(Rule::new("cloudformation", op, Fault::Latency(STALL)))
    })
}

/// A plan that holds the first ExecuteChangeSet until the plan is replaced.
fn hold_execute() -> FaultPlan {
    FaultPlan::none()
        .rule(Rule::new("cloudformation", "ExecuteChangeSet", Fault::Hold(STALL)).nth(1))
}

/// Starts the in-place update with ExecuteChangeSet held back by the proxy and, once that call
/// has reached the proxy, installs `then`, which releases it: the stack operation starts and
/// the watch that follows meets `then`.
fn spawn_update_then(case: &Case, then: FaultPlan) -> Child {
    case.proxy.reset_stats();
    case.proxy.set_plan(hold_execute());
    let child = case.spawn(&case.deploy_args(&case.updated_spec));
    case.wait_for("ExecuteChangeSet to reach the proxy", |s| {
        s.op("cloudformation", "ExecuteChangeSet").calls >= 1
    });
    case.proxy.set_plan(then);
    child
}

/// Waits until the watch after ExecuteChangeSet is under way: a DescribeStacks held by
/// [`stall`] (installed by [`spawn_update_then`]).
fn wait_for_stalled_watch(case: &Case) {
    // The watch reads the stack's events first and its status when they say it settled.
    case.wait_for("the watch's DescribeStackEvents or DescribeStacks", |s| {
        s.op("cloudformation", "DescribeStackEvents")
            .fault("Latency")
            + s.op("cloudformation", "DescribeStacks").fault("Latency")
            >= 1
    });
}

#[track_caller]
fn assert_says(run: &Run, phrase: &str) {
    assert!(
        run.stderr.contains(phrase) || run.stdout.contains(phrase),
        "expected {phrase:?} in what poolctl said\nstdout:\n{}\nstderr:\n{}",
        run.stdout,
        run.stderr
    );
}

/// The rerun after a fault: the same update deploy, without faults, exits 0.
fn rerun_update(case: &Case) -> Run {
    case.proxy.set_plan(FaultPlan::none());
    let run = case.poolctl(&case.deploy_args(&case.updated_spec));
    expect_code(&run, 0, "the rerun after the fault");
    run
}

// 1. poolctl killed between CreateChangeSet and ExecuteChangeSet.
#[tokio::test(flavor = "multi_thread")]
async fn killed_between_create_and_execute_then_rerun() {
    let case = Case::deployed("fm-kill-cs").await;
    let pool = case.pool_id().await;
    case.proxy.reset_stats();
    case.proxy.set_plan(stall(&["DescribeChangeSet"]));
    let mut child = case.spawn(&case.deploy_args(&case.updated_spec));
    // DescribeChangeSet comes only once CreateChangeSet has been answered.
    case.wait_for("DescribeChangeSet after CreateChangeSet", |s| {
        s.op("cloudformation", "CreateChangeSet").passed >= 1
            && s.op("cloudformation", "DescribeChangeSet").calls >= 1
    });
    child.kill().expect("SIGKILL poolctl");
    let killed = matrix::finish(case.emulator, child);
    assert_eq!(killed.code, None, "poolctl was killed by the signal");
    assert_eq!(
        case.pending_change_sets().await.len(),
        1,
        "the killed run left its change set waiting"
    );
    assert_eq!(case.user_count(&pool).await, matrix::USERS);

    let rerun = rerun_update(&case);
    assert_says(&rerun, &format!("Stack {} updated", case.stack));
    // Executing the rerun's change set dropped the leftover.
    case.assert_nothing_lost(&pool).await;
}

// 2. poolctl killed while it watches the stack operation.
#[tokio::test(flavor = "multi_thread")]
async fn killed_mid_watch_then_rerun() {
    let case = Case::deployed("fm-kill-watch").await;
    let pool = case.pool_id().await;
    let mut child = spawn_update_then(&case, stall(&["DescribeStacks", "DescribeStackEvents"]));
    wait_for_stalled_watch(&case);
    child.kill().expect("SIGKILL poolctl");
    let killed = matrix::finish(case.emulator, child);
    assert_eq!(killed.code, None, "poolctl was killed by the signal");

    let rerun = rerun_update(&case);
    // The operation the killed run started went on and did the update: nothing is left to do.
    assert_says(&rerun, &format!("Stack {} unchanged", case.stack));
    case.assert_nothing_lost(&pool).await;
}

// 3. Ctrl-C while poolctl watches the stack operation.
#[tokio::test(flavor = "multi_thread")]
async fn interrupted_mid_watch_then_rerun() {
    let case = Case::deployed("fm-sigint").await;
    let pool = case.pool_id().await;
    let child = spawn_update_then(&case, stall(&["DescribeStacks", "DescribeStackEvents"]));
    wait_for_stalled_watch(&case);
    interrupt(&child);
    let interrupted = matrix::finish(case.emulator, child);
    expect_code(&interrupted, 130, "deploy interrupted mid-watch");
    assert_says(
        &interrupted,
        "Stopped watching; the stack operation continues",
    );
    assert_says(
        &interrupted,
        &format!(
            "Resume with: poolctl deploy {}",
            case.updated_spec.display()
        ),
    );

    rerun_update(&case);
    case.assert_nothing_lost(&pool).await;
}

// 4. Two deploys of the same stack started together.
#[tokio::test(flavor = "multi_thread")]
async fn two_deploys_of_one_stack_at_once() {
    let case = Case::deployed("fm-race").await;
    let pool = case.pool_id().await;
    let args = case.deploy_args(&case.updated_spec);
    let first = case.spawn(&args);
    let second = case.spawn(&args);
    let runs = [
        matrix::finish(case.emulator, first),
        matrix::finish(case.emulator, second),
    ];
    for run in &runs {
        eprintln!(
            "exit {:?}\nstdout:\n{}\nstderr:\n{}",
            run.code, run.stdout, run.stderr
        );
    }
    let winners = runs.iter().filter(|r| r.code == Some(0)).count();
    assert!(winners >= 1, "neither deploy succeeded: {runs:#?}");
    for run in runs.iter().filter(|r| r.code != Some(0)) {
        expect_code(run, 1, "the deploy that lost the race");
        assert_says(run, "another operation was in progress on stack");
        assert_says(run, "Rerunning the deploy is safe");
    }
    case.assert_nothing_lost(&pool).await;
    // Whatever happened, a rerun finds the update done.
    let rerun = rerun_update(&case);
    assert_says(&rerun, &format!("Stack {} unchanged", case.stack));
}

// 4, made deterministic: the other deploy's change set is executed after this one's was made
// and before it is executed (which deletes it).
#[tokio::test(flavor = "multi_thread")]
async fn a_deploy_whose_change_set_another_deploy_superseded() {
    let case = Case::deployed("fm-race-exec").await;
    let pool = case.pool_id().await;
    case.proxy.reset_stats();
    case.proxy.set_plan(hold_execute());
    let held = case.spawn(&case.deploy_args(&case.updated_spec));
    case.wait_for("the first deploy's ExecuteChangeSet", |s| {
        s.op("cloudformation", "ExecuteChangeSet").calls >= 1
    });
    let second = case.poolctl(&case.deploy_args(&case.updated_spec));
    expect_code(&second, 0, "the deploy that executed first");
    assert_says(&second, &format!("Stack {} updated", case.stack));
    case.proxy.set_plan(FaultPlan::none());
    let first = matrix::finish(case.emulator, held);
    expect_code(&first, 1, "the deploy whose change set was superseded");
    assert_says(&first, "another operation was in progress on stack");
    assert_says(&first, "nothing of it was applied");
    assert_says(&first, "Rerunning the deploy is safe");
    case.assert_nothing_lost(&pool).await;

    let rerun = rerun_update(&case);
    assert_says(&rerun, &format!("Stack {} unchanged", case.stack));
}

// 6. A change set left over by a killed run, then a deploy of a changed spec and of the
// unchanged one.
#[tokio::test(flavor = "multi_thread")]
async fn a_leftover_change_set_from_a_killed_run() {
    let case = Case::deployed("fm-leftover").await;
    let pool = case.pool_id().await;
    let leave_one = || async {
        case.proxy.reset_stats();
        case.proxy.set_plan(stall(&["DescribeChangeSet"]));
        let mut child = case.spawn(&case.deploy_args(&case.updated_spec));
        case.wait_for("DescribeChangeSet after CreateChangeSet", |s| {
            s.op("cloudformation", "DescribeChangeSet").fault("Latency") >= 1
        });
        child.kill().expect("SIGKILL poolctl");
        matrix::finish(case.emulator, child);
        case.proxy.set_plan(FaultPlan::none());
        let left = case.pending_change_sets().await;
        assert_eq!(left.len(), 1, "a change set was left waiting: {left:?}");
        assert!(left[0].starts_with("poolctl-"), "{left:?}");
    };

    // The unchanged spec: nothing to deploy, and the leftover is poolctl's own, unexecuted.
    leave_one().await;
    let unchanged = case.poolctl(&case.deploy_args(&case.spec));
    expect_code(
        &unchanged,
        0,
        "deploy of the unchanged spec with a leftover",
    );
    assert_says(&unchanged, &format!("Stack {} unchanged", case.stack));
    assert_says(
        &unchanged,
        "deleted 1 change set left by an earlier poolctl run",
    );
    case.assert_nothing_lost(&pool).await;

    // A changed spec (not the leftover's): its change set is executed, the leftover dropped.
    leave_one().await;
    let other = spec_variant(
        case.updated_spec.to_str().expect("UTF-8 path"),
        "demo-other.yaml",
        &[(
            "subject: Your updated demo verification code",
            "subject: Your other demo verification code",
        )],
    );
    let changed = case.poolctl(&case.deploy_args(&other));
    expect_code(&changed, 0, "deploy of a changed spec with a leftover");
    assert_says(&changed, &format!("Stack {} updated", case.stack));
    case.assert_nothing_lost(&pool).await;
}

// 7. The trigger artifact deleted from the bucket after a deploy.
#[tokio::test(flavor = "multi_thread")]
async fn a_deleted_trigger_artifact_is_uploaded_again() {
    // Its own bucket: the shared default bucket's artifact is in use by the other cases.
    let case = Case::new("fm-artifact").await;
    let bucket = unique_name("fm-artifacts").to_lowercase();
    case.s3
        .create_bucket()
        .bucket(&bucket)
        .send()
        .await
        .expect("create the artifact bucket");
    let mut args = case.deploy_args(&case.spec);
    let bucket_arg: &str = Box::leak(bucket.clone().into_boxed_str());
    args.extend(["--artifact-bucket", bucket_arg]);
    let first = case.poolctl(&args);
    expect_code(&first, 0, "the first deploy");
    case.add_users().await;
    let pool = case.pool_id().await;
    let key = uploaded_key(&first, &bucket);
    case.s3
        .delete_object()
        .bucket(&bucket)
        .key(&key)
        .send()
        .await
        .expect("delete the artifact");
    assert!(!object_exists(&case, &bucket, &key).await);

    let again = case.poolctl(&args);
    expect_code(&again, 0, "the redeploy");
    assert_says(
        &again,
        &format!("Uploaded the trigger to s3://{bucket}/{key}"),
    );
    assert!(
        object_exists(&case, &bucket, &key).await,
        "the artifact is back"
    );
    case.assert_nothing_lost(&pool).await;
}

/// The key of the trigger a deploy says it uploaded to `bucket`.
fn uploaded_key(run: &Run, bucket: &str) -> String {
    let prefix = format!("Uploaded the trigger to s3://{bucket}/");
    run.stderr
        .lines()
        .find_map(|line| {
            line.split_once(&prefix)
                .map(|(_, key)| key.trim().to_owned())
        })
        .unwrap_or_else(|| panic!("no upload line in\n{}", run.stderr))
}

async fn object_exists(case: &Case, bucket: &str, key: &str) -> bool {
    case.s3
        .head_object()
        .bucket(bucket)
        .key(key)
        .send()
        .await
        .is_ok()
}

// 9. The credentials expire while the stack operation is watched.
#[tokio::test(flavor = "multi_thread")]
async fn credentials_expire_mid_watch() {
    let case = Case::deployed("fm-expired").await;
    let pool = case.pool_id().await;
    let child = spawn_update_then(
        &case,
        FaultPlan::none().rule(Rule::new("*", "*", Fault::ExpiredToken)),
    );
    let run = matrix::finish(case.emulator, child);
    expect_code(&run, 1, "deploy whose credentials expired mid-watch");
    assert_says(&run, "ExpiredToken");
    assert_says(&run, "may still be running");
    assert_says(&run, "Resume with: poolctl deploy");
    assert!(case.proxy.stats().fault_total("ExpiredToken") >= 1);

    rerun_update(&case);
    case.assert_nothing_lost(&pool).await;
}

// 10. The emulator unreachable while the stack operation is watched.
#[tokio::test(flavor = "multi_thread")]
async fn emulator_unreachable_mid_watch() {
    let case = Case::deployed("fm-unreachable").await;
    let pool = case.pool_id().await;
    let child = spawn_update_then(
        &case,
        FaultPlan::none().rule(Rule::new("*", "*", Fault::ResetBeforeForward)),
    );
    let run = matrix::finish(case.emulator, child);
    expect_code(&run, 1, "deploy that lost the emulator mid-watch");
    assert_says(&run, "may still be running");
    assert_says(&run, "Resume with: poolctl deploy");
    let resets = case.proxy.stats().fault_total("ResetBeforeForward");
    assert!(resets >= 2, "the SDK retried the reset call ({resets})");

    rerun_update(&case);
    case.assert_nothing_lost(&pool).await;
}

/// The clock review cases run at: their pools expire three days later, so `review gc` at
/// [`GC_NOW`] keeps them.
const REVIEW_NOW: &str = "2026-11-22T10:00:00Z";
/// Pools made for the gc case are made at this time with a one-minute lease.
const GC_CREATED: &str = "2020-01-01T00:00:00Z";
/// When the gc case collects: only pools made at [`GC_CREATED`] have expired.
const GC_NOW: &str = "2020-01-02T00:00:00Z";
/// The artifact bucket poolctl makes for the emulator's account and region.
const ARTIFACT_BUCKET: &str = "poolctl-artifacts-000000000000-us-east-1";

/// `review up infra/pools/review.yaml --id=ID ... --output json` at `now`.
fn review_up_args(id: &str, now: &str, ttl: &str) -> Vec<String> {
    let spec = repo_root().join("infra/pools/review.yaml");
    [
        "review".to_owned(),
        "up".to_owned(),
        spec.to_string_lossy().into_owned(),
        format!("--id={id}"),
        "--arch".to_owned(),
        "x86_64".to_owned(),
        "--trigger-zip".to_owned(),
        trigger_zip_x86_64().to_string_lossy().into_owned(),
        "--now".to_owned(),
        now.to_owned(),
        "--ttl".to_owned(),
        ttl.to_owned(),
        "--output".to_owned(),
        "json".to_owned(),
    ]
    .into()
}

fn strs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

/// A review pool `review up` made: its stack and pool id.
struct ReviewPool {
    id: String,
    stack: String,
    pool_id: String,
}

impl ReviewPool {
    /// From `review up --output json`, which must have exited 0.
    fn from_up(id: &str, run: &Run) -> ReviewPool {
        let report = expect_code(run, 0, &format!("review up {id}")).json();
        assert!(
            ["created", "updated", "unchanged"].contains(&report["action"].as_str().unwrap_or("")),
            "{report}"
        );
        ReviewPool {
            id: id.to_owned(),
            stack: report["stack"].as_str().expect("stack").to_owned(),
            pool_id: report["user_pool_id"]
                .as_str()
                .expect("user_pool_id")
                .to_owned(),
        }
    }

    /// The pool exists on the emulator.
    async fn assert_up(&self, case: &Case) {
        case.idp
            .describe_user_pool()
            .user_pool_id(&self.pool_id)
            .send()
            .await
            .unwrap_or_else(|e| panic!("review pool {} is missing: {e:?}", self.id));
        let status = wait_for_stack(&case.cfn, &self.stack).await;
        assert_eq!(status, StackStatus::CreateComplete, "{}", self.stack);
    }

    /// Nothing of the review pool is left: its stack, its user pool, its artifacts.
    async fn assert_gone(&self, case: &Case) {
        if let Ok(described) = case
            .cfn
            .describe_stacks()
            .stack_name(&self.stack)
            .send()
            .await
        {
            for stack in described.stacks() {
                assert_eq!(
                    stack.stack_status(),
                    Some(&StackStatus::DeleteComplete),
                    "review stack {} is left",
                    self.stack
                );
            }
        }
        assert!(
            case.idp
                .describe_user_pool()
                .user_pool_id(&self.pool_id)
                .send()
                .await
                .is_err(),
            "review pool {}'s user pool {} is left",
            self.id,
            self.pool_id
        );
        let artifacts = case
            .s3
            .list_objects_v2()
            .bucket(ARTIFACT_BUCKET)
            .prefix(format!("review/{}/", self.stack))
            .send()
            .await
            .map(|listed| listed.contents().len())
            .unwrap_or(0);
        assert_eq!(artifacts, 0, "review pool {}'s artifacts are left", self.id);
    }
}

/// The ids `review ls --output json` lists (asked past the proxy's faults: a plain proxy).
fn listed_ids(case: &Case) -> Vec<String> {
    let ls = case.poolctl(&["review", "ls", "--output", "json", "--now", REVIEW_NOW]);
    let rows = expect_code(&ls, 0, "review ls").json();
    rows.as_array()
        .expect("an array")
        .iter()
        .filter_map(|row| row["id"].as_str().map(str::to_owned))
        .collect()
}

/// 30% of every call throttled, in each service's own shape.
fn throttle_30(seed: u64) -> FaultPlan {
    FaultPlan::seeded(seed).rule(Rule::new("*", "*", Fault::Throttle).probability(0.3))
}

// 5. Ten review pools brought up at once under AWS's request-rate quotas.
#[tokio::test(flavor = "multi_thread")]
async fn ten_review_pools_at_once_under_quotas() {
    let case = Case::new("fm-quota").await;
    case.proxy
        .set_plan(FaultPlan::none().quotas(Quotas::aws_defaults()));
    let ids: Vec<String> = (1..=10).map(|n| format!("fmq-{n}")).collect();
    let args: Vec<Vec<String>> = ids
        .iter()
        .map(|id| review_up_args(id, REVIEW_NOW, "3d"))
        .collect();
    let children: Vec<Child> = args.iter().map(|a| case.spawn(&strs(a))).collect();
    let runs: Vec<Run> = children
        .into_iter()
        .map(|child| matrix::finish(case.emulator, child))
        .collect();
    let pools: Vec<ReviewPool> = ids
        .iter()
        .zip(&runs)
        .map(|(id, run)| ReviewPool::from_up(id, run))
        .collect();
    let stats = case.proxy.stats();
    let throttled = stats.quota_throttled_total();
    assert!(
        throttled > 0,
        "no call was over quota: {:#?}",
        stats.categories
    );
    case.proxy.set_plan(FaultPlan::none());
    for pool in &pools {
        pool.assert_up(&case).await;
    }
    let listed = listed_ids(&case);
    let ours: Vec<&String> = listed.iter().filter(|id| ids.contains(id)).collect();
    assert_eq!(ours.len(), 10, "review ls lists {listed:?}");

    let downs: Vec<Child> = ids
        .iter()
        .map(|id| case.spawn(&["review", "down", &format!("--id={id}")]))
        .collect();
    for (id, child) in ids.iter().zip(downs) {
        let down = matrix::finish(case.emulator, child);
        expect_code(&down, 0, &format!("review down {id}"));
        assert_says(&down, &format!("Deleted review pool {id}"));
    }
    for pool in &pools {
        pool.assert_gone(&case).await;
    }
    eprintln!("{throttled} calls over quota");
}

// 11a. review up under 30% throttling.
#[tokio::test(flavor = "multi_thread")]
async fn review_up_under_throttling() {
    let case = Case::new("fm-rv-up").await;
    case.proxy.set_plan(throttle_30(11));
    let up = case.poolctl(&strs(&review_up_args("fmt-up", REVIEW_NOW, "3d")));
    let pool = ReviewPool::from_up("fmt-up", &up);
    let throttled = case.proxy.stats().fault_total("Throttle");
    assert!(throttled > 0, "nothing was throttled");
    case.proxy.set_plan(FaultPlan::none());
    pool.assert_up(&case).await;
    assert!(listed_ids(&case).contains(&pool.id));

    let down = case.poolctl(&["review", "down", "--id=fmt-up"]);
    expect_code(&down, 0, "review down after the throttled up");
    pool.assert_gone(&case).await;
}

// 11b. review down under 30% throttling.
#[tokio::test(flavor = "multi_thread")]
async fn review_down_under_throttling() {
    let case = Case::new("fm-rv-down").await;
    let up = case.poolctl(&strs(&review_up_args("fmt-down", REVIEW_NOW, "3d")));
    let pool = ReviewPool::from_up("fmt-down", &up);
    case.proxy.reset_stats();
    case.proxy.set_plan(throttle_30(12));
    let down = case.poolctl(&["review", "down", "--id=fmt-down"]);
    expect_code(&down, 0, "review down under throttling");
    assert_says(&down, "Deleted review pool fmt-down");
    assert!(case.proxy.stats().fault_total("Throttle") > 0);
    case.proxy.set_plan(FaultPlan::none());
    pool.assert_gone(&case).await;
}

// 11c. review gc under 30% throttling.
#[tokio::test(flavor = "multi_thread")]
async fn review_gc_under_throttling() {
    let case = Case::new("fm-rv-gc").await;
    let pools: Vec<ReviewPool> = ["fmt-gc-1", "fmt-gc-2"]
        .iter()
        .map(|id| {
            let up = case.poolctl(&strs(&review_up_args(id, GC_CREATED, "1m")));
            ReviewPool::from_up(id, &up)
        })
        .collect();
    case.proxy.reset_stats();
    case.proxy.set_plan(throttle_30(13));
    let gc = case.poolctl(&["review", "gc", "--now", GC_NOW]);
    expect_code(&gc, 0, "review gc under throttling");
    for pool in &pools {
        assert_says(&gc, &format!("deleted       {}", pool.id));
    }
    assert_says(&gc, "gc: 2 deleted, 0 failed");
    assert!(case.proxy.stats().fault_total("Throttle") > 0);
    case.proxy.set_plan(FaultPlan::none());
    for pool in &pools {
        pool.assert_gone(&case).await;
    }
}

/// A custom resource's handler (Python, run by the emulator) that refuses every update to or
/// from `Fail: yes`: an update that sets it fails, and so does its rollback.
const STUBBORN_HANDLER: &str = r#"import json, urllib.request
def handler(event, context):
    props = event.get("ResourceProperties", {})
    old = event.get("OldResourceProperties", {})
    failing = event["RequestType"] == "Update" and "yes" in (props.get("Fail"), old.get("Fail"))
    body = json.dumps({
        "Status": "FAILED" if failing else "SUCCESS",
        "Reason": "this resource refuses every update to or from Fail=yes",
        "PhysicalResourceId": event.get("PhysicalResourceId") or "stubborn",
        "StackId": event["StackId"], "RequestId": event["RequestId"],
        "LogicalResourceId": event["LogicalResourceId"], "Data": {},
    }).encode()
    urllib.request.urlopen(urllib.request.Request(event["ResponseURL"], data=body, method="PUT")).read()
"#;

/// Updates the case's stack directly (not through poolctl) to its deployed template plus a
/// stubborn custom resource, `failing` or not, keeping every parameter; returns the status it
/// settles in.
async fn update_with_stubborn_resource(case: &Case, failing: bool) -> StackStatus {
    let deployed = case
        .cfn
        .get_template()
        .stack_name(&case.stack)
        .template_stage(TemplateStage::Original)
        .send()
        .await
        .expect("get template");
    let mut template: serde_json::Value =
        serde_json::from_str(deployed.template_body().expect("template body"))
            .expect("poolctl deploys JSON");
    let resources = &mut template["Resources"];
    resources["StubbornHandler"] = serde_json::json!({
        "Type": "AWS::Lambda::Function",
        "Properties": {
            "Runtime": "python3.12",
            "Handler": "index.handler",
            "Role": "arn:aws:iam::000000000000:role/fm-stubborn",
            "Code": { "ZipFile": STUBBORN_HANDLER },
        },
    });
    resources["Stubborn"] = serde_json::json!({
        "Type": "Custom::Stubborn",
        "Properties": { "ServiceToken": { "Fn::GetAtt": ["StubbornHandler", "Arn"] } },
    });
    if failing {
        resources["Stubborn"]["Properties"]["Fail"] = "yes".into();
    }
    let described = case
        .cfn
        .describe_stacks()
        .stack_name(&case.stack)
        .send()
        .await
        .expect("describe stack");
    let keep: Vec<Parameter> = described.stacks()[0]
        .parameters()
        .iter()
        .map(|p| {
            Parameter::builder()
                .set_parameter_key(p.parameter_key().map(str::to_owned))
                .use_previous_value(true)
                .build()
        })
        .collect();
    case.cfn
        .update_stack()
        .stack_name(&case.stack)
        .template_body(template.to_string())
        .set_parameters(Some(keep))
        .capabilities(Capability::CapabilityIam)
        .capabilities(Capability::CapabilityNamedIam)
        .send()
        .await
        .expect("update stack");
    wait_for_stack(&case.cfn, &case.stack).await
}

// 8. A stack stuck in UPDATE_ROLLBACK_FAILED.
#[tokio::test(flavor = "multi_thread")]
async fn an_update_rollback_failed_stack() {
    let case = Case::deployed("fm-stuck").await;
    let pool = case.pool_id().await;
    assert_eq!(
        update_with_stubborn_resource(&case, false).await,
        StackStatus::UpdateComplete
    );
    assert_eq!(
        update_with_stubborn_resource(&case, true).await,
        StackStatus::UpdateRollbackFailed,
        "the update fails and so does its rollback"
    );

    let stuck = case.poolctl(&case.deploy_args(&case.spec));
    expect_code(&stuck, 1, "deploy over UPDATE_ROLLBACK_FAILED");
    assert_says(&stuck, "is UPDATE_ROLLBACK_FAILED");
    assert_says(
        &stuck,
        &format!(
            "aws cloudformation continue-update-rollback --stack-name {}",
            case.stack
        ),
    );
    // Nothing lost, and the stack waits in the state the message names, for that command.
    assert_eq!(case.user_count(&pool).await, matrix::USERS);
    assert_eq!(case.pool_id().await, pool);
    assert!(case.pending_change_sets().await.is_empty());
    assert_eq!(
        wait_for_stack(&case.cfn, &case.stack).await,
        StackStatus::UpdateRollbackFailed
    );

    // The way out the message gives, then the deploy again.
    case.cfn
        .continue_update_rollback()
        .stack_name(&case.stack)
        .resources_to_skip("Stubborn")
        .send()
        .await
        .expect("continue-update-rollback");
    assert_eq!(
        wait_for_stack(&case.cfn, &case.stack).await,
        StackStatus::UpdateRollbackComplete
    );
    let again = case.poolctl(&case.deploy_args(&case.spec));
    expect_code(&again, 0, "deploy after continue-update-rollback");
    assert_says(&again, &format!("Stack {} updated", case.stack));
    case.assert_nothing_lost(&pool).await;
}
