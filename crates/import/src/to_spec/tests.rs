use std::collections::HashMap;

use aws_sdk_cognitoidentityprovider::types::builders::{
    UserPoolClientTypeBuilder, UserPoolTypeBuilder,
};
use aws_sdk_cognitoidentityprovider::types::{
    ExplicitAuthFlowsType, IdentityProviderType, IdentityProviderTypeType, LambdaConfigType,
    PreventUserExistenceErrorTypes, SmsConfigurationType, UserPoolClientType, UserPoolType,
    UsernameAttributeType, VerificationMessageTemplateType, VerifiedAttributeType,
};
use spec::{EmailVerifiedPolicy, ProviderKind, SnsRole, UsernameKind};

use super::*;
use crate::live::LivePool;

/// The seeds' pool: email as username, email auto-verified but not kept until verified, an
/// agent client with a secret, a PreSignUp function of its own.
pub(crate) fn seeds() -> LivePool {
    live(pool_builder().build(), agent_builder().build())
}

pub(crate) fn pool_builder() -> UserPoolTypeBuilder {
    UserPoolType::builder()
        .id("us-east-1_Seeds")
        .name("seeds")
        .username_attributes(UsernameAttributeType::Email)
        .auto_verified_attributes(VerifiedAttributeType::Email)
        .lambda_config(
            LambdaConfigType::builder()
                .pre_sign_up("arn:aws:lambda:us-east-1:123456789012:function:autoverify")
                .build(),
        )
        .account_recovery_setting(
            aws_sdk_cognitoidentityprovider::types::AccountRecoverySettingType::builder()
                .recovery_mechanisms(
                    aws_sdk_cognitoidentityprovider::types::RecoveryOptionType::builder()
                        .name(aws_sdk_cognitoidentityprovider::types::RecoveryOptionNameType::VerifiedEmail)
                        .priority(1)
                        .build()
                        .unwrap(),
                )
                .build(),
        )
}

pub(crate) fn agent_builder() -> UserPoolClientTypeBuilder {
    UserPoolClientType::builder()
        .client_name("agent")
        .client_id("agent-id")
        .client_secret("never-copied")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowAdminUserPasswordAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .prevent_user_existence_errors(PreventUserExistenceErrorTypes::Enabled)
        .enable_token_revocation(true)
        .refresh_token_validity(30)
}

pub(crate) fn live(pool: UserPoolType, agent: UserPoolClientType) -> LivePool {
    LivePool {
        pool,
        mfa: None,
        clients: vec![agent],
        providers: Vec::new(),
        domain: None,
        groups: Vec::new(),
        resource_servers: Vec::new(),
        branding: std::collections::BTreeMap::new(),
    }
}

fn saml(mapping: &[(&str, &str)]) -> IdentityProviderType {
    IdentityProviderType::builder()
        .provider_name("Corp")
        .provider_type(IdentityProviderTypeType::Saml)
        .provider_details("MetadataURL", "https://idp.corp.example/metadata")
        .set_attribute_mapping(Some(
            mapping
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect::<HashMap<_, _>>(),
        ))
        .build()
}

pub(crate) fn check(imported: &Imported) -> Vec<String> {
    let text = crate::spec_file(imported, "us-east-1_Seeds", "us-east-1", "schema.json");
    match spec::load_str("seeds.yaml", &text) {
        Ok(loaded) => loaded.warnings.iter().map(|d| d.message.clone()).collect(),
        Err(error) => error
            .diagnostics
            .iter()
            .map(|d| {
                if d.is_error() {
                    format!("ERROR {}", d.message)
                } else {
                    d.message.clone()
                }
            })
            .collect(),
    }
}

#[test]
fn the_seeds_pool_is_reproduced_with_its_pitfalls_and_no_gap() {
    let imported = to_spec(&seeds());
    assert_eq!(imported.gaps, Vec::new());
    let spec = &imported.spec;
    assert_eq!(spec.sign_in.username, UsernameKind::Email);
    assert!(spec.verification.keep_original_until_verified.is_empty());
    assert_eq!(
        spec.triggers.pre_sign_up_arn.as_deref(),
        Some("arn:aws:lambda:us-east-1:123456789012:function:autoverify")
    );
    assert!(spec.triggers.pre_sign_up.is_none());
    assert!(spec.clients[0].generate_secret);
    assert_eq!(imported.client_ids["agent"], "agent-id");

    let findings = check(&imported);
    assert!(
        !findings.iter().any(|f| f.starts_with("ERROR")),
        "{findings:#?}"
    );
    assert!(
        findings
            .iter()
            .any(|f| f.contains("not kept until the new one is verified")),
        "{findings:#?}"
    );
    assert!(
        findings.iter().any(|f| f.contains("by ARN")),
        "{findings:#?}"
    );
}

