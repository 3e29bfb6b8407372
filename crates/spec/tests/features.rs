//! One test per rule of the plan, choice-based sign-in, passkeys, MFA factors, threat
//! protection, password history, managed login, groups, resource servers, refresh token
//! rotation and triggers by ARN: a spec that breaks it, the message and where it points; plan
//! gates both ways.

mod common;

use common::{error_at, warning_at, BASE};
use spec::{load, load_str};

/// SES sending, lines 4-8 right after `BASE`.
const SES: &str = "email:\n  sending: ses\n  ses:\n    source_arn: arn:aws:ses:eu-west-1:123456789012:identity/acme.example\n    from: a@acme.example\n";

const LAMBDA: &str = "arn:aws:lambda:eu-west-1:123456789012:function:hook";

/// The spec loads, with no error and no warning.
fn clean(text: &str) {
    match load_str("pool.yaml", text) {
        Ok(loaded) => assert!(
            loaded.warnings.is_empty(),
            "unexpected warnings: {:?}",
            loaded.warnings
        ),
        Err(error) => panic!("{error}"),
    }
}

/// The spec loads, warnings allowed.
fn loads(text: &str) -> spec::Loaded {
    load_str("pool.yaml", text).unwrap_or_else(|e| panic!("{e}"))
}

/// `plan: <plan>` on line 1, then `BASE` (lines 2-4), then `extra`.
fn on_plan(plan: &str, extra: &str) -> String {
    format!("plan: {plan}\n{BASE}{extra}")
}

// ------------------------------------------------------------------ plan gates

/// SES (lines 5-9 after `on_plan`) and a passwordless sign-in through a `user_auth` client.
fn email_otp_pool(plan: Option<&str>) -> String {
    let head = plan.map_or(String::new(), |p| format!("plan: {p}\n"));
    format!(
        "{head}name: demo\nsign_in:\n  username: email\n  first_factors: [password, email_otp]\n{SES}clients:\n  - name: web\n    auth_flows: [user_auth]\n"
    )
}

#[test]
fn first_factors_need_essentials_both_ways() {
    let d = error_at(
        &email_otp_pool(Some("lite")),
        "choice-based sign-in (first_factors) needs the essentials plan or above, and this pool's plan is lite",
        5,
        3,
    );
    assert!(d.help.contains("plan: essentials"), "{d}");
    clean(&email_otp_pool(Some("essentials")));
    clean(&email_otp_pool(Some("plus")));
}

#[test]
fn a_feature_needing_a_plan_is_refused_while_no_plan_is_stated() {
    let d = error_at(
        &email_otp_pool(None),
        "needs the essentials plan or above, and the spec states no plan",
        4,
        3,
    );
    assert!(d.help.contains("add `plan: essentials`"), "{d}");
}

#[test]
fn threat_protection_needs_plus_both_ways() {
    let extra = "threat_protection:\n  mode: enforced\n  custom_auth: audit\n";
    let d = error_at(
        &on_plan("essentials", extra),
        "threat protection needs the plus plan or above, and this pool's plan is essentials",
        5,
        1,
    );
    assert_eq!(d.path, "threat_protection");
    clean(&on_plan("plus", extra));
    // Off needs no plan.
    clean(&on_plan("lite", "threat_protection: { mode: off }\n"));
}

/// AWS accepts protecting custom authentication alone (`AdvancedSecurityMode: OFF` with
/// `AdvancedSecurityAdditionalFlows.CustomAuthMode`), and live pools have it: not refused, and
/// still the plus plan.
#[test]
fn custom_auth_protection_with_threat_protection_off_is_accepted_on_plus() {
    let extra = "threat_protection:\n  mode: off\n  custom_auth: enforced\n";
    clean(&on_plan("plus", extra));
    error_at(
        &on_plan("essentials", extra),
        "threat protection needs the plus plan or above",
        5,
        1,
    );
}

#[test]
fn password_history_needs_essentials_and_cognitos_range() {
    error_at(
        &on_plan("lite", "password:\n  history_size: 5\n"),
        "password history needs the essentials plan",
        6,
        17,
    );
    clean(&on_plan("essentials", "password:\n  history_size: 5\n"));
    error_at(
        &on_plan("essentials", "password:\n  history_size: 25\n"),
        "history_size: 25 is more than Cognito's maximum of 24",
        6,
        17,
    );
}

#[test]
fn managed_login_v2_needs_essentials_both_ways() {
    let extra = "domain:\n  prefix: acme-users\n  managed_login: v2\n";
    error_at(
        &on_plan("lite", extra),
        "managed login (v2) needs the essentials plan",
        7,
        18,
    );
    clean(&on_plan("essentials", extra));
    clean(&on_plan(
        "lite",
        "domain:\n  prefix: acme-users\n  managed_login: classic\n",
    ));
}

