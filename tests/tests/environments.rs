//! Spec environments end to end: `--env` is required when a spec declares environments, the
//! account guard refuses credentials of another account before anything is created, and each
//! environment lands in its own account and region (the emulator keeps accounts apart by
//! access key, and its STS AssumeRole acts in the role's account).

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use aws_sdk_cognitoidentityprovider as cognito;
use e2e::cli::{expect_code, finished_on, interrupt, poolctl, run_on, spec_command, Run};
use e2e::emulator::Emulator;
use e2e::faultproxy::{Fault, FaultPlan, Rule};
use e2e::{spec_variant, unique_name};

/// A copy of the demo pool named `pool`, with a domain prefix of its own and `environments`.
fn spec_with_environments(pool: &str, environments: &str) -> PathBuf {
    let prefix = format!("prefix: {pool}");
    let block = format!("environment: demo\n\nenvironments:\n{environments}");
    spec_variant(
        "infra/pools/demo.yaml",
        "demo.yaml",
        &[
            ("name: demo", &format!("name: {pool}")),
            ("prefix: poolctl-demo-7f3a", &prefix),
            ("environment: demo\n", &block),
        ],
    )
}

/// `poolctl deploy SPEC --yes EXTRA` with the credentials of `account` and no region of its
/// own (an environment brings its region).
fn deploy_as(emulator: &Emulator, account: &str, spec: &Path, extra: &[&str]) -> Run {
    let mut args = spec_command("deploy", spec, "unused");
    // The stack is the environment's default: drop `--stack unused`.
    args.drain(2..4);
    args.push("--yes".to_owned());
    args.extend(extra.iter().map(|s| (*s).to_owned()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run_as(emulator, account, &args)
}

/// `poolctl ARGS` with the credentials of `account` and no region of its own.
fn run_as(emulator: &Emulator, account: &str, args: &[&str]) -> Run {
    let mut command = poolctl(emulator);
    command
        .env("AWS_ACCESS_KEY_ID", account)
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .args(args);
    run_on(emulator, &mut command)
}

/// SDK configuration acting as `account` in `region` on the emulator.
async fn config_as(emulator: &Emulator, account: &str, region: &str) -> aws_config::SdkConfig {
    let credentials =
        aws_sdk_cloudformation::config::Credentials::new(account, "test", None, None, "e2e");
    aws_config::defaults(aws_config::BehaviorVersion::latest())
        .endpoint_url(emulator.endpoint())
        .region(aws_config::Region::new(region.to_owned()))
        .credentials_provider(credentials)
        .load()
        .await
}

/// Whether `stack` exists (and is not deleted) for `account` in `region`.
async fn stack_exists(emulator: &Emulator, account: &str, region: &str, stack: &str) -> bool {
    let cfn = aws_sdk_cloudformation::Client::new(&config_as(emulator, account, region).await);
    match cfn.describe_stacks().stack_name(stack).send().await {
        Ok(out) => out.stacks().iter().any(|s| {
            s.stack_status()
                .is_some_and(|status| status.as_str() != "DELETE_COMPLETE")
        }),
        Err(_) => false,
    }
}

/// The buckets `account` owns.
async fn buckets(emulator: &Emulator, account: &str) -> Vec<String> {
    let config = config_as(emulator, account, "us-east-1").await;
    let s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&config)
            .force_path_style(true)
            .build(),
    );
    let listed = s3.list_buckets().send().await.expect("list buckets");
    listed
        .buckets()
        .iter()
        .filter_map(|b| b.name().map(str::to_owned))
        .collect()
}

