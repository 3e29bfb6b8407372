use serde_json::Value;

use super::*;
use crate::to_spec::tests::{agent_builder, live, pool_builder, seeds};
use crate::to_spec::to_spec;

/// A resource to import: type, logical ID, identifier.
type Row<'a> = (&'a str, &'a str, Vec<(&'a str, &'a str)>);

fn resources(template: &Value) -> &Map<String, Value> {
    template["Resources"].as_object().expect("resources")
}

/// The operator's spec: the imported one with keep-original, poolctl's PreSignUp trigger
/// trusting the agent, and a new web client.
fn edited(imported: &Imported) -> PoolSpec {
    let mut spec = imported.spec.clone();
    spec.verification.keep_original_until_verified = spec.verification.auto_verify.clone();
    spec.triggers.pre_sign_up_arn = None;
    spec.triggers.pre_sign_up = Some(spec::PreSignUpPolicy {
        trusted_clients: vec!["agent".into()],
        ..Default::default()
    });
    let mut web = spec.clients[0].clone();
    web.name = "web".into();
    web.generate_secret = false;
    spec.clients.insert(0, web);
    spec
}

#[test]
fn the_import_template_retains_every_resource_and_creates_nothing() {
    let imported = to_spec(&seeds());
    let plan = plan(&imported, &edited(&imported)).expect("adoptable");
    let resources = resources(&plan.template);
    assert_eq!(
        resources.keys().collect::<Vec<_>>(),
        ["UserPool", "ClientAgent"]
    );
    for (id, resource) in resources {
        assert_eq!(resource["DeletionPolicy"], "Retain", "{id}");
        assert_eq!(resource["UpdateReplacePolicy"], "Retain", "{id}");
        assert!(
            identifier_keys(resource).is_some(),
            "{id} is not importable"
        );
    }
    assert!(plan.template.get("Outputs").is_none());
    assert!(plan.template.get("Parameters").is_none());
    // The live configuration, not the spec's: email is not kept until verified there, and
    // the pool's PreSignUp is still its own function.
    let pool = &resources["UserPool"]["Properties"];
    assert!(pool.get("UserAttributeUpdateSettings").is_none());
    assert_eq!(
        pool["LambdaConfig"]["PreSignUp"],
        "arn:aws:lambda:us-east-1:123456789012:function:autoverify"
    );
    assert!(
        pool.get("UserPoolTags").is_none(),
        "the live pool has no tags"
    );

    let ids: Vec<Row> = plan
        .resources
        .iter()
        .map(|r| {
            (
                r.resource_type.as_str(),
                r.logical_id.as_str(),
                r.identifier
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        ids,
        [
            (
                "AWS::Cognito::UserPool",
                "UserPool",
                vec![("UserPoolId", "us-east-1_Seeds")]
            ),
            (
                "AWS::Cognito::UserPoolClient",
                "ClientAgent",
                vec![("ClientId", "agent-id"), ("UserPoolId", "us-east-1_Seeds")]
            ),
        ]
    );
    // The spec's trigger, its web client and the by-ARN permission are left to the first deploy.
    assert!(plan
        .created_by_first_deploy
        .iter()
        .any(|r| r.starts_with("PreSignUpFunction ")));
    assert!(plan
        .created_by_first_deploy
        .iter()
        .any(|r| r.starts_with("ClientWeb ")));
    assert!(plan.not_in_spec.is_empty());
}

#[test]
fn a_spec_with_other_sign_in_identifiers_is_refused_naming_the_property() {
    let imported = to_spec(&seeds());
    let mut spec = imported.spec.clone();
    spec.sign_in.username = spec::UsernameKind::Username;
    spec.sign_in.aliases = vec![spec::Alias::Email];
    let Err(ImportError::Refused(refusal)) = plan(&imported, &spec) else {
        panic!("not refused");
    };
    assert!(
        refusal.reason.contains("UsernameAttributes"),
        "{}",
        refusal.reason
    );

    let live = live(
        pool_builder()
            .schema_attributes(
                aws_sdk_cognitoidentityprovider::types::SchemaAttributeType::builder()
                    .name("custom:tier")
                    .attribute_data_type(
                        aws_sdk_cognitoidentityprovider::types::AttributeDataType::String,
                    )
                    .mutable(true)
                    .build(),
            )
            .build(),
        agent_builder().build(),
    );
    let imported = to_spec(&live);
    let mut spec = imported.spec.clone();
    if let Some(tier) = spec.attributes.custom.get_mut("tier") {
        tier.kind = spec::CustomAttributeType::Number;
    }
    let Err(ImportError::Refused(refusal)) = plan(&imported, &spec) else {
        panic!("not refused");
    };
    assert!(
        refusal
            .reason
            .contains("Schema attribute tier would change"),
        "{}",
        refusal.reason
    );
}

#[test]
fn live_values_outside_the_spec_stay_in_the_import_template() {
    let live = live(
        pool_builder().set_account_recovery_setting(None).build(),
        agent_builder()
            .prevent_user_existence_errors(
                aws_sdk_cognitoidentityprovider::types::PreventUserExistenceErrorTypes::Legacy,
            )
            .build(),
    );
    let imported = to_spec(&live);
    let plan = plan(&imported, &imported.spec).expect("adoptable");
    let resources = resources(&plan.template);
    assert_eq!(
        resources["ClientAgent"]["Properties"]["PreventUserExistenceErrors"],
        "LEGACY"
    );
    assert!(resources["UserPool"]["Properties"]
        .get("AccountRecoverySetting")
        .is_none());
}

#[test]
fn a_live_client_missing_from_the_spec_is_imported_and_reported() {
    let imported = to_spec(&seeds());
    let mut spec = imported.spec.clone();
    spec.clients.clear();
    let plan = plan(&imported, &spec).expect("adoptable");
    assert!(resources(&plan.template).contains_key("ClientAgent"));
    assert_eq!(
        plan.not_in_spec,
        ["ClientAgent (AWS::Cognito::UserPoolClient agent)"]
    );
}
