//! A lenient, borrowed view of the PreSignUp event: only the fields the policy reads, each
//! `None` when absent or of an unexpected type. Reading never fails, so a malformed event
//! cannot make the function error out in a way that skips the policy; it just offers no
//! trusted basis.

use aws_lambda_events::cognito::CognitoEventUserPoolsPreSignupTriggerSource as CognitoSource;
use serde::Deserialize;
use serde_json::Value;

/// The three PreSignUp trigger sources, plus whatever else an event may claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TriggerSource {
    SignUp,
    AdminCreateUser,
    ExternalProvider,
    /// `InboundFederation_ExternalProvider`: a federated sign-in, the first or a later one,
    /// before Cognito maps the provider's attributes. Decided as `ExternalProvider` is.
    InboundFederation,
    /// Missing, not a string, or a source this function does not handle.
    Unknown,
}

impl TriggerSource {
    /// The name Cognito uses, for logs.
    pub fn as_str(self) -> &'static str {
        match self {
            TriggerSource::SignUp => "PreSignUp_SignUp",
            TriggerSource::AdminCreateUser => "PreSignUp_AdminCreateUser",
            TriggerSource::ExternalProvider => "PreSignUp_ExternalProvider",
            TriggerSource::InboundFederation => crate::inbound::INBOUND_FEDERATION_SOURCE,
            TriggerSource::Unknown => "unknown",
        }
    }

    fn from_json(value: Option<&Value>) -> Self {
        if value.and_then(Value::as_str) == Some(crate::inbound::INBOUND_FEDERATION_SOURCE) {
            return TriggerSource::InboundFederation;
        }
        // The source names come from the event definitions, not from strings repeated here.
        match value.map(CognitoSource::deserialize) {
            Some(Ok(CognitoSource::SignUp)) => TriggerSource::SignUp,
            Some(Ok(CognitoSource::AdminCreateUser)) => TriggerSource::AdminCreateUser,
            Some(Ok(CognitoSource::ExternalProvider)) => TriggerSource::ExternalProvider,
            _ => TriggerSource::Unknown,
        }
    }
}

/// What the policy needs from one PreSignUp event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignUpEvent<'a> {
    pub source: TriggerSource,
    /// For federated users `<ProviderName>_<id>`.
    pub user_name: Option<&'a str>,
    /// The provider as the event names it outright (inbound federation's
    /// `request.providerName`); PreSignUp events name it only inside `userName`.
    pub provider_name: Option<&'a str>,
    /// `callerContext.clientId`: the app client the sign-up came through.
    pub client_id: Option<&'a str>,
    /// `request.userAttributes.email`, when it is a non-empty string.
    pub email: Option<&'a str>,
    /// The provider asserted `email_verified` (`"true"` in any case, or JSON `true`).
    pub email_verified_claim: bool,
}

impl<'a> SignUpEvent<'a> {
    pub fn from_json(event: &'a Value) -> Self {
        let attributes = event.pointer("/request/userAttributes");
        let attribute = |name: &str| attributes.and_then(|a| a.get(name));
        SignUpEvent {
            source: TriggerSource::from_json(event.get("triggerSource")),
            user_name: non_empty_str(event.get("userName")),
            provider_name: None,
            client_id: non_empty_str(event.pointer("/callerContext/clientId")),
            email: non_empty_str(attribute("email")),
            email_verified_claim: is_true_claim(attribute("email_verified")),
        }
    }

    /// The identity provider of a federated user: the one the event names, or else from
    /// userName, which is `<ProviderName>_<id>`; provider names contain no underscore, so the
    /// name ends at the first `_`.
    pub fn provider(&self) -> Option<&'a str> {
        if let Some(name) = self.provider_name {
            return Some(name);
        }
        let (provider, _) = self.user_name?.split_once('_')?;
        (!provider.is_empty()).then_some(provider)
    }

    /// The domain a plain `local@domain` email is delivered to, in the notation of domain
    /// patterns (see [`crate::deliverable_domain`]); `None` for anything but a plain address.
    /// Allow rules and verification use this.
    pub fn deliverable_domain(&self) -> Option<std::borrow::Cow<'a, str>> {
        crate::address::deliverable_domain(self.email?)
    }

    /// The part of the email after its last `@` (a quoted local part may hold `@`, the domain
    /// cannot), without a trailing root dot. `None` when there is no usable domain. For
    /// messages and logs; the rules use [`Self::deliverable_domain`] and, for deny rules,
    /// every domain the address could be read as.
    pub fn email_domain(&self) -> Option<&'a str> {
        let (local, domain) = self.email?.rsplit_once('@')?;
        let domain = domain.strip_suffix('.').unwrap_or(domain);
        (!local.is_empty() && !domain.is_empty()).then_some(domain)
    }
}

