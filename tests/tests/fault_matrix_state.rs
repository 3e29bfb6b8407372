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

use e2e::cli::{expect_code, Run};
use e2e::faultproxy::{Fault, FaultPlan, Rule};
use e2e::matrix::{self, Case};
use e2e::{spec_variant, unique_name};

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
    case.wait_for("the watch's DescribeStacks", |s| {
        s.op("cloudformation", "DescribeStacks").fault("Latency") >= 1
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
    matrix::interrupt(&child);
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