#[test]
fn the_spec_file_round_trips_and_never_holds_the_client_secret() {
    let imported = to_spec(&seeds());
    let text = crate::spec_file(&imported, "us-east-1_Seeds", "us-east-1", "schema.json");
    assert!(text.contains("Imported by `poolctl import` from user pool us-east-1_Seeds"));
    assert!(!text.contains("never-copied"));
    let loaded = spec::load_str("seeds.yaml", &text).expect("the imported spec loads");
    assert_eq!(loaded.spec, imported.spec);
}

#[test]
fn provider_secrets_become_placeholders_that_check_refuses() {
    let mut live = seeds();
    live.providers.push(
        IdentityProviderType::builder()
            .provider_name("Google")
            .provider_type(IdentityProviderTypeType::Google)
            .provider_details("client_id", "google-app")
            .provider_details("client_secret", "live-google-secret")
            .provider_details("authorize_scopes", "openid email")
            .attribute_mapping("email", "email")
            .build(),
    );
    let imported = to_spec(&live);
    let ProviderKind::Google {
        client_secret,
        scopes,
        ..
    } = &imported.spec.identity_providers[0].kind
    else {
        panic!("not google: {:?}", imported.spec.identity_providers[0]);
    };
    assert_eq!(client_secret, SECRET_PLACEHOLDER);
    assert_eq!(scopes, &["openid", "email"]);
    let text = crate::spec_file(&imported, "p", "r", "s");
    assert!(!text.contains("live-google-secret"));
    let findings = check(&imported);
    assert!(
        findings
            .iter()
            .any(|f| f.starts_with("ERROR")
                && f.contains("must be CloudFormation dynamic references")),
        "{findings:#?}"
    );
    assert!(
        findings
            .iter()
            .any(|f| !f.starts_with("ERROR") && f.contains("maps email without it")),
        "{findings:#?}"
    );
    // The claim is not mapped: reproduced as such, and check warns.
    assert_eq!(
        imported.spec.identity_providers[0].email_verified,
        Some(EmailVerifiedPolicy::Unverified)
    );
}

#[test]
fn a_saml_mapping_is_kept_as_it_is() {
    let mut live = seeds();
    live.providers.push(saml(&[("email", "mail")]));
    live.providers
        .push(saml(&[("email", "mail"), ("email_verified", "verified")]));
    let imported = to_spec(&live);
    let [without, with] = &imported.spec.identity_providers[..] else {
        panic!("two providers");
    };
    assert_eq!(
        without.email_verified,
        Some(EmailVerifiedPolicy::Unverified)
    );
    assert_eq!(without.email_source(), Some("mail"));
    assert!(without.attribute_mapping.is_empty());
    assert_eq!(
        with.email_verified,
        Some(EmailVerifiedPolicy::ClaimNamed("verified".into()))
    );
    assert_eq!(
        with.effective_attribute_mapping()["email_verified"],
        "verified"
    );
}

#[test]
fn settings_outside_the_spec_are_gaps_named_with_their_live_value() {
    let live = live(
        pool_builder()
            .set_account_recovery_setting(None)
            .sms_authentication_message("Your code is {####}")
            .build(),
        agent_builder().client_name("Agent App").build(),
    );
    let imported = to_spec(&live);
    let settings: Vec<&str> = imported.gaps.iter().map(|g| g.setting.as_str()).collect();
    assert_eq!(settings, ["clients[Agent App].ClientName"]);
    let rename = &imported.gaps[0];
    assert_eq!(rename.live_value, "Agent App");
    let property = rename.property.as_ref().expect("a CloudFormation property");
    assert_eq!(property.pointer, "/ClientName");
    assert_eq!(property.value, serde_json::json!("Agent App"));
    // No AccountRecoverySetting is Cognito's legacy order, which the spec states.
    assert_eq!(
        imported.spec.verification.account_recovery,
        [spec::RecoveryMechanism::Legacy]
    );
    let text = crate::spec_file(&imported, "p", "r", "s");
    assert!(text.contains("# 1 live setting this spec cannot express"));
}

