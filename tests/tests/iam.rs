//! Each least-privilege policy in infra/iam against the calls its commands were seen to make:
//! every command runs through the fault proxy (empty plan: it only forwards and records)
//! signed with an access key of its own, so its requests are told apart from the set-up's;
//! the recorded operations become IAM actions on the ARNs they name (`e2e::iam`), and the
//! policy must allow every one (a missing action fails on AWS with AccessDenied part-way) and
//! grant nothing no call used (an extra grant is privilege nobody needs) unless the test names
//! why it is needed all the same. Conditions (review pools' tag, PassRole's service) are not
//! evaluated: the proxy cannot see tags; the documents' own checks below assert what they say.
//!
//! Every policy file in infra/iam is either checked here or listed as a trust policy, so a
//! new policy cannot go unchecked.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use aws_sdk_cognitoidentityprovider as cognito;
use cognito::types::{
    ExplicitAuthFlowsType, IdentityProviderTypeType, PreventUserExistenceErrorTypes,
    ResourceServerScopeType, SoftwareTokenMfaConfigType, UserPoolMfaType, UsernameAttributeType,
    VerifiedAttributeType,
};
use e2e::aws::{cognito as cognito_client, recovery_by_verified_email};
use e2e::cli::{expect_code, poolctl, run_on, spec_command, trigger_zip_x86_64, Run};
use e2e::emulator::{Emulator, ACCOUNT_ID, REGION};
use e2e::faultproxy::FaultPlan;
use e2e::iam::{calls, problems, Call, Policy};
use e2e::{repo_root, scratch_dir, unique_name, write_file};
use serde_json::Value;

/// `poolctl ARGS` against `emulator`, signing with `access_key` (any key is the emulator's
/// one account; the proxy records which key signed each request).
fn run_as(emulator: &Emulator, access_key: &str, args: &[&str]) -> Run {
    let mut command: Command = poolctl(emulator);
    command.env("AWS_ACCESS_KEY_ID", access_key).args(args);
    run_on(emulator, &mut command)
}

/// The calls the runs signed with `access_key` made.
fn seen(emulator: &Emulator, access_key: &str) -> BTreeSet<Call> {
    calls(&emulator.faults().decisions(), access_key, ACCOUNT_ID)
}

#[track_caller]
fn assert_fits(policy: &Policy, calls: &BTreeSet<Call>, unseen: &[(&str, &str)]) {
    let found = problems(policy, calls, unseen);
    let list: Vec<String> = calls.iter().map(ToString::to_string).collect();
    assert!(
        found.is_empty(),
        "{}:\n  {}\ncalls seen:\n  {}",
        policy.name,
        found.join("\n  "),
        list.join("\n  ")
    );
}

/// A pool made with the SDK, not poolctl, that `adopt` can import into a stack with every
/// setting expressed: email as the username, email auto-verified and the recovery mechanism,
/// one client that hides whether a user exists (the emulator's CloudFormation imports no
/// domain or identity provider).
async fn adoptable_pool(client: &cognito::Client) -> String {
    let pool = client
        .create_user_pool()
        .pool_name(unique_name("iam-adopt"))
        .username_attributes(UsernameAttributeType::Email)
        .auto_verified_attributes(VerifiedAttributeType::Email)
        .account_recovery_setting(recovery_by_verified_email())
        .send()
        .await
        .unwrap()
        .user_pool()
        .and_then(|p| p.id())
        .unwrap()
        .to_owned();
    client
        .create_user_pool_client()
        .user_pool_id(&pool)
        .client_name("web")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserSrpAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .prevent_user_existence_errors(PreventUserExistenceErrorTypes::Enabled)
        .enable_token_revocation(true)
        .send()
        .await
        .unwrap();
    pool
}

