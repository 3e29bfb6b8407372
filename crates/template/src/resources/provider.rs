//! Identity providers (`Provider<Name>`): the kind's details and the attribute mapping.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};
use spec::{EmailVerifiedPolicy, HttpMethod, IdentityProvider, ProviderKind};

use crate::intrinsic::reference;

use super::Context;

pub(super) fn identity_provider(cx: &Context, provider: &IdentityProvider) -> Value {
    let scopes = |scopes: &[String], separator: &str| scopes.join(separator);
    let details = match &provider.kind {
        ProviderKind::Google {
            client_id,
            client_secret,
            scopes: s,
        } => json!({
            "client_id": client_id,
            "client_secret": client_secret,
            "authorize_scopes": scopes(s, " "),
        }),
        ProviderKind::Oidc {
            issuer,
            client_id,
            client_secret,
            scopes: s,
            attributes_request_method,
        } => json!({
            "client_id": client_id,
            "client_secret": client_secret,
            "attributes_request_method": match attributes_request_method {
                HttpMethod::Get => "GET",
                HttpMethod::Post => "POST",
            },
            "oidc_issuer": issuer,
            "authorize_scopes": scopes(s, " "),
        }),
        ProviderKind::Apple {
            client_id,
            team_id,
            key_id,
            private_key,
            scopes: s,
        } => json!({
            "client_id": client_id,
            "team_id": team_id,
            "key_id": key_id,
            "private_key": private_key,
            "authorize_scopes": scopes(s, " "),
        }),
        ProviderKind::Facebook {
            client_id,
            client_secret,
            scopes: s,
            api_version,
        } => {
            // Facebook takes its permissions comma-separated.
            let mut d = Map::new();
            d.insert("client_id".into(), json!(client_id));
            d.insert("client_secret".into(), json!(client_secret));
            d.insert("authorize_scopes".into(), json!(scopes(s, ",")));
            if let Some(version) = api_version {
                d.insert("api_version".into(), json!(version));
            }
            Value::Object(d)
        }
        ProviderKind::Amazon {
            client_id,
            client_secret,
            scopes: s,
        } => json!({
            "client_id": client_id,
            "client_secret": client_secret,
            "authorize_scopes": scopes(s, " "),
        }),
        ProviderKind::Saml {
            metadata_url,
            metadata_file,
            idp_signout,
            ..
        } => {
            let mut d = Map::new();
            if let Some(url) = metadata_url {
                d.insert("MetadataURL".into(), json!(url));
            } else if let Some(file) = metadata_file {
                d.insert("MetadataFile".into(), json!(file));
            }
            d.insert(
                "IDPSignout".into(),
                json!(if *idp_signout { "true" } else { "false" }),
            );
            Value::Object(d)
        }
    };
    json!({
        "Type": "AWS::Cognito::UserPoolIdentityProvider",
        "Properties": {
            "UserPoolId": reference(&cx.pool_id),
            "ProviderName": provider.name,
            "ProviderType": provider.kind.provider_type(),
            "ProviderDetails": details,
            "AttributeMapping": attribute_mapping(provider),
        }
    })
}

/// The provider's attribute mapping: `email` and, per the email_verified policy,
/// `email_verified`, then the spec's own entries (which win).
fn attribute_mapping(provider: &IdentityProvider) -> Value {
    let mut mapping: BTreeMap<&str, &str> = BTreeMap::new();
    match &provider.kind {
        ProviderKind::Saml {
            email_attribute, ..
        } => {
            mapping.insert("email", email_attribute);
        }
        _ => {
            mapping.insert("email", "email");
        }
    }
    let policy = match &provider.email_verified {
        Some(policy) => Some(policy),
        None if provider.kind.sends_email_verified() => Some(&EmailVerifiedPolicy::Claim),
        None => None,
    };
    match policy {
        Some(EmailVerifiedPolicy::Claim) => {
            mapping.insert("email_verified", "email_verified");
        }
        Some(EmailVerifiedPolicy::ClaimNamed(claim)) => {
            mapping.insert("email_verified", claim);
        }
        Some(EmailVerifiedPolicy::Trigger | EmailVerifiedPolicy::Unverified) | None => {}
    }
    for (pool_attribute, provider_attribute) in &provider.attribute_mapping {
        mapping.insert(pool_attribute, provider_attribute);
    }
    Value::Object(
        mapping
            .into_iter()
            .map(|(k, v)| (k.to_owned(), json!(v)))
            .collect(),
    )
}
