//! `poolctl import` and `poolctl adopt` end to end on the emulator: a pool made with the SDK,
//! not poolctl, the way the seeds' asker had it (email as username, email not kept until
//! verified, an agent client with a secret) and 500 users in mixed states is imported as a
//! spec, `check` shows its pitfall, the spec renders to the live pool, `adopt` imports it into
//! a stack with no user touched, the edited spec deploys over it in place, and `explain
//! --prove` then sees agent sign-ups verified. Refusals: other sign-in identifiers (exit 3, no
//! stack, no change set), a setting the spec cannot express (exit 3, named), and a domain the
//! emulator cannot import (a named error). An admin-only pool with an invitation, SMS
//! messages and no SmsConfiguration, and a client with the API's defaults (LEGACY, no refresh
//! flow) imports with exit 0, checks clean and redeploys as a new stack with those settings.
//!
//! Not here: identity providers (the emulator's CloudFormation has no
//! `AWS::Cognito::UserPoolIdentityProvider`; providers are covered by the import crate's unit
//! tests).

use std::collections::BTreeMap;
use std::path::Path;

use aws_sdk_cognitoidentityprovider as cognito;
use cognito::types::{
    AttributeType, ExplicitAuthFlowsType, PreventUserExistenceErrorTypes, UsernameAttributeType,
    UsernameConfigurationType, VerifiedAttributeType,
};
use e2e::aws::{cloudformation, cognito as cognito_client, recovery_by_verified_email};
use e2e::cli::{expect_code, run_poolctl, trigger_zip_x86_64, Run};
use e2e::emulator::Emulator;
use e2e::{scratch_dir, unique_name};
use serde_json::Value;

const USERS: usize = 500;

/// Creates the seeds' pool: email is the username, auto-verified but not kept until verified;
/// an agent client with a secret that signs users in as an administrator. `reply_to`: a
/// Reply-To address on Cognito's own sender, which the spec cannot hold.
async fn seeds_pool(
    client: &cognito::Client,
    prevent_errors: PreventUserExistenceErrorTypes,
    token_revocation: bool,
    reply_to: Option<&str>,
) -> (String, String) {
    let pool = client
        .create_user_pool()
        .set_email_configuration(reply_to.map(|address| {
            cognito::types::EmailConfigurationType::builder()
                .email_sending_account(cognito::types::EmailSendingAccountType::CognitoDefault)
                .reply_to_email_address(address)
                .build()
        }))
        .pool_name(unique_name("seeds"))
        .username_attributes(UsernameAttributeType::Email)
        .username_configuration(
            UsernameConfigurationType::builder()
                .case_sensitive(false)
                .build()
                .unwrap(),
        )
        .auto_verified_attributes(VerifiedAttributeType::Email)
        .account_recovery_setting(recovery_by_verified_email())
        .send()
        .await
        .unwrap()
        .user_pool()
        .and_then(|p| p.id())
        .unwrap()
        .to_owned();
    let agent = client
        .create_user_pool_client()
        .user_pool_id(&pool)
        .client_name("agent")
        .generate_secret(true)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowAdminUserPasswordAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .prevent_user_existence_errors(prevent_errors)
        .enable_token_revocation(token_revocation)
        .send()
        .await
        .unwrap()
        .user_pool_client()
        .and_then(|c| c.client_id())
        .unwrap()
        .to_owned();
    (pool, agent)
}

