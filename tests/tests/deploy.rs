//! `poolctl deploy | diff | destroy | outputs` end to end: the real binary, the real trigger
//! zip, against a private ministack. Every test uses its own stack name and hosted-UI domain
//! prefix (prefixes are unique per region), so the tests share one emulator.
//!
//! The `exit_3_…` and `exit_4_…` tests pin the exit-code contract with scripts: a guard's
//! refusal exits 3 and a failed stack exits 4, whichever command (deploy, diff, destroy) and
//! however many layers the error passed through on its way out.

use std::path::{Path, PathBuf};

use aws_sdk_cognitoidentityprovider as cognito;
use e2e::aws::{self, client_secret, sign_up_with_secret};
use e2e::cli::{expect_code, poolctl, run_on, run_poolctl, spec_command, Run};
use e2e::emulator::Emulator;
use e2e::faultproxy::{FaultPlan, Settle};
use e2e::{scratch_dir, spec_variant, unique_name};
use serde_json::Value;

const DEMO_SUBJECT: &str = "subject: Your demo verification code";
const DEMO_DOMAIN: &str = "prefix: poolctl-demo-7f3a";

/// A copy of infra/pools/demo.yaml with text replaced (each anchor must be there).
fn demo_variant(edits: &[(&str, &str)]) -> PathBuf {
    spec_variant("infra/pools/demo.yaml", "demo.yaml", edits)
}

fn domain(prefix: &str) -> String {
    format!("prefix: {prefix}")
}

/// `poolctl deploy SPEC --stack STACK --arch x86_64 --trigger-zip ... --yes --output json`.
fn deploy(emulator: &Emulator, spec: &Path, stack: &str, extra: &[&str]) -> Run {
    let mut args = spec_command("deploy", spec, stack);
    args.extend(["--yes", "--output", "json"].map(str::to_owned));
    run_spec_command(emulator, &args, extra)
}

/// `poolctl diff SPEC --stack STACK --arch x86_64 --trigger-zip ...`.
fn diff(emulator: &Emulator, spec: &Path, stack: &str, extra: &[&str]) -> Run {
    run_spec_command(emulator, &spec_command("diff", spec, stack), extra)
}

/// `poolctl ARGS EXTRA` against `emulator`.
fn run_spec_command(emulator: &Emulator, args: &[String], extra: &[&str]) -> Run {
    let all: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .chain(extra.iter().copied())
        .collect();
    run_poolctl(emulator, &all)
}

async fn change_set_count(cfn: &aws_sdk_cloudformation::Client, stack: &str) -> usize {
    cfn.list_change_sets()
        .stack_name(stack)
        .send()
        .await
        .expect("list change sets")
        .summaries()
        .len()
}

