//! The inbound federation trigger: at every federated sign-in, the attribute Cognito maps to
//! `email_verified` is true exactly when `decide` verifies, for the providers the trigger
//! decides; every other provider's attributes go to mapping unchanged.

mod support;

use policy::{DecidedProvider, DecidedProviders, DECIDED_EMAIL_VERIFIED_ATTRIBUTE as DECIDED};
use serde_json::{json, Value};
use support::fixture;
use trigger::{
    decide, decide_inbound, respond_inbound, CompiledPolicy, InboundFederationEvent,
    InboundOutcome, Reason, TriggerSource,
};

const SAML_EMAIL: &str = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress";

/// The standard policy: Google, Corp and SignInWithApple trusted, Okta vouched for.
fn policy() -> CompiledPolicy {
    CompiledPolicy::from_json(&fixture("policy_standard")).unwrap()
}

/// The providers whose `email_verified` is `trigger` in the spec: Okta (SAML, vouched) and
/// Corp (OIDC, trusted). Google maps its claim, so it is not here.
fn decided() -> DecidedProviders {
    DecidedProviders::from([
        (
            "Okta".to_owned(),
            DecidedProvider {
                email_attribute: Some(SAML_EMAIL.to_owned()),
            },
        ),
        (
            "Corp".to_owned(),
            DecidedProvider {
                email_attribute: Some("email".to_owned()),
            },
        ),
    ])
}

fn saml_event(provider: &str, email: Option<&str>) -> Value {
    let mut saml = json!({ "NameID": "jane", "groups": ["staff", "admins"] });
    if let Some(email) = email {
        saml[SAML_EMAIL] = json!(email);
    }
    json!({
        "version": "1",
        "triggerSource": "InboundFederation_ExternalProvider",
        "region": "eu-west-1",
        "userPoolId": "eu-west-1_Ab12Cd34E",
        "userName": "jane",
        "callerContext": { "awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": "web-client-id" },
        "request": {
            "providerName": provider,
            "providerType": "SAML",
            "attributes": { "samlResponse": saml }
        },
        "response": { "userAttributesToMap": {} }
    })
}

fn oidc_event(provider: &str, id_token: Value, user_info: Value) -> Value {
    let mut event = json!({
        "version": "1",
        "triggerSource": "InboundFederation_ExternalProvider",
        "userName": "sub-1",
        "callerContext": { "clientId": "web-client-id" },
        "request": {
            "providerName": provider,
            "providerType": "OIDC",
            "attributes": {
                "tokenResponse": { "access_token": "secret-access-token", "id_token": "a.b.c" }
            }
        },
        "response": { "userAttributesToMap": {} }
    });
    event["request"]["attributes"]["idToken"] = id_token;
    event["request"]["attributes"]["userInfo"] = user_info;
    event
}

/// The reply's attributes to map, and what the trigger decided.
fn run(event: Value) -> (serde_json::Map<String, Value>, InboundOutcome) {
    let mut seen = None;
    let reply = respond_inbound(&policy(), &decided(), event, |_, outcome| {
        seen = Some(outcome.clone());
    });
    let json = serde_json::to_value(&reply).unwrap();
    let attributes = json["response"]["userAttributesToMap"]
        .as_object()
        .expect("userAttributesToMap is an object")
        .clone();
    (attributes, seen.expect("observed"))
}

#[test]
fn a_claim_mapped_provider_keeps_its_attributes_as_they_came() {
    // Google maps its own claim: Cognito maps it at every sign-in, the trigger changes nothing,
    // and never turns a verified claim into false.
    for claim in [json!("true"), json!(true), json!("false")] {
        let event = oidc_event(
            "Google",
            json!({ "sub": "1", "email": "new@gmail.com", "email_verified": claim }),
            json!({}),
        );
        let (attributes, outcome) = run(event);
        assert_eq!(outcome, InboundOutcome::NotDecided);
        assert!(attributes.is_empty(), "{attributes:?}");
    }
}

#[test]
fn a_provider_trusted_by_the_trigger_is_verified_when_it_asserts_the_claim() {
    for (claim, verified) in [
        (json!(true), true),
        (json!("True"), true),
        (json!("false"), false),
        (Value::Null, false),
    ] {
        let event = oidc_event(
            "Corp",
            json!({ "sub": "1", "email": "pat@corp.example", "email_verified": claim }),
            json!({ "given_name": "Pat" }),
        );
        let (attributes, outcome) = run(event);
        let InboundOutcome::Decided {
            outcome,
            email_verified,
        } = outcome
        else {
            panic!("Corp is decided for")
        };
        assert_eq!(outcome.unwrap().reason, Reason::TrustedProvider);
        assert_eq!(email_verified, verified, "{claim}");
        assert_eq!(attributes[DECIDED], json!(verified.to_string()), "{claim}");
        // Every attribute of the ID token and userInfo goes on to mapping, as text; the
        // tokens do not.
        assert_eq!(attributes["email"], "pat@corp.example");
        assert_eq!(attributes["given_name"], "Pat");
        assert_eq!(attributes["sub"], "1");
        assert!(!attributes.contains_key("access_token"));
        assert!(attributes.values().all(Value::is_string), "{attributes:?}");
    }
}

