//! The resources of the newer Cognito features, read from the coverage specs' renders: the plan
//! and sign-in policy on the pool, one scoped permission per trigger given by ARN, groups,
//! resource servers before the clients that ask for their scopes, managed login branding
//! (which the local emulator cannot deploy, so its shape is held here), and rotation.

mod common;

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use common::*;

fn coverage(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/specs")
        .join(name)
}

fn resources(name: &str) -> Value {
    render(&coverage(name)).as_value()["Resources"].clone()
}

fn of_type<'a>(resources: &'a Value, kind: &str) -> Vec<(&'a String, &'a Value)> {
    resources
        .as_object()
        .expect("resources")
        .iter()
        .filter(|(_, r)| r["Type"] == kind)
        .collect()
}

#[test]
fn the_pool_carries_the_plan_sign_in_policy_passkeys_mfa_and_add_ons() {
    let res = resources("every-feature.yaml");
    let pool = &res["UserPool"]["Properties"];
    assert_eq!(pool["UserPoolTier"], "PLUS");
    assert_eq!(
        pool["Policies"]["SignInPolicy"]["AllowedFirstAuthFactors"],
        json!(["PASSWORD", "EMAIL_OTP", "WEB_AUTHN"])
    );
    assert_eq!(pool["Policies"]["PasswordPolicy"]["PasswordHistorySize"], 5);
    assert_eq!(
        pool["WebAuthnRelyingPartyID"],
        "example-users.auth.us-east-1.amazoncognito.com"
    );
    assert_eq!(pool["WebAuthnUserVerification"], "required");
    assert_eq!(
        pool["EnabledMfas"],
        json!(["SOFTWARE_TOKEN_MFA", "EMAIL_OTP"])
    );
    assert_eq!(pool["EmailAuthenticationSubject"], "Your sign-in code");
    assert_eq!(
        pool["UserPoolAddOns"],
        json!({ "AdvancedSecurityMode": "ENFORCED", "AdvancedSecurityAdditionalFlows": { "CustomAuthMode": "AUDIT" } })
    );
    assert_eq!(
        res["UserPoolDomain"]["Properties"]["ManagedLoginVersion"],
        2
    );
}

#[test]
fn a_spec_without_a_plan_leaves_the_tier_alone() {
    for spec in all_specs() {
        let loaded = load(&spec);
        let template = render(&spec);
        let tier = &template.as_value()["Resources"]["UserPool"]["Properties"]["UserPoolTier"];
        assert_eq!(tier.is_null(), loaded.plan.is_none(), "{}", spec.display());
    }
}

#[test]
fn every_trigger_by_arn_has_its_own_permission_scoped_to_the_pool_and_account() {
    for (name, expected) in [("every-feature.yaml", 11), ("arn-pre-sign-up.yaml", 2)] {
        let spec = load(&coverage(name));
        let res = resources(name);
        let permissions = of_type(&res, "AWS::Lambda::Permission");
        assert_eq!(permissions.len(), expected, "{name}");
        for trigger in spec.triggers.by_arn() {
            let id = format!("{}Permission", trigger.name);
            let props = &res[&id]["Properties"];
            assert_eq!(props["FunctionName"], trigger.arn, "{id}");
            assert_eq!(props["Principal"], "cognito-idp.amazonaws.com", "{id}");
            assert_eq!(props["Action"], "lambda:InvokeFunction", "{id}");
            assert_eq!(
                props["SourceArn"],
                json!({ "Fn::GetAtt": ["UserPool", "Arn"] }),
                "{id}"
            );
            assert_eq!(
                props["SourceAccount"],
                json!({ "Ref": "AWS::AccountId" }),
                "{id}"
            );
        }
    }
    // The function of one's own replaces poolctl's: no function, role or log group is rendered.
    let res = resources("arn-pre-sign-up.yaml");
    assert!(of_type(&res, "AWS::Lambda::Function").is_empty());
    assert_eq!(
        res["UserPool"]["Properties"]["LambdaConfig"]["PreSignUp"],
        "arn:aws:lambda:us-east-1:123456789012:function:own-pre-sign-up"
    );
    assert_eq!(
        res["UserPool"]["Properties"]["LambdaConfig"]["PreTokenGenerationConfig"]["LambdaVersion"],
        "V2_0"
    );
}

