//! One test per validation rule: a minimal spec that breaks it, the message, and where it points.

mod common;

use common::{diagnostics, error_at, warning_at, BASE};
use spec::{load_str, Diagnostic};

fn spec(extra: &str) -> String {
    format!("{BASE}{extra}")
}

/// A Google provider (lines 4-8 after BASE) plus `extra`.
fn with_google(extra: &str) -> String {
    spec(&format!(
        "identity_providers:\n  - name: Google\n    kind: google\n    client_id: abc\n    client_secret: \"{{{{resolve:secretsmanager:google:SecretString:secret}}}}\"\n{extra}"
    ))
}

// ------------------------------------------------------------------ base and loading

#[test]
fn base_spec_is_valid_and_silent() {
    let loaded = load_str("pool.yaml", BASE).unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    assert_eq!(loaded.spec.name, "demo");
}

#[test]
fn unknown_key_is_rejected_at_the_key() {
    let d = error_at(
        &spec("verification:\n  keep_original: [email]\n"),
        "unknown field `keep_original`",
        5,
        3,
    );
    assert_eq!(d.path, "verification.keep_original");
    assert!(d.help.contains("spelling"), "{d}");
}

#[test]
fn unknown_key_inside_an_identity_provider_points_at_the_key() {
    let text = with_google("    client_secrett: x\n");
    let d = error_at(&text, "unknown field `client_secrett`", 9, 5);
    assert_eq!(d.path, "identity_providers[0]");
}

#[test]
fn every_unknown_key_is_reported_at_once() {
    // One at the top, one in a client, one in a provider: three errors in one run.
    let text = with_google("    scopez: [openid]\n")
        + "clients:\n  - name: web\n    generate_secrett: false\ncolour: blue\n";
    let all = diagnostics(&text);
    let unknown: Vec<(&str, usize, usize)> = all
        .iter()
        .filter_map(|d| {
            let key = d
                .message
                .split("unknown field `")
                .nth(1)?
                .split('`')
                .next()?;
            Some((key, d.line, d.column))
        })
        .collect();
    assert_eq!(
        unknown,
        [
            ("scopez", 9, 5),
            ("generate_secrett", 12, 5),
            ("colour", 13, 1)
        ],
        "{all:#?}"
    );
    assert!(all.iter().all(|d| !d.help.is_empty()));
    let client = error_at(&text, "unknown field `generate_secrett`", 12, 5);
    assert!(client.message.contains("`generate_secret`"), "{client}");
}

#[test]
fn wrong_type_inside_an_identity_provider_points_at_the_value() {
    let text = with_google("    scopes: openid\n");
    let d = error_at(&text, "expected a sequence", 9, 13);
    assert_eq!(d.path, "identity_providers[0].scopes");
}

#[test]
fn a_list_or_number_where_a_provider_wants_text_points_at_the_value() {
    // serde names only the provider here; the schema of the provider's kind finds the value.
    let text = with_google("").replacen("client_id: abc", "client_id: [1, 2]", 1);
    let d = error_at(&text, "invalid type: sequence, expected a string", 7, 5);
    assert_eq!(d.path, "identity_providers[0].client_id");
    assert!(d.help.contains("not a list or mapping"), "{}", d.help);

    let text = with_google("    attribute_mapping: { name: 5 }\n");
    let d = error_at(&text, "expected a string", 9, 32);
    assert_eq!(d.path, "identity_providers[0].attribute_mapping.name");

    let text = with_google("    scopes: [openid, 7]\n");
    let d = error_at(&text, "expected a string", 9, 22);
    assert_eq!(d.path, "identity_providers[0].scopes[1]");
}

#[test]
fn unknown_provider_kind_points_at_kind() {
    let text = spec("identity_providers:\n  - name: X\n    kind: github\n    client_id: a\n");
    error_at(&text, "unknown variant `github`", 6, 11);
}

#[test]
fn yaml_1_1_booleans_are_not_booleans() {
    let text = spec("clients:\n  - name: web\n    generate_secret: yes\n");
    let d = error_at(&text, "expected a boolean", 6, 22);
    assert!(d.help.contains("`true` or `false`"));
}

#[test]
fn missing_required_key_points_at_the_enclosing_mapping() {
    let d = error_at(
        "name: demo\nsign_in:\n  case_sensitive: false\n",
        "missing field `username`",
        2,
        1,
    );
    assert!(d.help.contains("add `username`"));
}

#[test]
fn duplicate_key_points_at_the_second_one() {
    let d = error_at(
        "name: demo\nsign_in:\n  username: email\nname: other\n",
        "duplicate key `name` (first at 1:1)",
        4,
        1,
    );
    assert!(d.help.contains("keep one `name`"));
}

#[test]
fn negative_number_is_a_located_type_error() {
    let text = spec("clients:\n  - name: web\n    tokens: { access_minutes: -5 }\n");
    let d = error_at(
        &text,
        "clients[0].tokens.access_minutes: `-5` is out of range: `access_minutes` takes 5 to 1440",
        6,
        31,
    );
    assert!(d.help.contains("whole number"));
}

#[test]
fn syntax_error_is_located() {
    let d = error_at(
        "name: demo\nsign_in: {username: email\n",
        "did not find expected ',' or '}'",
        3,
        1,
    );
    assert!(d.help.contains("close the mapping with `}`"), "{d}");
}

#[test]
fn empty_file_says_so() {
    let d = error_at("# nothing yet\n", "the spec is empty", 1, 1);
    assert!(d.help.contains("demo.yaml"));
}

