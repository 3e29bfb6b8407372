//! One test per rule of SMS sending (the `sms` block): a spec that breaks it, the message and
//! where it points; and that what the pool refuses without `sms` loads with it.

mod common;

use common::{diagnostics, error_at, warning_at, BASE};
use spec::{load_str, Severity, SnsRole};

/// `BASE` (lines 1-3), then `sms:` on line 4 with `body` from line 5 on.
fn with_sms(body: &str) -> String {
    format!("{BASE}sms:\n{body}")
}

/// The spec loads, with no error and no warning.
fn clean(text: &str) -> spec::PoolSpec {
    match load_str("pool.yaml", text) {
        Ok(loaded) => {
            assert!(
                loaded.warnings.is_empty(),
                "unexpected warnings: {:?}",
                loaded.warnings
            );
            loaded.spec
        }
        Err(error) => panic!("{error}"),
    }
}

// ------------------------------------------------------------------ the block

#[test]
fn every_sms_key_loads_clean() {
    let text = format!(
        "plan: essentials\n{BASE}  first_factors: [password, sms_otp]\nsms:\n  sns_role: create\n  external_id: demo-sms\n  sns_region: eu-west-1\n  verification_message: \"Your code is {{####}}\"\n  authentication_message: \"Your sign-in code is {{####}}\"\nverification:\n  auto_verify: [email, phone]\n  keep_original_until_verified: [email, phone]\n  account_recovery: [verified_email, verified_phone]\nmfa:\n  mode: optional\n  factors: [totp, sms]\nclients:\n  - name: web\n    auth_flows: [user_auth]\n"
    );
    let spec = clean(&text);
    let sms = spec.sms.expect("sms");
    assert_eq!(sms.role(), Some(SnsRole::Create));
    assert_eq!(sms.external_id.as_deref(), Some("demo-sms"));
    assert_eq!(sms.sns_region.as_deref(), Some("eu-west-1"));
}

#[test]
fn a_role_arn_is_read_as_an_existing_role() {
    let spec = clean(&with_sms(
        "  sns_role: arn:aws:iam::123456789012:role/service-role/cognito-sms\n",
    ));
    assert_eq!(
        spec.sms.expect("sms").role(),
        Some(SnsRole::Arn(
            "arn:aws:iam::123456789012:role/service-role/cognito-sms"
        ))
    );
}

#[test]
fn an_sms_block_without_a_role_keeps_its_messages_and_warns_they_are_never_sent() {
    let text = with_sms("  verification_message: \"Your code is {####}\"\n");
    let d = warning_at(&text, "never sent", 4, 1);
    assert!(d.help.contains("add `sns_role: create`"), "{d}");
    let spec = load_str("pool.yaml", &text).expect("loads").spec;
    assert!(!spec.sends_sms());
    assert_eq!(spec.sms.expect("sms").role(), None);
}

#[test]
fn without_a_role_what_sends_sms_is_still_refused() {
    let d = error_at(
        &format!(
            "{BASE}sms:\n  sns_region: us-east-1\nmfa:\n  mode: optional\n  factors: [totp, sms]\n"
        ),
        "`sms` block has no `sns_role`",
        8,
        19,
    );
    assert!(d.help.contains("add `sms: { sns_role: create }`"), "{d}");
}

#[test]
fn sns_role_must_be_create_or_a_role_arn() {
    for bad in [
        "arn:aws:iam::123:role/sms",
        "arn:aws:iam::123456789012:user/sms",
        "arn:aws:sns:us-east-1:123456789012:role/sms",
        "arn:aws:iam::123456789012:role/has space",
        "Create",
    ] {
        let d = error_at(
            &with_sms(&format!("  sns_role: \"{bad}\"\n")),
            "is neither `create` nor the ARN of an IAM role",
            5,
            13,
        );
        assert!(d.help.contains("arn:aws:iam::"), "{d}");
    }
}

#[test]
fn external_id_length_and_characters() {
    let long = "a".repeat(1225);
    for bad in ["x", "has space", long.as_str()] {
        error_at(
            &with_sms(&format!("  sns_role: create\n  external_id: \"{bad}\"\n")),
            "an external ID has 2 to 1224 characters",
            6,
            16,
        );
    }
    clean(&with_sms(&format!(
        "  sns_role: create\n  external_id: {}\n",
        "a".repeat(1224)
    )));
}

#[test]
fn sns_region_must_be_a_region() {
    let d = error_at(
        &with_sms("  sns_role: create\n  sns_region: virginia\n"),
        "\"virginia\" is not an AWS Region",
        6,
        15,
    );
    assert!(d.help.contains("us-east-1"), "{d}");
}

