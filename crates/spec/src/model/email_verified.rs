//! How a federated user's `email_verified` is decided, and how the spec writes it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How a federated user's `email_verified` is decided. In the spec: `claim`, `trigger`,
/// `unverified`, or `{ claim: <provider attribute> }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmailVerifiedPolicy {
    /// Map the provider's `email_verified` claim (the default for Google, OIDC and Apple).
    Claim,
    /// Map a differently named provider attribute that asserts verification, e.g. a SAML
    /// attribute the IdP is configured to send.
    ClaimNamed(String),
    /// The PreSignUp trigger decides: the provider must be listed in the trigger's
    /// `trusted_providers` or `vouched_providers`.
    Trigger,
    /// Users from this provider start unverified and verify their email with a code.
    Unverified,
}

/// How a federated user's `email_verified` is decided: `claim`, `trigger`, `unverified`, or
/// `{ claim: <provider attribute> }`.
#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
enum EmailVerifiedDoc {
    /// `claim` maps the provider's `email_verified` claim; `trigger` lets the PreSignUp trigger
    /// decide (the provider must be trusted or vouched for there); `unverified` leaves users to
    /// verify by code.
    Keyword(EmailVerifiedKeyword),
    /// Map this provider attribute to `email_verified`.
    Named(NamedClaim),
}

#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct NamedClaim {
    /// The provider attribute that asserts verification (`true`/`false`).
    claim: String,
}

#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum EmailVerifiedKeyword {
    Claim,
    Trigger,
    Unverified,
}

impl Serialize for EmailVerifiedPolicy {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let doc = match self {
            EmailVerifiedPolicy::Claim => EmailVerifiedDoc::Keyword(EmailVerifiedKeyword::Claim),
            EmailVerifiedPolicy::ClaimNamed(claim) => EmailVerifiedDoc::Named(NamedClaim {
                claim: claim.clone(),
            }),
            EmailVerifiedPolicy::Trigger => {
                EmailVerifiedDoc::Keyword(EmailVerifiedKeyword::Trigger)
            }
            EmailVerifiedPolicy::Unverified => {
                EmailVerifiedDoc::Keyword(EmailVerifiedKeyword::Unverified)
            }
        };
        doc.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for EmailVerifiedPolicy {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Hand-written so that a wrong value gets a sentence saying what is allowed, rather
        // than serde's "did not match any variant of untagged enum".
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = EmailVerifiedPolicy;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "`claim`, `trigger`, `unverified`, or `{ claim: <provider attribute> }`",
                )
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                match v {
                    "claim" => Ok(EmailVerifiedPolicy::Claim),
                    "trigger" => Ok(EmailVerifiedPolicy::Trigger),
                    "unverified" => Ok(EmailVerifiedPolicy::Unverified),
                    other => Err(E::invalid_value(serde::de::Unexpected::Str(other), &self)),
                }
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut claim = None;
                while let Some(key) = map.next_key::<String>()? {
                    if key != "claim" || claim.is_some() {
                        return Err(serde::de::Error::unknown_field(&key, &["claim"]));
                    }
                    claim = Some(map.next_value::<String>()?);
                }
                claim
                    .map(EmailVerifiedPolicy::ClaimNamed)
                    .ok_or_else(|| serde::de::Error::missing_field("claim"))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

impl JsonSchema for EmailVerifiedPolicy {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "EmailVerifiedPolicy".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        EmailVerifiedDoc::json_schema(generator)
    }
}