#[test]
fn all_errors_are_collected_in_file_order() {
    let text = spec("password:\n  min_length: 3\ndomain:\n  prefix: my-cognito\n");
    let errors: Vec<Diagnostic> = diagnostics(&text)
        .into_iter()
        .filter(Diagnostic::is_error)
        .collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!((errors[0].line, errors[1].line), (5, 7));
}

#[test]
fn display_is_compiler_style() {
    let d = error_at(
        &spec("password:\n  min_length: 3\n"),
        "outside Cognito's range 6 to 99",
        5,
        15,
    );
    let shown = d.to_string();
    assert!(
        shown.starts_with("pool.yaml:5:15: error: minimum password length 3"),
        "{shown}"
    );
    assert!(
        shown.contains("\n  help: use a value from 6 to 99"),
        "{shown}"
    );
}

// ------------------------------------------------------------------ name and sign-in

#[test]
fn pool_name_pattern() {
    error_at(
        "name: Demo_Pool\nsign_in:\n  username: email\n",
        "pool name \"Demo_Pool\" is not valid",
        1,
        7,
    );
}

#[test]
fn pool_name_keeps_a_name_cognito_accepts() {
    // An existing pool's name (upper case, spaces) is kept as `pool_name`; `name` still
    // names the stack and resources.
    let text = "name: demo\npool_name: Acme Users_Prod\nsign_in:\n  username: email\n";
    let loaded = load_str("pool.yaml", text).unwrap_or_else(|e| panic!("{e}"));
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    assert_eq!(loaded.spec.pool_name.as_deref(), Some("Acme Users_Prod"));
    error_at(
        "name: demo\npool_name: \"acme/users\"\nsign_in:\n  username: email\n",
        "pool_name \"acme/users\" is not valid",
        2,
        12,
    );
    let d = error_at(
        "name: Demo_Pool\nsign_in:\n  username: email\n",
        "pool name \"Demo_Pool\" is not valid",
        1,
        7,
    );
    assert!(d.help.contains("pool_name"), "{d}");
}

#[test]
fn aliases_only_with_username() {
    error_at(
        &spec("  aliases: [email]\n"),
        "aliases are only possible with `username: username`",
        4,
        3,
    );
}

#[test]
fn email_alias_without_duplicate_policy_warns() {
    let text = "name: demo\nsign_in:\n  username: username\n  aliases: [email]\n";
    let d = warning_at(text, "no duplicate-email policy", 2, 1);
    assert!(d.help.contains("duplicate_email: reject"));
    assert!(
        load_str("p.yaml", &format!("{text}  duplicate_email: reject\n"))
            .unwrap()
            .warnings
            .is_empty()
    );
}

#[test]
fn phone_sign_in_warns_that_phones_are_never_verified() {
    let text = "name: demo\nsign_in:\n  username: phone\n";
    warning_at(text, "phone numbers are never verified here", 3, 13);
}

#[test]
fn case_sensitive_email_sign_in_warns() {
    warning_at(
        &spec("  case_sensitive: true\n"),
        "become two different users",
        4,
        19,
    );
}

// ------------------------------------------------------------------ email sending

#[test]
fn ses_sending_needs_ses_settings() {
    error_at(
        &spec("email:\n  sending: ses\n"),
        "`sending: ses` needs the SES settings",
        4,
        1,
    );
}

#[test]
fn ses_settings_need_ses_sending() {
    let text = spec("email:\n  ses:\n    source_arn: arn:aws:ses:eu-west-1:123456789012:identity/acme.example\n    from: a@acme.example\n");
    error_at(&text, "`sending` is `cognito`", 5, 3);
}

#[test]
fn ses_source_arn_is_checked() {
    let text = spec(
        "email:\n  sending: ses\n  ses:\n    source_arn: acme.example\n    from: a@acme.example\n",
    );
    error_at(&text, "is not an SES identity ARN", 7, 17);
}

// ------------------------------------------------------------------ verification

#[test]
fn keep_original_must_be_auto_verified() {
    let text = spec("verification:\n  auto_verify: []\n  keep_original_until_verified: [email]\n");
    let d = error_at(
        &text,
        "`email` is kept until verified but is not auto-verified",
        6,
        34,
    );
    assert_eq!(d.path, "verification.keep_original_until_verified[0]");
    assert_eq!(
        d.help,
        "add `email` to verification.auto_verify, or remove it from verification.keep_original_until_verified"
    );
}

#[test]
fn email_changes_without_keep_original_warn() {
    let text = spec("verification:\n  keep_original_until_verified: []\n");
    let d = warning_at(&text, "old address is not kept", 5, 3);
    assert!(d
        .help
        .contains("add `email` to verification.keep_original_until_verified"));
}

#[test]
fn immutable_email_needs_no_keep_original() {
    let text = spec("verification:\n  keep_original_until_verified: []\nattributes:\n  standard:\n    email: { mutable: false }\n");
    assert!(load_str("p.yaml", &text).unwrap().warnings.is_empty());
}

#[test]
fn code_message_needs_the_code_placeholder() {
    let text = spec("verification:\n  message:\n    body: Your code is here\n");
    error_at(&text, "must contain the code placeholder `{####}`", 6, 11);
}

#[test]
fn link_message_needs_the_link_placeholder() {
    // The default body is a code message: with `style: link` it lacks a link, and the error
    // points at the message, where the missing body belongs.
    let text = spec("domain:\n  prefix: demo-login\nverification:\n  message:\n    style: link\n");
    error_at(&text, "must contain a link placeholder `{##...##}`", 7, 3);
    let fixed = spec("domain:\n  prefix: demo-login\nverification:\n  message:\n    style: link\n    body: \"{##Verify##}\"\n");
    assert!(load_str("p.yaml", &fixed).is_ok());
}