#[test]
fn sms_messages_on_a_pool_without_sms_configuration_are_kept_without_a_role() {
    let live = live(
        pool_builder()
            .sms_authentication_message("Your code is {####}")
            .sms_verification_message("Verify with {####}")
            .build(),
        agent_builder().build(),
    );
    let imported = to_spec(&live);
    assert!(
        !imported.gaps.iter().any(|g| g.setting.contains("Sms")),
        "{:?}",
        imported.gaps
    );
    let sms = imported
        .spec
        .sms
        .as_ref()
        .expect("an sms block for the messages");
    assert_eq!(sms.role(), None);
    assert!(!imported.spec.sends_sms());
    assert_eq!(
        sms.authentication_message.as_deref(),
        Some("Your code is {####}")
    );
    assert_eq!(
        sms.verification_message.as_deref(),
        Some("Verify with {####}")
    );

    // check warns that they are never sent, and the render keeps them without SmsConfiguration.
    let text = crate::spec_file(&imported, "p", "r", "s");
    let loaded = spec::load_str("pool.yaml", &text).expect("the imported spec loads");
    assert!(
        loaded
            .warnings
            .iter()
            .any(|w| w.message.contains("never sent")),
        "{:?}",
        loaded.warnings
    );
    let rendered = template::render(&loaded.spec, &template::RenderOptions::default());
    let pool = &rendered.as_value()["Resources"]["UserPool"]["Properties"];
    assert_eq!(pool["SmsAuthenticationMessage"], "Your code is {####}");
    assert_eq!(pool["SmsVerificationMessage"], "Verify with {####}");
    assert!(pool.get("SmsConfiguration").is_none());
    assert!(rendered.as_value()["Resources"].get("SmsRole").is_none());
}

#[test]
fn client_settings_the_api_defaults_to_are_kept_in_the_spec_without_gaps() {
    use aws_sdk_cognitoidentityprovider::types::AnalyticsConfigurationType;
    let legacy = agent_builder()
        .client_name("legacy")
        .client_id("legacy-id")
        .set_explicit_auth_flows(Some(vec![ExplicitAuthFlowsType::AllowUserSrpAuth]))
        .set_prevent_user_existence_errors(None)
        .callback_urls("https://app.example.com/cb")
        .default_redirect_uri("https://app.example.com/cb")
        .enable_propagate_additional_user_context_data(true)
        .analytics_configuration(
            AnalyticsConfigurationType::builder()
                .application_id("pinpoint-app")
                .role_arn("arn:aws:iam::123456789012:role/pinpoint")
                .external_id("")
                .user_data_shared(true)
                .build(),
        )
        .build();
    let mut live = live(
        pool_builder().build(),
        agent_builder()
            .prevent_user_existence_errors(PreventUserExistenceErrorTypes::Legacy)
            .build(),
    );
    live.clients.push(legacy);
    let imported = to_spec(&live);
    assert!(
        !imported
            .gaps
            .iter()
            .any(|g| g.setting.starts_with("clients")),
        "{:?}",
        imported.gaps
    );
    let agent = &imported.spec.clients[0];
    assert!(!agent.prevent_user_existence_errors);
    assert!(agent.refresh_token_auth);
    let legacy = &imported.spec.clients[1];
    assert!(!legacy.prevent_user_existence_errors, "absent means LEGACY");
    assert!(!legacy.refresh_token_auth);
    assert_eq!(
        legacy.default_redirect_url.as_deref(),
        Some("https://app.example.com/cb")
    );
    assert!(legacy.propagate_user_context);
    let analytics = legacy.analytics.as_ref().expect("analytics");
    assert_eq!(analytics.application_id.as_deref(), Some("pinpoint-app"));
    assert_eq!(analytics.external_id, None, "empty means absent");
    assert!(analytics.user_data_shared);

    // The imported spec renders every one of them back.
    let text = crate::spec_file(&imported, "p", "r", "s");
    let reloaded = spec::load_str("pool.yaml", &text).expect("the imported spec loads");
    let rendered = template::render(&reloaded.spec, &template::RenderOptions::default());
    let resources = &rendered.as_value()["Resources"];
    let props = |name: &str| {
        let id = rendered.client_logical_id(name).expect("a client");
        resources[id.as_str()]["Properties"].clone()
    };
    assert_eq!(props("agent")["PreventUserExistenceErrors"], "LEGACY");
    let legacy = props("legacy");
    assert_eq!(legacy["PreventUserExistenceErrors"], "LEGACY");
    assert_eq!(
        legacy["ExplicitAuthFlows"],
        serde_json::json!(["ALLOW_USER_SRP_AUTH"])
    );
    assert_eq!(legacy["DefaultRedirectURI"], "https://app.example.com/cb");
    assert_eq!(legacy["EnablePropagateAdditionalUserContextData"], true);
    assert_eq!(
        legacy["AnalyticsConfiguration"],
        serde_json::json!({
            "ApplicationId": "pinpoint-app",
            "RoleArn": "arn:aws:iam::123456789012:role/pinpoint",
            "UserDataShared": true,
        })
    );
}