#[test]
fn a_vouched_provider_is_verified_and_keeps_every_attribute() {
    let (attributes, outcome) = run(saml_event("Okta", Some("Jane.Doe@corp.example")));
    assert_eq!(outcome.email_verified(), Some(true));
    assert_eq!(attributes[DECIDED], "true");
    assert_eq!(attributes[SAML_EMAIL], "Jane.Doe@corp.example");
    assert_eq!(attributes["NameID"], "jane");
    // A multi-valued attribute goes on as its JSON text.
    assert_eq!(attributes["groups"], r#"["staff","admins"]"#);
}

#[test]
fn unverified_without_a_basis_an_email_or_a_provider_listed() {
    // A decided provider the policy neither trusts nor vouches for.
    let untrusted = CompiledPolicy::from_json("{}").unwrap();
    let event = saml_event("Okta", Some("jane@corp.example"));
    let view = InboundFederationEvent::from_json(&event);
    let (_, outcome) = decide_inbound(&untrusted, &decided(), &view);
    assert_eq!(outcome.email_verified(), Some(false));

    // A vouched provider that sends no address: nothing to verify.
    let (attributes, outcome) = run(saml_event("Okta", None));
    assert_eq!(outcome.email_verified(), Some(false));
    assert_eq!(attributes[DECIDED], "false");

    // A provider that is not decided for cannot assert the decision itself.
    let event = oidc_event(
        "Google",
        json!({ "email": "a@gmail.com", (DECIDED): "true" }),
        json!({}),
    );
    let (attributes, outcome) = run(event);
    assert_eq!(outcome, InboundOutcome::NotDecided);
    assert_eq!(attributes[DECIDED], "false");
    assert_eq!(attributes["email"], "a@gmail.com");

    // Nor can a decided one.
    let mut event = saml_event("Okta", None);
    event["request"]["attributes"]["samlResponse"][DECIDED] = json!("true");
    assert_eq!(run(event).0[DECIDED], "false");
}

#[test]
fn an_address_changed_at_the_provider_is_decided_again_on_the_same_basis() {
    // The first sign-in and a later one with a new address: still verified (vouched).
    for email in ["jane@corp.example", "jane.doe@new-corp.example"] {
        let (attributes, _) = run(saml_event("Okta", Some(email)));
        assert_eq!(attributes[DECIDED], "true", "{email}");
        assert_eq!(attributes[SAML_EMAIL], email);
    }
    // A new address that is no plain address, or in a denied domain: unverified, and the
    // sign-in is not failed (refusing sign-ups is PreSignUp's part).
    for email in ["jane@mailinator.com", "not an address"] {
        let (attributes, outcome) = run(saml_event("Okta", Some(email)));
        assert_eq!(attributes[DECIDED], "false", "{email}");
        assert_eq!(outcome.email_verified(), Some(false));
    }
    let (_, outcome) = run(saml_event("Okta", Some("jane@mailinator.com")));
    assert!(matches!(
        outcome,
        InboundOutcome::Decided {
            outcome: Err(_),
            ..
        }
    ));
}

#[test]
fn the_decision_is_presign_ups_decide_on_the_same_facts() {
    // One policy: the inbound view decides as a PreSignUp_ExternalProvider event with the same
    // provider, address and claim does.
    let pre_sign_up = json!({
        "triggerSource": "PreSignUp_ExternalProvider",
        "userName": "Corp_1",
        "request": { "userAttributes": { "email": "pat@corp.example", "email_verified": "true" } }
    });
    let inbound = oidc_event(
        "Corp",
        json!({ "email": "pat@corp.example", "email_verified": "true" }),
        json!({}),
    );
    let view = InboundFederationEvent::from_json(&inbound);
    let (sign_up, outcome) = decide_inbound(&policy(), &decided(), &view);
    assert_eq!(sign_up.source, TriggerSource::InboundFederation);
    let InboundOutcome::Decided { outcome, .. } = outcome else {
        panic!("decided")
    };
    let first = decide(&policy(), &trigger::SignUpEvent::from_json(&pre_sign_up));
    assert_eq!(outcome, first);
}

#[test]
fn malformed_events_get_no_basis_and_never_fail() {
    for event in [
        json!(null),
        json!("text"),
        json!({ "triggerSource": "InboundFederation_ExternalProvider" }),
        json!({ "triggerSource": "InboundFederation_ExternalProvider",
                "request": { "providerName": 7, "attributes": "none" } }),
        json!({ "triggerSource": "InboundFederation_ExternalProvider",
                "request": { "providerName": "Okta", "attributes": { "samlResponse": [1] } } }),
    ] {
        let (attributes, outcome) = run(event.clone());
        assert_ne!(attributes.get(DECIDED), Some(&json!("true")), "{event}");
        assert!(outcome.email_verified() != Some(true), "{event}");
    }
}
