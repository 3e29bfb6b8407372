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
    let found = error_at(&text, "token_url \"http://login.corp.example/token\" is not an https URL", 10, 16);
    assert!(found.help.contains("discover it from the issuer"), "{found}");
}