#[test]
fn pre_token_generation_v2_and_v3_need_essentials_v1_does_not() {
    let v2 = format!("triggers:\n  pre_token_generation:\n    arn: {LAMBDA}\n    version: v2\n");
    error_at(
        &on_plan("lite", &v2),
        "pre token generation v2 needs the essentials plan",
        8,
        14,
    );
    clean(&on_plan("essentials", &v2));
    let v3 = v2.replace("v2", "v3");
    error_at(
        &on_plan("lite", &v3),
        "pre token generation v3 needs the essentials plan",
        8,
        14,
    );
    clean(&on_plan(
        "lite",
        &format!("triggers:\n  pre_token_generation:\n    arn: {LAMBDA}\n"),
    ));
}

#[test]
fn refresh_token_rotation_needs_essentials_and_a_grace_period_in_range() {
    let extra =
        "clients:\n  - name: app\n    refresh_token_rotation: { retry_grace_period_seconds: 10 }\n";
    error_at(
        &on_plan("lite", extra),
        "refresh token rotation needs the essentials plan",
        7,
        5,
    );
    clean(&on_plan("essentials", extra));
    let extra =
        "clients:\n  - name: app\n    refresh_token_rotation: { retry_grace_period_seconds: 61 }\n";
    error_at(
        &on_plan("essentials", extra),
        "retry_grace_period_seconds: 61 is outside Cognito's range 0 to 60",
        7,
        59,
    );
}

#[test]
fn email_mfa_needs_essentials_and_ses_both_ways() {
    let mfa = "mfa:\n  mode: optional\n  factors: [totp, email]\n";
    let with_ses = format!("{SES}{mfa}");
    error_at(
        &on_plan("lite", &with_ses),
        "email MFA needs the essentials plan",
        12,
        19,
    );
    clean(&on_plan("essentials", &with_ses));
    error_at(
        &on_plan("essentials", mfa),
        "email MFA needs email sent through Amazon SES",
        7,
        19,
    );
}

// ------------------------------------------------------------------ choice-based sign-in

#[test]
fn email_otp_needs_email_auto_verified() {
    let text = format!(
        "plan: essentials\n{BASE}  first_factors: [password, email_otp]\n{SES}verification:\n  auto_verify: []\n  keep_original_until_verified: []\n  account_recovery: [admin_only]\nclients:\n  - name: web\n    auth_flows: [user_auth]\n"
    );
    let d = error_at(
        &text,
        "`email_otp` sends codes only to a verified address",
        5,
        29,
    );
    assert!(d.help.contains("auto_verify"), "{d}");
}

#[test]
fn email_otp_with_cognitos_default_sender_is_a_warning() {
    // Cognito accepts it (unlike email MFA): warn about the default sender's quota.
    let text = format!(
        "plan: essentials\n{BASE}  first_factors: [password, email_otp]\nverification:\n  auto_verify: [email]\n  keep_original_until_verified: [email]\nclients:\n  - name: web\n    auth_flows: [user_auth]\n"
    );
    let d = warning_at(&text, "Cognito's default email sender", 5, 29);
    assert!(d.help.contains("sending: ses"), "{d}");
}

#[test]
fn email_otp_warns_when_users_can_hold_an_unverified_address() {
    let text = format!(
        "{}verification:\n  keep_original_until_verified: []\n",
        email_otp_pool(Some("essentials"))
    );
    let d = warning_at(
        &text,
        "users whose email is unverified cannot sign in with an emailed code",
        5,
        29,
    );
    assert!(d.message.contains("keep_original_until_verified"), "{d}");
    let text = format!(
        "{}triggers:\n  user_migration: {LAMBDA}\n",
        email_otp_pool(Some("essentials"))
    );
    let d = warning_at(
        &text,
        "users whose email is unverified cannot sign in with an emailed code",
        5,
        29,
    );
    assert!(d.message.contains("migrated users"), "{d}");
}

#[test]
fn choice_based_sign_in_needs_a_user_auth_client() {
    let text = format!(
        "plan: essentials\n{BASE}  first_factors: [password, email_otp]\n{SES}clients:\n  - name: web\n    auth_flows: [user_srp]\n"
    );
    // AWS accepts it: a warning, not a refusal.
    warning_at(&text, "no client offers choice-based sign-in", 5, 3);
}

