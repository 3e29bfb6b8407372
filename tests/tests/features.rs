//! The Cognito features of 2024-2026 deployed to the emulator: the plan, choice-based sign-in,
//! threat protection, managed login v2, groups, a resource server with an M2M client, a
//! trigger by ARN, and SMS sending through a role the template creates land as the spec says; a plan downgrade that would strand threat protection
//! is refused before any change set. (Managed login branding is not here: the emulator
//! refuses `AWS::Cognito::ManagedLoginBranding`; the template crate's tests, cfn-lint and
//! Guard cover it.)

use std::path::PathBuf;

use aws_sdk_cognitoidentityprovider as cognito;
use cognito::types::{AdvancedSecurityModeType, AuthFactorType, UserPoolTierType};
use e2e::aws::{self, stack_outputs};
use e2e::cli::{expect_code, run_poolctl, spec_command};
use e2e::emulator::Emulator;
use e2e::{scratch_dir, unique_name, write_file};

const API: &str = "https://api.example.com";

fn spec(prefix: &str, plan: &str) -> PathBuf {
    let text = format!(
        r#"name: features
plan: {plan}
sign_in:
  username: email
  first_factors: [password, email_otp]
email:
  sending: ses
  ses:
    source_arn: arn:aws:ses:us-east-1:000000000000:identity/example.com
    from: no-reply@example.com
sms:
  sns_role: create
  verification_message: "Your features verification code is {{####}}"
  authentication_message: "Your features sign-in code is {{####}}"
verification:
  auto_verify: [email, phone]
mfa:
  mode: optional
  factors: [totp, sms]
threat_protection:
  mode: enforced
domain:
  prefix: {prefix}
  managed_login: v2
groups:
  admins:
    description: Pool administrators
    precedence: 0
  support:
    precedence: 10
resource_servers:
  - identifier: {API}
    name: Example API
    scopes:
      - name: orders.read
        description: Read orders
clients:
  - name: web
    auth_flows: [user_auth, user_srp]
  - name: worker
    generate_secret: true
    oauth_flows: [client_credentials]
    oauth_scopes: ["{API}/orders.read"]
    auth_flows: []
triggers:
  post_confirmation: arn:aws:lambda:us-east-1:000000000000:function:features-post-confirmation
protection:
  deletion: inactive
  retain_on_delete: false
"#
    );
    write_file(&scratch_dir("features"), "features.yaml", &text)
}

async fn change_set_names(cfn: &aws_sdk_cloudformation::Client, stack: &str) -> Vec<String> {
    cfn.list_change_sets()
        .stack_name(stack)
        .send()
        .await
        .expect("list change sets")
        .summaries()
        .iter()
        .filter_map(|s| s.change_set_name().map(str::to_owned))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn plan_first_factors_add_ons_managed_login_groups_resource_servers_and_sms_land() {
    let emulator = Emulator::shared();
    let config = aws::sdk_config(emulator).await;
    let cfn = aws_sdk_cloudformation::Client::new(&config);
    let idp = cognito::Client::new(&config);
    let stack = unique_name("features");
    let prefix = unique_name("features");

    let mut args = spec_command("deploy", &spec(&prefix, "plus"), &stack);
    args.extend(["--yes", "--output", "json"].map(str::to_owned));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let created = run_poolctl(emulator, &args);
    expect_code(&created, 0, "create");
    let outputs = stack_outputs(&cfn, &stack).await.expect("outputs");
    let pool_id = outputs["UserPoolId"].clone();

    let described = idp
        .describe_user_pool()
        .user_pool_id(&pool_id)
        .send()
        .await
        .expect("describe user pool");
    let pool = described.user_pool().expect("user pool");
    assert_eq!(pool.user_pool_tier(), Some(&UserPoolTierType::Plus));
    let factors = pool
        .policies()
        .and_then(|p| p.sign_in_policy())
        .map(|s| s.allowed_first_auth_factors().to_vec())
        .unwrap_or_default();
    assert_eq!(
        factors,
        [AuthFactorType::Password, AuthFactorType::EmailOtp]
    );
    assert_eq!(
        pool.user_pool_add_ons()
            .map(cognito::types::UserPoolAddOnsType::advanced_security_mode),
        Some(&AdvancedSecurityModeType::Enforced)
    );
    assert_eq!(
        pool.lambda_config().and_then(|l| l.post_confirmation()),
        Some("arn:aws:lambda:us-east-1:000000000000:function:features-post-confirmation")
    );

    // SMS goes out through the stack's own SmsRole, with the external ID derived from the
    // stack's name, and both SMS messages as the spec wrote them.
    let role = cfn
        .describe_stack_resource()
        .stack_name(&stack)
        .logical_resource_id("SmsRole")
        .send()
        .await
        .expect("describe SmsRole");
    let role_name = role
        .stack_resource_detail()
        .and_then(|r| r.physical_resource_id())
        .expect("SmsRole's physical id")
        .to_owned();
    let sms = pool.sms_configuration().expect("SmsConfiguration");
    assert!(
        sms.sns_caller_arn().starts_with("arn:aws:iam::")
            && sms
                .sns_caller_arn()
                .ends_with(&format!(":role/{role_name}")),
        "SnsCallerArn {} is not the stack's role {role_name}",
        sms.sns_caller_arn()
    );
    assert_eq!(sms.external_id(), Some(format!("{stack}-sms").as_str()));
    assert_eq!(
        pool.sms_authentication_message(),
        Some("Your features sign-in code is {####}")
    );
    assert_eq!(
        pool.verification_message_template()
            .and_then(cognito::types::VerificationMessageTemplateType::sms_message),
        Some("Your features verification code is {####}")
    );
    assert!(pool
        .auto_verified_attributes()
        .contains(&cognito::types::VerifiedAttributeType::PhoneNumber));

    let domain = idp
        .describe_user_pool_domain()
        .domain(&prefix)
        .send()
        .await
        .expect("describe domain");
    assert_eq!(
        domain
            .domain_description()
            .and_then(cognito::types::DomainDescriptionType::managed_login_version),
        Some(2)
    );

    let groups = idp
        .list_groups()
        .user_pool_id(&pool_id)
        .send()
        .await
        .expect("list groups");
    let mut found: Vec<(String, Option<i32>, Option<String>)> = groups
        .groups()
        .iter()
        .map(|g| {
            (
                g.group_name().unwrap_or_default().to_owned(),
                g.precedence(),
                // The emulator answers "" for a group without a description.
                g.description().filter(|d| !d.is_empty()).map(str::to_owned),
            )
        })
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            (
                "admins".to_owned(),
                Some(0),
                Some("Pool administrators".to_owned())
            ),
            ("support".to_owned(), Some(10), None),
        ]
    );

    let server = idp
        .describe_resource_server()
        .user_pool_id(&pool_id)
        .identifier(API)
        .send()
        .await
        .expect("describe resource server");
    let server = server.resource_server().expect("resource server");
    assert_eq!(server.name(), Some("Example API"));
    let scopes: Vec<&str> = server
        .scopes()
        .iter()
        .map(cognito::types::ResourceServerScopeType::scope_name)
        .collect();
    assert_eq!(scopes, ["orders.read"]);

    let worker = idp
        .describe_user_pool_client()
        .user_pool_id(&pool_id)
        .client_id(&outputs["ClientWorkerId"])
        .send()
        .await
        .expect("describe worker client");
    let worker = worker.user_pool_client().expect("worker client");
    assert_eq!(
        worker.allowed_o_auth_scopes(),
        [format!("{API}/orders.read")]
    );

    // Down to essentials while threat protection is still configured: refused before any
    // change set (the emulator keeps the executed one of the create), and the pool stays on
    // plus.
    let change_sets_before = change_set_names(&cfn, &stack).await;
    let mut args = spec_command("deploy", &spec(&prefix, "essentials"), &stack);
    args.extend(["--yes"].map(str::to_owned));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let refused = run_poolctl(emulator, &args);
    expect_code(&refused, 1, "plan downgrade");
    assert!(
        refused.stderr.contains(
            "threat protection needs the plus plan or above, and this pool's plan is essentials"
        ),
        "{}",
        refused.stderr
    );
    assert_eq!(change_set_names(&cfn, &stack).await, change_sets_before);
    let still = idp
        .describe_user_pool()
        .user_pool_id(&pool_id)
        .send()
        .await
        .expect("describe user pool");
    assert_eq!(
        still.user_pool().and_then(|p| p.user_pool_tier()),
        Some(&UserPoolTierType::Plus)
    );

    let destroyed = run_poolctl(emulator, &["destroy", "--stack", &stack, "--yes"]);
    expect_code(&destroyed, 0, "destroy");
}