#[test]
fn custom_senders_carry_the_kms_key() {
    let res = resources("every-feature.yaml");
    let config = &res["UserPool"]["Properties"]["LambdaConfig"];
    assert!(config["KMSKeyID"]
        .as_str()
        .is_some_and(|k| k.starts_with("arn:aws:kms:")));
    assert_eq!(config["CustomEmailSender"]["LambdaVersion"], "V1_0");
    assert_eq!(config["CustomSMSSender"]["LambdaVersion"], "V1_0");
}

#[test]
fn groups_and_resource_servers_belong_to_the_pool_and_clients_wait_for_their_scopes() {
    let res = resources("every-feature.yaml");
    let groups = of_type(&res, "AWS::Cognito::UserPoolGroup");
    assert_eq!(groups.len(), 2);
    assert_eq!(res["GroupAdmins"]["Properties"]["GroupName"], "admins");
    assert_eq!(res["GroupAdmins"]["Properties"]["Precedence"], 0);
    let servers = of_type(&res, "AWS::Cognito::UserPoolResourceServer");
    assert_eq!(servers.len(), 1);
    for (_, resource) in groups.iter().chain(servers.iter()) {
        assert_eq!(
            resource["Properties"]["UserPoolId"],
            json!({ "Ref": "UserPool" })
        );
    }
    assert_eq!(
        res["ClientWorker"]["DependsOn"],
        json!(["ResourceServerExampleAPI"])
    );
    assert_eq!(
        res["ClientWeb"]["DependsOn"],
        json!(["ResourceServerExampleAPI"])
    );
    // A client asking only for Cognito's scopes waits for nothing.
    assert!(res["ClientAdmin"].get("DependsOn").is_none());
}

#[test]
fn managed_login_branding_per_client() {
    let res = resources("every-feature.yaml");
    let brandings = of_type(&res, "AWS::Cognito::ManagedLoginBranding");
    assert_eq!(brandings.len(), 2);
    let web = &res["BrandingWeb"];
    assert_eq!(web["DependsOn"], json!(["UserPoolDomain"]));
    assert_eq!(web["Properties"]["ClientId"], json!({ "Ref": "ClientWeb" }));
    assert_eq!(
        web["Properties"]["UserPoolId"],
        json!({ "Ref": "UserPool" })
    );
    assert_eq!(web["Properties"]["UseCognitoProvidedValues"], true);
    assert!(web["Properties"].get("Settings").is_none());
    let admin = &res["BrandingAdmin"]["Properties"];
    assert_eq!(admin["UseCognitoProvidedValues"], false);
    assert_eq!(
        admin["Settings"]["categories"]["global"]["colorSchemeMode"],
        "LIGHT"
    );
}

#[test]
fn a_rotating_client_does_not_offer_refresh_token_auth() {
    let res = resources("every-feature.yaml");
    let web = &res["ClientWeb"]["Properties"];
    assert_eq!(
        web["RefreshTokenRotation"],
        json!({ "Feature": "ENABLED", "RetryGracePeriodSeconds": 10 })
    );
    assert!(!web["ExplicitAuthFlows"]
        .as_array()
        .expect("flows")
        .contains(&json!("ALLOW_REFRESH_TOKEN_AUTH")));
    let admin = &res["ClientAdmin"]["Properties"];
    assert!(admin.get("RefreshTokenRotation").is_none());
    assert!(admin["ExplicitAuthFlows"]
        .as_array()
        .expect("flows")
        .contains(&json!("ALLOW_REFRESH_TOKEN_AUTH")));
}