#[test]
fn phone_verification_is_refused_without_sms() {
    let d = error_at(
        &spec("verification:\n  auto_verify: [email, phone]\n"),
        "phone verification sends codes by SMS, and this pool has no `sms` block",
        5,
        24,
    );
    assert!(d.help.contains("add `sms: { sns_role: create }`"), "{d}");
}

#[test]
fn admin_only_recovery_stands_alone() {
    let text = spec("verification:\n  account_recovery: [verified_email, admin_only]\n");
    error_at(
        &text,
        "`admin_only` excludes the other recovery mechanisms",
        5,
        3,
    );
}

#[test]
fn phone_recovery_without_verified_phones_is_a_warning() {
    // AWS accepts it, and other tools write it by default: a warning with its fix, not a refusal.
    let text = spec("verification:\n  account_recovery: [verified_phone]\n");
    let d = warning_at(&text, "phone numbers are never verified", 5, 22);
    assert!(d.message.contains("no `sms` block"), "{d}");
    assert!(d.help.contains("verified_email"), "{d}");
    let text = spec("sms:\n  sns_role: create\nverification:\n  account_recovery: [verified_email, verified_phone]\n");
    let d = warning_at(&text, "phone numbers are never verified", 7, 38);
    assert!(
        d.message
            .contains("`phone` is not in verification.auto_verify"),
        "{d}"
    );
}

#[test]
fn legacy_recovery_is_a_warning_and_stands_alone() {
    // What an imported pool without AccountRecoverySetting states: valid, with its risk named.
    let text = spec("verification:\n  account_recovery: [legacy]\n");
    let d = warning_at(&text, "Cognito's legacy recovery", 5, 3);
    assert!(d.help.contains("verified_email"), "{d}");
    error_at(
        &spec("verification:\n  account_recovery: [legacy, verified_email]\n"),
        "`legacy` (no AccountRecoverySetting) excludes the other recovery mechanisms",
        5,
        3,
    );
}

#[test]
fn no_recovery_is_an_error() {
    error_at(
        &spec("verification:\n  account_recovery: []\n"),
        "no account recovery mechanism",
        5,
        3,
    );
}

// ------------------------------------------------------------------ password

#[test]
fn password_temporary_validity() {
    let text = spec("password:\n  temporary_password_validity_days: 400\n");
    error_at(
        &text,
        "temporary_password_validity_days: 400 days is more than Cognito's maximum of 365",
        5,
        37,
    );
}

// ------------------------------------------------------------------ attributes

#[test]
fn verification_flags_are_never_schema_attributes() {
    let text = spec("attributes:\n  standard:\n    email_verified: { required: false }\n");
    let d = error_at(&text, "`email_verified` is not a schema attribute", 6, 5);
    assert_eq!(d.path, "attributes.standard.email_verified");
}

#[test]
fn custom_attribute_names_with_hyphens_and_dots_are_accepted() {
    // Cognito allows them and a custom attribute can never be renamed: refusing one would
    // make such a pool impossible to adopt.
    let text = spec("attributes:\n  custom:\n    tenant-id: { type: string }\n    org.unit: { type: string }\nclients:\n  - name: web\n    read_attributes: [email, custom:tenant-id]\n    write_attributes: [custom:tenant-id]\n");
    let loaded = load_str("pool.yaml", &text).unwrap_or_else(|e| panic!("{e}"));
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
}

#[test]
fn unknown_standard_attribute() {
    let text = spec("attributes:\n  standard:\n    surname: {}\n");
    error_at(&text, "`surname` is not a standard attribute", 6, 5);
}

#[test]
fn custom_attribute_name_rules() {
    let text = spec("attributes:\n  custom:\n    tenant-id-of-the-customer: { type: string }\n");
    error_at(
        &text,
        "custom attribute name \"tenant-id-of-the-customer\" is not valid",
        6,
        5,
    );
    let text = spec("attributes:\n  custom:\n    \"tenant id\": { type: string }\n");
    error_at(
        &text,
        "custom attribute name \"tenant id\" is not valid",
        6,
        5,
    );
    let text = spec("attributes:\n  custom:\n    custom:tenant: { type: string }\n");
    error_at(&text, "without the `custom:` prefix", 6, 5);
}

#[test]
fn custom_string_constraints() {
    let text =
        spec("attributes:\n  custom:\n    tenant:\n      type: string\n      max_length: 4096\n");
    error_at(
        &text,
        "max_length 4096 is more than Cognito's limit of 2048",
        8,
        19,
    );
    let text = spec("attributes:\n  custom:\n    tenant:\n      type: string\n      min_length: 10\n      max_length: 5\n");
    error_at(&text, "min_length 10 exceeds max_length 5", 8, 19);
    let text =
        spec("attributes:\n  custom:\n    plan:\n      type: boolean\n      max_length: 5\n");
    error_at(
        &text,
        "length constraints apply to string attributes only",
        8,
        19,
    );
}

// ------------------------------------------------------------------ identity providers

#[test]
fn google_alone_is_valid_and_maps_the_claim() {
    let loaded = load_str("p.yaml", &with_google("")).unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let mapping = loaded.spec.identity_providers[0].effective_attribute_mapping();
    assert_eq!(
        mapping.get("email_verified").map(String::as_str),
        Some("email_verified")
    );
    assert_eq!(mapping.get("email").map(String::as_str), Some("email"));
}