#[test]
fn sms_otp_is_refused_without_sms() {
    let text = on_plan("essentials", "  first_factors: [password, sms_otp]\nclients:\n  - name: web\n    auth_flows: [user_auth]\n");
    let d = error_at(
        &text,
        "`sms_otp` sends codes by SMS, and this pool has no `sms` block",
        5,
        29,
    );
    assert!(d.help.contains("add `sms: { sns_role: create }`"), "{d}");
}

#[test]
fn first_factors_without_password_warn() {
    let text = format!(
        "plan: essentials\n{BASE}  first_factors: [email_otp]\n{SES}clients:\n  - name: web\n    auth_flows: [user_auth]\n"
    );
    warning_at(&text, "`password` is not among the first factors", 5, 3);
}

#[test]
fn duplicate_first_factor() {
    let text = on_plan("essentials", "  first_factors: [password, password]\n");
    error_at(&text, "`password` is listed twice", 5, 29);
}

// ------------------------------------------------------------------ passkeys

fn passkey_pool(domain: &str, relying_party: &str) -> String {
    format!(
        "plan: essentials\n{BASE}  first_factors: [password, passkey]\npasskeys:\n  relying_party_id: {relying_party}\n  user_verification: required\n{domain}clients:\n  - name: web\n    auth_flows: [user_auth]\n"
    )
}

const CUSTOM_DOMAIN: &str = "domain:\n  custom:\n    name: auth.acme.example\n    certificate_arn: arn:aws:acm:us-east-1:123456789012:certificate/x\n";

#[test]
fn passkey_needs_passkeys() {
    let text = on_plan("essentials", "  first_factors: [password, passkey]\nclients:\n  - name: web\n    auth_flows: [user_auth]\n");
    error_at(
        &text,
        "`passkey` needs `passkeys` with the relying party",
        5,
        29,
    );
}

#[test]
fn passkey_relying_party_is_the_domain_or_a_parent_of_it() {
    clean(&passkey_pool(CUSTOM_DOMAIN, "auth.acme.example"));
    clean(&passkey_pool(CUSTOM_DOMAIN, "acme.example"));
    let d = error_at(
        &passkey_pool(CUSTOM_DOMAIN, "other.example"),
        "the relying party `other.example` is neither the custom domain `auth.acme.example` nor a parent of it",
        7,
        21,
    );
    assert!(d.help.contains("acme.example"), "{d}");
    // A suffix that is not a whole label is no parent.
    error_at(
        &passkey_pool(CUSTOM_DOMAIN, "me.example"),
        "nor a parent of it",
        7,
        21,
    );
    let prefix = "domain:\n  prefix: acme-users\n";
    clean(&passkey_pool(
        prefix,
        "acme-users.auth.eu-west-1.amazoncognito.com",
    ));
    // Cognito accepts a relying party other than a prefix domain, or no domain at all:
    // passkeys then work through the SDK only, a warning with its fix.
    warning_at(
        &passkey_pool(prefix, "acme.example"),
        "is not the pool's Cognito domain",
        7,
        21,
    );
    let d = warning_at(
        &passkey_pool("", "acme.example"),
        "the pool has no domain",
        7,
        21,
    );
    assert!(d.help.contains("managed login"), "{d}");
}

#[test]
fn passkeys_without_the_passkey_factor_warn() {
    let text = on_plan(
        "essentials",
        &format!("passkeys:\n  relying_party_id: auth.acme.example\n{CUSTOM_DOMAIN}"),
    );
    warning_at(&text, "`passkeys` has no effect", 5, 1);
}

// ------------------------------------------------------------------ MFA

#[test]
fn mfa_short_form_still_reads() {
    let loaded = loads(&format!("{BASE}mfa: required\n"));
    assert_eq!(loaded.spec.mfa.mode, spec::MfaMode::Required);
    assert_eq!(loaded.spec.mfa.factors, vec![spec::MfaFactor::Totp]);
}

#[test]
fn unknown_key_inside_mfa_is_located() {
    error_at(
        &format!("{BASE}mfa:\n  mode: optional\n  factor: [totp]\n"),
        "unknown field `factor`",
        6,
        3,
    );
    error_at(
        &format!("{BASE}mfa: sometimes\n"),
        "unknown variant `sometimes`",
        4,
        6,
    );
}

#[test]
fn sms_mfa_is_refused_without_sms() {
    let d = error_at(
        &format!("{BASE}mfa:\n  mode: optional\n  factors: [totp, sms]\n"),
        "SMS MFA sends codes by SMS, and this pool has no `sms` block",
        6,
        19,
    );
    assert!(d.help.contains("add `sms: { sns_role: create }`"), "{d}");
}

