//! Who creates users (`sign_up`): an admin-only pool and its invitation, each rule with the
//! message and where it points.

mod common;

use common::{diagnostics, error_at, warning_at, BASE};
use spec::load_str;

/// `BASE` (lines 1-3), then `sign_up:` on line 4, `invitation:` on line 5, and `body` from
/// line 6 on.
fn with_invitation(body: &str) -> String {
    format!("{BASE}sign_up:\n  invitation:\n{body}")
}

#[test]
fn an_admin_only_pool_with_an_invitation_loads_clean() {
    let text = format!(
        "{BASE}sign_up:\n  admin_only: true\n  invitation:\n    email_subject: Welcome\n    email_message: \"Hello {{username}}, your temporary password is {{####}}\"\n    sms_message: \"User {{username}} password {{####}}\"\n"
    );
    let loaded = load_str("pool.yaml", &text).expect("loads");
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let sign_up = loaded.spec.sign_up;
    assert!(sign_up.admin_only);
    let invitation = sign_up.invitation.expect("invitation");
    assert_eq!(invitation.email_subject.as_deref(), Some("Welcome"));
    assert!(invitation.sms_message.unwrap().contains("{####}"));
}

#[test]
fn without_sign_up_anyone_may_sign_up() {
    let spec = load_str("pool.yaml", BASE).expect("loads").spec;
    assert!(!spec.sign_up.admin_only);
    assert!(spec.sign_up.is_default());
}

#[test]
fn an_invitation_without_the_password_placeholder_is_refused() {
    let d = error_at(
        &with_invitation("    email_message: \"Hello {username}\"\n"),
        "temporary password placeholder `{####}`",
        6,
        20,
    );
    assert!(d.help.contains("API_MessageTemplateType"), "{d}");
    error_at(
        &with_invitation("    sms_message: \"Hello {username}\"\n"),
        "temporary password placeholder `{####}`",
        6,
        18,
    );
}

#[test]
fn invitation_lengths_are_cognitos() {
    error_at(
        &with_invitation(&format!(
            "    sms_message: \"{{####}} {}\"\n",
            "x".repeat(140)
        )),
        "6 to 140 characters",
        6,
        18,
    );
    error_at(
        &with_invitation(&format!("    email_subject: {}\n", "s".repeat(141))),
        "1 to 140 characters",
        6,
        20,
    );
}

#[test]
fn an_invitation_without_the_username_warns() {
    warning_at(
        &with_invitation("    email_message: \"Your temporary password is {####}\"\n"),
        "does not say the username",
        6,
        20,
    );
}

#[test]
fn an_unknown_key_under_sign_up_is_refused() {
    let all = diagnostics(&format!("{BASE}sign_up:\n  admin_ony: true\n"));
    assert!(
        all.iter().any(|d| d.message.contains("admin_ony")),
        "{all:?}"
    );
}
