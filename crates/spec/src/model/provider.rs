//! Identity providers as the rest of poolctl sees them ([`IdentityProvider`],
//! [`ProviderKind`]), and what a provider maps to the pool's attributes.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{EmailVerifiedPolicy, ProviderDoc, ProviderKind};

/// The provider name of the pool's own username/password sign-in.
pub const COGNITO_PROVIDER: &str = "COGNITO";

/// A federated identity provider, as the rest of poolctl sees it: the common fields, and the
/// kind with its own settings. In the spec it is one flat mapping with a `kind` key (see
/// [`ProviderDoc`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "ProviderDoc", into = "ProviderDoc")]
pub struct IdentityProvider {
    pub name: String,
    pub kind: ProviderKind,
    pub attribute_mapping: BTreeMap<String, String>,
    pub email_verified: Option<EmailVerifiedPolicy>,
    /// Whether the provider maps its address to `email` (the spec's `map_email`).
    pub map_email: bool,
}

impl JsonSchema for IdentityProvider {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "IdentityProvider".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        ProviderDoc::json_schema(generator)
    }
}

/// HTTP method for OIDC attribute requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum HttpMethod {
    #[default]
    Get,
    Post,
}

/// How Cognito signs its SAML requests to the IdP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum SamlSigningAlgorithm {
    /// RSA with SHA-256.
    #[serde(rename = "rsa-sha256")]
    RsaSha256,
}

impl SamlSigningAlgorithm {
    /// The `RequestSigningAlgorithm` value in ProviderDetails.
    pub fn as_str(self) -> &'static str {
        match self {
            SamlSigningAlgorithm::RsaSha256 => "rsa-sha256",
        }
    }
}

impl ProviderKind {
    /// The Cognito `ProviderType` value.
    pub fn provider_type(&self) -> &'static str {
        match self {
            ProviderKind::Google { .. } => "Google",
            ProviderKind::Oidc { .. } => "OIDC",
            ProviderKind::Apple { .. } => "SignInWithApple",
            ProviderKind::Facebook { .. } => "Facebook",
            ProviderKind::Amazon { .. } => "LoginWithAmazon",
            ProviderKind::Saml { .. } => "SAML",
        }
    }

    /// Whether this kind of provider sends an `email_verified` claim out of the box.
    pub fn sends_email_verified(&self) -> bool {
        matches!(
            self,
            ProviderKind::Google { .. } | ProviderKind::Oidc { .. } | ProviderKind::Apple { .. }
        )
    }
}

impl IdentityProvider {
    /// The provider attribute that carries the email address; `None` when the provider maps
    /// none (`map_email: false`, or a SAML provider without `email_attribute`).
    pub fn email_source(&self) -> Option<&str> {
        if !self.map_email {
            return None;
        }
        match &self.kind {
            ProviderKind::Saml {
                email_attribute, ..
            } => email_attribute.as_deref(),
            _ => Some("email"),
        }
    }

    /// The provider attribute mapped to `email_verified`, if any: the `email_verified` claim for
    /// `claim` (the default of kinds that send it), the named attribute for `{ claim: ... }`,
    /// nothing for `trigger` and `unverified`.
    pub fn email_verified_source(&self) -> Option<&str> {
        match &self.email_verified {
            Some(EmailVerifiedPolicy::Claim) => Some("email_verified"),
            Some(EmailVerifiedPolicy::ClaimNamed(claim)) => Some(claim),
            Some(EmailVerifiedPolicy::Trigger | EmailVerifiedPolicy::Unverified) => None,
            None if self.kind.sends_email_verified() => Some("email_verified"),
            None => None,
        }
    }

    /// The spec's explicit choice not to map the `email_verified` claim this kind sends
    /// (`trigger` or `unverified`, a deliberate choice AWS accepts and imported pools need):
    /// `check` warns, and the template records the choice for the Guard rule that otherwise
    /// refuses it. `None` when the claim is mapped, or the kind sends none.
    pub fn unmapped_claim_choice(&self) -> Option<&EmailVerifiedPolicy> {
        match &self.email_verified {
            Some(choice @ (EmailVerifiedPolicy::Trigger | EmailVerifiedPolicy::Unverified))
                if self.kind.sends_email_verified() =>
            {
                Some(choice)
            }
            _ => None,
        }
    }

    /// The complete attribute mapping (pool attribute -> provider attribute): the kind's
    /// defaults (`email`, and `email_verified` per the policy) plus the spec's own entries,
    /// which win over the defaults. The one definition: validation checks it and the template
    /// renders it as the provider's `AttributeMapping`.
    pub fn effective_attribute_mapping(&self) -> BTreeMap<String, String> {
        let mut mapping = BTreeMap::new();
        if let Some(source) = self.email_source() {
            mapping.insert("email".to_owned(), source.to_owned());
        }
        if let Some(source) = self.email_verified_source() {
            mapping.insert("email_verified".to_owned(), source.to_owned());
        }
        for (attribute, source) in &self.attribute_mapping {
            mapping.insert(attribute.clone(), source.clone());
        }
        mapping
    }
}
