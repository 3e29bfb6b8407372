//! The inbound federation trigger end to end: poolctl's function deployed as the pool's
//! `LambdaConfig.InboundFederation`, and a vouched SAML user signed in again through the
//! emulator's hosted UI after their address changed at the IdP. The emulator (ministack)
//! invokes the inbound federation trigger at every SAML sign-in before it maps attributes, as
//! Cognito does; it never resets `email_verified` itself, so the test shows the trigger's answer
//! being mapped at a later sign-in: kept true for a new address, false for a denied one. And
//! `explain --stack` reads the deployed trigger back and predicts the same.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use aws_sdk_cloudformation::types::{Capability, Parameter, StackStatus};
use aws_sdk_cognitoidentityprovider as cognito;
use cognito::types::{IdentityProviderTypeType, OAuthFlowType};
use e2e::aws::{self, stack_outputs, wait_for_stack};
use e2e::cli::{expect_code, run_poolctl, spec_command};
use e2e::emulator::Emulator;
use e2e::{scratch_dir, spec_variant, unique_name};
use serde_json::Value;

const CALLBACK: &str = "http://localhost:3000/callback";
const DEMO_DOMAIN: &str = "prefix: poolctl-demo-7f3a";

/// The demo pool with the inbound federation trigger; with `provider`, also a SAML directory
/// `Corp` whose users the trigger vouches for. (Without the provider the policy may not name
/// it: that spec is the one the emulator can deploy.)
fn spec(prefix: &str, provider: bool) -> PathBuf {
    let domain = format!("prefix: {prefix}");
    let trigger = if provider {
        "    deny_domains: [mailinator.com]\n    vouched_providers: [Corp]\n  inbound_federation: true\n"
    } else {
        "    deny_domains: [mailinator.com]\n  inbound_federation: true\n"
    };
    let mut edits = vec![
        (DEMO_DOMAIN, domain.as_str()),
        ("    deny_domains: [mailinator.com]\n", trigger),
    ];
    if provider {
        edits.push((
            "    providers: [COGNITO]\n    callback_urls",
            "    providers: [COGNITO, Corp]\n    callback_urls",
        ));
        edits.push((
            "clients:\n",
            "identity_providers:\n  - { name: Corp, kind: saml, metadata_url: \"https://idp.corp.example/metadata\", email_attribute: mail, email_verified: trigger }\nclients:\n",
        ));
    }
    let name = if provider {
        "inbound-full.yaml"
    } else {
        "inbound.yaml"
    };
    spec_variant("infra/pools/demo.yaml", name, &edits)
}

/// `poolctl render` of `spec`, as JSON.
fn rendered(emulator: &Emulator, spec: &Path) -> Value {
    let out = scratch_dir("inbound-render");
    let run = run_poolctl(
        emulator,
        &[
            "render",
            spec.to_str().unwrap(),
            "--out-dir",
            out.to_str().unwrap(),
        ],
    );
    expect_code(&run, 0, "render");
    let stem = spec.file_stem().unwrap().to_str().unwrap();
    let text = std::fs::read_to_string(out.join(format!("{stem}.json"))).unwrap();
    serde_json::from_str(&text).expect("the rendered template is JSON")
}

