//! Every way of writing an address reaches the domain rules as the domain it is delivered to:
//! letter case, surrounding whitespace, trailing dots, quoted local parts, plus-addressing,
//! IDNs in Unicode or `xn--` form, fullwidth letters, and more than one `@`. Deny rules refuse
//! any reading that is denied; allow rules and verification accept only a plain address.

use serde_json::json;
use trigger::{decide, CompiledPolicy, RefusalReason, SignUpEvent};

#[derive(Debug, PartialEq)]
enum Outcome {
    Refused(RefusalReason),
    /// autoConfirmUser, autoVerifyEmail.
    Flags(bool, bool),
}
use Outcome::*;

fn outcome(policy: &str, email: &str) -> Outcome {
    let policy = CompiledPolicy::from_json(policy).unwrap();
    let event = json!({
        "triggerSource": "PreSignUp_SignUp",
        "userName": "3f2a",
        "callerContext": {"clientId": "web"},
        "request": {"userAttributes": {"email": email}}
    });
    match decide(&policy, &SignUpEvent::from_json(&event)) {
        Ok(d) => Flags(d.auto_confirm_user, d.auto_verify_email),
        Err(refusal) => Refused(refusal.reason),
    }
}

const DENY: &str =
    r#"{"deny_domains": ["mailinator.com", "*.mailinator.com", "xn--bcher-kva.example"]}"#;

#[test]
fn no_way_of_writing_a_denied_domain_gets_past_the_deny_rule() {
    for email in [
        "user@mailinator.com",
        "User@MAILINATOR.COM",
        "user@Mailinator.Com",
        " user@mailinator.com",
        "user@mailinator.com ",
        "user@ mailinator.com",
        "user@mailinator.com.",
        "user@mailinator.com..",
        "user@.mailinator.com",
        "user+tag@mailinator.com",
        "\"user\"@mailinator.com",
        "\"user@x\"@mailinator.com",
        "\"user@mailinator.com\"@example.com",
        "user@mailinator.com@example.com",
        "user@example.com@mailinator.com",
        "user@[mailinator.com]",
        "<user@mailinator.com>",
        "user@(comment)mailinator.com",
        "user@mailinator.com (comment)",
        "user@inbox.MAILINATOR.com",
        "user@ｍａｉｌｉｎａｔｏｒ．ｃｏｍ",
        "user@mailinator。com",
        "user@bücher.example",
        "user@BÜCHER.example",
        "user@xn--bcher-kva.example",
        "user@XN--BCHER-KVA.EXAMPLE.",
    ] {
        assert_eq!(
            outcome(DENY, email),
            Refused(RefusalReason::DeniedDomain),
            "{email:?}"
        );
    }
    for email in [
        "user@example.com",
        "mailinator.com@example.com.",
        "user@notmailinator.com",
        "user@mailinator.com.example",
        "user@bucher.example",
    ] {
        assert_eq!(outcome(DENY, email), Flags(false, false), "{email:?}");
    }
}

const ALLOW: &str = r#"{"allow_domains": ["example.com", "xn--bcher-kva.example"]}"#;

#[test]
fn the_allow_rule_admits_a_plain_address_in_any_case_or_form_and_nothing_else() {
    for email in [
        "user@example.com",
        "User@EXAMPLE.COM",
        " user@example.com\t",
        "user@example.com.",
        "user+tag@example.com",
        "\"user\"@example.com",
        "user@bücher.example",
        "user@BÜCHER.example",
        "user@xn--bcher-kva.example",
    ] {
        assert_eq!(outcome(ALLOW, email), Flags(false, false), "{email:?}");
    }
    for (email, reason) in [
        ("user@evil.net", RefusalReason::DomainNotAllowed),
        ("user@example.com.evil.net", RefusalReason::DomainNotAllowed),
        ("user@ｅxample.com", RefusalReason::DomainNotAllowed),
        // Not plain: which domain gets the mail depends on who parses it.
        ("user@evil.net@example.com", RefusalReason::EmailRequired),
        (
            "\"user@evil.net\"@example.com",
            RefusalReason::EmailRequired,
        ),
        ("user@example.com..", RefusalReason::EmailRequired),
        ("user@exa mple.com", RefusalReason::EmailRequired),
        ("us er@example.com", RefusalReason::EmailRequired),
        ("user@example.com (x)", RefusalReason::EmailRequired),
        ("user@[example.com]", RefusalReason::EmailRequired),
        ("@example.com", RefusalReason::EmailRequired),
        ("user@", RefusalReason::EmailRequired),
    ] {
        assert_eq!(outcome(ALLOW, email), Refused(reason), "{email:?}");
    }
}

const VERIFY: &str = r#"{"verify_domains": ["*.staff.example.com"], "trusted_clients": ["agent"]}"#;

#[test]
fn verification_needs_a_plain_address_in_a_verified_domain() {
    for email in [
        "a@hq.staff.example.com",
        "A@HQ.STAFF.EXAMPLE.COM",
        "a+x@hq.staff.example.com.",
        " a@hq.staff.example.com ",
        "a@ü.staff.example.com",
    ] {
        assert_eq!(outcome(VERIFY, email), Flags(true, true), "{email:?}");
    }
    for email in [
        "a@evil.net@hq.staff.example.com",
        "\"a@evil.net\"@hq.staff.example.com",
        "a@hq.staff.example.com@evil.net",
        "a@hq.staff.example.com..",
        "a@hq.staff.example.com (x)",
        "a@staff.example.com",
        "a@hq.staff.example.com.evil.net",
        "a@ｈｑ.staff.example.com.evil.net",
        "a@→.staff.example.com",
    ] {
        assert_eq!(outcome(VERIFY, email), Flags(false, false), "{email:?}");
    }
}

#[test]
fn a_trusted_client_verifies_only_a_plain_address() {
    let agent = |email: &str| {
        let policy = CompiledPolicy::from_json(VERIFY).unwrap();
        let event = json!({
            "triggerSource": "PreSignUp_SignUp",
            "callerContext": {"clientId": "agent"},
            "request": {"userAttributes": {"email": email}}
        });
        let d = decide(&policy, &SignUpEvent::from_json(&event)).unwrap();
        (d.auto_confirm_user, d.auto_verify_email)
    };
    assert_eq!(agent("a@customer.example"), (true, true));
    assert_eq!(agent("A@Customer.Example."), (true, true));
    assert_eq!(agent("a@evil.net@customer.example"), (true, false));
    assert_eq!(agent("a@customer"), (true, false));
}
