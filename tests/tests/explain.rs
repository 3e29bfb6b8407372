//! `poolctl explain --prove` end to end: the demo spec deployed with the real trigger, its
//! scenarios performed on the emulator and compared with the prediction, also with no spec
//! (the stack as deployed); a stack deployed without the trigger, explained with it, is a
//! mismatch (exit 6); and a SAML provider added to the deployed pool is signed in through the
//! hosted UI.

use std::path::PathBuf;

use aws_sdk_cognitoidentityprovider as cognito;
use cognito::types::{IdentityProviderTypeType, OAuthFlowType};
use e2e::aws::{self, stack_outputs};
use e2e::cli::{expect_code, run_poolctl, spec_command};
use e2e::emulator::Emulator;
use e2e::{spec_variant, unique_name};
use serde_json::Value;

const DEMO_DOMAIN: &str = "prefix: poolctl-demo-7f3a";
const TRIGGER_BLOCK: &str = "  pre_sign_up:
    # Sign-ups made by the agent are confirmed and their email verified.
    trusted_clients: [agent]
    deny_domains: [mailinator.com]
";

fn demo_variant(edits: &[(&str, &str)]) -> PathBuf {
    spec_variant("infra/pools/demo.yaml", "demo.yaml", edits)
}

/// Deploys `spec` as `stack` and returns the pool id.
async fn deploy(emulator: &Emulator, spec: &std::path::Path, stack: &str) -> String {
    let mut args = spec_command("deploy", spec, stack);
    args.extend(["--yes", "--output", "json"].map(str::to_owned));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    expect_code(&run_poolctl(emulator, &args), 0, "deploy");
    let cfn = aws::cloudformation(emulator).await;
    stack_outputs(&cfn, stack).await.unwrap()["UserPoolId"].clone()
}

fn prove(emulator: &Emulator, spec: &std::path::Path, stack: &str) -> e2e::cli::Run {
    run_poolctl(
        emulator,
        &[
            "explain",
            spec.to_str().unwrap(),
            "--stack",
            stack,
            "--prove",
            "--output",
            "json",
        ],
    )
}

/// The proof's check of the first row with scenario code `scenario` (and, given, `key` =
/// `value`).
fn check<'a>(report: &'a Value, scenario: &str, filter: Option<(&str, &str)>) -> &'a Value {
    let rows = report["rows"].as_array().unwrap();
    let index = rows
        .iter()
        .position(|r| {
            r["scenario"] == scenario && filter.is_none_or(|(key, value)| r[key] == value)
        })
        .unwrap_or_else(|| panic!("no {scenario} row with {filter:?}: {report}"));
    report["proof"]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["row"] == index)
        .unwrap_or_else(|| panic!("no check of row {index}: {report}"))
}