#[test]
fn literal_secret_is_an_error() {
    let text = spec("identity_providers:\n  - name: Google\n    kind: google\n    client_id: abc\n    client_secret: hunter2\n");
    let d = error_at(
        &text,
        "secrets must be CloudFormation dynamic references",
        8,
        20,
    );
    assert!(d.help.contains("{{resolve:secretsmanager:"));
}

#[test]
fn social_providers_must_be_named_after_their_kind() {
    let text = spec("identity_providers:\n  - name: Gmail\n    kind: google\n    client_id: abc\n    client_secret: \"{{resolve:secretsmanager:g}}\"\n");
    error_at(&text, "a Google provider must be named `Google`", 5, 11);
}

fn oidc(name: &str) -> String {
    format!("  - name: {name}\n    kind: oidc\n    issuer: https://login.example.com\n    client_id: abc\n    client_secret: \"{{{{resolve:secretsmanager:corp}}}}\"\n")
}

#[test]
fn provider_name_rules() {
    let text = spec(&format!("identity_providers:\n{}", oidc("Corp_SSO")));
    error_at(&text, "no underscore", 5, 11);
    let text = spec(&format!("identity_providers:\n{}", oidc("COGNITO")));
    error_at(&text, "`COGNITO` is the pool's own sign-in", 5, 11);
}

#[test]
fn duplicate_provider_names() {
    let text = spec(&format!(
        "identity_providers:\n{}{}",
        oidc("Corp"),
        oidc("corp")
    ));
    error_at(
        &text,
        "provider name `corp` is already used by identity_providers[0]",
        10,
        11,
    );
}

#[test]
fn oidc_issuer_must_be_https() {
    let text = spec(&format!(
        "identity_providers:\n{}",
        oidc("Corp").replace("https://login", "http://login")
    ));
    error_at(&text, "is not an https URL", 7, 13);
}

fn saml(extra: &str) -> String {
    spec(&format!(
        "identity_providers:\n  - name: Okta\n    kind: saml\n    metadata_url: https://okta.example/metadata\n    email_attribute: mail\n{extra}"
    ))
}

#[test]
fn provider_without_claim_must_state_a_policy() {
    let d = error_at(
        &saml(""),
        "a SAML provider sends no email_verified claim",
        5,
        5,
    );
    assert_eq!(d.path, "identity_providers[0].email_verified");
    for option in [
        "{ claim: <SAML attribute> }",
        "email_verified: trigger",
        "vouched_providers",
        "email_verified: unverified",
    ] {
        assert!(d.help.contains(option), "help lacks {option}: {}", d.help);
    }
    let text = spec("identity_providers:\n  - name: Facebook\n    kind: facebook\n    client_id: \"1\"\n    client_secret: \"{{resolve:secretsmanager:fb}}\"\n");
    let d = error_at(&text, "Facebook sends no email_verified claim", 5, 5);
    assert!(
        !d.help.contains("claim:"),
        "Facebook has no claim to name: {}",
        d.help
    );
}

#[test]
fn claim_on_a_provider_that_sends_none_is_an_error() {
    let text = spec("identity_providers:\n  - name: LoginWithAmazon\n    kind: amazon\n    client_id: a\n    client_secret: \"{{resolve:secretsmanager:amzn}}\"\n    email_verified: claim\n");
    error_at(
        &text,
        "Login with Amazon sends no claim that asserts email verification",
        9,
        21,
    );
}

#[test]
fn plain_claim_on_saml_warns_and_suggests_the_attribute_form() {
    let d = warning_at(
        &saml("    email_verified: claim\n"),
        "SAML attribute named exactly `email_verified`",
        9,
        21,
    );
    assert!(d.help.contains("{ claim: <SAML attribute> }"));
    assert!(load_str(
        "p.yaml",
        &saml("    email_verified: { claim: mailVerified }\n")
    )
    .unwrap()
    .warnings
    .is_empty());
}

#[test]
fn trigger_policy_needs_the_provider_trusted_or_vouched() {
    let text = saml("    email_verified: trigger\n");
    let d = error_at(
        &text,
        "`Okta` is not in triggers.pre_sign_up.trusted_providers or vouched_providers",
        9,
        21,
    );
    assert!(d.help.contains("vouched_providers"));
    let fixed = saml(
        "    email_verified: trigger\ntriggers:\n  pre_sign_up:\n    vouched_providers: [Okta]\n  inbound_federation: true\n",
    );
    assert!(load_str("p.yaml", &fixed).unwrap().warnings.is_empty());
}

#[test]
fn a_provider_verified_by_the_trigger_alone_warns_without_inbound_federation() {
    let vouched =
        "    email_verified: trigger\ntriggers:\n  pre_sign_up:\n    vouched_providers: [Okta]\n";
    let d = warning_at(
        &saml(vouched),
        "an address change at the IdP resets email_verified",
        9,
        21,
    );
    assert_eq!(d.path, "identity_providers[0].email_verified");
    assert!(d.help.contains("triggers.inbound_federation: true"), "{d}");
    // Wired, by poolctl's function or one of the operator's own: no warning.
    for wired in [
        "  inbound_federation: true\n",
        "  inbound_federation_arn: arn:aws:lambda:eu-west-1:123456789012:function:inbound\n",
    ] {
        let text = saml(&format!("{vouched}{wired}"));
        let loaded = load_str("p.yaml", &text).unwrap();
        assert!(
            !loaded
                .warnings
                .iter()
                .any(|w| w.message.contains("resets email_verified")),
            "{wired}: {:?}",
            loaded.warnings
        );
    }
}

