//! Identity providers (`Provider<Name>`): the kind's details, and the attribute mapping as the
//! spec defines it ([`spec::IdentityProvider::effective_attribute_mapping`]).

use serde_json::{json, Map, Value};
use spec::{EmailVerifiedPolicy, HttpMethod, IdentityProvider, ProviderKind};

use crate::intrinsic::reference;

use super::pool::spec_choice;
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
            authorize_url,
            token_url,
            attributes_url,
            jwks_uri,
        } => {
            let mut d = json!({
                "client_id": client_id,
                "client_secret": client_secret,
                "attributes_request_method": match attributes_request_method {
                    HttpMethod::Get => "GET",
                    HttpMethod::Post => "POST",
                },
                "oidc_issuer": issuer,
                "authorize_scopes": scopes(s, " "),
            });
            // Endpoints left out are discovered from the issuer.
            for (key, url) in [
                ("authorize_url", authorize_url),
                ("token_url", token_url),
                ("attributes_url", attributes_url),
                ("jwks_uri", jwks_uri),
            ] {
                if let Some(url) = url {
                    d[key] = json!(url);
                }
            }
            d
        }
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
            idp_init,
            encrypted_responses,
            request_signing_algorithm,
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
            // Written only when on, as Cognito's defaults are off.
            if *idp_init {
                d.insert("IDPInit".into(), json!("true"));
            }
            if *encrypted_responses {
                d.insert("EncryptedResponses".into(), json!("true"));
            }
            if let Some(algorithm) = request_signing_algorithm {
                d.insert("RequestSigningAlgorithm".into(), json!(algorithm.as_str()));
            }
            Value::Object(d)
        }
    };
    let mut resource = json!({ "Type": "AWS::Cognito::UserPoolIdentityProvider" });
    if let Some(choice) = cx.spec.unmapped_claim_choice(provider) {
        let (word, consequence) = match choice {
            EmailVerifiedPolicy::Trigger => ("trigger", "the PreSignUp trigger decides"),
            _ => ("unverified", "its users verify their email with a code"),
        };
        resource["Metadata"] = spec_choice(
            "email_verified",
            &json!(word),
            &format!(
                "the spec sets `email_verified: {word}` on {}: its email_verified claim is not mapped, and {consequence}",
                provider.name
            ),
        );
    }
    resource["Properties"] = json!({
        "UserPoolId": reference(&cx.pool_id),
        "ProviderName": provider.name,
        "ProviderType": provider.kind.provider_type(),
        "ProviderDetails": details,
        "AttributeMapping": cx.spec.attribute_mapping(provider),
    });
    resource
}