async fn usernames(idp: &cognito::Client, pool_id: &str) -> Vec<String> {
    let users = idp.list_users().user_pool_id(pool_id).send().await.unwrap();
    users
        .users()
        .iter()
        .filter_map(|u| u.username().map(str::to_owned))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_pool_is_proved_and_its_test_users_are_deleted() {
    let emulator = Emulator::shared();
    let stack = unique_name("explain-demo");
    let spec = demo_variant(&[(DEMO_DOMAIN, &format!("prefix: {}", unique_name("expl")))]);
    let pool_id = deploy(emulator, &spec, &stack).await;

    let run = prove(emulator, &spec, &stack);
    expect_code(&run, 0, "explain --prove of the deployed demo spec");
    let report = run.json();
    assert_eq!(report["proof"]["pool_id"], pool_id.as_str());
    assert_eq!(report["proof"]["mismatches"], 0, "{report}");

    let agent = check(&report, "agent_sign_up", Some(("client", "agent")));
    assert_eq!(agent["predicted"], "true", "{agent}");
    assert_eq!(agent["observed"], "true", "{agent}");
    assert_eq!(agent["result"], "ok");
    // The public client: the trigger leaves the address to the code.
    let web = check(&report, "self_service_sign_up", Some(("client", "web")));
    assert_eq!(
        (&web["predicted"], &web["observed"]),
        (&"false".into(), &"false".into()),
        "{web}"
    );
    for (scenario, observed) in [
        ("admin_create_user_verified", "true"),
        ("admin_create_user", "false"),
    ] {
        let admin = check(&report, scenario, None);
        assert_eq!(admin["observed"], observed, "{admin}");
    }
    let change = check(&report, "email_change", None);
    assert_eq!(change["result"], "not_performed");
    assert_eq!(report["proof"]["performed"], 4, "{report}");

    // Without the spec, the stack's pool as deployed (the live pool, and the trigger's policy
    // from the stack's template) explains to the same rows, and proves the same.
    let live = run_poolctl(
        emulator,
        &["explain", "--stack", &stack, "--prove", "--output", "json"],
    );
    expect_code(&live, 0, "explain --stack --prove with no spec");
    let live = live.json();
    // The same rows; the clients may come in the live pool's order rather than the spec's.
    let sorted = |report: &Value| {
        let mut rows: Vec<String> = report["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(Value::to_string)
            .collect();
        rows.sort();
        rows
    };
    assert_eq!(sorted(&live), sorted(&report), "{live}");
    assert_eq!(live["proof"]["mismatches"], 0, "{live}");
    assert_eq!(live["proof"]["performed"], 4, "{live}");

    // Every user made was deleted again.
    let idp = aws::cognito(emulator).await;
    assert_eq!(usernames(&idp, &pool_id).await, Vec::<String>::new());

    // The text form: the same rows, marked.
    let text = run_poolctl(
        emulator,
        &[
            "explain",
            spec.to_str().unwrap(),
            "--stack",
            &stack,
            "--prove",
        ],
    );
    expect_code(&text, 0, "explain --prove, text");
    assert!(
        text.stdout
            .contains(&format!("Stack {stack} (pool {pool_id})")),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains("4 performed, 0 mismatches"),
        "{}",
        text.stdout
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stack_without_the_trigger_is_a_mismatch_and_exits_6() {
    let emulator = Emulator::shared();
    let stack = unique_name("explain-bare");
    let prefix = format!("prefix: {}", unique_name("bare"));
    let bare = demo_variant(&[(DEMO_DOMAIN, &prefix), (TRIGGER_BLOCK, "")]);
    let pool_id = deploy(emulator, &bare, &stack).await;

    let with_trigger = demo_variant(&[(DEMO_DOMAIN, &prefix)]);
    let run = prove(emulator, &with_trigger, &stack);
    expect_code(&run, 6, "the trigger's prediction on a stack without it");
    let report = run.json();
    let agent = check(&report, "agent_sign_up", Some(("client", "agent")));
    assert_eq!(agent["predicted"], "true", "{agent}");
    assert_eq!(agent["observed"], "false", "{agent}");
    assert_eq!(agent["result"], "mismatch");
    assert_eq!(report["proof"]["mismatches"], 1, "{report}");
    let idp = aws::cognito(emulator).await;
    assert_eq!(usernames(&idp, &pool_id).await, Vec::<String>::new());

    // The spec that was deployed agrees with its own stack, and so does the stack explained
    // as deployed: no trigger, so the agent's sign-ups stay unverified.
    expect_code(
        &prove(emulator, &bare, &stack),
        0,
        "the bare spec on its own stack",
    );
    let live = run_poolctl(
        emulator,
        &["explain", "--stack", &stack, "--prove", "--output", "json"],
    );
    expect_code(&live, 0, "the stack as deployed");
    let live = live.json();
    let agent = check(&live, "agent_sign_up", Some(("client", "agent")));
    assert_eq!(
        (&agent["predicted"], &agent["observed"]),
        (&"false".into(), &"false".into()),
        "{agent}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn saml_sign_in_is_proved_through_the_hosted_ui() {
    // The emulator's CloudFormation has no identity provider type: the provider and the
    // client's use of it are added to the deployed pool through the API, as the spec says.
    let emulator = Emulator::shared();
    let stack = unique_name("explain-saml");
    let prefix = format!("prefix: {}", unique_name("saml"));
    let deployed = demo_variant(&[(DEMO_DOMAIN, &prefix)]);
    let pool_id = deploy(emulator, &deployed, &stack).await;
    let idp = aws::cognito(emulator).await;
    for (name, claim) in [("CorpMapped", Some("verified")), ("CorpUnmapped", None)] {
        let mut provider = idp
            .create_identity_provider()
            .user_pool_id(&pool_id)
            .provider_name(name)
            .provider_type(IdentityProviderTypeType::Saml)
            .provider_details("MetadataURL", "https://idp.corp.example/metadata")
            .attribute_mapping("email", "mail");
        if let Some(claim) = claim {
            provider = provider.attribute_mapping("email_verified", claim);
        }
        provider.send().await.unwrap();
    }
    let outputs = stack_outputs(&aws::cloudformation(emulator).await, &stack)
        .await
        .unwrap();
    idp.update_user_pool_client()
        .user_pool_id(&pool_id)
        .client_id(&outputs["ClientWebId"])
        .client_name("web")
        .callback_urls("http://localhost:3000/callback")
        .allowed_o_auth_flows(OAuthFlowType::Code)
        .allowed_o_auth_flows_user_pool_client(true)
        .allowed_o_auth_scopes("openid")
        .allowed_o_auth_scopes("email")
        .supported_identity_providers("COGNITO")
        .supported_identity_providers("CorpMapped")
        .supported_identity_providers("CorpUnmapped")
        .send()
        .await
        .unwrap();
    let spec = demo_variant(&[
        (DEMO_DOMAIN, &prefix),
        (
            "    providers: [COGNITO]\n    callback_urls",
            "    providers: [COGNITO, CorpMapped, CorpUnmapped]\n    callback_urls",
        ),
        (
            "clients:\n",
            "identity_providers:
  - { name: CorpMapped, kind: saml, metadata_url: \"https://idp.corp.example/metadata\", email_attribute: mail, email_verified: { claim: verified } }
  - { name: CorpUnmapped, kind: saml, metadata_url: \"https://idp.corp.example/metadata\", email_attribute: mail, email_verified: unverified }
clients:\n",
        ),
    ]);

    let run = prove(emulator, &spec, &stack);
    expect_code(&run, 0, "explain --prove with SAML providers");
    let report = run.json();
    let mapped = check(
        &report,
        "federated_sign_in",
        Some(("provider", "CorpMapped")),
    );
    assert_eq!(
        (&mapped["predicted"], &mapped["observed"]),
        (&"true".into(), &"true".into()),
        "{mapped}"
    );
    assert!(
        mapped["user"].as_str().unwrap().starts_with("CorpMapped_"),
        "{mapped}"
    );
    let unmapped = check(
        &report,
        "federated_sign_in",
        Some(("provider", "CorpUnmapped")),
    );
    assert_eq!(
        (&unmapped["predicted"], &unmapped["observed"]),
        (&"false".into(), &"false".into()),
        "{unmapped}"
    );
    assert_eq!(report["proof"]["performed"], 6, "{report}");
    assert_eq!(usernames(&idp, &pool_id).await, Vec::<String>::new());
}