#[test]
fn inbound_federation_needs_the_function_and_one_trigger() {
    let d = error_at(
        &spec("triggers:\n  inbound_federation: true\n"),
        "the pool has none (no `triggers.pre_sign_up`)",
        5,
        23,
    );
    assert_eq!(d.path, "triggers.inbound_federation");
    let both = spec("triggers:\n  pre_sign_up: {}\n  inbound_federation: true\n  inbound_federation_arn: arn:aws:lambda:eu-west-1:123456789012:function:inbound\n");
    let d = error_at(&both, "a pool has one inbound federation trigger", 7, 3);
    assert_eq!(d.path, "triggers.inbound_federation_arn");
    let not_an_arn = spec("triggers:\n  inbound_federation_arn: inbound\n");
    let d = error_at(&not_an_arn, "is not the ARN of a Lambda function", 5, 27);
    assert_eq!(d.path, "triggers.inbound_federation_arn");
}

#[test]
fn a_decided_provider_maps_email_verified_from_the_trigger_only_when_wired() {
    let vouched =
        "    email_verified: trigger\ntriggers:\n  pre_sign_up:\n    vouched_providers: [Okta]\n";
    let unwired = load_str("p.yaml", &saml(vouched)).unwrap().spec;
    let provider = &unwired.identity_providers[0];
    assert!(unwired.decided_providers().is_empty());
    assert!(!unwired
        .attribute_mapping(provider)
        .contains_key("email_verified"));

    let wired = load_str(
        "p.yaml",
        &saml(&format!("{vouched}  inbound_federation: true\n")),
    )
    .unwrap()
    .spec;
    let provider = &wired.identity_providers[0];
    let decided = wired.decided_providers();
    assert_eq!(decided["Okta"].email_attribute.as_deref(), Some("mail"));
    let mapping = wired.attribute_mapping(provider);
    assert_eq!(
        mapping["email_verified"],
        policy::DECIDED_EMAIL_VERIFIED_ATTRIBUTE
    );
    assert_eq!(mapping["email"], "mail");
}

#[test]
fn unverified_email_from_a_provider_that_sends_the_claim_warns() {
    let d = warning_at(
        &with_google("    email_verified: unverified\n"),
        "Google sends email_verified, but `Google` maps email without it",
        9,
        21,
    );
    assert!(d.help.contains("remove `email_verified`"));
}

#[test]
fn email_verified_is_not_mapped_through_attribute_mapping() {
    let text = with_google("    attribute_mapping:\n      email_verified: verified\n");
    error_at(
        &text,
        "set by the provider's `email_verified` policy",
        10,
        7,
    );
}

#[test]
fn mapping_to_an_unknown_attribute() {
    let text = with_google("    attribute_mapping:\n      custom:tenant: hd\n");
    let d = error_at(
        &text,
        "`custom:tenant` is not an attribute of this pool",
        10,
        7,
    );
    assert!(d.help.contains("declare `tenant` under attributes.custom"));
}

#[test]
fn mapped_attribute_must_be_mutable() {
    let text =
        with_google("attributes:\n  standard:\n    email: { required: true, mutable: false }\n");
    let d = error_at(
        &text,
        "`email` is mapped from identity provider `Google` but is immutable",
        11,
        39,
    );
    assert!(d.message.contains("Attribute cannot be updated"));
    assert_eq!(d.path, "attributes.standard.email.mutable");
}

#[test]
fn immutable_attribute_with_default_mutability_points_at_the_attribute() {
    let text = with_google("    attribute_mapping:\n      custom:tenant: hd\nattributes:\n  custom:\n    tenant: { type: string, mutable: false }\n");
    error_at(
        &text,
        "`custom:tenant` is mapped from identity provider `Google` but is immutable",
        13,
        38,
    );
}

#[test]
fn mapped_attribute_must_be_writable_by_clients_using_the_provider() {
    let text = with_google(
        "    attribute_mapping:\n      name: name\nclients:\n  - name: web\n    providers: [Google]\n    callback_urls: [\"https://app.example.com/cb\"]\n    write_attributes: [email]\ndomain:\n  prefix: demo-login\n",
    );
    let d = error_at(
        &text,
        "client `web` offers provider `Google`, which maps `name`, but cannot write it",
        15,
        5,
    );
    assert_eq!(d.path, "clients[0].write_attributes");
    assert!(d.help.contains("add `name` to write_attributes"));
}

// ------------------------------------------------------------------ clients

fn client(body: &str) -> String {
    spec(&format!(
        "domain:\n  prefix: demo-login\nclients:\n  - name: web\n{body}"
    ))
}

#[test]
fn client_naming_an_unknown_provider() {
    let d = error_at(
        &client("    providers: [COGNITO, Google]\n"),
        "client `web` names provider `Google`, which is not defined",
        8,
        26,
    );
    assert_eq!(d.path, "clients[0].providers[1]");
    assert!(d.help.contains("use one of: COGNITO"));
}

#[test]
fn duplicate_client_names() {
    let text = client("  - name: web\n");
    error_at(
        &text,
        "client name `web` is already used by clients[0]",
        8,
        11,
    );
    let text = client("  - name: web.\n");
    error_at(&text, "would get the same CloudFormation logical ID", 8, 11);
    let text = client("  - name: Web\n");
    error_at(&text, "would get the same CloudFormation logical ID", 8, 11);
}

#[test]
fn client_name_rules() {
    let text = spec("clients:\n  - name: web/app\n");
    error_at(&text, "client name \"web/app\" is not valid", 5, 11);
    let text = spec("clients:\n  - name: \"\"\n");
    error_at(&text, "client name \"\" is not valid", 5, 11);
}