#[test]
fn sms_sending_is_imported_with_the_live_role_by_arn() {
    let live = live(
        pool_builder()
            .auto_verified_attributes(VerifiedAttributeType::PhoneNumber)
            .sms_configuration(
                SmsConfigurationType::builder()
                    .sns_caller_arn("arn:aws:iam::123456789012:role/service-role/sms")
                    .external_id("acme-sms")
                    .sns_region("eu-west-1")
                    .build(),
            )
            .verification_message_template(
                VerificationMessageTemplateType::builder()
                    .sms_message("Your verification code is {####}")
                    .build(),
            )
            .sms_authentication_message("Your sign-in code is {####}")
            .build(),
        agent_builder().build(),
    );
    let imported = to_spec(&live);
    assert!(
        imported.gaps.iter().all(|g| !g.setting.starts_with("Sms")),
        "{:?}",
        imported.gaps
    );
    let sms = imported.spec.sms.as_ref().expect("the sms block");
    assert_eq!(
        sms.role(),
        Some(SnsRole::Arn(
            "arn:aws:iam::123456789012:role/service-role/sms"
        ))
    );
    assert_eq!(sms.external_id.as_deref(), Some("acme-sms"));
    assert_eq!(sms.sns_region.as_deref(), Some("eu-west-1"));
    assert_eq!(
        sms.verification_message.as_deref(),
        Some("Your verification code is {####}")
    );
    assert_eq!(
        sms.authentication_message.as_deref(),
        Some("Your sign-in code is {####}")
    );
    // Phone verification comes in with it, and the written spec passes `check`.
    assert!(imported
        .spec
        .verification
        .auto_verify
        .contains(&spec::VerifiableAttribute::Phone));
    let text = crate::spec_file(&imported, "p", "r", "s");
    assert!(
        text.contains("sns_role: arn:aws:iam::123456789012:role/service-role/sms"),
        "{text}"
    );
    if let Err(error) = spec::load_str("imported.yaml", &text) {
        panic!("the imported spec does not load:\n{error}\n{text}");
    }
    // The template sends SMS with the live role, and creates none.
    let template = template::render(&imported.spec, &template::RenderOptions::default());
    let resources = &template.as_value()["Resources"];
    assert_eq!(
        resources["UserPool"]["Properties"]["SmsConfiguration"],
        serde_json::json!({
            "SnsCallerArn": "arn:aws:iam::123456789012:role/service-role/sms",
            "ExternalId": "acme-sms",
            "SnsRegion": "eu-west-1",
        })
    );
    assert!(resources.get("SmsRole").is_none());
}

#[test]
fn names_the_spec_cannot_hold_are_sanitised_and_listed() {
    assert_eq!(
        spec_name("Seeds Pool (prod)", "pool", 64),
        "seeds-pool-prod"
    );
    assert_eq!(spec_name("42", "pool", 64), "pool-42");
    let live = live(
        pool_builder().name("Seeds Pool").build(),
        agent_builder().build(),
    );
    let imported = to_spec(&live);
    assert_eq!(imported.spec.name, "seeds-pool");
    assert_eq!(imported.gaps[0].setting, "PoolName");
    assert_eq!(imported.gaps[0].live_value, "Seeds Pool");
}