async fn email_verified(idp: &cognito::Client, pool_id: &str, username: &str) -> Option<String> {
    let user = idp
        .admin_get_user()
        .user_pool_id(pool_id)
        .username(username)
        .send()
        .await
        .unwrap_or_else(|e| panic!("admin-get-user {username}: {e:?}"));
    user.user_attributes()
        .iter()
        .find(|a| a.name() == "email_verified")
        .and_then(|a| a.value())
        .map(str::to_owned)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pool_is_created_used_updated_guarded_replaced_and_destroyed() {
    let emulator = Emulator::shared();
    let config = aws::sdk_config(emulator).await;
    let cfn = aws_sdk_cloudformation::Client::new(&config);
    let idp = cognito::Client::new(&config);
    let stack = unique_name("deploy-life");
    let prefix = unique_name("life");
    let spec = demo_variant(&[(DEMO_DOMAIN, &domain(&prefix))]);
    let outputs_file = scratch_dir(&stack).join("outputs.json");

    // Create: outputs present, also in the outputs file.
    let created = deploy(
        emulator,
        &spec,
        &stack,
        &["--outputs-file", outputs_file.to_str().unwrap()],
    );
    expect_code(&created, 0, "create");
    let report = created.json();
    assert_eq!(report["action"], "created");
    assert_eq!(report["status"], "CREATE_COMPLETE");
    assert!(report["failure"].is_null());
    let outputs = report["outputs"].clone();
    for key in [
        "UserPoolId",
        "UserPoolArn",
        "ProviderUrl",
        "ClientWebId",
        "ClientAgentId",
        "PreSignUpFunctionArn",
    ] {
        assert!(
            outputs[key].as_str().is_some_and(|v| !v.is_empty()),
            "output {key} missing: {outputs}"
        );
    }
    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(&outputs_file).unwrap()).unwrap();
    assert_eq!(written, outputs);
    assert!(
        created.stderr.contains("CREATE_COMPLETE"),
        "events are streamed:\n{}",
        created.stderr
    );
    let pool_id = outputs["UserPoolId"].as_str().unwrap().to_owned();
    let agent_id = outputs["ClientAgentId"].as_str().unwrap().to_owned();

    // The pool as the spec says.
    let pool = idp
        .describe_user_pool()
        .user_pool_id(&pool_id)
        .send()
        .await
        .unwrap();
    let pool = pool.user_pool().unwrap();
    let auto: Vec<&str> = pool
        .auto_verified_attributes()
        .iter()
        .map(cognito::types::VerifiedAttributeType::as_str)
        .collect();
    assert_eq!(auto, ["email"]);
    let keep: Vec<&str> = pool
        .user_attribute_update_settings()
        .map(|s| {
            s.attributes_require_verification_before_update()
                .iter()
                .map(cognito::types::VerifiedAttributeType::as_str)
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(keep, ["email"]);
    let template = pool
        .verification_message_template()
        .expect("verification message template");
    assert_eq!(
        template.email_subject(),
        Some("Your demo verification code")
    );
    assert_eq!(
        pool.lambda_config().and_then(|l| l.pre_sign_up()),
        outputs["PreSignUpFunctionArn"].as_str()
    );

    // Sign-up through the trusted agent client: confirmed with a verified email.
    let secret = client_secret(&idp, &pool_id, &agent_id)
        .await
        .expect("the agent client has a secret");
    let user = format!("{prefix}@example.com");
    sign_up_with_secret(&idp, &agent_id, &secret, &user)
        .await
        .expect("agent sign-up");
    assert_eq!(
        email_verified(&idp, &pool_id, &user).await.as_deref(),
        Some("true")
    );
    // A denied domain is refused by the trigger.
    let denied = sign_up_with_secret(
        &idp,
        &agent_id,
        &secret,
        &format!("{prefix}@mailinator.com"),
    )
    .await
    .expect_err("mailinator.com is denied");
    let denied = denied.into_service_error();
    assert!(denied.is_user_lambda_validation_exception(), "{denied:?}");

    // Unchanged: skipped without a change set.
    let before = change_set_count(&cfn, &stack).await;
    let unchanged = deploy(emulator, &spec, &stack, &[]);
    expect_code(&unchanged, 0, "unchanged redeploy");
    assert_eq!(unchanged.json()["action"], "unchanged");
    assert_eq!(unchanged.json()["outputs"], outputs);
    assert_eq!(
        change_set_count(&cfn, &stack).await,
        before,
        "no change set for an unchanged deploy"
    );

    // diff shows a safe change and --fail makes it exit 1; nothing is executed.
    let safe = demo_variant(&[
        (DEMO_DOMAIN, &domain(&prefix)),
        (DEMO_SUBJECT, "subject: Your new demo code"),
    ]);
    let changes = diff(emulator, &safe, &stack, &["--fail"]);
    expect_code(&changes, 1, "diff --fail with a change");
    assert!(
        changes.stdout.contains("~ modify   UserPool"),
        "{}",
        changes.stdout
    );
    assert!(
        changes.stdout.contains("VerificationMessageTemplate"),
        "{}",
        changes.stdout
    );

    // Without --yes and with no terminal to ask on, a change that modifies the pool is shown,
    // not executed: its change set is deleted, the stack is left as it was, and the refusal is
    // the one error line (no JSON report: nothing was attempted).
    let mut unconfirmed = spec_command("deploy", &safe, &stack);
    unconfirmed.extend(["--output", "json"].map(str::to_owned));
    let declined = run_spec_command(emulator, &unconfirmed, &[]);
    expect_code(&declined, 1, "deploy without --yes and no terminal");
    assert_eq!(declined.stdout, "", "{}", declined.stderr);
    assert!(
        declined
            .stderr
            .contains(&format!("Change set for stack {stack} (UPDATE):"))
            && declined.stderr.contains("~ modify   UserPool"),
        "{}",
        declined.stderr
    );
    assert!(
        declined.stderr.ends_with(
            "error: confirmation needed but there is no terminal to ask on; pass --yes; the \
             change set was deleted and nothing changed\n"
        ),
        "{}",
        declined.stderr
    );
    assert_eq!(change_set_count(&cfn, &stack).await, before);

    // A safe change updates in place; the user is still there.
    let updated = deploy(emulator, &safe, &stack, &[]);
    expect_code(&updated, 0, "safe update");
    let report = updated.json();
    assert_eq!(report["action"], "updated");
    let pool_change = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["logical_id"] == "UserPool")
        .expect("the pool changes");
    assert_eq!(pool_change["action"], "modify");
    assert_eq!(pool_change["replacement"], "no");
    assert_eq!(report["outputs"]["UserPoolId"], pool_id.as_str());
    let pool = idp
        .describe_user_pool()
        .user_pool_id(&pool_id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        pool.user_pool()
            .and_then(|p| p.verification_message_template())
            .and_then(|t| t.email_subject()),
        Some("Your new demo code")
    );
    assert_eq!(
        email_verified(&idp, &pool_id, &user).await.as_deref(),
        Some("true")
    );

    // Changing the sign-in identifier would need a new pool: refused, exit 3, nothing created.
    let before = change_set_count(&cfn, &stack).await;
    let other_prefix = unique_name("life-new");
    let replacing = demo_variant(&[
        (DEMO_DOMAIN, &domain(&other_prefix)),
        (DEMO_SUBJECT, "subject: Your new demo code"),
        ("username: email", "username: username"),
    ]);
    let refused = deploy(emulator, &replacing, &stack, &[]);
    expect_code(&refused, 3, "sign-in identifier change");
    assert_eq!(refused.json()["action"], "refused");
    assert!(
        refused.stderr.contains("UsernameAttributes"),
        "{}",
        refused.stderr
    );
    assert!(
        refused.stderr.contains("--allow-pool-replacement"),
        "{}",
        refused.stderr
    );
    assert_eq!(
        change_set_count(&cfn, &stack).await,
        before,
        "refused before any change set"
    );
    assert_eq!(
        email_verified(&idp, &pool_id, &user).await.as_deref(),
        Some("true")
    );

    // Allowed: a new pool under a new logical ID.
    let replaced = deploy(emulator, &replacing, &stack, &["--allow-pool-replacement"]);
    expect_code(&replaced, 0, "allowed replacement");
    let report = replaced.json();
    assert_eq!(report["action"], "updated");
    let actions: Vec<(String, String)> = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["type"] == "AWS::Cognito::UserPool")
        .map(|c| {
            (
                c["action"].as_str().unwrap().to_owned(),
                c["logical_id"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        actions.contains(&("remove".into(), "UserPool".into())),
        "{actions:?}"
    );
    assert!(
        actions.contains(&("add".into(), "UserPool2".into())),
        "{actions:?}"
    );
    assert_ne!(report["outputs"]["UserPoolId"], pool_id.as_str());
    // And the next deploy of the same spec keeps the new ID: nothing to do.
    let again = deploy(emulator, &replacing, &stack, &[]);
    expect_code(&again, 0, "redeploy after replacement");
    assert_eq!(again.json()["action"], "unchanged");

    // outputs and destroy.
    let shown = run_poolctl(
        emulator,
        &["outputs", "--stack", &stack, "--output", "json"],
    );
    expect_code(&shown, 0, "outputs");
    assert_eq!(shown.json(), report["outputs"]);
    let destroyed = run_poolctl(emulator, &["destroy", "--stack", &stack, "--yes"]);
    expect_code(&destroyed, 0, "destroy");
    let gone = cfn.describe_stacks().stack_name(&stack).send().await;
    assert!(gone.is_err(), "stack still listed: {gone:?}");
    let absent = run_poolctl(emulator, &["destroy", "--stack", &stack, "--yes"]);
    expect_code(&absent, 0, "destroy of an absent stack");
    assert!(
        absent.stderr.contains("does not exist"),
        "{}",
        absent.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn exit_4_when_a_resource_fails_naming_it_and_the_next_deploy_recreates_the_stack() {
    let emulator = Emulator::shared();
    let prefix = unique_name("taken");
    // The first stack holds the domain prefix; the second asks for the same one.
    let holder = unique_name("deploy-holder");
    let spec = demo_variant(&[(DEMO_DOMAIN, &domain(&prefix))]);
    expect_code(&deploy(emulator, &spec, &holder, &[]), 0, "first stack");

    let stack = unique_name("deploy-fail");
    let failed = deploy(emulator, &spec, &stack, &[]);
    expect_code(&failed, 4, "stack whose domain is taken");
    let report = failed.json();
    assert_eq!(report["action"], "failed");
    assert_eq!(report["status"], "ROLLBACK_COMPLETE");
    assert_eq!(report["failure"]["logical_id"], "UserPoolDomain");
    assert_eq!(report["failure"]["type"], "AWS::Cognito::UserPoolDomain");
    assert!(
        report["failure"]["reason"]
            .as_str()
            .unwrap()
            .contains("already exists"),
        "{report}"
    );
    assert!(
        failed.stderr.contains("first failure: UserPoolDomain"),
        "{}",
        failed.stderr
    );

    // The rolled-back stack is deleted and created again, saying so.
    let fixed = demo_variant(&[(DEMO_DOMAIN, &domain(&unique_name("free")))]);
    let recreated = deploy(emulator, &fixed, &stack, &[]);
    expect_code(&recreated, 0, "redeploy after a failed create");
    assert_eq!(recreated.json()["action"], "created");
    assert!(
        recreated.stderr.contains("ROLLBACK_COMPLETE"),
        "{}",
        recreated.stderr
    );
    assert!(
        recreated
            .stderr
            .contains("deleting it and creating it again"),
        "{}",
        recreated.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn exit_3_when_deletion_protection_refuses_destroy_deploy_or_diff() {
    let emulator = Emulator::shared();
    let cfn = aws::cloudformation(emulator).await;
    let stack = unique_name("deploy-protected");
    let prefix = unique_name("protected");
    let protected = demo_variant(&[
        (DEMO_DOMAIN, &domain(&prefix)),
        ("deletion: inactive", "deletion: active"),
        // check refuses deletion protection without retain (guard/pool_protection.guard).
        ("retain_on_delete: false", "retain_on_delete: true"),
    ]);
    expect_code(
        &deploy(emulator, &protected, &stack, &[]),
        0,
        "protected pool",
    );

    let destroy = run_poolctl(emulator, &["destroy", "--stack", &stack, "--yes"]);
    expect_code(&destroy, 3, "destroy while deletion protection is on");
    assert!(
        destroy.stderr.contains("deletion protection ACTIVE"),
        "{}",
        destroy.stderr
    );
    assert!(
        destroy.stderr.contains("deletion: inactive"),
        "{}",
        destroy.stderr
    );

    let unprotected = demo_variant(&[(DEMO_DOMAIN, &domain(&prefix))]);
    let dropped = deploy(emulator, &unprotected, &stack, &[]);
    expect_code(&dropped, 3, "dropping deletion protection");
    assert!(
        dropped
            .stderr
            .contains("deletion protection would be turned off"),
        "{}",
        dropped.stderr
    );

    // diff meets the same guard: exit 3 as well, and no change set is left behind.
    let before = change_set_count(&cfn, &stack).await;
    let diffed = diff(emulator, &unprotected, &stack, &[]);
    expect_code(&diffed, 3, "diff that would drop deletion protection");
    assert!(
        diffed
            .stderr
            .contains("deletion protection would be turned off"),
        "{}",
        diffed.stderr
    );
    assert_eq!(
        change_set_count(&cfn, &stack).await,
        before,
        "a refused diff leaves no change set"
    );

    expect_code(
        &deploy(
            emulator,
            &unprotected,
            &stack,
            &["--allow-pool-replacement"],
        ),
        0,
        "drop it on purpose",
    );
    // Without a terminal and without --yes, destroy does not guess.
    let unconfirmed = run_poolctl(emulator, &["destroy", "--stack", &stack]);
    expect_code(&unconfirmed, 1, "destroy without --yes off a terminal");
    assert!(
        unconfirmed.stderr.contains("pass --yes"),
        "{}",
        unconfirmed.stderr
    );
    expect_code(
        &run_poolctl(emulator, &["destroy", "--stack", &stack, "--yes"]),
        0,
        "destroy",
    );
}

#[test]
fn missing_credentials_or_region_is_one_sentence_and_exit_1() {
    let emulator = Emulator::shared();
    let no_credentials = run_on(
        emulator,
        poolctl(emulator)
            .env_remove("AWS_ACCESS_KEY_ID")
            .env_remove("AWS_SECRET_ACCESS_KEY")
            .args(["outputs", "--stack", "anything"]),
    );
    expect_code(&no_credentials, 1, "no credentials");
    let error_lines: Vec<&str> = no_credentials
        .stderr
        .lines()
        .filter(|l| l.starts_with("error:"))
        .collect();
    assert_eq!(error_lines.len(), 1, "{}", no_credentials.stderr);
    assert!(
        error_lines[0].contains("no AWS credentials found"),
        "{}",
        no_credentials.stderr
    );
    assert!(
        !error_lines[0].contains("Ec2InstanceMetadata"),
        "one sentence, no chain dump: {}",
        error_lines[0]
    );

    // With instance metadata enabled but unreachable (a laptop, a CI runner), the SDK's region
    // chain tries IMDS first; its warnings must not bury the one sentence that says what to set.
    let no_region = run_on(
        emulator,
        poolctl(emulator)
            .env_remove("AWS_REGION")
            .env_remove("AWS_DEFAULT_REGION")
            .env_remove("AWS_EC2_METADATA_DISABLED")
            .env("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:9")
            .args(["outputs", "--stack", "anything"]),
    );
    expect_code(&no_region, 1, "no region");
    assert!(
        !no_region.stderr.contains("IMDS"),
        "no SDK warnings about instance metadata: {}",
        no_region.stderr
    );
    assert!(
        no_region.stderr.contains("no AWS region is set"),
        "{}",
        no_region.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_review_in_progress_stack_is_created_through_not_deleted() {
    // Behind the fault proxy (injecting nothing), which counts the calls poolctl makes.
    let emulator = &Emulator::start_with(FaultPlan::none());
    let cfn = aws::cloudformation(emulator).await;
    let stack = unique_name("deploy-review-leftover");
    // A CREATE change set that nobody executes leaves the stack in REVIEW_IN_PROGRESS.
    cfn.create_change_set()
        .stack_name(&stack)
        .change_set_name("abandoned")
        .change_set_type(aws_sdk_cloudformation::types::ChangeSetType::Create)
        .template_body(r#"{"Resources":{"Topic":{"Type":"AWS::SNS::Topic"}}}"#)
        .send()
        .await
        .expect("create an abandoned change set");
    let described = cfn
        .describe_stacks()
        .stack_name(&stack)
        .send()
        .await
        .expect("describe");
    let status = described.stacks()[0]
        .stack_status()
        .expect("a status")
        .clone();
    assert_eq!(status.as_str(), "REVIEW_IN_PROGRESS");

    // The change set may be another deploy's, about to be executed: the stack is not deleted
    // under it; this deploy's CREATE change set goes beside it and creates the stack.
    let spec = demo_variant(&[(DEMO_DOMAIN, &domain(&unique_name("leftover")))]);
    let deployed = deploy(emulator, &spec, &stack, &[]);
    expect_code(&deployed, 0, "deploy over a REVIEW_IN_PROGRESS stack");
    assert_eq!(deployed.json()["action"], "created");
    assert!(
        deployed
            .stderr
            .contains("REVIEW_IN_PROGRESS: a change set that creates it was made and not executed"),
        "{}",
        deployed.stderr
    );
    assert_eq!(
        emulator
            .faults()
            .stats()
            .op("cloudformation", "DeleteStack")
            .passed,
        0,
        "the REVIEW_IN_PROGRESS stack was deleted"
    );
    let created = cfn
        .describe_stacks()
        .stack_name(&stack)
        .send()
        .await
        .expect("describe");
    assert_eq!(
        created.stacks()[0]
            .stack_status()
            .map(aws_sdk_cloudformation::types::StackStatus::as_str),
        Some("CREATE_COMPLETE")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_deploy_waits_out_cloudformations_settle_times_and_ends_on_the_settled_stack() {
    // The emulator makes change sets and runs stack operations inside the call; the proxy's
    // settle model makes them take time as on AWS. A watch that stopped at the first answer,
    // or a model whose rewriting missed the emulator's real answers, would poll once.
    let settle = Settle {
        change_set_ready: std::time::Duration::from_millis(300),
        stack_operation: std::time::Duration::from_millis(600),
    };
    let emulator = &Emulator::start_with(FaultPlan::none().settle(settle));
    let stack = unique_name("deploy-settle");
    let spec = demo_variant(&[(DEMO_DOMAIN, &domain(&unique_name("settle")))]);
    let created = deploy(emulator, &spec, &stack, &[]);
    expect_code(&created, 0, "deploy under the settle model");
    assert_eq!(created.json()["action"], "created");

    let stats = emulator.faults().stats();
    let polls = |op: &str| stats.op("cloudformation", op).passed;
    assert!(
        polls("DescribeChangeSet") >= 2,
        "the change set was polled until ready: {} DescribeChangeSet",
        polls("DescribeChangeSet")
    );
    assert!(
        polls("DescribeStackEvents") >= 3,
        "the stack events were polled until the stack settled: {} DescribeStackEvents",
        polls("DescribeStackEvents")
    );
    let cfn = aws::cloudformation(emulator).await;
    let described = cfn
        .describe_stacks()
        .stack_name(&stack)
        .send()
        .await
        .expect("describe");
    assert_eq!(
        described.stacks()[0]
            .stack_status()
            .map(aws_sdk_cloudformation::types::StackStatus::as_str),
        Some("CREATE_COMPLETE"),
        "the model's window is over: the stack reads as the emulator left it"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_update_reads_the_events_once_before_and_once_after_executing() {
    // The emulator ends a stack operation inside ExecuteChangeSet, so the first poll after it
    // reads the stack's own settled event: one DescribeStackEvents for the marker (read while
    // the change set is made), one poll, then the status. A watch that read the events again
    // after the status, or a marker read after the change set, would make more calls.
    let emulator = &Emulator::start_with(FaultPlan::none());
    let stack = unique_name("deploy-calls");
    let prefix = domain(&unique_name("calls"));
    let created = deploy(
        emulator,
        &demo_variant(&[(DEMO_DOMAIN, &prefix)]),
        &stack,
        &[],
    );
    expect_code(&created, 0, "create");
    let proxy = emulator.faults();
    proxy.reset_stats();
    let changed = demo_variant(&[(DEMO_DOMAIN, &prefix), (DEMO_SUBJECT, "subject: Changed")]);
    let updated = deploy(emulator, &changed, &stack, &[]);
    expect_code(&updated, 0, "update");
    assert_eq!(updated.json()["action"], "updated");
    let calls = |op: &str| proxy.stats().op("cloudformation", op).calls;
    assert_eq!(calls("DescribeStackEvents"), 2, "{:?}", proxy.stats());
    assert_eq!(calls("ExecuteChangeSet"), 1);
}
