//! The decision table, row by row, over events in the JSON shapes Cognito sends.
//!
//! Each row runs the same path as the function (`respond`), serializes the reply, and reads
//! the three response flags back from the JSON, or checks the refusal that the person signing
//! up would see.

mod support;

use aws_lambda_events::cognito::CognitoEventUserPoolsPreSignup;
use serde_json::Value;
use support::fixture;
use trigger::{respond, CompiledPolicy, RefusalReason};

#[derive(Debug, Clone, Copy)]
enum Expect {
    /// autoConfirmUser, autoVerifyEmail (autoVerifyPhone is always false).
    Flags(bool, bool),
    Refused(RefusalReason, &'static str),
}
use Expect::*;

const ROWS: &[(&str, &str, Expect)] = &[
    // PreSignUp_SignUp
    ("signup_self_service", "standard", Flags(false, false)),
    ("signup_agent", "standard", Flags(true, true)),
    ("signup_agent_no_email", "standard", Flags(true, false)),
    ("signup_verify_domain", "standard", Flags(true, true)),
    ("signup_verify_domain_apex", "standard", Flags(false, false)),
    ("signup_unknown_fields", "standard", Flags(false, false)),
    (
        "signup_denied_domain",
        "standard",
        Refused(
            RefusalReason::DeniedDomain,
            "at mailinator.com is not allowed",
        ),
    ),
    (
        "signup_denied_subdomain",
        "standard",
        Refused(RefusalReason::DeniedDomain, "inbox.tempmail.example"),
    ),
    ("signup_self_service", "allow_list", Flags(false, false)),
    ("signup_agent", "allow_list", Flags(true, true)),
    (
        "signup_agent_no_email",
        "allow_list",
        Refused(RefusalReason::EmailRequired, "requires an email address"),
    ),
    ("signup_verify_domain", "allow_list", Flags(false, false)),
    // PreSignUp_AdminCreateUser: domain rules only, never a flag.
    ("admin_create_user", "standard", Flags(false, false)),
    (
        "admin_create_user_denied",
        "standard",
        Refused(RefusalReason::DeniedDomain, "mailinator.com"),
    ),
    // PreSignUp_ExternalProvider
    ("external_google_verified", "standard", Flags(true, true)),
    ("external_google_unverified", "standard", Flags(true, false)),
    ("external_oidc_capital_true", "standard", Flags(true, true)),
    ("external_apple_bool_claim", "standard", Flags(true, true)),
    (
        "external_facebook_untrusted",
        "standard",
        Flags(false, false),
    ),
    ("external_saml_vouched", "standard", Flags(true, true)),
    ("external_trusted_no_email", "standard", Flags(true, false)),
    (
        "external_google_verified",
        "allow_list",
        Refused(
            RefusalReason::DomainNotAllowed,
            "gmail.com is not one of them",
        ),
    ),
    // Neither the vouched provider nor the trusted client counts outside PreSignUp events.
    ("unknown_trigger_source", "standard", Flags(false, false)),
    ("malformed_request_null", "standard", Flags(false, false)),
];

#[test]
fn every_row_of_the_decision_table() {
    let mut failures = Vec::new();
    for &(event_name, policy_name, expect) in ROWS {
        let policy = CompiledPolicy::from_json(&fixture(&format!("policy_{policy_name}"))).unwrap();
        let event: Value = serde_json::from_str(&fixture(event_name)).unwrap();
        let outcome = respond(&policy, event.clone(), |_, _| {});
        let got = match (&outcome, expect) {
            (Ok(reply), Flags(confirm, verify)) => {
                let json = serde_json::to_value(reply).unwrap();
                let flags = (
                    json["response"]["autoConfirmUser"].as_bool(),
                    json["response"]["autoVerifyEmail"].as_bool(),
                    json["response"]["autoVerifyPhone"].as_bool(),
                );
                // Everything but `response` goes back as it came.
                let mut rest = json.clone();
                let mut original = event.clone();
                if let (Some(rest), Some(original)) =
                    (rest.as_object_mut(), original.as_object_mut())
                {
                    rest.remove("response");
                    original.remove("response");
                    if rest != original {
                        failures.push(format!("{event_name}/{policy_name}: event not echoed"));
                    }
                }
                (flags == (Some(confirm), Some(verify), Some(false)))
                    .then_some(())
                    .ok_or(format!("flags {flags:?}"))
            }
            (Err(refusal), Refused(reason, text)) => (refusal.reason == reason
                && refusal.message.contains(text))
            .then_some(())
            .ok_or(format!("refusal {refusal:?}")),
            (Ok(reply), _) => Err(format!("accepted with {:?}", reply.response)),
            (Err(refusal), _) => Err(format!("refused: {refusal:?}")),
        };
        if let Err(got) = got {
            failures.push(format!(
                "{event_name}/{policy_name}: expected {expect:?}, got {got}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A reply parses as the strict event type of the Lambda events crate, as a strict reader of
/// the reply would. That type refuses some shapes Cognito and providers do send (Apple's
/// boolean claim, null flags), so only the events it accepts once their flags are set count.
#[test]
fn replies_are_well_formed_presignup_events() {
    let policy = CompiledPolicy::from_json(&fixture("policy_standard")).unwrap();
    let mut checked = 0;
    for &(event_name, _, _) in ROWS {
        let text = fixture(event_name);
        let event: Value = serde_json::from_str(&text).unwrap();
        let mut strict_input = event.clone();
        strict_input["response"] = serde_json::json!({"autoConfirmUser": false, "autoVerifyEmail": false, "autoVerifyPhone": false});
        if serde_json::from_value::<CognitoEventUserPoolsPreSignup>(strict_input).is_err() {
            continue;
        }
        checked += 1;
        let Ok(reply) = respond(&policy, event, |_, _| {}) else {
            continue;
        };
        let json = serde_json::to_string(&reply).unwrap();
        let parsed: Result<CognitoEventUserPoolsPreSignup, _> = serde_json::from_str(&json);
        assert!(parsed.is_ok(), "{event_name}: {parsed:?}\n{json}");
    }
    assert!(
        checked >= 10,
        "only {checked} fixtures were strictly well-formed"
    );
}

/// The refusal message speaks to a person and never echoes the local part of the address.
#[test]
fn refusal_messages_name_the_domain_but_not_the_address() {
    let policy = CompiledPolicy::from_json(&fixture("policy_standard")).unwrap();
    let event: Value = serde_json::from_str(&fixture("signup_denied_domain")).unwrap();
    let refusal = respond(&policy, event, |_, _| {}).unwrap_err();
    assert_eq!(
        refusal.message,
        "Sign-up with an email address at mailinator.com is not allowed. Please use a different email address."
    );
    assert!(!refusal.message.contains("throwaway"));
}

/// Deny wins over allow, and both apply to trusted agent clients too.
#[test]
fn deny_wins_over_allow_for_every_source() {
    let policy = CompiledPolicy::from_json(&fixture("policy_allow_list")).unwrap();
    for (source, client) in [
        ("PreSignUp_SignUp", "agent-client-id"),
        ("PreSignUp_AdminCreateUser", "CLIENT_ID_NOT_APPLICABLE"),
        ("PreSignUp_ExternalProvider", "web"),
    ] {
        let event = serde_json::json!({
            "version": "1", "triggerSource": source, "userName": "Google_1",
            "callerContext": {"clientId": client},
            "request": {"userAttributes": {"email": "a@Blocked.Example.com", "email_verified": "true"}},
            "response": {}
        });
        let refusal = respond(&policy, event, |_, _| {}).unwrap_err();
        assert_eq!(refusal.reason, RefusalReason::DeniedDomain, "{source}");
    }
}
