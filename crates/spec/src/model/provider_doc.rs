//! The flat shape an identity provider is written in (one mapping with a `kind` key), its
//! defaults, and the conversions to and from [`IdentityProvider`]. Its doc comments are the
//! JSON Schema's descriptions.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{
    is_true, strings, yes, EmailVerifiedPolicy, HttpMethod, IdentityProvider, SamlSigningAlgorithm,
};

// One table of the provider kinds: each kind's own fields, written once, make the spec's flat
// form (`ProviderDoc`, with the fields every kind shares), the typed `ProviderKind`, and the
// conversions between the two.
macro_rules! provider_kinds {
    ($(
        $(#[$variant_doc:meta])*
        $variant:ident {
            name: [$(#[$name_doc:meta])*],
            email_verified: [$(#[$email_verified_doc:meta])*],
            $($(#[$field_attr:meta])* $field:ident: $ty:ty,)*
        }
    )*) => {
        /// A federated identity provider as written in the spec: `kind` selects the provider kind.
        ///
        /// Common to every kind: `name` (for OIDC and SAML 1 to 32 characters, no underscore because
        /// Cognito forms federated usernames as `<name>_<id>`, not `COGNITO`; Google, Apple, Facebook
        /// and Login with Amazon must be named `Google`, `SignInWithApple`, `Facebook` and
        /// `LoginWithAmazon`); `attribute_mapping` (pool attribute ->
        /// provider attribute, added to the kind's defaults, which map `email` and, for kinds that send
        /// it, `email_verified`); `email_verified` (how verification is decided: Google, OIDC and Apple
        /// default to `claim`; Facebook, Login with Amazon and SAML must state a policy).
        /// Secrets (`client_secret`, `private_key`) must be CloudFormation dynamic references such as
        /// `{{resolve:secretsmanager:google-oauth:SecretString:client_secret}}`, never literals.
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
        #[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
        pub enum ProviderDoc {
            $(
                $(#[$variant_doc])*
                $variant {
                    $(#[$name_doc])*
                    name: String,
                    $($(#[$field_attr])* $field: $ty,)*
                    /// Pool attribute -> provider attribute, on top of the defaults (`email`, and
                    /// `email_verified` per the `email_verified` setting). Every mapped attribute must be
                    /// mutable and writable by the clients that offer this provider.
                    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
                    attribute_mapping: BTreeMap<String, String>,
                    $(#[$email_verified_doc])*
                    #[serde(default, skip_serializing_if = "Option::is_none")]
                    email_verified: Option<EmailVerifiedPolicy>,
                    /// Map the provider's address to the pool's `email` (default `true`). `false`
                    /// leaves `email` out of the provider's mapping, as some existing pools have
                    /// it: users from this provider then get no address from it.
                    #[serde(default = "yes", skip_serializing_if = "is_true")]
                    map_email: bool,
                },
            )*
        }

        /// A provider's kind-specific settings.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum ProviderKind {
            $($variant { $($field: $ty,)* },)*
        }

        impl From<ProviderDoc> for IdentityProvider {
            fn from(doc: ProviderDoc) -> Self {
                match doc {
                    $(ProviderDoc::$variant { name, $($field,)* attribute_mapping, email_verified, map_email } => {
                        IdentityProvider {
                            name,
                            kind: ProviderKind::$variant { $($field,)* },
                            attribute_mapping,
                            email_verified,
                            map_email,
                        }
                    })*
                }
            }
        }

        impl From<IdentityProvider> for ProviderDoc {
            fn from(p: IdentityProvider) -> Self {
                let IdentityProvider { name, kind, attribute_mapping, email_verified, map_email } = p;
                match kind {
                    $(ProviderKind::$variant { $($field,)* } => ProviderDoc::$variant {
                        name,
                        $($field,)*
                        attribute_mapping,
                        email_verified,
                        map_email,
                    },)*
                }
            }
        }
    };
}

provider_kinds! {
    /// Sign in with Google.
    Google {
        name: [
            /// `Google` (Cognito requires this name for Google).
        ],
        email_verified: [
            /// How users' `email_verified` is decided; default `claim` (the provider sends it).
        ],
        /// The OAuth client id (app id) registered with the provider.
        client_id: String,
        /// A dynamic reference to the OAuth client secret.
        client_secret: String,
        /// The scopes Cognito requests from the provider.
        #[serde(default = "default_google_scopes")]
        scopes: Vec<String>,
    }
    /// Any OpenID Connect provider.
    Oidc {
        name: [
            /// The provider's name in clients and the trigger: 1 to 32 characters, no `_`, not `COGNITO`.
        ],
        email_verified: [
            /// How users' `email_verified` is decided; default `claim` (the provider sends it).
        ],
        /// The issuer URL (https).
        issuer: String,
        /// The OAuth client id (app id) registered with the provider.
        client_id: String,
        /// A dynamic reference to the client secret.
        client_secret: String,
        /// The scopes Cognito requests from the provider.
        #[serde(default = "default_oidc_scopes")]
        scopes: Vec<String>,
        /// How Cognito requests user attributes: `GET` or `POST`.
        #[serde(default)]
        attributes_request_method: HttpMethod,
        /// The authorization endpoint (https), for a provider whose discovery document Cognito
        /// should not use; with `token_url`, `attributes_url` and `jwks_uri`. Absent: Cognito
        /// discovers it from the issuer.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        authorize_url: Option<String>,
        /// The token endpoint (https). Absent: discovered from the issuer.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        token_url: Option<String>,
        /// The userInfo endpoint (https). Absent: discovered from the issuer.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        attributes_url: Option<String>,
        /// The JSON Web Key Set URL (https). Absent: discovered from the issuer.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        jwks_uri: Option<String>,
    }
    /// Sign in with Apple.
    Apple {
        name: [
            /// `SignInWithApple` (Cognito requires this name for Apple).
        ],
        email_verified: [
            /// How users' `email_verified` is decided; default `claim` (the provider sends it).
        ],
        /// The Services ID.
        client_id: String,
        /// The Apple developer team ID.
        team_id: String,
        /// The ID of the Sign in with Apple private key.
        key_id: String,
        /// A dynamic reference to the private key.
        private_key: String,
        /// The scopes Cognito requests from the provider.
        #[serde(default = "default_apple_scopes")]
        scopes: Vec<String>,
    }
    /// Facebook (sends no verification claim).
    Facebook {
        name: [
            /// `Facebook` (Cognito requires this name for Facebook).
        ],
        email_verified: [
            /// How users' `email_verified` is decided. Required: this kind sends no verification
            /// claim.
        ],
        /// The OAuth client id (app id) registered with the provider.
        client_id: String,
        /// A dynamic reference to the app secret.
        client_secret: String,
        /// The scopes Cognito requests from the provider.
        #[serde(default = "default_facebook_scopes")]
        scopes: Vec<String>,
        /// The Graph API version, e.g. `v19.0`; Cognito's default when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        api_version: Option<String>,
    }
    /// Login with Amazon (sends no verification claim).
    Amazon {
        name: [
            /// `LoginWithAmazon` (Cognito requires this name for Login with Amazon).
        ],
        email_verified: [
            /// How users' `email_verified` is decided. Required: this kind sends no verification
            /// claim.
        ],
        /// The OAuth client id (app id) registered with the provider.
        client_id: String,
        /// A dynamic reference to the client secret.
        client_secret: String,
        /// The scopes Cognito requests from the provider.
        #[serde(default = "default_amazon_scopes")]
        scopes: Vec<String>,
    }
    /// A SAML 2.0 identity provider (asserts verification only if the IdP is set up to).
    Saml {
        name: [
            /// The provider's name in clients and the trigger: 1 to 32 characters, no `_`, not `COGNITO`.
        ],
        email_verified: [
            /// How users' `email_verified` is decided. Required: this kind sends no verification
            /// claim unless the IdP is configured to assert one.
        ],
        /// The IdP's metadata URL (https). Exactly one of `metadata_url` and `metadata_file`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        metadata_url: Option<String>,
        /// The IdP's metadata XML document, inline.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        metadata_file: Option<String>,
        /// The SAML attribute that carries the email address, e.g.
        /// `http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress`. Required
        /// unless `map_email: false`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        email_attribute: Option<String>,
        /// Sign out through the IdP too.
        #[serde(default)]
        idp_signout: bool,
        /// Accept sign-in started at the IdP (IdP-initiated SAML), without a request from
        /// Cognito. Cognito's default: off.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        idp_init: bool,
        /// Require the IdP to encrypt its assertions to Cognito's certificate. Cognito's
        /// default: off.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        encrypted_responses: bool,
        /// Sign the requests Cognito sends to the IdP (`rsa-sha256`). Absent: unsigned, Cognito's
        /// default.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        request_signing_algorithm: Option<SamlSigningAlgorithm>,
    }
}

fn default_google_scopes() -> Vec<String> {
    strings(&["openid", "email", "profile"])
}

fn default_oidc_scopes() -> Vec<String> {
    strings(&["openid", "email", "profile"])
}

fn default_apple_scopes() -> Vec<String> {
    strings(&["email", "name"])
}

fn default_facebook_scopes() -> Vec<String> {
    strings(&["public_profile", "email"])
}

fn default_amazon_scopes() -> Vec<String> {
    strings(&["profile"])
}