#[test]
fn without_env_a_spec_with_environments_is_refused_and_names_them() {
    let emulator = Emulator::shared();
    let pool = unique_name("envreq");
    let spec = spec_with_environments(
        &pool,
        "  dev: { account: \"111111111111\", region: us-east-1 }\n  prod: { account: \"333333333333\", region: us-east-1 }\n",
    );
    let run = deploy_as(emulator, "111111111111", &spec, &[]);
    expect_code(&run, 1, "deploy without --env");
    assert!(
        run.stderr.contains("--env") && run.stderr.contains("dev, prod"),
        "{}",
        run.stderr
    );
    let run = deploy_as(emulator, "111111111111", &spec, &["--env", "stage"]);
    expect_code(&run, 1, "deploy --env of an undeclared environment");
    assert!(run.stderr.contains("dev, prod"), "{}", run.stderr);
}

#[tokio::test]
async fn the_guard_refuses_credentials_of_another_account_and_creates_nothing() {
    let emulator = Emulator::shared();
    let pool = unique_name("envguard");
    // Accounts of this test alone, so that their buckets say what this test did.
    let spec = spec_with_environments(
        &pool,
        "  prod: { account: \"555555555555\", region: us-east-1 }\n",
    );
    let run = deploy_as(emulator, "444444444444", &spec, &["--env", "prod"]);
    expect_code(&run, 3, "deploy with credentials of another account");
    assert!(
        run.stderr.contains("555555555555") && run.stderr.contains("444444444444"),
        "the refusal names both accounts: {}",
        run.stderr
    );
    let run = deploy_as(
        emulator,
        "555555555555",
        &spec,
        &["--env", "prod", "--region", "eu-west-1"],
    );
    expect_code(&run, 3, "deploy with another region than the environment's");
    assert!(run.stderr.contains("eu-west-1"), "{}", run.stderr);
    let spec_arg = spec.to_string_lossy();
    let args = ["destroy", "--spec", &spec_arg, "--env", "prod", "--yes"];
    expect_code(
        &run_as(emulator, "444444444444", &args),
        3,
        "destroy as another account",
    );

    let stack = format!("poolctl-{pool}-prod");
    for account in ["444444444444", "555555555555"] {
        for region in ["us-east-1", "eu-west-1"] {
            assert!(
                !stack_exists(emulator, account, region, &stack).await,
                "no stack in {account} {region}"
            );
        }
        assert_eq!(buckets(emulator, account).await, Vec::<String>::new());
    }
}