/// What `check` accepts because Cognito does lands on the emulator as written: a pool name with
/// upper case and a space (`pool_name`, while `name` still names the stack), a client name
/// likewise, a custom attribute with a hyphen, phone recovery in a pool without SMS (a warning),
/// and email codes through Cognito's default sender (a warning).
#[tokio::test(flavor = "multi_thread")]
async fn names_and_settings_cognito_accepts_deploy_as_written() {
    let emulator = Emulator::shared();
    let config = aws::sdk_config(emulator).await;
    let cfn = aws_sdk_cloudformation::Client::new(&config);
    let idp = cognito::Client::new(&config);
    let stack = unique_name("accepted");
    let text = r"name: accepted
pool_name: Acme Users_Prod
plan: essentials
sign_in:
  username: email
  first_factors: [password, email_otp]
verification:
  auto_verify: [email]
  keep_original_until_verified: [email]
  account_recovery: [verified_phone, verified_email]
attributes:
  custom:
    tenant-id: { type: string }
clients:
  - name: Web App
    auth_flows: [user_auth, user_srp]
    read_attributes: [email, custom:tenant-id]
protection:
  deletion: inactive
  retain_on_delete: false
";
    let path = write_file(&scratch_dir("accepted"), "accepted.yaml", text);
    let mut args = spec_command("deploy", &path, &stack);
    args.extend(["--yes"].map(str::to_owned));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let created = run_poolctl(emulator, &args);
    expect_code(&created, 0, "create");
    assert!(
        created.stderr.contains("phone numbers are never verified")
            && created.stderr.contains("Cognito's default email sender"),
        "the two pitfalls are warned about: {}",
        created.stderr
    );

    let outputs = stack_outputs(&cfn, &stack).await.expect("outputs");
    let pool_id = outputs["UserPoolId"].clone();
    let described = idp
        .describe_user_pool()
        .user_pool_id(&pool_id)
        .send()
        .await
        .expect("describe user pool");
    let pool = described.user_pool().expect("user pool");
    assert_eq!(pool.name(), Some("Acme Users_Prod"));
    assert!(
        pool.schema_attributes()
            .iter()
            .any(|a| a.name() == Some("custom:tenant-id")),
        "{:?}",
        pool.schema_attributes()
    );
    let client_id = outputs["ClientWebAppId"].clone();
    let client = idp
        .describe_user_pool_client()
        .user_pool_id(&pool_id)
        .client_id(&client_id)
        .send()
        .await
        .expect("describe user pool client");
    assert_eq!(
        client.user_pool_client().and_then(|c| c.client_name()),
        Some("Web App")
    );

    let destroyed = run_poolctl(emulator, &["destroy", "--stack", &stack, "--yes"]);
    expect_code(&destroyed, 0, "destroy");
}