pub(crate) fn non_empty_str(value: Option<&Value>) -> Option<&str> {
    value.and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// Cognito passes attributes as strings, read by the one rule for them
/// ([`policy::is_true_attribute`]); Sign in with Apple's claim can arrive as a JSON boolean.
pub(crate) fn is_true_claim(value: Option<&Value>) -> bool {
    match value {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => policy::is_true_attribute(s),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_the_fields_cognito_sends() {
        let event = json!({
            "version": "1",
            "triggerSource": "PreSignUp_ExternalProvider",
            "userName": "Google_1234_5",
            "callerContext": {"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": "abc"},
            "request": {"userAttributes": {"email": "A@Example.com", "email_verified": "True"},
                        "validationData": null, "clientMetadata": null},
            "response": {"autoConfirmUser": null, "autoVerifyEmail": false, "autoVerifyPhone": false}
        });
        let view = SignUpEvent::from_json(&event);
        assert_eq!(view.source, TriggerSource::ExternalProvider);
        assert_eq!(view.provider(), Some("Google"));
        assert_eq!(view.client_id, Some("abc"));
        assert_eq!(view.email_domain(), Some("Example.com"));
        assert!(view.email_verified_claim);
    }

    #[test]
    fn claim_forms() {
        for (claim, expected) in [
            (json!("true"), true),
            (json!("True"), true),
            (json!(true), true),
            (json!("false"), false),
            (json!(false), false),
            (json!("1"), false),
            (json!("yes"), false),
            (json!(null), false),
            (json!(["true"]), false),
        ] {
            assert_eq!(is_true_claim(Some(&claim)), expected, "{claim}");
        }
    }

    /// The same reading as `users` gives a stored attribute: both follow the one table.
    #[test]
    fn string_claims_read_as_the_policy_reads_attributes() {
        for &(value, expected) in policy::TRUE_ATTRIBUTE_READINGS {
            let event = json!({"request": {"userAttributes": {"email_verified": value}}});
            assert_eq!(
                SignUpEvent::from_json(&event).email_verified_claim,
                expected,
                "{value:?}"
            );
        }
    }

    #[test]
    fn unusable_emails_have_no_domain() {
        for email in ["", "no-at-sign", "@example.com", "user@", "user@."] {
            let event = json!({"request": {"userAttributes": {"email": email}}});
            assert_eq!(
                SignUpEvent::from_json(&event).email_domain(),
                None,
                "{email:?}"
            );
        }
        let event = json!({"request": {"userAttributes": {"email": "\"a@b\"@Example.com."}}});
        assert_eq!(
            SignUpEvent::from_json(&event).email_domain(),
            Some("Example.com")
        );
    }

    #[test]
    fn wrong_types_read_as_absent() {
        let event = json!({
            "triggerSource": 7, "userName": ["Google_1"], "callerContext": "abc",
            "request": {"userAttributes": {"email": {"value": "a@example.com"}}}
        });
        let view = SignUpEvent::from_json(&event);
        assert_eq!(view.source, TriggerSource::Unknown);
        assert_eq!(view.user_name, None);
        assert_eq!(view.client_id, None);
        assert_eq!(view.email, None);
        assert_eq!(
            SignUpEvent::from_json(&json!(null)).source,
            TriggerSource::Unknown
        );
    }

    #[test]
    fn provider_needs_a_non_empty_prefix_and_an_underscore() {
        for (user_name, provider) in [
            ("Google_1", Some("Google")),
            ("SAML-Corp_a_b", Some("SAML-Corp")),
            ("_1", None),
            ("plainuser", None),
        ] {
            let event = json!({"userName": user_name});
            assert_eq!(SignUpEvent::from_json(&event).provider(), provider);
        }
    }
}