#[tokio::test]
async fn each_environment_lands_in_its_account_and_region_with_its_overrides() {
    let emulator = Emulator::shared();
    let pool = unique_name("envs");
    let environments = format!(
        "  dev: {{ account: \"111111111111\", region: us-east-1 }}\n  stage:\n    account: \"222222222222\"\n    region: eu-west-1\n    role_arn: \"arn:aws:iam::222222222222:role/poolctl-deploy\"\n    external_id: poolctl-e2e\n    overrides:\n      domain: {{ prefix: {pool}-stage }}\n      clients: {{ web: {{ callback_urls: [\"https://stage.example.com/callback\"] }} }}\n      tags: {{ environment: stage }}\n"
    );
    let spec = spec_with_environments(&pool, &environments);

    let run = deploy_as(emulator, "111111111111", &spec, &["--env", "dev"]);
    expect_code(&run, 0, "deploy --env dev");
    let run = deploy_as(emulator, "111111111111", &spec, &["--env", "stage"]);
    expect_code(&run, 0, "deploy --env stage through its role");

    let dev = format!("poolctl-{pool}-dev");
    let stage = format!("poolctl-{pool}-stage");
    assert!(stack_exists(emulator, "111111111111", "us-east-1", &dev).await);
    assert!(!stack_exists(emulator, "111111111111", "eu-west-1", &dev).await);
    assert!(stack_exists(emulator, "222222222222", "eu-west-1", &stage).await);
    assert!(!stack_exists(emulator, "111111111111", "eu-west-1", &stage).await);
    assert!(!stack_exists(emulator, "222222222222", "us-east-1", &stage).await);

    // The stage pool, read as account 222222222222: the overrides are applied.
    let config = config_as(emulator, "222222222222", "eu-west-1").await;
    let cfn = aws_sdk_cloudformation::Client::new(&config);
    let described = cfn
        .describe_stacks()
        .stack_name(&stage)
        .send()
        .await
        .unwrap();
    let stack = &described.stacks()[0];
    let tag = |key: &str| {
        stack
            .tags()
            .iter()
            .find(|t| t.key() == Some(key))
            .and_then(|t| t.value().map(str::to_owned))
    };
    assert_eq!(tag("environment").as_deref(), Some("stage"));
    let outputs = e2e::aws::stack_outputs(&cfn, &stage).await.unwrap();
    let pool_id = outputs
        .iter()
        .find(|(key, _)| key.ends_with("UserPoolId"))
        .map(|(_, id)| id.clone())
        .unwrap_or_else(|| panic!("a pool id output in {outputs:?}"));
    let idp = cognito::Client::new(&config);
    let clients = idp
        .list_user_pool_clients()
        .user_pool_id(&pool_id)
        .send()
        .await
        .unwrap();
    let web = clients
        .user_pool_clients()
        .iter()
        .find(|c| c.client_name().is_some_and(|n| n.ends_with("web")))
        .and_then(|c| c.client_id())
        .expect("the web client");
    let web = idp
        .describe_user_pool_client()
        .user_pool_id(&pool_id)
        .client_id(web)
        .send()
        .await
        .unwrap();
    assert_eq!(
        web.user_pool_client().unwrap().callback_urls(),
        ["https://stage.example.com/callback"]
    );
    let described = idp
        .describe_user_pool()
        .user_pool_id(&pool_id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        described.user_pool().unwrap().domain(),
        Some(format!("{pool}-stage").as_str())
    );

    // outputs and destroy find the environment's stack from the spec, through the role.
    let spec_arg = spec.to_string_lossy();
    let args = [
        "outputs", "--spec", &spec_arg, "--env", "stage", "--output", "json",
    ];
    let shown = run_as(emulator, "111111111111", &args);
    expect_code(&shown, 0, "outputs --spec --env stage");
    assert_eq!(shown.json()["UserPoolId"], pool_id.as_str());
    // users audit finds the environment's pool from the spec, through the role...
    let args = [
        "users", "audit", "--spec", &spec_arg, "--env", "stage", "--output", "json",
    ];
    let audited = run_as(emulator, "111111111111", &args);
    expect_code(&audited, 0, "users audit --spec --env stage");
    assert_eq!(audited.json()["pool"], pool_id.as_str());
    // ...and the account guard refuses credentials of another account before it reads users.
    let args = ["users", "audit", "--spec", &spec_arg, "--env", "dev"];
    let refused = run_as(emulator, "444444444444", &args);
    expect_code(&refused, 3, "users audit --env dev as another account");
    assert!(
        refused.stderr.contains("111111111111") && refused.stderr.contains("444444444444"),
        "{}",
        refused.stderr
    );
    several_environments_are_audited(emulator, &spec, &dev, &pool_id).await;
    let args = ["destroy", "--spec", &spec_arg, "--env", "stage", "--yes"];
    expect_code(
        &run_as(emulator, "111111111111", &args),
        0,
        "destroy --env stage",
    );
    assert!(!stack_exists(emulator, "222222222222", "eu-west-1", &stage).await);
    assert!(stack_exists(emulator, "111111111111", "us-east-1", &dev).await);
}