#[test]
fn an_admin_only_pool_is_imported_admin_only_with_its_invitation_and_no_gap() {
    use aws_sdk_cognitoidentityprovider::types::{AdminCreateUserConfigType, MessageTemplateType};
    let live = live(
        pool_builder()
            .admin_create_user_config(
                AdminCreateUserConfigType::builder()
                    .allow_admin_create_user_only(true)
                    .invite_message_template(
                        MessageTemplateType::builder()
                            .email_subject("Welcome")
                            .email_message("Hi {username}, password {####}")
                            .sms_message("")
                            .build(),
                    )
                    .build(),
            )
            .build(),
        agent_builder().build(),
    );
    let imported = to_spec(&live);
    assert!(
        !imported
            .gaps
            .iter()
            .any(|g| g.setting.starts_with("AdminCreateUserConfig")),
        "{:?}",
        imported.gaps
    );
    let sign_up = &imported.spec.sign_up;
    assert!(sign_up.admin_only);
    let invitation = sign_up.invitation.as_ref().expect("the invitation");
    assert_eq!(invitation.email_subject.as_deref(), Some("Welcome"));
    assert_eq!(
        invitation.email_message.as_deref(),
        Some("Hi {username}, password {####}")
    );
    // An empty message from the service is Cognito's default, not a message.
    assert_eq!(invitation.sms_message, None);
    let text = crate::spec_file(&imported, "p", "r", "s");
    assert!(text.contains("sign_up:\n  admin_only: true\n"), "{text}");

    // And the imported spec renders admin-only again.
    let reloaded = spec::load_str("pool.yaml", &text).expect("the imported spec loads");
    let rendered = template::render(&reloaded.spec, &template::RenderOptions::default());
    let config =
        &rendered.as_value()["Resources"]["UserPool"]["Properties"]["AdminCreateUserConfig"];
    assert_eq!(config["AllowAdminCreateUserOnly"], true);
    assert_eq!(config["InviteMessageTemplate"]["EmailSubject"], "Welcome");
}

#[test]
fn a_pool_open_to_sign_up_imports_without_sign_up() {
    use aws_sdk_cognitoidentityprovider::types::AdminCreateUserConfigType;
    let live = live(
        pool_builder()
            .admin_create_user_config(
                AdminCreateUserConfigType::builder()
                    .allow_admin_create_user_only(false)
                    .build(),
            )
            .build(),
        agent_builder().build(),
    );
    let imported = to_spec(&live);
    assert!(imported.spec.sign_up.is_default());
    assert!(!crate::spec_file(&imported, "p", "r", "s").contains("\nsign_up:"));
}

#[test]
fn an_inbound_federation_function_is_imported_by_arn_without_a_gap() {
    use aws_sdk_cognitoidentityprovider::types::{
        InboundFederationLambdaType, InboundFederationLambdaVersionType,
    };
    let arn = "arn:aws:lambda:us-east-1:123456789012:function:inbound";
    let pool = pool_builder()
        .lambda_config(
            LambdaConfigType::builder()
                .pre_sign_up("arn:aws:lambda:us-east-1:123456789012:function:autoverify")
                .inbound_federation(
                    InboundFederationLambdaType::builder()
                        .lambda_arn(arn)
                        .lambda_version(InboundFederationLambdaVersionType::V10)
                        .build()
                        .unwrap(),
                )
                .build(),
        )
        .build();
    let imported = to_spec(&live(pool, agent_builder().build()));
    assert_eq!(
        imported.spec.triggers.inbound_federation_arn.as_deref(),
        Some(arn)
    );
    assert!(!imported.spec.triggers.inbound_federation);
    assert!(
        imported.gaps.iter().all(|g| !g.setting.contains("Inbound")),
        "{:?}",
        imported.gaps
    );
    // The spec file loads, and renders the trigger back as the live pool has it.
    assert!(check(&imported).iter().all(|m| !m.starts_with("ERROR")));
    let template = template::render(&imported.spec, &template::RenderOptions::default());
    let resources = &template.as_value()["Resources"];
    assert_eq!(
        resources["UserPool"]["Properties"]["LambdaConfig"]["InboundFederation"],
        serde_json::json!({ "LambdaArn": arn, "LambdaVersion": "V1_0" })
    );
    // Scoped to the pool and the account, as every trigger by ARN is.
    let permission = &resources["InboundFederationPermission"]["Properties"];
    assert_eq!(permission["FunctionName"], arn);
    assert_eq!(permission["SourceArn"]["Fn::GetAtt"][0], "UserPool");
    assert_eq!(permission["SourceAccount"]["Ref"], "AWS::AccountId");
}
