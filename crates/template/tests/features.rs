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

#[test]
fn sms_sending_with_a_created_role_is_wired_and_least_privilege() {
    let res = resources("sms.yaml");
    let pool = &res["UserPool"]["Properties"];
    assert_eq!(
        pool["SmsConfiguration"],
        json!({
            "SnsCallerArn": { "Fn::GetAtt": ["SmsRole", "Arn"] },
            "ExternalId": "sms-coverage",
            "SnsRegion": "us-east-1",
        })
    );
    assert_eq!(
        pool["SmsAuthenticationMessage"],
        "Your sign-in code is {####}"
    );
    assert_eq!(
        pool["VerificationMessageTemplate"]["SmsMessage"],
        "Your verification code is {####}"
    );
    assert_eq!(
        pool["SmsVerificationMessage"],
        pool["VerificationMessageTemplate"]["SmsMessage"]
    );
    assert_eq!(
        pool["EnabledMfas"],
        json!(["SOFTWARE_TOKEN_MFA", "SMS_MFA"])
    );
    assert_eq!(
        pool["Policies"]["SignInPolicy"]["AllowedFirstAuthFactors"],
        json!(["PASSWORD", "SMS_OTP"])
    );
    assert_eq!(
        pool["AutoVerifiedAttributes"],
        json!(["email", "phone_number"])
    );

    let role = &res["SmsRole"];
    assert_eq!(role["Type"], "AWS::IAM::Role");
    let props = &role["Properties"];
    assert!(props.get("ManagedPolicyArns").is_none());
    assert!(
        props.get("RoleName").is_none(),
        "named roles cannot be replaced"
    );
    assert_eq!(
        props["AssumeRolePolicyDocument"]["Statement"],
        json!([{
            "Effect": "Allow",
            "Principal": { "Service": "cognito-idp.amazonaws.com" },
            "Action": "sts:AssumeRole",
            "Condition": { "StringEquals": {
                "sts:ExternalId": "sms-coverage",
                "aws:SourceAccount": { "Ref": "AWS::AccountId" },
            } },
        }])
    );
    let policies = props["Policies"].as_array().expect("inline policies");
    assert_eq!(policies.len(), 1);
    let statements = &policies[0]["PolicyDocument"]["Statement"];
    assert_eq!(
        statements,
        &json!([
            { "Sid": "PublishSmsToPhoneNumbers", "Effect": "Allow", "Action": "sns:Publish", "Resource": "*" },
            { "Sid": "NeverPublishToTopics", "Effect": "Deny", "Action": "sns:Publish",
              "Resource": { "Fn::Sub": "arn:${AWS::Partition}:sns:*:*:*" } },
        ])
    );
    // Nothing in the role names the pool: pool -> role, never back.
    assert!(!role.to_string().contains("UserPool"), "{role}");
    let skips: Vec<&str> = role["Metadata"]["checkov"]["skip"]
        .as_array()
        .expect("checkov skips")
        .iter()
        .filter_map(|s| s["id"].as_str())
        .collect();
    assert_eq!(skips, ["CKV_AWS_111"]);
}

#[test]
fn a_created_role_without_an_external_id_gets_one_from_the_stack() {
    let res = resources("every-provider.yaml");
    let default = json!({ "Fn::Sub": "${AWS::StackName}-sms" });
    assert_eq!(
        res["UserPool"]["Properties"]["SmsConfiguration"],
        json!({ "SnsCallerArn": { "Fn::GetAtt": ["SmsRole", "Arn"] }, "ExternalId": default })
    );
    assert_eq!(
        res["SmsRole"]["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Condition"]
            ["StringEquals"]["sts:ExternalId"],
        default
    );
}

#[test]
fn sms_through_a_role_arn_creates_no_role_and_invents_no_external_id() {
    let res = resources("sms-role-arn.yaml");
    assert!(of_type(&res, "AWS::IAM::Role").is_empty());
    let pool = &res["UserPool"]["Properties"];
    assert_eq!(
        pool["SmsConfiguration"],
        json!({ "SnsCallerArn": "arn:aws:iam::123456789012:role/service-role/cognito-sms" })
    );
    assert!(pool.get("SmsAuthenticationMessage").is_none());
    assert!(pool.get("SmsVerificationMessage").is_none());
    assert_eq!(pool["EnabledMfas"], json!(["SMS_MFA"]));
}

#[test]
fn a_pool_without_sms_has_no_sms_configuration() {
    let res = resources("every-feature.yaml");
    assert!(res["UserPool"]["Properties"]
        .get("SmsConfiguration")
        .is_none());
    assert!(res.get("SmsRole").is_none());
}

#[test]
fn an_admin_only_pool_renders_its_invitation_and_a_spec_without_sign_up_leaves_it_out() {
    let res = resources("admin-only.yaml");
    assert_eq!(
        res["UserPool"]["Properties"]["AdminCreateUserConfig"],
        json!({
            "AllowAdminCreateUserOnly": true,
            "InviteMessageTemplate": {
                "EmailSubject": "Your new account",
                "EmailMessage": "Your username is {username} and your temporary password is {####}.",
                "SMSMessage": "Your username is {username} and your temporary password is {####}.",
            },
        })
    );
    let minimal = resources("minimal.yaml");
    assert!(minimal["UserPool"]["Properties"]
        .get("AdminCreateUserConfig")
        .is_none());
}

#[test]
fn client_settings_are_rendered_when_stated_and_left_out_otherwise() {
    let res = resources("admin-only.yaml");
    let clients = of_type(&res, "AWS::Cognito::UserPoolClient");
    let props = |name: &str| {
        clients
            .iter()
            .map(|(_, c)| &c["Properties"])
            .find(|p| p["ClientName"] == name)
            .expect("the client")
    };
    let back_office = props("back-office");
    assert_eq!(back_office["PreventUserExistenceErrors"], "ENABLED");
    assert_eq!(
        back_office["ExplicitAuthFlows"],
        json!(["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])
    );
    for absent in [
        "DefaultRedirectURI",
        "EnablePropagateAdditionalUserContextData",
        "AnalyticsConfiguration",
        "AuthSessionValidity",
    ] {
        assert!(back_office.get(absent).is_none(), "{absent}");
    }
    // poolctl's default, stated on every client.
    assert_eq!(back_office["EnableTokenRevocation"], true);
    let kiosk = props("kiosk");
    assert_eq!(kiosk["EnableTokenRevocation"], false);
    assert_eq!(kiosk["AuthSessionValidity"], 10);
    assert_eq!(
        kiosk["AnalyticsConfiguration"],
        json!({ "ApplicationArn": "arn:aws:mobiletargeting:us-east-1:123456789012:apps/0123456789abcdef0123456789abcdef" })
    );
    let legacy = props("legacy-app");
    assert_eq!(legacy["PreventUserExistenceErrors"], "LEGACY");
    assert_eq!(legacy["ExplicitAuthFlows"], json!(["ALLOW_USER_SRP_AUTH"]));
    assert_eq!(
        legacy["DefaultRedirectURI"],
        "https://app.example.com/callback"
    );
    assert_eq!(legacy["EnablePropagateAdditionalUserContextData"], true);
    assert_eq!(
        legacy["AnalyticsConfiguration"],
        json!({
            "ApplicationId": "0123456789abcdef0123456789abcdef",
            "RoleArn": "arn:aws:iam::123456789012:role/cognito-pinpoint",
            "ExternalId": "admin-only-analytics",
            "UserDataShared": true,
        })
    );
}