/// A pool with one of everything `import` reads: optional MFA (its settings are read only
/// when MFA is on), a client, an identity provider, a domain, a group and a resource server.
async fn rich_pool(client: &cognito::Client) -> String {
    let pool = client
        .create_user_pool()
        .pool_name(unique_name("iam-import"))
        .username_attributes(UsernameAttributeType::Email)
        .auto_verified_attributes(VerifiedAttributeType::Email)
        .send()
        .await
        .unwrap()
        .user_pool()
        .and_then(|p| p.id())
        .unwrap()
        .to_owned();
    client
        .set_user_pool_mfa_config()
        .user_pool_id(&pool)
        .software_token_mfa_configuration(
            SoftwareTokenMfaConfigType::builder().enabled(true).build(),
        )
        .mfa_configuration(UserPoolMfaType::Optional)
        .send()
        .await
        .unwrap();
    client
        .create_identity_provider()
        .user_pool_id(&pool)
        .provider_name("Corp")
        .provider_type(IdentityProviderTypeType::Saml)
        .provider_details("MetadataURL", "https://idp.example.com/metadata.xml")
        .attribute_mapping("email", "email")
        .send()
        .await
        .unwrap();
    client
        .create_user_pool_client()
        .user_pool_id(&pool)
        .client_name("web")
        .supported_identity_providers("Corp")
        .send()
        .await
        .unwrap();
    client
        .create_user_pool_domain()
        .user_pool_id(&pool)
        .domain(unique_name("iam-import"))
        .send()
        .await
        .unwrap();
    client
        .create_group()
        .user_pool_id(&pool)
        .group_name("admins")
        .send()
        .await
        .unwrap();
    client
        .create_resource_server()
        .user_pool_id(&pool)
        .identifier("https://api.example.com")
        .name("api")
        .scopes(
            ResourceServerScopeType::builder()
                .scope_name("read")
                .scope_description("read")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    pool
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The placeholders of the one-pool policies, filled in for this pool and stack.
fn one_pool<'a>(pool: &'a str, stack: &'a str) -> [(&'static str, &'a str); 4] {
    [
        ("REGION", REGION),
        ("ACCOUNT_ID", ACCOUNT_ID),
        ("POOL_ID", pool),
        ("STACK_NAME", stack),
    ]
}

/// What the read-only commands need beyond what a run shows: the provider, domain and MFA
/// reads happen only for a pool that has them, which `adopt` on this emulator cannot import
/// (or, for MFA, which the adopted pool does not use).
const READS_OF_PROVIDERS_AND_DOMAINS: [(&str, &str); 4] = [
    BRANDING_READ,
    (
        "cognito-idp:DescribeIdentityProvider",
        "read for each identity provider a pool has (the emulator's CloudFormation imports none)",
    ),
    (
        "cognito-idp:DescribeUserPoolDomain",
        "read when a pool has a domain (the emulator's CloudFormation imports none)",
    ),
    (
        "cognito-idp:GetUserPoolMfaConfig",
        "read when a pool has MFA or passkeys on",
    ),
];

/// Read for each client when the pool's domain serves managed login (v2); the emulator models
/// neither managed login branding nor its version.
const BRANDING_READ: (&str, &str) = (
    "cognito-idp:DescribeManagedLoginBrandingByClient",
    "read for each client of a pool whose domain serves managed login v2 (the emulator has no branding)",
);

#[tokio::test(flavor = "multi_thread")]
async fn import_adopt_explain_and_users_are_granted_exactly_the_calls_they_make() {
    let emulator = Emulator::start_with(FaultPlan::none());
    let idp = cognito_client(&emulator).await;
    let dir = scratch_dir("iam");

    // import and explain --user-pool-id: import-policy.json.
    let rich = rich_pool(&idp).await;
    let run = run_as(
        &emulator,
        "iam-import",
        &[
            "import",
            "--user-pool-id",
            &rich,
            "--out",
            path(&dir.join("rich.yaml")),
            "--allow-partial",
        ],
    );
    expect_code(&run, 0, "import");
    let run = run_as(
        &emulator,
        "iam-import",
        &["explain", "--user-pool-id", &rich, "--output", "json"],
    );
    expect_code(&run, 0, "explain --user-pool-id");
    let import = seen(&emulator, "iam-import");
    assert!(
        import
            .iter()
            .any(|c| c.action == "cognito-idp:DescribeIdentityProvider"),
        "{import:?}"
    );
    assert_fits(
        &Policy::load("import-policy.json", &one_pool(&rich, "unused")),
        &import,
        &[BRANDING_READ],
    );

    // adopt: adopt-policy.json (the pool's reads and the IMPORT change set on a new stack).
    let pool = adoptable_pool(&idp).await;
    let spec = dir.join("adopted.yaml");
    let run = run_as(
        &emulator,
        "iam-setup",
        &["import", "--user-pool-id", &pool, "--out", path(&spec)],
    );
    expect_code(&run, 0, "import the pool to adopt");
    let stack = unique_name("iam-adopted");
    let run = run_as(
        &emulator,
        "iam-adopt",
        &[
            "adopt",
            path(&spec),
            "--user-pool-id",
            &pool,
            "--stack",
            &stack,
            "--yes",
        ],
    );
    expect_code(&run, 0, "adopt");
    let adopt = seen(&emulator, "iam-adopt");
    let mut unseen = READS_OF_PROVIDERS_AND_DOMAINS.to_vec();
    unseen.extend([
        (
            "cloudformation:DeleteChangeSet",
            "removes the change set when the import is refused or fails",
        ),
        (
            "cloudformation:DeleteStack",
            "removes the new stack when the import is refused or fails",
        ),
    ]);
    assert_fits(
        &Policy::load("adopt-policy.json", &one_pool(&pool, &stack)),
        &adopt,
        &unseen,
    );

    // The adopted stack gets its outputs (the pool id that `--stack` reads) on its first
    // deploy, as a user's would.
    let mut deploy = spec_command("deploy", &spec, &stack);
    deploy.push("--yes".to_owned());
    let deploy: Vec<&str> = deploy.iter().map(String::as_str).collect();
    expect_code(
        &run_as(&emulator, "iam-setup", &deploy),
        0,
        "deploy the adopted spec",
    );

    // explain --stack with no spec: explain-stack-policy.json.
    let run = run_as(
        &emulator,
        "iam-explain-stack",
        &["explain", "--stack", &stack, "--output", "json"],
    );
    expect_code(&run, 0, "explain --stack");
    assert_fits(
        &Policy::load("explain-stack-policy.json", &one_pool(&pool, &stack)),
        &seen(&emulator, "iam-explain-stack"),
        &READS_OF_PROVIDERS_AND_DOMAINS,
    );

    // users create, audit and verify --stack: users-*-policy.json.
    let rows: String = (0..4)
        .map(|i| format!("{{\"username\":\"u{i}@example.com\",\"email\":\"u{i}@example.com\"}}\n"))
        .collect();
    let rows = write_file(&dir, "users.jsonl", &rows);
    let run = run_as(
        &emulator,
        "iam-users-create",
        &[
            "users",
            "create",
            "--stack",
            &stack,
            "--from",
            path(&rows),
            "--suppress",
            "--journal",
            path(&dir.join("create.journal")),
        ],
    );
    expect_code(&run, 0, "users create");
    // Confirmed with an unverified email: stuck, for the audit to find and verify to fix.
    for i in 0..4 {
        idp.admin_set_user_password()
            .user_pool_id(&pool)
            .username(format!("u{i}@example.com"))
            .password("Correct-Horse-9")
            .permanent(true)
            .send()
            .await
            .unwrap();
    }
    let audit_file = dir.join("audit.jsonl");
    let run = run_as(
        &emulator,
        "iam-users-audit",
        &[
            "users",
            "audit",
            "--stack",
            &stack,
            "--out",
            path(&audit_file),
            "--output",
            "json",
        ],
    );
    // Exit 5: stranded users found.
    expect_code(&run, 5, "users audit");
    assert_eq!(
        run.json()["counts"]["stuck"].as_u64(),
        Some(4),
        "{}",
        run.stdout
    );
    let run = run_as(
        &emulator,
        "iam-users-verify",
        &[
            "users",
            "verify",
            "--stack",
            &stack,
            "--class",
            "stuck",
            "--yes",
            "--journal",
            path(&dir.join("verify.journal")),
        ],
    );
    expect_code(&run, 0, "users verify");
    let resumed: &[(&str, &str)] = &[(
        "cognito-idp:AdminGetUser",
        "asks whether a user exists when a stopped run resumes and its journal says the \
         create was sent",
    )];
    for (command, unseen) in [("create", resumed), ("audit", &[]), ("verify", &[])] {
        assert_fits(
            &Policy::load(
                &format!("users-{command}-policy.json"),
                &one_pool(&pool, &stack),
            ),
            &seen(&emulator, &format!("iam-users-{command}")),
            unseen,
        );
    }
}

/// The review CI role's actions that CloudFormation performs with the caller's credentials
/// while it creates, updates and deletes a review stack's resources: the proxy sees only
/// poolctl's own calls, so these are checked against the review template's resource types
/// instead ([`review_template_types`]).
const ON_BEHALF_OF_CLOUDFORMATION: [&str; 4] = ["cognito-idp:", "lambda:", "iam:", "logs:"];

/// The resource types of the review pool's template, and the service that creates each.
fn review_template_types() -> BTreeSet<String> {
    let text = std::fs::read_to_string(repo_root().join("templates/review.json")).unwrap();
    let template: Value = serde_json::from_str(&text).unwrap();
    template["Resources"]
        .as_object()
        .unwrap()
        .values()
        .map(|r| r["Type"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_review_ci_role_is_granted_exactly_the_calls_review_makes() {
    // Its own emulator: `ls` and `gc` list every stack of the account.
    let emulator = Emulator::start_with(FaultPlan::none());
    let key = "iam-review";
    let up = |id: &str| {
        let zip = trigger_zip_x86_64();
        let args = [
            "review",
            "up",
            "infra/pools/review.yaml",
            &format!("--id={id}"),
            "--arch",
            "x86_64",
            "--trigger-zip",
            zip.to_str().unwrap(),
            "--ttl",
            "1h",
            "--now",
            "2026-11-22T10:00:00Z",
        ];
        expect_code(&run_as(&emulator, key, &args), 0, "review up");
    };
    up("a");
    up("b");
    // `up` again on an existing pool updates it.
    up("a");
    for args in [
        &["review", "ls", "--now", "2026-11-22T10:00:00Z"][..],
        &["review", "down", "--id", "a"],
        &["review", "gc", "--now", "2026-11-22T12:00:00Z"],
    ] {
        expect_code(&run_as(&emulator, key, args), 0, &args.join(" "));
    }
    let calls = seen(&emulator, key);
    let policy = Policy::load("review-ci-policy.json", &[("ACCOUNT_ID", ACCOUNT_ID)]);

    let mut unseen: Vec<(&str, &str)> = Vec::new();
    let granted = policy.granted();
    for (_, action) in &granted {
        if ON_BEHALF_OF_CLOUDFORMATION
            .iter()
            .any(|service| action.starts_with(service))
        {
            unseen.push((action, "called by CloudFormation for the stack's resources"));
        }
    }
    unseen.extend([
        (
            "cloudformation:DeleteChangeSet",
            "removes an update's change set when it is refused or fails, and leftovers of an \
             interrupted run",
        ),
        (
            "cloudformation:TagResource",
            "authorises the Tags of a CreateChangeSet that creates a stack",
        ),
        (
            "cloudformation:UntagResource",
            "authorises an update that drops one of the stack's tags",
        ),
    ]);
    assert_fits(&policy, &calls, &unseen);

    // The actions CloudFormation needs for each resource type of the review template.
    let needs: &[(&str, &[&str])] = &[
        (
            "AWS::Cognito::UserPool",
            &[
                "cognito-idp:CreateUserPool",
                "cognito-idp:DescribeUserPool",
                "cognito-idp:UpdateUserPool",
                "cognito-idp:DeleteUserPool",
            ],
        ),
        (
            "AWS::Cognito::UserPoolClient",
            &[
                "cognito-idp:CreateUserPoolClient",
                "cognito-idp:DeleteUserPoolClient",
            ],
        ),
        (
            "AWS::Cognito::UserPoolDomain",
            &[
                "cognito-idp:CreateUserPoolDomain",
                "cognito-idp:DeleteUserPoolDomain",
                "cognito-idp:DescribeUserPoolDomain",
            ],
        ),
        (
            "AWS::Lambda::Function",
            &[
                "lambda:CreateFunction",
                "lambda:DeleteFunction",
                "lambda:GetFunction",
                "iam:PassRole",
            ],
        ),
        (
            "AWS::Lambda::Permission",
            &["lambda:AddPermission", "lambda:RemovePermission"],
        ),
        (
            "AWS::IAM::Role",
            &["iam:CreateRole", "iam:DeleteRole", "iam:GetRole"],
        ),
        (
            "AWS::IAM::Policy",
            &["iam:PutRolePolicy", "iam:DeleteRolePolicy"],
        ),
        (
            "AWS::Logs::LogGroup",
            &[
                "logs:CreateLogGroup",
                "logs:DeleteLogGroup",
                "logs:PutRetentionPolicy",
            ],
        ),
    ];
    let types = review_template_types();
    let granted: BTreeSet<&str> = granted.iter().map(|(_, a)| a.as_str()).collect();
    for resource_type in &types {
        let (_, actions) = needs
            .iter()
            .find(|(t, _)| t == resource_type)
            .unwrap_or_else(|| {
                panic!("templates/review.json has {resource_type}: say what creating it needs")
            });
        for action in *actions {
            assert!(
                granted.contains(action),
                "{resource_type} needs {action}, which review-ci-policy.json does not grant"
            );
        }
    }
}

fn document(path: &str) -> Value {
    let text =
        std::fs::read_to_string(repo_root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path} is not JSON: {e}"))
}

fn strings(value: &Value) -> Vec<String> {
    match value {
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_environment_ci_role_is_granted_exactly_the_call_it_makes() {
    // The CI identity (account 111111111111) works in an environment only as that account's
    // deploy role: every call it signs itself must fit the CI policy, which grants nothing
    // else.
    let emulator = &Emulator::start_with(FaultPlan::none());
    let dir = scratch_dir("iam-environment-ci");
    let spec = write_file(
        &dir,
        "pool.yaml",
        &format!(
            "name: {}\nsign_in:\n  username: email\nenvironments:\n  stage:\n    account: \"222222222222\"\n    region: {REGION}\n    role_arn: \"arn:aws:iam::222222222222:role/poolctl-deploy\"\n",
            unique_name("iam-envs")
        ),
    );
    let ci = "111111111111";
    let run = run_as(
        emulator,
        ci,
        &["outputs", "--spec", path(&spec), "--env", "stage"],
    );
    assert!(
        run.stderr.contains("does not exist"),
        "past the guard as the role, to a stack that is not there: {run:?}"
    );
    let calls = seen(emulator, ci);
    assert_eq!(
        calls.iter().map(ToString::to_string).collect::<Vec<_>>(),
        ["sts:AssumeRole on arn:aws:iam::222222222222:role/poolctl-deploy"]
    );
    assert_fits(
        &Policy::load("environment-ci-policy.json", &[]),
        &calls,
        &[],
    );
}

#[test]
fn every_policy_in_infra_iam_is_checked_here() {
    let checked = [
        "import-policy.json",
        "adopt-policy.json",
        "explain-stack-policy.json",
        "users-create-policy.json",
        "users-audit-policy.json",
        "users-verify-policy.json",
        "review-ci-policy.json",
        "environment-ci-policy.json",
    ];
    let trust = ["review-ci-trust.json", "environment-deploy-trust.json"];
    for entry in std::fs::read_dir(repo_root().join("infra/iam")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name.ends_with(".json") {
            assert!(
                checked.contains(&name.as_str()) || trust.contains(&name.as_str()),
                "infra/iam/{name} is checked by no test in tests/tests/iam.rs"
            );
        }
    }
}

#[test]
fn the_review_policy_is_scoped_to_review_resources() {
    let policy = document("infra/iam/review-ci-policy.json");
    // Only these cannot name a resource (listing stacks; a pool that does not exist yet;
    // domains, which are not resources).
    let unscopable = [
        "cloudformation:DescribeStacks",
        "cognito-idp:CreateUserPool",
        "cognito-idp:DescribeUserPoolDomain",
    ];
    for statement in policy["Statement"].as_array().unwrap() {
        assert_eq!(statement["Effect"], "Allow", "{statement}");
        let resources = strings(&statement["Resource"]);
        for action in strings(&statement["Action"]) {
            assert!(!action.contains('*'), "wildcard action {action}");
            assert!(!resources.is_empty(), "{action} has no Resource");
            for resource in &resources {
                if resource == "*" {
                    assert!(unscopable.contains(&action.as_str()), "{action} on *");
                    continue;
                }
                let service = action.split(':').next().unwrap();
                let expected = match service {
                    "cloudformation" => vec![":stack/poolctl-review-", ":changeSet/poolctl-"],
                    "lambda" => vec![":function:poolctl-review-"],
                    "iam" => vec![":role/poolctl-review-"],
                    "logs" if action == "logs:DescribeLogGroups" => vec![":log-group:*"],
                    "logs" => vec![":log-group:/aws/lambda/poolctl-review-"],
                    "s3" if resource.contains('/') => {
                        vec!["poolctl-artifacts-ACCOUNT_ID-*/review/"]
                    }
                    "s3" => vec!["poolctl-artifacts-ACCOUNT_ID-"],
                    "cognito-idp" => vec![":userpool/"],
                    other => panic!("unexpected service {other}"),
                };
                assert!(
                    expected.iter().any(|e| resource.contains(e)),
                    "{action} on {resource}"
                );
            }
            if action.starts_with("cognito-idp:") && !resources.contains(&"*".to_owned()) {
                assert_eq!(
                    statement["Condition"]["StringEquals"]["aws:ResourceTag/poolctl:kind"],
                    "review",
                    "{action}"
                );
            }
            if action == "iam:PassRole" {
                assert_eq!(
                    statement["Condition"]["StringEquals"]["iam:PassedToService"],
                    "lambda.amazonaws.com"
                );
            }
        }
    }
}

#[test]
fn the_trust_policy_admits_github_oidc_for_this_repository_only() {
    let trust = document("infra/iam/review-ci-trust.json");
    let statements = trust["Statement"].as_array().unwrap();
    assert_eq!(statements.len(), 1);
    let statement = &statements[0];
    assert_eq!(statement["Action"], "sts:AssumeRoleWithWebIdentity");
    assert!(statement["Principal"]["Federated"]
        .as_str()
        .unwrap()
        .ends_with(":oidc-provider/token.actions.githubusercontent.com"));
    assert_eq!(
        statement["Condition"]["StringEquals"]["token.actions.githubusercontent.com:aud"],
        "sts.amazonaws.com"
    );
    let subjects =
        strings(&statement["Condition"]["StringLike"]["token.actions.githubusercontent.com:sub"]);
    assert!(
        !subjects.is_empty() && subjects.iter().all(|s| s.starts_with("repo:OWNER/REPO:")),
        "{subjects:?}"
    );
}

#[test]
fn the_environment_roles_admit_the_ci_role_only() {
    let trust = document("infra/iam/environment-deploy-trust.json");
    let statements = trust["Statement"].as_array().unwrap();
    assert_eq!(statements.len(), 1);
    let statement = &statements[0];
    assert_eq!(statement["Action"], "sts:AssumeRole");
    assert_eq!(
        statement["Principal"]["AWS"],
        "arn:aws:iam::CI_ACCOUNT_ID:role/poolctl-ci"
    );
    assert_eq!(
        statement["Condition"]["StringEquals"]["sts:ExternalId"],
        "EXTERNAL_ID"
    );
    // The CI role may do one thing itself: become an environment's deploy role.
    let ci = document("infra/iam/environment-ci-policy.json");
    let statements = ci["Statement"].as_array().unwrap();
    assert_eq!(statements.len(), 1);
    assert_eq!(strings(&statements[0]["Action"]), ["sts:AssumeRole"]);
    assert_eq!(
        strings(&statements[0]["Resource"]),
        ["arn:aws:iam::*:role/poolctl-deploy"]
    );
}

#[test]
fn the_workflow_runs_each_command_through_the_role() {
    let workflow =
        std::fs::read_to_string(repo_root().join(".github/workflows/review-pools.yml")).unwrap();
    for needle in [
        "id-token: write",
        "aws-actions/configure-aws-credentials",
        "role-to-assume:",
        "poolctl review up",
        "--id \"pr-${{ github.event.number }}\"",
        "--outputs-file",
        "review down --id",
        "review gc",
        "schedule:",
        "cancel-in-progress: false",
    ] {
        assert!(workflow.contains(needle), "the workflow lacks {needle:?}");
    }
    assert!(
        !workflow.contains("aws-access-key-id"),
        "the workflow must not use stored keys"
    );
}
