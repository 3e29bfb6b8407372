//! Values the template would pass on for Cognito to refuse or misread: an empty string (never
//! what someone means) and endpoints that are not https. Each refusal says what to write.

mod common;

use common::{error_at, BASE};

#[test]
fn an_empty_group_role_is_refused_with_its_fix() {
    let text = format!("{BASE}groups:\n  admins:\n    precedence: 0\n    role_arn: ''\n");
    let found = error_at(&text, "`role_arn` is empty", 7, 15);
    assert!(found.help.contains("remove `role_arn`"), "{found}");
}

#[test]
fn an_empty_saml_email_attribute_is_refused_with_its_fix() {
    let text = format!(
        "{BASE}identity_providers:\n  - kind: saml\n    name: Corp\n    metadata_url: https://idp.corp.example/metadata\n    email_attribute: ''\n    email_verified: unverified\n"
    );
    let found = error_at(&text, "`email_attribute` is empty", 8, 22);
    assert!(found.help.contains("SAML attribute"), "{found}");
}

#[test]
fn oidc_endpoints_must_be_https() {
    let text = format!(
        "{BASE}identity_providers:\n  - kind: oidc\n    name: Corp\n    issuer: https://login.corp.example\n    client_id: abc\n    client_secret: '{{{{resolve:secretsmanager:corp:SecretString:secret}}}}'\n    token_url: http://login.corp.example/token\n"
    );
    let found = error_at(
        &text,
        "token_url \"http://login.corp.example/token\" is not an https URL",
        10,
        16,
    );
    assert!(
        found.help.contains("discover it from the issuer"),
        "{found}"
    );
}

#[test]
fn a_saml_provider_states_its_email_attribute_or_that_it_maps_none() {
    let saml = |extra: &str| {
        format!(
            "{BASE}identity_providers:\n  - kind: saml\n    name: Corp\n    metadata_url: https://idp.corp.example/metadata\n    email_verified: unverified\n{extra}"
        )
    };
    let found = error_at(&saml(""), "a SAML provider needs `email_attribute`", 5, 5);
    assert!(found.help.contains("map_email: false"), "{found}");
    error_at(
        &saml("    map_email: false\n    email_attribute: mail\n"),
        "but `map_email: false` maps none",
        10,
        22,
    );
    let loaded = spec::load_str("pool.yaml", &saml("    map_email: false\n")).expect("loads");
    assert_eq!(loaded.spec.identity_providers[0].email_source(), None);
}
