//! Identity providers. Secrets become [`SECRET_PLACEHOLDER`]; the `email_verified` mapping is
//! reproduced as it is, so an unmapped claim shows up in `poolctl check`.

use std::collections::{BTreeMap, HashMap};

use aws_sdk_cognitoidentityprovider::types::{IdentityProviderType, IdentityProviderTypeType};
use spec::{EmailVerifiedPolicy, HttpMethod, IdentityProvider, ProviderKind, SamlSigningAlgorithm};

use super::{Gaps, SECRET_PLACEHOLDER};

pub(super) fn providers(live: &[IdentityProviderType], gaps: &mut Gaps) -> Vec<IdentityProvider> {
    live.iter().filter_map(|p| provider(p, gaps)).collect()
}

fn provider(live: &IdentityProviderType, gaps: &mut Gaps) -> Option<IdentityProvider> {
    let name = live.provider_name()?.to_owned();
    let empty = HashMap::new();
    let details = live.provider_details().unwrap_or(&empty);
    let detail = |key: &str| details.get(key).cloned().unwrap_or_default();
    // An empty string from the service means the detail is absent.
    let optional = |key: &str| details.get(key).filter(|v| !v.is_empty()).cloned();
    let on = |key: &str| {
        details
            .get(key)
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    };
    // Google and Login with Amazon separate scopes with spaces, Facebook with commas.
    let scopes = |separator: char| -> Vec<String> {
        detail("authorize_scopes")
            .split(separator)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let secret = || SECRET_PLACEHOLDER.to_owned();
    let kind = match live.provider_type()? {
        IdentityProviderTypeType::Google => ProviderKind::Google {
            client_id: detail("client_id"),
            client_secret: secret(),
            scopes: scopes(' '),
        },
        IdentityProviderTypeType::Oidc => ProviderKind::Oidc {
            issuer: detail("oidc_issuer"),
            client_id: detail("client_id"),
            client_secret: secret(),
            scopes: scopes(' '),
            attributes_request_method: if detail("attributes_request_method") == "POST" {
                HttpMethod::Post
            } else {
                HttpMethod::Get
            },
            authorize_url: optional("authorize_url"),
            token_url: optional("token_url"),
            attributes_url: optional("attributes_url"),
            jwks_uri: optional("jwks_uri"),
        },
        IdentityProviderTypeType::SignInWithApple => ProviderKind::Apple {
            client_id: detail("client_id"),
            team_id: detail("team_id"),
            key_id: detail("key_id"),
            private_key: secret(),
            scopes: scopes(' '),
        },
        IdentityProviderTypeType::Facebook => ProviderKind::Facebook {
            client_id: detail("client_id"),
            client_secret: secret(),
            scopes: scopes(','),
            api_version: details.get("api_version").cloned(),
        },
        IdentityProviderTypeType::LoginWithAmazon => ProviderKind::Amazon {
            client_id: detail("client_id"),
            client_secret: secret(),
            scopes: scopes(' '),
        },
        IdentityProviderTypeType::Saml => ProviderKind::Saml {
            metadata_url: details.get("MetadataURL").cloned(),
            metadata_file: details
                .get("MetadataFile")
                .cloned()
                .filter(|_| !details.contains_key("MetadataURL")),
            email_attribute: live
                .attribute_mapping()
                .and_then(|m| m.get("email"))
                .filter(|e| !e.is_empty())
                .cloned(),
            idp_signout: on("IDPSignout"),
            idp_init: on("IDPInit"),
            encrypted_responses: on("EncryptedResponses"),
            request_signing_algorithm: match optional("RequestSigningAlgorithm").as_deref() {
                None => None,
                Some("rsa-sha256") => Some(SamlSigningAlgorithm::RsaSha256),
                Some(other) => {
                    gaps.add(
                        format!("identity_providers[{name}].RequestSigningAlgorithm"),
                        other,
                        "a signing algorithm the spec does not have",
                    );
                    None
                }
            },
        },
        other => {
            gaps.add(
                format!("identity_providers[{name}]"),
                other.as_str(),
                "a provider type the spec does not have",
            );
            return None;
        }
    };
    if !live.idp_identifiers().is_empty() {
        gaps.add(
            format!("identity_providers[{name}].IdpIdentifiers"),
            live.idp_identifiers().join(", "),
            "the spec has no field for IdP identifiers",
        );
    }
    let mut mapping: BTreeMap<String, String> = live
        .attribute_mapping()
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    let verified_source = mapping.remove("email_verified");
    let mut provider = IdentityProvider {
        name,
        kind,
        attribute_mapping: BTreeMap::new(),
        email_verified: None,
        // As the pool has it: a provider that maps no address keeps mapping none.
        map_email: mapping.get("email").is_some_and(|e| !e.is_empty()),
    };
    // As the pool has it: no mapping is `unverified` (users verify by code, or stay
    // unverified), a mapping is the claim it names.
    provider.email_verified = Some(match verified_source {
        None => EmailVerifiedPolicy::Unverified,
        Some(source) if source == "email_verified" && provider.kind.sends_email_verified() => {
            EmailVerifiedPolicy::Claim
        }
        Some(source) => EmailVerifiedPolicy::ClaimNamed(source),
    });
    // What the kind maps by default need not be written.
    if mapping.get("email").map(String::as_str) == provider.email_source()
        || mapping.get("email").is_some_and(String::is_empty)
    {
        mapping.remove("email");
    }
    provider.attribute_mapping = mapping;
    Some(provider)
}
