//! An empty string is never what someone means: `check` refuses it where the template would
//! pass `""` on to Cognito, and says what to write instead.

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
