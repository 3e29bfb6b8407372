//! The features Cognito added from 2024 on: the feature plan, choice-based sign-in and
//! passkeys, MFA factors, threat protection, groups and resource servers, and what each needs
//! of the plan.

use std::fmt;

use schemars::JsonSchema;
use serde::de::{self, IntoDeserializer, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use super::PoolSpec;

/// Cognito's feature plan (`UserPoolTier`). Each feature that needs a plan is refused on a
/// lower one.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Plan {
    /// The basic features; pools created before November 2024 are on it.
    Lite,
    /// Choice-based sign-in, passkeys, email MFA, password history, managed login, refresh
    /// token rotation, access-token customization.
    Essentials,
    /// Essentials with threat protection.
    Plus,
}

impl Plan {
    /// The name as the spec writes it.
    pub fn name(self) -> &'static str {
        match self {
            Plan::Lite => "lite",
            Plan::Essentials => "essentials",
            Plan::Plus => "plus",
        }
    }
}

/// A factor a user may start signing in with (choice-based sign-in).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FirstFactor {
    /// The password.
    Password,
    /// A one-time code sent to the user's verified email address.
    EmailOtp,
    /// A one-time code sent by SMS to the user's verified phone number (needs `sms` and
    /// `phone` in verification.auto_verify).
    SmsOtp,
    /// A passkey (WebAuthn).
    Passkey,
}

impl FirstFactor {
    /// The name as the spec writes it.
    pub fn name(self) -> &'static str {
        match self {
            FirstFactor::Password => "password",
            FirstFactor::EmailOtp => "email_otp",
            FirstFactor::SmsOtp => "sms_otp",
            FirstFactor::Passkey => "passkey",
        }
    }
}

/// Passkey (WebAuthn) settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Passkeys {
    /// The relying party: the pool's custom domain or a parent of it (`acme.example` for
    /// `auth.acme.example`), or with a prefix domain `<prefix>.auth.<region>.amazoncognito.com`.
    pub relying_party_id: String,
    /// Whether the authenticator must verify the user (PIN, biometrics).
    #[serde(default)]
    pub user_verification: UserVerification,
}

/// WebAuthn user verification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum UserVerification {
    #[default]
    Preferred,
    Required,
}

/// Multi-factor authentication: `off`, `optional` or `required` (with a TOTP authenticator),
/// or a mapping with the mode, the factors and the email MFA message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mfa {
    pub mode: MfaMode,
    pub factors: Vec<MfaFactor>,
    pub email_message: Option<EmailMfaMessage>,
}

impl Default for Mfa {
    fn default() -> Self {
        Self {
            mode: MfaMode::Off,
            factors: default_mfa_factors(),
            email_message: None,
        }
    }
}

fn default_mfa_factors() -> Vec<MfaFactor> {
    vec![MfaFactor::Totp]
}

/// Whether MFA is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MfaMode {
    #[default]
    Off,
    /// Users may enrol a second factor.
    Optional,
    /// Every user must use a second factor.
    Required,
}

/// A second factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MfaFactor {
    /// A TOTP authenticator app.
    Totp,
    /// A code by email (needs SES sending and the essentials plan).
    Email,
    /// A code by SMS (needs `sms`).
    Sms,
}

/// The email that carries an MFA code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailMfaMessage {
    /// The subject.
    pub subject: String,
    /// The body; must contain the code placeholder `{####}`.
    pub body: String,
}

/// The written form of `mfa`, for the JSON Schema.
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
pub(crate) enum MfaDoc {
    Mode(MfaMode),
    Settings(MfaSettings),
}

/// Written back in the short form (`mfa: off`) when only the mode differs from the defaults,
/// so that an imported spec reads like a written one.
impl Serialize for Mfa {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        if self.factors == default_mfa_factors() && self.email_message.is_none() {
            return self.mode.serialize(serializer);
        }
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("mode", &self.mode)?;
        map.serialize_entry("factors", &self.factors)?;
        if let Some(message) = &self.email_message {
            map.serialize_entry("email_message", message)?;
        }
        map.end()
    }
}

/// MFA settings.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct MfaSettings {
    /// `off`, `optional` or `required`.
    #[serde(default)]
    mode: MfaMode,
    /// The second factors offered.
    #[serde(default = "default_mfa_factors")]
    factors: Vec<MfaFactor>,
    /// The email that carries an MFA code (`email` factor).
    #[serde(default)]
    email_message: Option<EmailMfaMessage>,
}

impl<'de> Deserialize<'de> for Mfa {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MfaVisitor;
        impl<'de> Visitor<'de> for MfaVisitor {
            type Value = Mfa;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("`off`, `optional`, `required` or a mapping with `mode` and `factors`")
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<Mfa, E> {
                let mode = MfaMode::deserialize(value.into_deserializer())?;
                Ok(Mfa {
                    mode,
                    ..Mfa::default()
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Mfa, A::Error> {
                let s = MfaSettings::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(Mfa {
                    mode: s.mode,
                    factors: s.factors,
                    email_message: s.email_message,
                })
            }
        }
        deserializer.deserialize_any(MfaVisitor)
    }
}

/// Threat protection (`UserPoolAddOns`); the plus plan only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ThreatProtection {
    /// `audit` logs risky sign-ins, `enforced` also blocks them or asks for MFA.
    pub mode: ThreatMode,
    /// The mode for custom authentication flows, if they are protected
    /// (`AdvancedSecurityAdditionalFlows.CustomAuthMode`); also with `mode: off`, which
    /// protects custom authentication alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_auth: Option<CustomAuthThreatMode>,
}

/// Threat protection of standard sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ThreatMode {
    Off,
    Audit,
    Enforced,
}