#[test]
fn sms_messages_need_the_code_placeholder() {
    let text = format!(
        "{BASE}sms:\n  sns_role: create\n  verification_message: Welcome aboard\nverification:\n  auto_verify: [email, phone]\n"
    );
    error_at(
        &text,
        "an SMS code message must contain the code placeholder `{####}`",
        6,
        25,
    );
    let text = format!(
        "{BASE}sms:\n  sns_role: create\n  authentication_message: Sign in now\nmfa:\n  mode: optional\n  factors: [sms]\n"
    );
    error_at(
        &text,
        "an SMS code message must contain the code placeholder `{####}`",
        6,
        27,
    );
}

#[test]
fn sms_messages_fit_one_sms() {
    let text = format!(
        "{BASE}sms:\n  sns_role: create\n  authentication_message: \"{} {{####}}\"\nmfa:\n  mode: optional\n  factors: [sms]\n",
        "a".repeat(140)
    );
    error_at(&text, "an SMS message has 6 to 140 characters", 6, 27);
}

#[test]
fn unused_sms_messages_warn() {
    warning_at(
        &with_sms("  sns_role: create\n  verification_message: \"Code {####}\"\n"),
        "`verification_message` has no effect: phone is not in verification.auto_verify",
        6,
        25,
    );
    warning_at(
        &with_sms("  sns_role: create\n  authentication_message: \"Code {####}\"\n"),
        "`authentication_message` has no effect",
        6,
        27,
    );
    // MFA off: the SMS factor sends nothing.
    warning_at(
        &with_sms("  sns_role: create\n  authentication_message: \"Code {####}\"\nmfa:\n  mode: off\n  factors: [sms]\n"),
        "`authentication_message` has no effect",
        6,
        27,
    );
}

// ------------------------------------------------------------------ what sms allows

#[test]
fn sms_mfa_loads_with_sms() {
    clean(&with_sms(
        "  sns_role: create\nmfa:\n  mode: required\n  factors: [totp, sms]\n",
    ));
}

#[test]
fn phone_verification_loads_with_sms() {
    let spec = clean(&with_sms(
        "  sns_role: create\nverification:\n  auto_verify: [email, phone]\n  keep_original_until_verified: [email, phone]\n",
    ));
    assert_eq!(spec.verification.auto_verify.len(), 2);
}

#[test]
fn sms_otp_with_sms_needs_phones_verified() {
    let text = format!(
        "plan: essentials\n{BASE}  first_factors: [password, sms_otp]\nsms:\n  sns_role: create\nclients:\n  - name: web\n    auth_flows: [user_auth]\n"
    );
    let d = error_at(
        &text,
        "`sms_otp` sends codes only to a verified phone number",
        5,
        29,
    );
    assert!(
        d.help.contains("add `phone` to verification.auto_verify"),
        "{d}"
    );
    // Without `sms` the one refusal is that there is nothing to send with.
    let all = diagnostics(&text.replace("sms:\n  sns_role: create\n", ""));
    let errors: Vec<_> = all
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].message.contains("no `sms` block"), "{errors:?}");
}

#[test]
fn phone_sign_in_with_verified_phones_does_not_warn() {
    clean("name: demo\nsign_in:\n  username: phone\nsms:\n  sns_role: create\nverification:\n  auto_verify: [phone]\n  keep_original_until_verified: [phone]\n  account_recovery: [verified_phone]\n");
}

#[test]
fn phone_sign_in_with_sms_but_no_phone_verification_warns() {
    let d = warning_at(
        "name: demo\nsign_in:\n  username: phone\nsms:\n  sns_role: create\n",
        "phone numbers are never verified here (phone is not in verification.auto_verify)",
        3,
        13,
    );
    assert!(
        d.help.contains("add `phone` to verification.auto_verify"),
        "{d}"
    );
}

#[test]
fn phone_sign_in_without_sms_warns_and_names_the_block() {
    let d = warning_at(
        "name: demo\nsign_in:\n  username: phone\n",
        "phone numbers are never verified here (the pool has no `sms` block",
        3,
        13,
    );
    assert!(d.help.contains("sms: { sns_role: create }"), "{d}");
}

#[test]
fn unknown_sms_key_is_rejected_at_the_key() {
    error_at(
        &with_sms("  sns_role: create\n  role: create\n"),
        "unknown field `role`",
        6,
        3,
    );
}