#[test]
fn email_mfa_message_needs_the_code() {
    let text = on_plan(
        "essentials",
        &format!("{SES}mfa:\n  mode: optional\n  factors: [email]\n  email_message:\n    subject: Your code\n    body: Sign in now\n"),
    );
    error_at(&text, "must contain the code placeholder `{####}`", 15, 11);
}

#[test]
fn email_mfa_message_without_email_mfa_warns() {
    let text = format!("{BASE}mfa:\n  mode: optional\n  email_message:\n    subject: Your code\n    body: \"Code {{####}}\"\n");
    warning_at(&text, "`email_message` has no effect", 6, 3);
}

#[test]
fn mfa_on_without_factors() {
    error_at(
        &format!("{BASE}mfa:\n  mode: required\n  factors: []\n"),
        "MFA is on but no factor is offered",
        6,
        3,
    );
}

// ------------------------------------------------------------------ managed login branding

fn branding_pool(managed_login: &str, branding: &str) -> String {
    format!(
        "plan: essentials\n{BASE}domain:\n  prefix: acme-users\n  managed_login: {managed_login}\nclients:\n  - name: web\n    callback_urls: [\"https://app.acme.example/cb\"]\n    branding: {branding}\n"
    )
}

#[test]
fn branding_needs_managed_login_v2() {
    clean(&branding_pool("v2", "{ cognito_defaults: true }"));
    error_at(
        &branding_pool("classic", "{ cognito_defaults: true }"),
        "branding styles managed login, and the pool's domain does not use it",
        11,
        5,
    );
}

#[test]
fn branding_needs_exactly_one_source() {
    error_at(
        &branding_pool("v2", "{ cognito_defaults: false }"),
        "exactly one of `cognito_defaults: true` and `settings_file`",
        11,
        5,
    );
    error_at(
        &branding_pool("v2", "{ cognito_defaults: true, settings_file: b.json }"),
        "exactly one of `cognito_defaults: true` and `settings_file`",
        11,
        5,
    );
}

#[test]
fn branding_settings_are_read_next_to_the_spec() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let spec_path = dir.join("branded.yaml");
    let loaded = load(&spec_path).unwrap_or_else(|e| panic!("{e}"));
    let settings = loaded.spec.clients[0]
        .branding
        .as_ref()
        .and_then(|b| b.settings.as_deref())
        .expect("settings read");
    assert!(settings.contains("\"categories\""), "{settings}");

    let text = branding_pool("v2", "{ settings_file: missing.json }");
    let file = dir.join("pool.yaml").display().to_string();
    let error = load_str(&file, &text).expect_err("a missing file is an error");
    let d = &error.diagnostics[0];
    assert!(
        d.message
            .contains("cannot read the branding settings \"missing.json\""),
        "{d}"
    );
    assert_eq!((d.line, d.column), (11, 32), "{d}");

    let text = branding_pool("v2", "{ settings_file: not-an-object.json }");
    let error = load_str(&file, &text).expect_err("a JSON array is an error");
    assert!(
        error.diagnostics[0].message.contains("not a JSON object"),
        "{}",
        error.diagnostics[0]
    );
}

// ------------------------------------------------------------------ groups

#[test]
fn group_role_must_be_an_iam_role_arn() {
    let text = format!("{BASE}groups:\n  admins:\n    precedence: 0\n    role_arn: arn:aws:iam::123456789012:user/bob\n");
    error_at(&text, "is not the ARN of an IAM role", 7, 15);
    clean(&format!("{BASE}groups:\n  admins:\n    description: Administrators\n    precedence: 0\n    role_arn: arn:aws:iam::123456789012:role/pool-admins\n"));
}

#[test]
fn group_name_rules_point_at_the_key() {
    let text = format!("{BASE}groups:\n  \"two words\":\n    precedence: 1\n");
    error_at(&text, "group name \"two words\" is not valid", 5, 3);
    let text = format!("{BASE}groups:\n  ops-team: {{}}\n  OpsTeam: {{}}\n");
    error_at(&text, "would get the same CloudFormation logical ID", 5, 3);
}

#[test]
fn groups_with_roles_and_one_precedence_warn() {
    let text = format!("{BASE}groups:\n  a:\n    precedence: 1\n    role_arn: arn:aws:iam::123456789012:role/a\n  b:\n    precedence: 1\n    role_arn: arn:aws:iam::123456789012:role/b\n");
    warning_at(&text, "have roles and the same precedence 1", 9, 17);
}

// ------------------------------------------------------------------ resource servers