#[test]
fn client_names_cognito_accepts_are_accepted() {
    // Upper case, spaces and Cognito's punctuation: an existing client keeps its name.
    let text = spec("clients:\n  - name: Web App\n  - name: my_client+dev@acme.example\n");
    let loaded = load_str("pool.yaml", &text).unwrap_or_else(|e| panic!("{e}"));
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
}

#[test]
fn callback_urls_must_be_https_or_localhost() {
    let text = client("    callback_urls: [\"http://app.example.com/cb\"]\n");
    error_at(
        &text,
        "Cognito accepts https URLs, and http only for localhost",
        8,
        21,
    );
}

#[test]
fn code_flow_needs_callback_urls() {
    let text = client("    oauth_flows: [code]\n");
    error_at(&text, "need at least one callback URL", 7, 5);
}

#[test]
fn client_credentials_needs_a_secret_and_no_user_flows() {
    let text = client("    oauth_flows: [client_credentials]\n    oauth_scopes: [api/read]\n");
    error_at(
        &text,
        "the `client_credentials` flow needs a client secret",
        8,
        5,
    );
    let text = client("    generate_secret: true\n    callback_urls: [\"https://a.example/cb\"]\n    oauth_flows: [code, client_credentials]\n    oauth_scopes: [api/read]\n");
    error_at(&text, "cannot be combined with `code` or `implicit`", 10, 5);
}

#[test]
fn profile_scope_needs_openid() {
    let text = client(
        "    callback_urls: [\"https://a.example/cb\"]\n    oauth_scopes: [email, profile]\n",
    );
    error_at(&text, "require `openid`", 9, 5);
}

#[test]
fn unknown_client_attribute() {
    let text = client("    read_attributes: [email, custom:plan]\n");
    error_at(
        &text,
        "`custom:plan` is not an attribute of this pool",
        8,
        30,
    );
}

#[test]
fn verification_flags_are_not_writable() {
    let text = client("    write_attributes: [email, email_verified]\n");
    error_at(
        &text,
        "`email_verified` may not be writable by a client",
        8,
        31,
    );
}

#[test]
fn required_attributes_must_be_writable() {
    let text = spec("attributes:\n  standard:\n    name: { required: true }\nclients:\n  - name: web\n    write_attributes: [email]\n");
    error_at(
        &text,
        "`name` is required but client `web` cannot write it",
        9,
        5,
    );
}

#[test]
fn token_validity_ranges() {
    let text = client("    tokens: { access_minutes: 2 }\n");
    let d = error_at(
        &text,
        "access_minutes: 2 minutes is outside Cognito's range 5 to 1440",
        8,
        31,
    );
    assert_eq!(d.path, "clients[0].tokens.access_minutes");
    let text = client("    tokens: { access_minutes: 1440, id_minutes: 60, refresh_days: 1 }\n");
    error_at(
        &text,
        "refresh_days: the refresh token must outlive the access and ID tokens",
        8,
        67,
    );
}

#[test]
fn oauth_without_a_domain_warns() {
    let text = spec("clients:\n  - name: web\n    callback_urls: [\"https://a.example/cb\"]\n");
    warning_at(&text, "this pool has no `domain`", 5, 5);
}

// ------------------------------------------------------------------ domain

#[test]
fn domain_prefix_rules() {
    error_at(
        &spec("domain:\n  prefix: acme-cognito\n"),
        "reserves the words `aws`, `amazon` and `cognito`",
        5,
        11,
    );
    error_at(
        &spec("domain:\n  prefix: Acme\n"),
        "only lowercase letters, digits and hyphens",
        5,
        11,
    );
    error_at(
        &spec("domain:\n  prefix: acme-\n"),
        "may not start or end with a hyphen",
        5,
        11,
    );
}

#[test]
fn domain_needs_exactly_one_kind() {
    let text = spec("domain:\n  prefix: acme\n  custom: { name: auth.acme.example, certificate_arn: \"arn:aws:acm:us-east-1:123456789012:certificate/x\" }\n");
    error_at(&text, "exactly one of `prefix` and `custom`", 4, 1);
}

#[test]
fn custom_domain_certificate_must_be_in_us_east_1() {
    let text = spec("domain:\n  custom:\n    name: auth.acme.example\n    certificate_arn: arn:aws:acm:eu-west-1:123456789012:certificate/x\n");
    error_at(&text, "must be in us-east-1", 7, 22);
}

// ------------------------------------------------------------------ trigger

#[test]
fn trigger_names_unknown_provider_and_client() {
    let text = spec("triggers:\n  pre_sign_up:\n    trusted_providers: [Google]\n    trusted_clients: [agent]\n");
    error_at(
        &text,
        "`Google` is not an identity provider of this pool",
        6,
        25,
    );
    error_at(&text, "`agent` is not a client of this pool", 7, 23);
}

#[test]
fn trusted_client_needs_a_secret() {
    let text = spec(
        "clients:\n  - name: agent\ntriggers:\n  pre_sign_up:\n    trusted_clients: [agent]\n",
    );
    let d = error_at(&text, "trusted client `agent` has no secret", 8, 23);
    assert!(d.help.contains("generate_secret: true"));
}

#[test]
fn domain_patterns_are_checked() {
    let text =
        spec("triggers:\n  pre_sign_up:\n    deny_domains: [\"@mailinator.com\", Example.com]\n");
    error_at(&text, "\"@mailinator.com\" is not a domain pattern", 6, 20);
    error_at(&text, "\"Example.com\" is not a domain pattern", 6, 39);
}

#[test]
fn policy_without_trusted_basis_warns_that_it_verifies_nobody() {
    let text = spec("triggers:\n  pre_sign_up:\n    deny_domains: [mailinator.com]\n");
    let d = warning_at(&text, "it confirms and verifies nobody", 5, 3);
    assert!(d.help.contains("that is fine"));
}

