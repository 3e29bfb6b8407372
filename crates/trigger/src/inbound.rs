//! The inbound federation trigger: the same policy, at every federated sign-in.
//!
//! Cognito sends `InboundFederation_ExternalProvider` before it maps a federated user's
//! attributes, at the first sign-in and at every later one, with the provider's raw attributes
//! (`request.attributes`: `samlResponse` for SAML, `idToken` and `userInfo` for OIDC and social
//! providers). The reply's `response.userAttributesToMap` replaces the attributes Cognito then
//! maps (an omitted one is dropped; `{}` keeps them all).
//!
//! For a provider the trigger decides for (the spec's `email_verified: trigger`), the reply
//! carries every attribute as it came plus [`policy::DECIDED_EMAIL_VERIFIED_ATTRIBUTE`], which
//! the template maps to `email_verified`: `true` exactly when [`decide`] verifies. So an address
//! that changes at the provider stays verified on the same basis as at the first sign-in,
//! instead of Cognito resetting `email_verified` to false. Any other provider's attributes go
//! to mapping unchanged (a mapped claim keeps working as Cognito maps it), except that a
//! provider cannot send the decided attribute itself.
//!
//! Reading is lenient, as for PreSignUp: a missing or mistyped field reads as absent and gives
//! no trusted basis, never an error. A refusal by the domain rules does not fail the sign-in
//! (refusing sign-ups is PreSignUp's part, and Cognito runs it after this trigger for a new
//! user); it only leaves the address unverified.

use std::collections::BTreeMap;

use policy::{DecidedProviders, DECIDED_EMAIL_VERIFIED_ATTRIBUTE};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::decision::{decide, Decision, Refusal};
use crate::event::{is_true_claim, non_empty_str, SignUpEvent, TriggerSource};
use crate::rules::CompiledPolicy;

/// The trigger source of an inbound federation event.
pub const INBOUND_FEDERATION_SOURCE: &str = "InboundFederation_ExternalProvider";

/// Whether an event is an inbound federation event (and not a PreSignUp one).
pub fn is_inbound_federation(event: &Value) -> bool {
    event.get("triggerSource").and_then(Value::as_str) == Some(INBOUND_FEDERATION_SOURCE)
}

/// A lenient, borrowed view of an inbound federation event.
#[derive(Debug, Clone, PartialEq)]
pub struct InboundFederationEvent<'a> {
    /// `request.providerName`.
    pub provider_name: Option<&'a str>,
    /// `request.providerType` (`SAML`, `OIDC`, `Google`, ...).
    pub provider_type: Option<&'a str>,
    /// `userName`, when Cognito sends one.
    pub user_name: Option<&'a str>,
    /// `callerContext.clientId`.
    pub client_id: Option<&'a str>,
    /// The provider's attributes, as attribute mapping reads them: SAML's `samlResponse`, or
    /// the ID token's claims overlaid by `userInfo`'s (the token response carries tokens, not
    /// attributes).
    pub attributes: BTreeMap<&'a str, &'a Value>,
}

impl<'a> InboundFederationEvent<'a> {
    pub fn from_json(event: &'a Value) -> Self {
        let sections: &[&str] = match event.pointer("/request/attributes/samlResponse") {
            Some(Value::Object(_)) => &["samlResponse"],
            _ => &["idToken", "userInfo"],
        };
        let mut attributes = BTreeMap::new();
        for section in sections {
            if let Some(Value::Object(map)) =
                event.pointer(&format!("/request/attributes/{section}"))
            {
                attributes.extend(map.iter().map(|(name, value)| (name.as_str(), value)));
            }
        }
        InboundFederationEvent {
            provider_name: non_empty_str(event.pointer("/request/providerName")),
            provider_type: non_empty_str(event.pointer("/request/providerType")),
            user_name: non_empty_str(event.get("userName")),
            client_id: non_empty_str(event.pointer("/callerContext/clientId")),
            attributes,
        }
    }

    /// The event `decide` sees for this sign-in: a federated one, from the named provider, with
    /// the address from `email_attribute` and the provider's own `email_verified` claim.
    pub fn sign_up_event(&self, email_attribute: Option<&str>) -> SignUpEvent<'a> {
        let attribute = |name: &str| self.attributes.get(name).copied();
        SignUpEvent {
            source: TriggerSource::InboundFederation,
            user_name: self.user_name,
            provider_name: self.provider_name,
            client_id: self.client_id,
            email: email_attribute.and_then(|name| non_empty_str(attribute(name))),
            email_verified_claim: is_true_claim(attribute("email_verified")),
        }
    }
}