async fn user_attributes(
    idp: &cognito::Client,
    pool_id: &str,
    username: &str,
) -> BTreeMap<String, String> {
    let user = idp
        .admin_get_user()
        .user_pool_id(pool_id)
        .username(username)
        .send()
        .await
        .unwrap_or_else(|e| panic!("AdminGetUser {username}: {e:?}"));
    user.user_attributes()
        .iter()
        .filter_map(|a| Some((a.name().to_owned(), a.value()?.to_owned())))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_vouched_user_stays_verified_after_the_address_changes_at_the_idp() {
    let emulator = Emulator::shared();
    let stack = unique_name("inbound");
    let prefix = unique_name("inbound");

    // Deployed by poolctl: the pool, the function, and the inbound federation trigger.
    let deployed = spec(&prefix, false);
    let mut args = spec_command("deploy", &deployed, &stack);
    args.extend(["--yes", "--output", "json"].map(str::to_owned));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    expect_code(&run_poolctl(emulator, &args), 0, "deploy");
    let cfn = aws::cloudformation(emulator).await;
    let outputs = stack_outputs(&cfn, &stack).await.unwrap();
    let pool_id = outputs["UserPoolId"].clone();
    let function_arn = outputs["PreSignUpFunctionArn"].clone();

    let idp = aws::cognito(emulator).await;
    let pool = idp
        .describe_user_pool()
        .user_pool_id(&pool_id)
        .send()
        .await
        .unwrap();
    let config = pool.user_pool().unwrap().lambda_config().unwrap();
    let inbound = config
        .inbound_federation()
        .expect("LambdaConfig.InboundFederation is set");
    assert_eq!(inbound.lambda_arn(), function_arn);
    assert_eq!(inbound.lambda_version().as_str(), "V1_0");
    assert_eq!(config.pre_sign_up(), Some(function_arn.as_str()));

    // The full spec, with the provider. The emulator's CloudFormation has no identity provider
    // type, so its render goes in as a stack update without the provider resources (the
    // function then carries the providers it decides for), and the provider is created through
    // the API with the attribute mapping the render gives it.
    let full = spec(&prefix, true);
    let mut template = rendered(emulator, &full);
    let resources = template["Resources"].as_object_mut().unwrap();
    let (provider_id, provider) = resources
        .iter()
        .find(|(_, r)| r["Type"] == "AWS::Cognito::UserPoolIdentityProvider")
        .map(|(id, r)| (id.clone(), r.clone()))
        .expect("the provider resource");
    resources.remove(&provider_id);
    for resource in resources.values_mut() {
        if let Some(depends) = resource.get_mut("DependsOn").and_then(Value::as_array_mut) {
            depends.retain(|d| d != &Value::String(provider_id.clone()));
        }
    }
    let mapping = provider["Properties"]["AttributeMapping"]
        .as_object()
        .unwrap()
        .clone();
    assert_eq!(mapping["email_verified"], "poolctl_email_verified");
    let parameters: Vec<Parameter> = template["Parameters"]
        .as_object()
        .unwrap()
        .keys()
        .map(|key| {
            Parameter::builder()
                .parameter_key(key)
                .use_previous_value(true)
                .build()
        })
        .collect();
    cfn.update_stack()
        .stack_name(&stack)
        .template_body(template.to_string())
        .set_parameters(Some(parameters))
        .capabilities(Capability::CapabilityIam)
        .send()
        .await
        .unwrap_or_else(|e| panic!("update stack: {e:?}"));
    assert_eq!(
        wait_for_stack(&cfn, &stack).await,
        StackStatus::UpdateComplete
    );
    let mut provider_call = idp
        .create_identity_provider()
        .user_pool_id(&pool_id)
        .provider_name("Corp")
        .provider_type(IdentityProviderTypeType::Saml)
        .provider_details("MetadataURL", "https://idp.corp.example/metadata");
    for (attribute, source) in &mapping {
        provider_call = provider_call.attribute_mapping(attribute, source.as_str().unwrap());
    }
    provider_call.send().await.unwrap();
    idp.update_user_pool_client()
        .user_pool_id(&pool_id)
        .client_id(&outputs["ClientWebId"])
        .client_name("web")
        .callback_urls(CALLBACK)
        .allowed_o_auth_flows(OAuthFlowType::Code)
        .allowed_o_auth_flows_user_pool_client(true)
        .allowed_o_auth_scopes("openid")
        .allowed_o_auth_scopes("email")
        .supported_identity_providers("COGNITO")
        .supported_identity_providers("Corp")
        .send()
        .await
        .unwrap();

    let sign_in = |mail: &'static str| {
        let endpoint = emulator.direct_endpoint().to_owned();
        let client_id = outputs["ClientWebId"].clone();
        async move {
            let claims = vec![("mail".to_owned(), mail.to_owned())];
            let sign_in = explain::SamlSignIn {
                endpoint: &endpoint,
                client_id: &client_id,
                callback: CALLBACK,
                provider: "Corp",
                name_id: "jane",
                claims: &claims,
            };
            sign_in
                .perform()
                .await
                .unwrap_or_else(|why| panic!("SAML sign-in with {mail}: {why}"));
        }
    };

    // First sign-in, then two later ones after the address changed at the IdP: the trigger's
    // answer is mapped each time.
    for (mail, verified) in [
        ("jane@corp.example", "true"),
        ("jane.doe@new-corp.example", "true"),
        ("jane@mailinator.com", "false"),
    ] {
        sign_in(mail).await;
        let attributes = user_attributes(&idp, &pool_id, "Corp_jane").await;
        assert_eq!(attributes.get("email").map(String::as_str), Some(mail));
        assert_eq!(
            attributes
                .get("email_verified")
                .map(|v| v.to_ascii_lowercase()),
            Some(verified.to_owned()),
            "{mail}: {attributes:?}"
        );
    }

    // The stack as deployed, explained without a spec: the live pool's inbound federation
    // trigger is the stack's own function, so an address change at Corp keeps the user
    // verified, by the trigger's `decide`.
    let run = run_poolctl(
        emulator,
        &["explain", "--stack", &stack, "--output", "json"],
    );
    expect_code(&run, 0, "explain --stack");
    let report = run.json();
    let row = report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["scenario"] == "federated_address_change" && r["provider"] == "Corp")
        .unwrap_or_else(|| panic!("no address change row for Corp: {report}"));
    assert_eq!(row["email_verified"], "true", "{row}");
    assert_eq!(row["risky"], false, "{row}");
    assert_eq!(
        row["trigger"]["source"], "InboundFederation_ExternalProvider",
        "{row}"
    );
}