#[test]
fn verify_domains_warn() {
    let text = spec("triggers:\n  pre_sign_up:\n    verify_domains: [acme.example]\n");
    warning_at(
        &text,
        "without proof that the user controls the mailbox",
        6,
        5,
    );
}

#[test]
fn trusted_provider_without_a_mapped_claim_warns() {
    let text = saml("    email_verified: unverified\ntriggers:\n  pre_sign_up:\n    trusted_providers: [Okta]\n");
    warning_at(&text, "its users are confirmed but never verified", 12, 25);
}

#[test]
fn log_retention_must_be_a_cloudwatch_value() {
    error_at(
        &spec("triggers:\n  log_retention_days: 10\n"),
        "log_retention_days: 10 days is not a retention CloudWatch Logs offers",
        5,
        23,
    );
}

#[test]
fn log_group_kms_key_must_be_a_key_arn() {
    let error = error_at(
        &spec("triggers:\n  log_group_kms_key: arn:aws:kms:eu-west-1:123456789012:alias/logs\n"),
        "is not the ARN of a KMS key",
        5,
        22,
    );
    assert!(error.help.contains("takes no alias"), "{error}");
    for key in [
        "arn:aws:kms:eu-west-1:123456789012:key/0f6c1d2e-3b4a-4c5d-8e9f-a0b1c2d3e4f5",
        "arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab",
        "\"{{resolve:ssm:/acme/logs-key-arn}}\"",
    ] {
        let text = spec(&format!("triggers:\n  log_group_kms_key: {key}\n"));
        assert!(
            diagnostics(&text).is_empty(),
            "{key}: {:?}",
            diagnostics(&text)
        );
    }
}

// ------------------------------------------------------------------ tags

#[test]
fn tag_characters_outside_the_tag_pattern() {
    error_at(
        &spec("tags:\n  team: \"a<<b\"\n"),
        "the value of tag \"team\" has the character '<'",
        5,
        9,
    );
    error_at(
        &spec("tags:\n  \"cost~centre\": x\n"),
        "tag key \"cost~centre\" has the character '~'",
        5,
        3,
    );
    // Letters of any script, digits, spaces and the allowed punctuation are fine.
    assert!(
        diagnostics(&spec(
            "tags:\n  \"Kostenstelle Ü-1\": \"a_b.c:d/e=f+g-h@i 9\"\n"
        ))
        .is_empty(),
        "{:?}",
        diagnostics(&spec(
            "tags:\n  \"Kostenstelle Ü-1\": \"a_b.c:d/e=f+g-h@i 9\"\n"
        ))
    );
}

#[test]
fn reserved_tag_prefix() {
    error_at(
        &spec("tags:\n  aws:team: identity\n"),
        "tag key \"aws:team\" is not valid",
        5,
        3,
    );
}

// ------------------------------------------------------------------ protection and secret tags
// The rules guard/pool_protection.guard and guard/secrets.guard hold the template to.

#[test]
fn deletion_protection_without_retain_is_an_error() {
    let text = spec("protection:\n  retain_on_delete: false\n");
    let d = common::find(&text, spec::Severity::Error, "does not keep the pool");
    assert_eq!(
        (d.path.as_str(), d.line),
        ("protection.retain_on_delete", 5)
    );
    assert!(d.help.contains("deletion: inactive"), "{}", d.help);
    // A pool that may be deleted need not be retained.
    let text = spec("protection:\n  deletion: inactive\n  retain_on_delete: false\n");
    assert!(load_str("pool.yaml", &text).is_ok());
}

#[test]
fn a_production_pool_without_protection_is_an_error() {
    let text = spec(
        "protection:\n  deletion: inactive\n  retain_on_delete: false\ntags:\n  environment: Prod\n",
    );
    let errors: Vec<Diagnostic> = diagnostics(&text)
        .into_iter()
        .filter(|d| d.message.contains("production pool"))
        .collect();
    let paths: Vec<&str> = errors.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(
        paths,
        ["protection.deletion", "protection.retain_on_delete"],
        "{errors:?}"
    );
    // The defaults protect it.
    assert!(load_str("pool.yaml", &spec("tags:\n  environment: production\n")).is_ok());
}

#[test]
fn a_tag_whose_key_names_a_secret_is_an_error() {
    let text = spec("tags:\n  db-Password: hunter2\n");
    let d = common::find(&text, spec::Severity::Error, "says it holds a secret");
    assert_eq!(
        (d.path.as_str(), d.line, d.column),
        ("tags.db-Password", 5, 3)
    );
}

// ------------------------------------------------------------------ settings import keeps

fn error_on(text: &str, needle: &str, path: &str) -> Diagnostic {
    let found = common::find(text, spec::Severity::Error, needle);
    assert_eq!(found.path, path, "{found}");
    assert!(!found.help.is_empty(), "no help: {found}");
    found
}

fn warning_on(text: &str, needle: &str, path: &str) -> Diagnostic {
    let found = common::find(text, spec::Severity::Warning, needle);
    assert_eq!(found.path, path, "{found}");
    assert!(load_str("p.yaml", text).is_ok(), "a warning alone fails");
    found
}