/// A resource server (lines 4-9) and an M2M client asking for `scope`.
fn m2m(scope: &str) -> String {
    format!(
        "{BASE}resource_servers:\n  - identifier: https://api.acme.example\n    name: Acme API\n    scopes:\n      - name: orders.read\n        description: Read orders\nclients:\n  - name: worker\n    generate_secret: true\n    oauth_flows: [client_credentials]\n    oauth_scopes: [\"{scope}\"]\n    auth_flows: []\n"
    )
}

#[test]
fn client_scopes_must_be_defined_by_a_resource_server() {
    clean(&m2m("https://api.acme.example/orders.read"));
    let d = error_at(
        &m2m("https://api.acme.example/orders.write"),
        "`https://api.acme.example/orders.write` is not a scope of any resource server of this pool",
        14,
        20,
    );
    assert!(
        d.help.contains("https://api.acme.example/orders.read"),
        "{d}"
    );
}

#[test]
fn resource_server_rules() {
    let text = format!("{BASE}resource_servers:\n  - identifier: api\n    name: API\n  - identifier: api\n    name: API two\n");
    error_at(
        &text,
        "identifier `api` is already used by resource_servers[0]",
        7,
        17,
    );
    let text = format!("{BASE}resource_servers:\n  - identifier: api\n    name: API\n    scopes:\n      - name: a/b\n        description: x\n");
    error_at(&text, "\"a/b\" is not a valid scope name", 8, 15);
    let text = format!("{BASE}resource_servers:\n  - identifier: \"has space\"\n    name: API\n");
    error_at(&text, "is not a valid resource server identifier", 5, 17);
}

// ------------------------------------------------------------------ triggers by ARN

#[test]
fn trigger_arns_are_checked() {
    let text = format!(
        "{BASE}triggers:\n  post_confirmation: arn:aws:lambda:eu-west-1:123456789012:layer:x\n"
    );
    error_at(&text, "is not the ARN of a Lambda function", 5, 22);
    clean(&format!(
        "{BASE}triggers:\n  post_confirmation: {LAMBDA}:live\n"
    ));
}

#[test]
fn custom_senders_need_a_kms_key() {
    let text = format!("{BASE}triggers:\n  custom_email_sender: {LAMBDA}\n");
    error_at(&text, "no `sender_kms_key` is given", 5, 24);
    clean(&format!("{BASE}triggers:\n  custom_email_sender: {LAMBDA}\n  sender_kms_key: arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab\n"));
    let text =
        format!("{BASE}triggers:\n  custom_sms_sender: {LAMBDA}\n  sender_kms_key: alias/mine\n");
    error_at(&text, "is not the ARN of a KMS key", 6, 19);
}

#[test]
fn custom_auth_needs_all_three_challenge_triggers() {
    let text = format!(
        "{BASE}triggers:\n  define_auth_challenge: {LAMBDA}\n  verify_auth_challenge: {LAMBDA}\n"
    );
    // AWS accepts a partial set: a warning, not a refusal.
    let d = warning_at(
        &text,
        "custom authentication needs all three challenge triggers",
        5,
        26,
    );
    assert!(d.message.contains("create_auth_challenge"), "{d}");
}

#[test]
fn pre_sign_up_is_poolctls_or_an_arn_not_both() {
    let text = format!("{BASE}triggers:\n  pre_sign_up: {{}}\n  pre_sign_up_arn: {LAMBDA}\n");
    error_at(&text, "a pool has one PreSignUp trigger", 6, 3);
    let text = format!("{BASE}triggers:\n  pre_sign_up_arn: {LAMBDA}\n");
    warning_at(
        &text,
        "poolctl cannot see into a PreSignUp function given by ARN",
        5,
        20,
    );
}

#[test]
fn user_migration_warns_without_a_password_flow() {
    let text = format!("{BASE}triggers:\n  user_migration: {LAMBDA}\nclients:\n  - name: web\n");
    warning_at(
        &text,
        "migrates a user at sign-in only when it receives the password",
        5,
        19,
    );
}

#[test]
fn auth_session_minutes_take_cognitos_range_and_token_revocation_can_be_off() {
    let client = |minutes: u8| {
        format!("{BASE}clients:\n  - name: web\n    token_revocation: false\n    auth_session_minutes: {minutes}\n")
    };
    clean(&client(3));
    clean(&client(15));
    let d = error_at(
        &client(16),
        "auth_session_minutes: 16 is outside Cognito's range 3 to 15",
        7,
        27,
    );
    assert!(d.help.contains("AuthSessionValidity"), "{d}");
    error_at(&client(2), "outside Cognito's range 3 to 15", 7, 27);
}