/// Users in mixed states: a third verified, the rest not, every fifth disabled.
async fn add_users(client: &cognito::Client, pool: &str) {
    for i in 0..USERS {
        let email = format!("user{i}@seeds.example");
        let mut create = client
            .admin_create_user()
            .user_pool_id(pool)
            .username(&email)
            .message_action(cognito::types::MessageActionType::Suppress)
            .user_attributes(
                AttributeType::builder()
                    .name("email")
                    .value(&email)
                    .build()
                    .unwrap(),
            )
            .user_attributes(
                AttributeType::builder()
                    .name("name")
                    .value(format!("User {i}"))
                    .build()
                    .unwrap(),
            );
        if i % 3 == 0 {
            create = create.user_attributes(
                AttributeType::builder()
                    .name("email_verified")
                    .value("true")
                    .build()
                    .unwrap(),
            );
        }
        create.send().await.unwrap();
        if i % 5 == 0 {
            client
                .admin_disable_user()
                .user_pool_id(pool)
                .username(&email)
                .send()
                .await
                .unwrap();
        }
    }
}

/// `poolctl import --user-pool-id POOL --out SPEC`.
fn import_to(emulator: &Emulator, pool: &str, spec: &Path) -> Run {
    run_poolctl(
        emulator,
        &[
            "import",
            "--user-pool-id",
            pool,
            "--out",
            spec.to_str().unwrap(),
        ],
    )
}

/// `poolctl adopt SPEC --user-pool-id POOL --stack STACK --yes EXTRA...`.
fn adopt(emulator: &Emulator, spec: &Path, pool: &str, stack: &str, extra: &[&str]) -> Run {
    let mut args = vec![
        "adopt",
        spec.to_str().unwrap(),
        "--user-pool-id",
        pool,
        "--stack",
        stack,
        "--yes",
    ];
    args.extend_from_slice(extra);
    run_poolctl(emulator, &args)
}

/// Every user with their attributes and state, by username.
async fn users(client: &cognito::Client, pool: &str) -> BTreeMap<String, String> {
    let mut all = BTreeMap::new();
    let mut pages = client
        .list_users()
        .user_pool_id(pool)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        for user in page.unwrap().users() {
            let mut attributes: Vec<String> = user
                .attributes()
                .iter()
                .map(|a| format!("{}={}", a.name(), a.value().unwrap_or_default()))
                .collect();
            attributes.sort();
            all.insert(
                user.username().unwrap_or_default().to_owned(),
                format!(
                    "{:?} enabled={} {}",
                    user.user_status(),
                    user.enabled(),
                    attributes.join(",")
                ),
            );
        }
    }
    all
}

async fn stack_exists(emulator: &Emulator, stack: &str) -> bool {
    cloudformation(emulator)
        .await
        .describe_stacks()
        .stack_name(stack)
        .send()
        .await
        .is_ok()
}