/// `users audit` over dev and stage, deployed by the caller (`stage_pool` is stage's pool):
/// each environment's record is its own pool's.
async fn several_environments_are_audited(
    emulator: &Emulator,
    spec: &Path,
    dev: &str,
    stage_pool: &str,
) {
    // A stuck user (confirmed, its address unverified) in dev's pool alone.
    let config = config_as(emulator, "111111111111", "us-east-1").await;
    let cfn = aws_sdk_cloudformation::Client::new(&config);
    let dev_pool = e2e::aws::stack_outputs(&cfn, dev).await.unwrap()["UserPoolId"].clone();
    let idp = cognito::Client::new(&config);
    let stuck = "stuck.user@example.com";
    idp.admin_create_user()
        .user_pool_id(&dev_pool)
        .username(stuck)
        .user_attributes(attribute("email", stuck))
        .user_attributes(attribute("email_verified", "false"))
        .message_action(cognito::types::MessageActionType::Suppress)
        .send()
        .await
        .unwrap();
    idp.admin_set_user_password()
        .user_pool_id(&dev_pool)
        .username(stuck)
        .password(e2e::aws::PASSWORD)
        .permanent(true)
        .send()
        .await
        .unwrap();

    let spec_arg = spec.to_string_lossy();
    let out = e2e::scratch_dir("envaudit").join("audit.jsonl");
    let out_arg = out.to_string_lossy();
    let args = [
        "users", "audit", "--spec", &spec_arg, "--env", "all", "--rate", "0", "--out", &out_arg,
        "--output", "json",
    ];
    let audited = run_as(emulator, "111111111111", &args);
    expect_code(&audited, 5, "users audit --env all, dev's user stranded");
    let records = audited.json();
    let by_environment: Vec<(&str, &str, &str, u64)> = records
        .as_array()
        .unwrap()
        .iter()
        .map(|record| {
            (
                record["environment"].as_str().unwrap(),
                record["pool"].as_str().unwrap_or_default(),
                record["status"].as_str().unwrap(),
                record["counts"]["stuck"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        by_environment,
        [
            ("dev", dev_pool.as_str(), "stranded", 1),
            ("stage", stage_pool, "audited", 0)
        ],
        "{records}"
    );
    // A progress line as each environment's audit ends, named by the environment.
    for (environment, users) in [("dev", 1), ("stage", 0)] {
        let line = format!("[{environment}] Audited {users} users of ");
        assert!(audited.stderr.contains(&line), "{}", audited.stderr);
    }
    // One findings file per environment, each of its own pool.
    let dev_findings = std::fs::read_to_string(out.with_file_name("audit-dev.jsonl")).unwrap();
    assert!(
        dev_findings.lines().count() == 1 && dev_findings.contains(stuck),
        "{dev_findings}"
    );
    let stage_findings = std::fs::read_to_string(out.with_file_name("audit-stage.jsonl")).unwrap();
    assert_eq!(stage_findings, "");
    // In text, the table of users by class ends the report.
    let args = [
        "users",
        "audit",
        "--spec",
        &spec_arg,
        "--env",
        "dev,stage",
        "--rate",
        "0",
    ];
    let table = run_as(emulator, "111111111111", &args);
    expect_code(&table, 5, "users audit --env dev,stage");
    let lines: Vec<Vec<&str>> = table
        .stdout
        .lines()
        .rev()
        .take(3)
        .map(|line| line.split_whitespace().collect())
        .collect();
    assert_eq!(
        (
            lines[2][..3].to_vec(),
            lines[1][..3].to_vec(),
            lines[0][..3].to_vec()
        ),
        (
            vec!["ENVIRONMENT", "USERS", "STUCK"],
            vec!["dev", "1", "1"],
            vec!["stage", "0", "0"]
        ),
        "{}",
        table.stdout
    );
    // Users are changed one environment at a time.
    let args = [
        "users",
        "verify",
        "--spec",
        &spec_arg,
        "--env",
        "dev,stage",
        "--class",
        "stuck",
    ];
    let refused = run_as(emulator, "111111111111", &args);
    expect_code(&refused, 1, "users verify --env dev,stage");
    assert!(
        refused.stderr.contains("users verify") && refused.stderr.contains("--env"),
        "{}",
        refused.stderr
    );
}

#[tokio::test]
async fn several_environments_are_proved_each_on_its_own_stack() {
    let emulator = Emulator::shared();
    let pool = unique_name("envprove");
    // The emulator answers SignUp (which the SDK sends unsigned) as its default account only,
    // so both environments live there; stage still goes through its role and its region.
    let account = "000000000000";
    let environments = format!(
        "  dev: {{ account: \"{account}\", region: us-east-1 }}\n  stage:\n    account: \"{account}\"\n    region: eu-west-1\n    role_arn: \"arn:aws:iam::{account}:role/poolctl-deploy\"\n    overrides: {{ domain: {{ prefix: {pool}-stage }} }}\n"
    );
    let spec = spec_with_environments(&pool, &environments);
    let spec_arg = spec.to_string_lossy();

    // Without --prove there is nothing to run per environment: refused before any call.
    let refused = run_as(emulator, account, &["explain", &spec_arg, "--env", "all"]);
    expect_code(&refused, 1, "explain --env all without --prove");
    assert!(refused.stderr.contains("--prove"), "{}", refused.stderr);

    let run = deploy_as(emulator, account, &spec, &["--env", "all"]);
    expect_code(&run, 0, "deploy --env all");
    let mut pools = Vec::new();
    for (name, region) in [("dev", "us-east-1"), ("stage", "eu-west-1")] {
        let cfn = aws_sdk_cloudformation::Client::new(&config_as(emulator, account, region).await);
        let stack = format!("poolctl-{pool}-{name}");
        let outputs = e2e::aws::stack_outputs(&cfn, &stack).await.unwrap();
        pools.push(outputs["UserPoolId"].clone());
    }

    // Each environment proved on its own stack, through its own role and guard.
    let args = [
        "explain",
        &spec_arg,
        "--prove",
        "--env",
        "dev,stage",
        "--output",
        "json",
    ];
    let proved = run_as(emulator, account, &args);
    expect_code(&proved, 0, "explain --prove --env dev,stage");
    let records = proved.json();
    let by_environment: Vec<(&str, &str, &str, u64)> = records
        .as_array()
        .unwrap()
        .iter()
        .map(|record| {
            assert!(
                record["proof"]["performed"].as_u64().unwrap_or(0) > 0,
                "{record}"
            );
            (
                record["environment"].as_str().unwrap(),
                record["proof"]["pool_id"].as_str().unwrap_or_default(),
                record["status"].as_str().unwrap(),
                record["proof"]["mismatches"].as_u64().unwrap_or(u64::MAX),
            )
        })
        .collect();
    assert_eq!(
        by_environment,
        [
            ("dev", pools[0].as_str(), "proved", 0),
            ("stage", pools[1].as_str(), "proved", 0)
        ],
        "{records}"
    );

    for (environment, pool_id) in [("dev", &pools[0]), ("stage", &pools[1])] {
        let line = format!("[{environment}] Proved pool {pool_id}: ");
        assert!(proved.stderr.contains(&line), "{}", proved.stderr);
    }

    // The text report: each environment headed, then one line per environment.
    let args = ["explain", &spec_arg, "--prove", "--env", "stage,dev"];
    let text = run_as(emulator, account, &args);
    expect_code(&text, 0, "explain --prove --env stage,dev");
    let results: Vec<&str> = text.stdout.lines().rev().take(2).collect();
    assert!(
        results[1].starts_with("stage")
            && results[1].contains(" proved (")
            && results[0].starts_with("dev")
            && results[0].contains(" proved ("),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains(&format!(
            "== stage ({account} eu-west-1) poolctl-{pool}-stage"
        )),
        "{}",
        text.stdout
    );

    let args = ["destroy", "--spec", &spec_arg, "--env", "all", "--yes"];
    expect_code(&run_as(emulator, account, &args), 0, "destroy --env all");
}

fn attribute(name: &str, value: &str) -> cognito::types::AttributeType {
    cognito::types::AttributeType::builder()
        .name(name)
        .value(value)
        .build()
        .unwrap()
}

#[tokio::test]
async fn several_environments_deploy_in_turn_and_stop_after_the_tolerated_failures() {
    let emulator = Emulator::shared();
    let pool = unique_name("envmany");
    let environments = format!(
        "  alpha: {{ account: \"666666666666\", region: us-east-1 }}\n  beta:\n    account: \"777777777777\"\n    region: eu-west-1\n    role_arn: \"arn:aws:iam::777777777777:role/poolctl-deploy\"\n    overrides:\n      domain: {{ prefix: {pool}-beta }}\n  wrong: {{ account: \"888888888888\", region: us-east-1 }}\n"
    );
    let spec = spec_with_environments(&pool, &environments);
    let alpha = format!("poolctl-{pool}-alpha");
    let beta = format!("poolctl-{pool}-beta");

    // Without a tolerance, the refusal of the first stops the rest before they start.
    let run = deploy_as(emulator, "666666666666", &spec, &["--env", "wrong,alpha"]);
    expect_code(&run, 3, "deploy --env wrong,alpha");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(lines[0].starts_with("ENVIRONMENT"), "{}", run.stdout);
    assert!(
        lines[1].starts_with("wrong") && lines[1].ends_with("refused"),
        "{}",
        run.stdout
    );
    assert!(
        lines[2].starts_with("alpha") && lines[2].ends_with("skipped"),
        "{}",
        run.stdout
    );
    assert!(run.stderr.contains("888888888888"), "{}", run.stderr);
    assert!(!stack_exists(emulator, "666666666666", "us-east-1", &alpha).await);

    // With one failure tolerated, two at a time: every environment is tried.
    let run = deploy_as(
        emulator,
        "666666666666",
        &spec,
        &[
            "--env",
            "all",
            "--max-parallel",
            "2",
            "--failure-tolerance",
            "1",
            "--output",
            "json",
        ],
    );
    expect_code(&run, 3, "deploy --env all");
    let report = run.json();
    let statuses: Vec<(&str, &str)> = report
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            (
                row["environment"].as_str().unwrap(),
                row["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        statuses,
        [
            ("alpha", "created"),
            ("beta", "created"),
            ("wrong", "refused")
        ]
    );
    assert!(stack_exists(emulator, "666666666666", "us-east-1", &alpha).await);
    assert!(stack_exists(emulator, "777777777777", "eu-west-1", &beta).await);
    assert!(!stack_exists(emulator, "666666666666", "eu-west-1", &beta).await);
    // Progress lines of environments running at once, each named by its environment.
    for environment in ["alpha", "beta"] {
        assert!(
            run.stderr
                .lines()
                .any(|line| line.starts_with(&format!("[{environment}] "))
                    && line.contains("CREATE_COMPLETE")),
            "no progress line of {environment}:\n{}",
            run.stderr
        );
    }

    // diff over several: beta's web client gets a callback of its own, alpha is as deployed.
    // Each change set is made in its environment's account, and where they differ names the
    // one resource whose change is not the same in both.
    let edited = spec_with_environments(
        &pool,
        &environments.replace(
            "      domain: {",
            "      clients: { web: { callback_urls: [\"https://beta.example.com/callback\"] } }\n      domain: {",
        ),
    );
    let mut args = spec_command("diff", &edited, "unused");
    args.drain(2..4);
    args.extend(["--env", "alpha,beta", "--output", "json"].map(str::to_owned));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = run_as(emulator, "666666666666", &args);
    expect_code(&run, 0, "diff --env alpha,beta");
    let report = run.json();
    let environments = report["environments"].as_array().unwrap();
    assert_eq!(environments.len(), 2, "{report}");
    assert_eq!(environments[0]["status"], "compared", "{report}");
    assert_eq!(
        environments[0]["changes"],
        serde_json::json!([]),
        "{report}"
    );
    let beta_changes = environments[1]["changes"].as_array().unwrap();
    assert_eq!(beta_changes.len(), 1, "{report}");
    assert_eq!(beta_changes[0]["action"], "modify", "{report}");
    let differences = report["differences"].as_array().unwrap();
    assert_eq!(differences.len(), 1, "{report}");
    assert_eq!(differences[0]["logical_id"], beta_changes[0]["logical_id"]);
    assert_eq!(differences[0]["changes"]["alpha"], serde_json::Value::Null);
    assert_eq!(differences[0]["changes"]["beta"], beta_changes[0]);

    // In text, with the refused environment: its line, then where the compared ones differ.
    let mut args = spec_command("diff", &edited, "unused");
    args.drain(2..4);
    args.extend(["--env", "all", "--failure-tolerance", "1"].map(str::to_owned));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = run_as(emulator, "666666666666", &args);
    expect_code(&run, 3, "diff --env all with a refused environment");
    assert!(
        run.stdout.contains(&format!("{alpha}: no changes"))
            && run.stdout.contains(": refused")
            && run.stdout.contains("Where they differ (alpha, beta):"),
        "{}",
        run.stdout
    );
    assert!(run.stderr.contains("888888888888"), "{}", run.stderr);

    // Several environments are never deployed behind a prompt.
    let mut args = spec_command("deploy", &spec, "unused");
    args.drain(2..4);
    args.extend(["--env".to_owned(), "all".to_owned()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = run_as(emulator, "666666666666", &args);
    expect_code(&run, 1, "deploy --env all without --yes");
    assert!(run.stderr.contains("--yes"), "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_lets_the_running_finish_then_outputs_destroy_and_one_upload_per_place() {
    // An emulator of this test's own behind the fault proxy, which holds the first
    // ExecuteChangeSet: the first environment has started and is held there when Ctrl-C comes.
    let hold = FaultPlan::none().rule(
        Rule::new(
            "cloudformation",
            "ExecuteChangeSet",
            Fault::Hold(Duration::from_secs(120)),
        )
        .nth(1),
    );
    let emulator = Emulator::start_with(hold);
    let pool = unique_name("envint");
    let spec = spec_with_environments(
        &pool,
        &format!(
            "  one: {{ account: \"121212121212\", region: us-east-1 }}\n  two:\n    account: \"121212121212\"\n    region: us-east-1\n    overrides: {{ domain: {{ prefix: {pool}-two }} }}\n  three:\n    account: \"121212121212\"\n    region: us-east-1\n    overrides: {{ domain: {{ prefix: {pool}-three }} }}\n"
        ),
    );
    let mut args = spec_command("deploy", &spec, "unused");
    args.drain(2..4);
    args.extend(["--env", "all", "--max-parallel", "1", "--yes"].map(str::to_owned));
    let mut child = poolctl(&emulator)
        .env("AWS_ACCESS_KEY_ID", "121212121212")
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .args(&args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start poolctl");
    let proxy = emulator.faults();
    let deadline = Instant::now() + Duration::from_secs(120);
    while proxy.stats().op("cloudformation", "ExecuteChangeSet").calls < 1 {
        assert!(
            Instant::now() < deadline,
            "no ExecuteChangeSet reached the proxy"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    interrupt(&child);
    // Released only once poolctl says it took the Ctrl-C, so the first cannot finish before.
    let mut stderr = BufReader::new(child.stderr.take().expect("stderr"));
    let mut said = String::new();
    while !said.contains("Interrupted") {
        let mut line = String::new();
        let read = stderr.read_line(&mut line).expect("read stderr");
        assert!(read > 0, "poolctl ended without taking the Ctrl-C: {said}");
        said.push_str(&line);
    }
    proxy.set_plan(FaultPlan::none());
    stderr.read_to_string(&mut said).expect("read stderr");
    let mut run = finished_on(&emulator, child);
    run.stderr = said;
    expect_code(&run, 130, "deploy --env all interrupted");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{}", run.stdout);
    assert!(
        lines[1].starts_with("one") && lines[1].contains("created"),
        "{}",
        run.stdout
    );
    // `all` takes the environments in name order.
    for (line, name) in lines[2..].iter().zip(["three", "two"]) {
        assert!(
            line.starts_with(name) && line.ends_with("not started"),
            "{}",
            run.stdout
        );
    }
    let account = "121212121212";
    assert!(
        stack_exists(
            &emulator,
            account,
            "us-east-1",
            &format!("poolctl-{pool}-one")
        )
        .await
    );
    for name in ["two", "three"] {
        let stack = format!("poolctl-{pool}-{name}");
        assert!(
            !stack_exists(&emulator, account, "us-east-1", &stack).await,
            "{stack}"
        );
    }

    // Then each deployed, outputs and destroy go over all three through the same runner.
    let mut args = spec_command("deploy", &spec, "unused");
    args.drain(2..4);
    args.extend(["--env", "all", "--max-parallel", "2", "--yes"].map(str::to_owned));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    expect_code(&run_as(&emulator, account, &args), 0, "deploy --env all");
    // The three share an account and a region, so one artifact bucket and key: the zip went
    // up once, and HeadObject found it for the others.
    let puts = |key: &str| {
        proxy
            .decisions()
            .iter()
            .filter(|d| d.operation == "PutObject" && d.access_key == key)
            .count()
    };
    assert_eq!(puts(account), 1, "PutObject calls of {account}");
    // Three started at once in a fresh account still upload once: the runner lets one
    // environment per account and region upload at a time.
    let racing = "131313131313";
    let raced = spec_with_environments(
        &unique_name("envrace"),
        &format!(
            "  one: {{ account: \"{racing}\", region: us-east-1 }}\n  two: {{ account: \"{racing}\", region: us-east-1, overrides: {{ domain: {{ prefix: {pool}-r2 }} }} }}\n  three: {{ account: \"{racing}\", region: us-east-1, overrides: {{ domain: {{ prefix: {pool}-r3 }} }} }}\n"
        ),
    );
    let mut args = spec_command("deploy", &raced, "unused");
    args.drain(2..4);
    args.extend(["--env", "all", "--max-parallel", "3", "--yes"].map(str::to_owned));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = run_as(&emulator, racing, &args);
    expect_code(&run, 0, "deploy --env all, three at once");
    assert_eq!(run.stdout.matches("created").count(), 3, "{}", run.stdout);
    assert_eq!(puts(racing), 1, "PutObject calls of {racing}");
    let spec_arg = spec.to_string_lossy();
    let args = [
        "outputs", "--spec", &spec_arg, "--env", "all", "--output", "json",
    ];
    let shown = run_as(&emulator, account, &args);
    expect_code(&shown, 0, "outputs --env all");
    let rows = shown.json();
    let pools: Vec<(&str, &str)> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            (
                row["environment"].as_str().unwrap(),
                row["outputs"]["UserPoolId"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(pools.len(), 3, "{rows}");
    for (name, pool_id) in &pools {
        assert!(pool_id.starts_with("us-east-1_"), "{name}: {rows}");
    }

    let args = ["destroy", "--spec", &spec_arg, "--env", "all"];
    let refused = run_as(&emulator, account, &args);
    expect_code(&refused, 1, "destroy --env all without --yes");
    assert!(refused.stderr.contains("--yes"), "{}", refused.stderr);
    let args = ["destroy", "--spec", &spec_arg, "--env", "all", "--yes"];
    let destroyed = run_as(&emulator, account, &args);
    expect_code(&destroyed, 0, "destroy --env all --yes");
    assert_eq!(
        destroyed.stdout.matches("deleted").count(),
        3,
        "{}",
        destroyed.stdout
    );
    for name in ["one", "two", "three"] {
        let stack = format!("poolctl-{pool}-{name}");
        assert!(
            !stack_exists(&emulator, account, "us-east-1", &stack).await,
            "{stack}"
        );
    }
}