/// What the trigger did with one inbound federation event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InboundOutcome {
    /// A provider the trigger decides for: `decide`'s answer, and the verification written
    /// (true exactly when the answer verifies the address).
    Decided {
        outcome: Result<Decision, Refusal>,
        email_verified: bool,
    },
    /// Any other provider: its attributes go to mapping as they came.
    NotDecided,
}

impl InboundOutcome {
    /// The verification written for the provider, if the trigger decides for it.
    pub fn email_verified(&self) -> Option<bool> {
        match self {
            InboundOutcome::Decided { email_verified, .. } => Some(*email_verified),
            InboundOutcome::NotDecided => None,
        }
    }
}

/// Decides one inbound federation event: `decide` for a provider in `providers`, nothing for
/// any other. Also returns the event `decide` saw (for a provider it does not decide for, the
/// one it would have seen), for logs.
pub fn decide_inbound<'a>(
    policy: &CompiledPolicy,
    providers: &DecidedProviders,
    event: &InboundFederationEvent<'a>,
) -> (SignUpEvent<'a>, InboundOutcome) {
    // Provider names are matched exactly: the template writes them as the spec names them,
    // which is how Cognito sends `providerName`.
    let decided = event.provider_name.and_then(|name| providers.get(name));
    let view = event.sign_up_event(decided.and_then(|p| p.email_attribute.as_deref()));
    if decided.is_none() {
        return (view, InboundOutcome::NotDecided);
    }
    let outcome = decide(policy, &view);
    let email_verified = outcome
        .as_ref()
        .is_ok_and(|decision| decision.auto_verify_email);
    (
        view,
        InboundOutcome::Decided {
            outcome,
            email_verified,
        },
    )
}

/// What the function returns: the event as it came, with `response.userAttributesToMap`.
#[derive(Debug, Serialize)]
pub struct InboundReply {
    #[serde(flatten)]
    pub event: Map<String, Value>,
    pub response: InboundResponse,
}

#[derive(Debug, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct InboundResponse {
    /// Provider attribute name -> value, all strings; empty keeps every attribute as it came.
    pub user_attributes_to_map: Map<String, Value>,
}

/// One invocation, as the function runs it: read the event, decide, let `observe` see the
/// outcome (the binary logs there), and build the reply. Never fails.
pub fn respond_inbound(
    policy: &CompiledPolicy,
    providers: &DecidedProviders,
    event: Value,
    observe: impl FnOnce(&SignUpEvent<'_>, &InboundOutcome),
) -> InboundReply {
    let user_attributes_to_map = {
        let view = InboundFederationEvent::from_json(&event);
        let (sign_up, outcome) = decide_inbound(policy, providers, &view);
        observe(&sign_up, &outcome);
        attributes_to_map(&view, outcome.email_verified())
    };
    let mut event = match event {
        Value::Object(map) => map,
        // Cognito always sends an object; anything else gets a reply with the response alone.
        _ => Map::new(),
    };
    event.remove("response");
    InboundReply {
        event,
        response: InboundResponse {
            user_attributes_to_map,
        },
    }
}

/// The attributes for Cognito to map: every attribute as it came, as text, with the decided
/// verification, when there is one to write; `{}` (all attributes as they came) otherwise.
/// A provider's own attribute of the decided name is overruled to `false` even then, so that
/// no provider can assert poolctl's decision itself.
fn attributes_to_map(
    event: &InboundFederationEvent<'_>,
    email_verified: Option<bool>,
) -> Map<String, Value> {
    let email_verified = match email_verified {
        Some(verified) => verified,
        None if event
            .attributes
            .contains_key(DECIDED_EMAIL_VERIFIED_ATTRIBUTE) =>
        {
            false
        }
        None => return Map::new(),
    };
    let mut map: Map<String, Value> = event
        .attributes
        .iter()
        .filter_map(|(name, value)| {
            attribute_text(value).map(|text| ((*name).to_owned(), Value::String(text)))
        })
        .collect();
    map.insert(
        DECIDED_EMAIL_VERIFIED_ATTRIBUTE.to_owned(),
        Value::String(email_verified.to_string()),
    );
    map
}

/// An attribute as the text Cognito maps (attributes are strings): a string as it is, `true`
/// or a number as written, a list or an object as JSON; `null` is no value.
fn attribute_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(text) => Some(text.clone()),
        Value::Bool(_) | Value::Number(_) | Value::Array(_) | Value::Object(_) => {
            Some(value.to_string())
        }
    }
}