fn rendered(emulator: &Emulator, spec: &Path) -> Value {
    let run = run_poolctl(
        emulator,
        &[
            "render",
            spec.to_str().unwrap(),
            "--stdout",
            "--format",
            "json",
        ],
    );
    expect_code(&run, 0, "render the imported spec");
    serde_json::from_str(&run.stdout).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn import_adopt_and_deploy_keep_every_user() {
    let emulator = Emulator::start();
    let client = cognito_client(&emulator).await;
    let (pool, agent_id) =
        seeds_pool(&client, PreventUserExistenceErrorTypes::Enabled, true, None).await;
    add_users(&client, &pool).await;
    let before = users(&client, &pool).await;
    assert_eq!(before.len(), USERS);
    let dir = scratch_dir("adopt");

    // import: every setting fits the spec, so it exits 0.
    let spec = dir.join("seeds.yaml");
    let run = import_to(&emulator, &pool, &spec);
    expect_code(&run, 0, "import");
    let text = std::fs::read_to_string(&spec).unwrap();
    assert!(text.contains(&format!("from user pool {pool}")), "{text}");
    assert!(
        text.contains("Every live setting is in this spec."),
        "{text}"
    );
    // Refuses to overwrite it.
    let again = import_to(&emulator, &pool, &spec);
    expect_code(&again, 1, "import over an existing file");

    // check: exactly the seeds' pitfall, as a warning.
    let check = run_poolctl(&emulator, &["check", spec.to_str().unwrap()]);
    expect_code(&check, 0, "check the imported spec");
    let warnings: Vec<&str> = check
        .stderr
        .lines()
        .filter(|l| l.contains(": warning: "))
        .collect();
    assert_eq!(warnings.len(), 1, "{}", check.stderr);
    assert!(
        warnings[0].contains("not kept until the new one is verified"),
        "{}",
        check.stderr
    );

    // explain, on the live pool as it is: the agent's sign-ups stay unverified (no trigger),
    // the email change is risky (not kept until verified); the same rows as the imported file.
    let live_rows = run_poolctl(
        &emulator,
        &["explain", "--user-pool-id", &pool, "--output", "json"],
    );
    expect_code(&live_rows, 0, "explain --user-pool-id");
    let live_rows = live_rows.json();
    let row = |scenario: &str| {
        live_rows["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["scenario"] == scenario)
            .unwrap_or_else(|| panic!("no {scenario} row: {live_rows}"))
            .clone()
    };
    assert_eq!(row("agent_sign_up")["email_verified"], "false");
    assert_eq!(row("email_change")["risky"], true);
    let from_file = run_poolctl(
        &emulator,
        &["explain", spec.to_str().unwrap(), "--output", "json"],
    );
    expect_code(&from_file, 0, "explain the imported spec");
    assert_eq!(from_file.json()["rows"], live_rows["rows"]);

    // render matches the live pool in what the spec covers.
    let template = rendered(&emulator, &spec);
    let live = client
        .describe_user_pool()
        .user_pool_id(&pool)
        .send()
        .await
        .unwrap();
    let live = live.user_pool().unwrap();
    let props = &template["Resources"]["UserPool"]["Properties"];
    assert_eq!(props["UsernameAttributes"], serde_json::json!(["email"]));
    assert_eq!(props["UsernameConfiguration"]["CaseSensitive"], false);
    assert_eq!(
        props["AutoVerifiedAttributes"],
        serde_json::json!(["email"])
    );
    assert!(live
        .user_attribute_update_settings()
        .is_none_or(|s| s.attributes_require_verification_before_update().is_empty()));
    assert!(props.get("UserAttributeUpdateSettings").is_none());
    let password = live.policies().unwrap().password_policy().unwrap();
    assert_eq!(
        props["Policies"]["PasswordPolicy"]["MinimumLength"],
        password.minimum_length().unwrap()
    );
    assert_eq!(props["MfaConfiguration"], "OFF");
    let agent = &template["Resources"]["ClientAgent"]["Properties"];
    assert_eq!(agent["GenerateSecret"], true);
    assert_eq!(
        agent["ExplicitAuthFlows"],
        serde_json::json!(["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])
    );

    // Refused: other sign-in identifiers, before any change set.
    let refused_stack = unique_name("refused");
    let other = dir.join("other.yaml");
    std::fs::write(
        &other,
        text.replace(
            "  username: email\n",
            "  username: username\n  aliases: [email]\n",
        ),
    )
    .unwrap();
    let run = adopt(&emulator, &other, &pool, &refused_stack, &[]);
    expect_code(&run, 3, "adopt with other sign-in identifiers");
    assert!(run.stderr.contains("UsernameAttributes"), "{}", run.stderr);
    assert!(
        !stack_exists(&emulator, &refused_stack).await,
        "a refusal made a stack"
    );
    let change_sets = cloudformation(&emulator)
        .await
        .list_change_sets()
        .stack_name(&refused_stack)
        .send()
        .await;
    assert!(
        change_sets
            .as_ref()
            .map_or(true, |c| c.summaries().is_empty()),
        "a refusal left a change set: {change_sets:?}"
    );

    // adopt: IMPORT_COMPLETE, same pool, same users.
    let stack = unique_name("adopted");
    let run = adopt(&emulator, &spec, &pool, &stack, &[]);
    expect_code(&run, 0, "adopt");
    assert!(run.stderr.contains("IMPORT_COMPLETE"), "{}", run.stderr);
    let cfn = cloudformation(&emulator).await;
    let described = cfn
        .describe_stacks()
        .stack_name(&stack)
        .send()
        .await
        .unwrap();
    assert_eq!(
        described.stacks()[0].stack_status().unwrap().as_str(),
        "IMPORT_COMPLETE"
    );
    let resources = cfn
        .describe_stack_resources()
        .stack_name(&stack)
        .send()
        .await
        .unwrap();
    let physical: BTreeMap<&str, &str> = resources
        .stack_resources()
        .iter()
        .map(|r| {
            (
                r.logical_resource_id().unwrap(),
                r.physical_resource_id().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(physical.get("UserPool"), Some(&pool.as_str()));
    assert_eq!(physical.len(), 2, "{physical:?}");
    assert_eq!(
        users(&client, &pool).await,
        before,
        "the import touched a user"
    );

    // deploy the edited spec: keep the original email, poolctl's PreSignUp trusting the agent.
    let edited = dir.join("edited.yaml");
    std::fs::write(
        &edited,
        text.replace(
            "keep_original_until_verified: []",
            "keep_original_until_verified: [email]",
        )
        .replace(
            "triggers:\n",
            "triggers:\n  pre_sign_up:\n    trusted_clients: [agent]\n",
        ),
    )
    .unwrap();
    let zip = trigger_zip_x86_64();
    let run = run_poolctl(
        &emulator,
        &[
            "deploy",
            edited.to_str().unwrap(),
            "--stack",
            &stack,
            "--trigger-zip",
            zip.to_str().unwrap(),
            "--arch",
            "x86_64",
            "--yes",
        ],
    );
    expect_code(&run, 0, "deploy after the adoption");
    assert!(
        run.stderr.contains("UserAttributeUpdateSettings"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("REPLACE"), "{}", run.stderr);
    let live = client
        .describe_user_pool()
        .user_pool_id(&pool)
        .send()
        .await
        .unwrap();
    let live = live.user_pool().unwrap();
    assert_eq!(
        live.user_attribute_update_settings()
            .unwrap()
            .attributes_require_verification_before_update(),
        [VerifiedAttributeType::Email]
    );
    assert!(live
        .lambda_config()
        .and_then(|l| l.pre_sign_up())
        .is_some_and(|arn| arn.ends_with("-pre-sign-up")));
    assert_eq!(
        users(&client, &pool).await,
        before,
        "the deploy touched a user"
    );
    let clients = client
        .list_user_pool_clients()
        .user_pool_id(&pool)
        .max_results(60)
        .send()
        .await
        .unwrap();
    assert_eq!(clients.user_pool_clients().len(), 1);
    assert_eq!(
        clients.user_pool_clients()[0].client_id(),
        Some(agent_id.as_str())
    );

    // And the adopted pool now verifies agent sign-ups, as explain predicts and proves.
    let proof = run_poolctl(
        &emulator,
        &[
            "explain",
            edited.to_str().unwrap(),
            "--stack",
            &stack,
            "--prove",
            "--output",
            "json",
        ],
    );
    expect_code(&proof, 0, "explain --prove on the adopted pool");
    let report = proof.json();
    assert_eq!(report["proof"]["mismatches"], 0, "{report}");
    let rows = report["rows"].as_array().unwrap();
    let agent_row = rows
        .iter()
        .position(|r| r["scenario"] == "agent_sign_up")
        .unwrap_or_else(|| panic!("no agent row: {report}"));
    let agent = report["proof"]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["row"] == agent_row)
        .unwrap_or_else(|| panic!("the agent sign-up was not proved: {report}"));
    assert_eq!(
        (&agent["predicted"], &agent["observed"]),
        (&"true".into(), &"true".into()),
        "{agent}"
    );
    assert_eq!(
        users(&client, &pool).await,
        before,
        "the proof left a user behind or touched one"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_setting_the_spec_cannot_express_is_named_and_refused() {
    let emulator = Emulator::start();
    let client = cognito_client(&emulator).await;
    // LEGACY (the API's default) and token revocation off are in the spec; a Reply-To address
    // on Cognito's own sender is not.
    let reply_to = "help@seeds.example";
    let (pool, _) = seeds_pool(
        &client,
        PreventUserExistenceErrorTypes::Legacy,
        false,
        Some(reply_to),
    )
    .await;
    let dir = scratch_dir("adopt-gap");
    let spec = dir.join("legacy.yaml");
    let run = import_to(&emulator, &pool, &spec);
    expect_code(&run, 3, "import with a setting outside the spec");
    let gap = format!("EmailConfiguration.ReplyToEmailAddress = {reply_to}");
    assert!(run.stderr.contains(&gap), "{}", run.stderr);
    for kept in ["PreventUserExistenceErrors", "EnableTokenRevocation"] {
        assert!(!run.stderr.contains(kept), "{kept}: {}", run.stderr);
    }
    let text = std::fs::read_to_string(&spec).unwrap();
    assert!(text.contains(&format!("#   - {gap}")), "{text}");
    assert!(
        text.contains("prevent_user_existence_errors: false")
            && text.contains("token_revocation: false"),
        "{text}"
    );

    // adopt refuses it too, unless told to go on.
    let stack = unique_name("gap");
    let run = adopt(&emulator, &spec, &pool, &stack, &[]);
    expect_code(&run, 3, "adopt with a gap");
    assert!(!stack_exists(&emulator, &stack).await);
    let run = adopt(&emulator, &spec, &pool, &stack, &["--allow-partial"]);
    expect_code(&run, 0, "adopt --allow-partial");
    // The import template holds the live values, so the first deploy shows the gap changing.
    let template = cloudformation(&emulator)
        .await
        .get_template()
        .stack_name(&stack)
        .send()
        .await
        .unwrap();
    let template: Value = serde_json::from_str(template.template_body().unwrap()).unwrap();
    let pool_props = &template["Resources"]["UserPool"]["Properties"];
    assert_eq!(
        pool_props["EmailConfiguration"]["ReplyToEmailAddress"],
        reply_to
    );
    let agent = &template["Resources"]["ClientAgent"]["Properties"];
    assert_eq!(agent["EnableTokenRevocation"], false);
    assert_eq!(agent["PreventUserExistenceErrors"], "LEGACY");
    let diff = run_poolctl(
        &emulator,
        &["diff", spec.to_str().unwrap(), "--stack", &stack],
    );
    expect_code(&diff, 0, "diff after the adoption");
    assert!(
        diff.stdout.contains("EmailConfiguration"),
        "{}",
        diff.stdout
    );
    for kept in ["PreventUserExistenceErrors", "EnableTokenRevocation"] {
        assert!(!diff.stdout.contains(kept), "{kept}: {}", diff.stdout);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_domain_the_emulator_cannot_import_is_a_named_error() {
    let emulator = Emulator::start();
    let client = cognito_client(&emulator).await;
    let (pool, _) = seeds_pool(&client, PreventUserExistenceErrorTypes::Enabled, true, None).await;
    let prefix = unique_name("seeds-login");
    client
        .create_user_pool_domain()
        .user_pool_id(&pool)
        .domain(&prefix)
        .send()
        .await
        .unwrap();
    let dir = scratch_dir("adopt-domain");
    let spec = dir.join("domain.yaml");
    let run = import_to(&emulator, &pool, &spec);
    expect_code(&run, 0, "import a pool with a domain");
    assert!(std::fs::read_to_string(&spec)
        .unwrap()
        .contains(&format!("prefix: {prefix}")));
    let stack = unique_name("domain");
    let run = adopt(&emulator, &spec, &pool, &stack, &[]);
    expect_code(&run, 1, "adopt a pool with a domain on the emulator");
    assert!(
        run.stderr.contains("AWS::Cognito::UserPoolDomain"),
        "{}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_admin_only_pool_with_api_default_clients_imports_whole_and_redeploys_alike() {
    use cognito::types::{AdminCreateUserConfigType, MessageTemplateType};
    let emulator = Emulator::start();
    let client = cognito_client(&emulator).await;
    let invitation = MessageTemplateType::builder()
        .email_subject("Your account")
        .email_message("Hello {username}, your temporary password is {####}")
        .build();
    let pool = client
        .create_user_pool()
        .pool_name(unique_name("staff"))
        .username_attributes(UsernameAttributeType::Email)
        .auto_verified_attributes(VerifiedAttributeType::Email)
        .admin_create_user_config(
            AdminCreateUserConfigType::builder()
                .allow_admin_create_user_only(true)
                .invite_message_template(invitation.clone())
                .build(),
        )
        // SMS messages on a pool that sends no SMS: the API accepts them.
        .sms_authentication_message("Your code is {####}")
        .account_recovery_setting(recovery_by_verified_email())
        .send()
        .await
        .unwrap()
        .user_pool()
        .and_then(|p| p.id())
        .unwrap()
        .to_owned();
    // The API's defaults for a client: no PreventUserExistenceErrors (LEGACY), and here no
    // refresh-token flow.
    client
        .create_user_pool_client()
        .user_pool_id(&pool)
        .client_name("console")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserSrpAuth)
        .send()
        .await
        .unwrap();

    let dir = scratch_dir("admin-only");
    let spec = dir.join("staff.yaml");
    let run = import_to(&emulator, &pool, &spec);
    expect_code(&run, 0, "import of an admin-only pool");
    let text = std::fs::read_to_string(&spec).unwrap();
    assert!(
        text.contains("# Every live setting is in this spec."),
        "{text}"
    );
    let check = run_poolctl(&emulator, &["check", spec.to_str().unwrap()]);
    expect_code(&check, 0, "check of the imported spec");

    let stack = unique_name("staff-again");
    let run = run_poolctl(
        &emulator,
        &["deploy", spec.to_str().unwrap(), "--stack", &stack, "--yes"],
    );
    expect_code(&run, 0, "deploy of the imported spec as a new stack");
    let outputs = cloudformation(&emulator)
        .await
        .describe_stacks()
        .stack_name(&stack)
        .send()
        .await
        .unwrap();
    let again = outputs.stacks()[0]
        .outputs()
        .iter()
        .find(|o| o.output_key() == Some("UserPoolId"))
        .and_then(|o| o.output_value())
        .unwrap()
        .to_owned();
    let live = client
        .describe_user_pool()
        .user_pool_id(&again)
        .send()
        .await
        .unwrap();
    let live = live.user_pool().unwrap();
    let admin = live.admin_create_user_config().unwrap();
    assert!(admin.allow_admin_create_user_only(), "admin-only was lost");
    let template = admin.invite_message_template().unwrap();
    assert_eq!(template.email_subject(), invitation.email_subject());
    assert_eq!(template.email_message(), invitation.email_message());
    assert_eq!(
        live.sms_authentication_message(),
        Some("Your code is {####}")
    );

    let clients = client
        .list_user_pool_clients()
        .user_pool_id(&again)
        .send()
        .await
        .unwrap();
    let id = clients.user_pool_clients()[0].client_id().unwrap();
    let console = client
        .describe_user_pool_client()
        .user_pool_id(&again)
        .client_id(id)
        .send()
        .await
        .unwrap();
    let console = console.user_pool_client().unwrap();
    assert_eq!(
        console.prevent_user_existence_errors(),
        Some(&PreventUserExistenceErrorTypes::Legacy)
    );
    assert_eq!(
        console.explicit_auth_flows(),
        [ExplicitAuthFlowsType::AllowUserSrpAuth]
    );
}