#[test]
fn cognitos_own_verification_email_is_a_word_and_silence_is_poolctls_message() {
    use spec::{VerificationEmail, VerificationMessage};
    let loaded = load_str(
        "p.yaml",
        &spec("verification:\n  message: cognito_default\n"),
    )
    .unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    assert_eq!(
        loaded.spec.verification.message,
        VerificationEmail::CognitoDefault
    );
    let silent = load_str("p.yaml", BASE).unwrap();
    assert_eq!(
        silent.spec.verification.message,
        VerificationEmail::Message(VerificationMessage::default())
    );
    let all = diagnostics(&spec("verification:\n  message: cognito\n"));
    assert!(
        all.iter()
            .any(|d| d.is_error() && d.to_string().contains("cognito_default")),
        "{all:?}"
    );
}

#[test]
fn the_other_styles_message_needs_its_own_placeholder() {
    let link = "domain:\n  prefix: demo-login\nverification:\n  message:\n    style: link\n    body: \"{##Verify##}\"\n    other_style:\n      subject: Your code\n";
    error_on(
        &spec(&format!("{link}      body: no code here\n")),
        "must contain the code placeholder `{####}`",
        "verification.message.other_style.body",
    );
    assert!(load_str(
        "p.yaml",
        &spec(&format!("{link}      body: \"Code {{####}}\"\n"))
    )
    .is_ok());
    // A code message's other style is a link.
    error_on(
        &spec("verification:\n  message:\n    other_style: { subject: Verify, body: \"Code {####}\" }\n"),
        "must contain a link placeholder",
        "verification.message.other_style.body",
    );
}

#[test]
fn device_tracking_takes_its_two_switches_and_nothing_else() {
    let loaded = load_str(
        "p.yaml",
        &spec("devices:\n  challenge_required_on_new_device: true\n"),
    )
    .unwrap();
    let devices = loaded.spec.devices.expect("devices");
    assert!(devices.challenge_required_on_new_device && !devices.only_remembered_on_user_prompt);
    let all = diagnostics(&spec("devices:\n  remember: always\n"));
    assert!(
        all.iter()
            .any(|d| d.is_error() && d.message.contains("unknown field `remember`")),
        "{all:?}"
    );
}

#[test]
fn a_standard_attributes_lengths_are_checked_like_a_custom_ones() {
    let ok = spec(
        "attributes:\n  standard:\n    email: { required: true, min_length: 5, max_length: 10 }\n",
    );
    let loaded = load_str("p.yaml", &ok).unwrap();
    assert_eq!(
        loaded.spec.attributes.standard["email"].max_length,
        Some(10)
    );
    error_on(
        &spec("attributes:\n  standard:\n    email: { min_length: 10, max_length: 5 }\n"),
        "min_length 10 exceeds max_length 5",
        "attributes.standard.email.min_length",
    );
    error_on(
        &spec("attributes:\n  standard:\n    name: { max_length: 4096 }\n"),
        "more than Cognito's limit of 2048",
        "attributes.standard.name.max_length",
    );
    error_on(
        &spec("attributes:\n  standard:\n    updated_at: { max_length: 10 }\n"),
        "`updated_at` is not a string",
        "attributes.standard.updated_at.min_length",
    );
}

#[test]
fn a_developer_only_attribute_is_legacy_and_no_clients_to_write() {
    let attribute = "attributes:\n  custom:\n    mybool: { type: boolean, mutable: false, developer_only: true }\n";
    warning_on(
        &spec(attribute),
        "`dev:custom:mybool` is a developer-only attribute",
        "attributes.custom.mybool.developer_only",
    );
    let all = diagnostics(&spec(&format!(
        "{attribute}clients:\n  - name: web\n    write_attributes: [custom:mybool]\n"
    )));
    assert!(
        all.iter()
            .any(|d| d.is_error() && d.path == "clients[0].write_attributes[0]"),
        "{all:?}"
    );
}

#[test]
fn legacy_flow_names_stand_alone_and_always_refresh() {
    let client = "clients:\n  - name: old\n";
    warning_on(
        &spec(&format!("{client}    auth_flows: [legacy_admin_no_srp]\n")),
        "`legacy_admin_no_srp` is a legacy flow name",
        "clients[0].auth_flows",
    );
    error_on(
        &spec(&format!(
            "{client}    auth_flows: [legacy_user_password, user_srp]\n"
        )),
        "Cognito refuses a client that mixes the two kinds",
        "clients[0].auth_flows",
    );
    error_on(
        &spec(&format!(
            "{client}    auth_flows: [legacy_custom_auth_flow_only]\n    refresh_token_auth: false\n"
        )),
        "always allows refresh tokens",
        "clients[0].refresh_token_auth",
    );
}

#[test]
fn a_refresh_lifetime_in_hours_is_checked_in_hours() {
    use spec::RefreshLifetime;
    let tokens = |t: &str| spec(&format!("clients:\n  - name: web\n    tokens: {{ {t} }}\n"));
    let loaded = load_str("p.yaml", &tokens("refresh_hours: 30")).unwrap();
    assert_eq!(
        loaded.spec.clients[0].tokens.refresh_lifetime(),
        RefreshLifetime::Hours(30)
    );
    let silent = load_str("p.yaml", &tokens("access_minutes: 30")).unwrap();
    assert_eq!(
        silent.spec.clients[0].tokens.refresh_lifetime(),
        RefreshLifetime::Days(30)
    );
    error_on(
        &tokens("refresh_days: 2, refresh_hours: 30"),
        "both set the refresh token lifetime",
        "clients[0].tokens.refresh_hours",
    );
    error_on(
        &tokens("refresh_hours: 0"),
        "refresh_hours: 0 hours is outside Cognito's range 1 to 87600",
        "clients[0].tokens.refresh_hours",
    );
    error_on(
        &tokens("refresh_hours: 1"),
        "the refresh token must outlive the access and ID tokens",
        "clients[0].tokens.refresh_hours",
    );
}