/// Threat protection of custom authentication.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CustomAuthThreatMode {
    Audit,
    Enforced,
}

/// Managed login's version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ManagedLogin {
    /// The classic hosted UI.
    Classic,
    /// Managed login, with branding per client (the essentials plan or above).
    V2,
}

/// A user group.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Group {
    /// What the group is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Which group's role wins when a user is in several: the lowest number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precedence: Option<u32>,
    /// ARN of the IAM role the group's members get through an identity pool.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
}

/// A resource server: an API whose custom scopes clients may request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResourceServer {
    /// The identifier, usually the API's URL (`https://api.acme.example`); scopes are
    /// requested as `<identifier>/<scope>`.
    pub identifier: String,
    /// A name for people.
    pub name: String,
    /// The scopes it defines.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scopes: Vec<ResourceScope>,
}

/// A custom scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResourceScope {
    /// The scope's name, e.g. `orders.read`.
    pub name: String,
    /// What it grants.
    pub description: String,
}

impl ResourceServer {
    /// The scope strings clients request: `<identifier>/<scope>`.
    pub fn scope_strings(&self) -> Vec<String> {
        self.scopes
            .iter()
            .map(|s| format!("{}/{}", self.identifier, s.name))
            .collect()
    }
}

/// A feature the spec configures that needs a plan, where it is configured, and the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanNeed {
    /// The spec path that configures it.
    pub path: String,
    /// The feature, for people.
    pub feature: String,
    /// The lowest plan that has it.
    pub plan: Plan,
}

impl PoolSpec {
    /// Every configured feature that needs more than the lite plan. The one list: validation
    /// refuses each on a lower plan.
    pub fn plan_needs(&self) -> Vec<PlanNeed> {
        let mut needs = Vec::new();
        let mut need = |path: &str, feature: &str, plan: Plan| {
            needs.push(PlanNeed {
                path: path.to_owned(),
                feature: feature.to_owned(),
                plan,
            });
        };
        if !self.sign_in.first_factors.is_empty() {
            need(
                "sign_in.first_factors",
                "choice-based sign-in (first_factors)",
                Plan::Essentials,
            );
        }
        if self.passkeys.is_some() {
            need("passkeys", "passkeys", Plan::Essentials);
        }
        if self.mfa.mode != MfaMode::Off {
            if let Some(i) = self.mfa.factors.iter().position(|f| *f == MfaFactor::Email) {
                need(&format!("mfa.factors[{i}]"), "email MFA", Plan::Essentials);
            }
        }
        if self.password.history_size.is_some_and(|n| n > 0) {
            need(
                "password.history_size",
                "password history",
                Plan::Essentials,
            );
        }
        if let Some(threat) = &self.threat_protection {
            if threat.mode != ThreatMode::Off || threat.custom_auth.is_some() {
                need("threat_protection", "threat protection", Plan::Plus);
            }
        }
        if self.domain.as_ref().and_then(|d| d.managed_login) == Some(ManagedLogin::V2) {
            need(
                "domain.managed_login",
                "managed login (v2)",
                Plan::Essentials,
            );
        }
        for (i, client) in self.clients.iter().enumerate() {
            if client.refresh_token_rotation.is_some() {
                need(
                    &format!("clients[{i}].refresh_token_rotation"),
                    "refresh token rotation",
                    Plan::Essentials,
                );
            }
        }
        if let Some(pre_token) = &self.triggers.pre_token_generation {
            if pre_token.version != super::PreTokenVersion::V1 {
                need(
                    "triggers.pre_token_generation.version",
                    &format!("pre token generation {}", pre_token.version.name()),
                    Plan::Essentials,
                );
            }
        }
        needs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mfa_is_written_short_when_only_the_mode_is_set_and_reads_back_the_same() {
        let short = Mfa {
            mode: MfaMode::Optional,
            ..Mfa::default()
        };
        let yaml = serde_norway::to_string(&short).unwrap();
        assert_eq!(yaml.trim(), "optional");
        assert_eq!(serde_norway::from_str::<Mfa>(&yaml).unwrap(), short);

        let long = Mfa {
            mode: MfaMode::Required,
            factors: vec![MfaFactor::Totp, MfaFactor::Email],
            email_message: None,
        };
        let yaml = serde_norway::to_string(&long).unwrap();
        assert!(
            yaml.contains("factors") && !yaml.contains("email_message"),
            "{yaml}"
        );
        assert_eq!(serde_norway::from_str::<Mfa>(&yaml).unwrap(), long);
    }
}
