//! App clients: OAuth and authentication flows, attribute permissions, token lifetimes.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{strings, yes, COGNITO_PROVIDER};

/// An app client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AppClient {
    /// The client's name (`ClientName`), by which the spec refers to it: 1 to 128 letters,
    /// digits, spaces and `_+=,.@-`. Its letters and digits make the client's logical ID.
    pub name: String,

    /// Give the client a secret (for confidential backends, such as an agent that signs users
    /// up for them). Browser and mobile apps must not have one.
    #[serde(default)]
    pub generate_secret: bool,

    /// Identity providers (by name) this client offers; `COGNITO` is the pool's own
    /// username/password sign-in.
    #[serde(default = "default_client_providers")]
    pub providers: Vec<String>,

    /// OAuth callback URLs (https, or http://localhost for development).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub callback_urls: Vec<String>,

    /// Sign-out URLs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub logout_urls: Vec<String>,

    /// OAuth flows. Defaults to `[code]` when callback URLs are given, none otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oauth_flows: Option<Vec<OAuthFlow>>,

    /// OAuth scopes.
    #[serde(default = "default_client_scopes")]
    pub oauth_scopes: Vec<String>,

    /// Authentication flows besides refresh tokens (see `refresh_token_auth`).
    #[serde(default = "default_auth_flows")]
    pub auth_flows: Vec<AuthFlow>,

    /// Allow refreshing tokens with `REFRESH_TOKEN_AUTH` (`ALLOW_REFRESH_TOKEN_AUTH`).
    /// Default: `true`. `false` makes users sign in again when their tokens expire. A rotating
    /// client never offers it: it refreshes through `GetTokensFromRefreshToken`.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub refresh_token_auth: bool,

    /// Answer sign-in, confirmation and password-reset requests for unknown users as for known
    /// ones, so that nobody can tell which usernames exist (`PreventUserExistenceErrors:
    /// ENABLED`). Default: `true`. `false` is Cognito's `LEGACY`, the API's default for clients
    /// it creates: `check` warns.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub prevent_user_existence_errors: bool,

    /// The redirect URL used when a sign-in request names none (`DefaultRedirectURI`); one of
    /// `callback_urls`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_redirect_url: Option<String>,

    /// Pass the user's IP address and device fingerprint, sent by the app, to threat
    /// protection (`EnablePropagateAdditionalUserContextData`). Default: `false`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub propagate_user_context: bool,

    /// Let a refresh token be revoked (`RevokeToken`, sign-out everywhere), and the access and
    /// ID tokens issued from it with it (`EnableTokenRevocation`). Default: `true`, poolctl's
    /// choice, rendered on every client; AWS's default for a new client is the same.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub token_revocation: bool,

    /// Minutes a sign-in session token lasts between the steps of a sign-in (MFA, a new
    /// password, a custom challenge), 3 to 15 (`AuthSessionValidity`). Default: not rendered,
    /// so Cognito's 3 minutes apply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_session_minutes: Option<u8>,

    /// Send sign-in and sign-up events to Amazon Pinpoint (`AnalyticsConfiguration`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analytics: Option<Analytics>,

    /// Attributes the client may read. Default: all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_attributes: Option<Vec<String>>,

    /// Attributes the client may write. Default: all writable ones. Every attribute mapped by
    /// a provider this client uses must be writable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub write_attributes: Option<Vec<String>>,

    /// Token validity.
    #[serde(default)]
    pub tokens: TokenValidity,

    /// Rotate the refresh token at each refresh (`RefreshTokenRotation`; the essentials plan
    /// or above). Refreshing then goes through `GetTokensFromRefreshToken`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token_rotation: Option<RefreshTokenRotation>,

    /// Managed login branding for this client (`AWS::Cognito::ManagedLoginBranding`; needs
    /// `domain.managed_login: v2`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branding: Option<Branding>,
}

/// Amazon Pinpoint analytics for a client: either `application_arn`, or `application_id` with
/// `role_arn` (and optionally `external_id`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Analytics {
    /// The Pinpoint project's ARN (`ApplicationArn`); Cognito then uses its service-linked
    /// role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_arn: Option<String>,

    /// The Pinpoint project's id (`ApplicationId`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_id: Option<String>,

    /// The IAM role Cognito assumes to publish to Pinpoint (`RoleArn`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,

    /// The external ID Cognito gives when it assumes `role_arn` (`ExternalId`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,

    /// Include user data (the user's email and phone number) in the events (`UserDataShared`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub user_data_shared: bool,
}

// serde's `skip_serializing_if` hands over a reference.
#[allow(clippy::trivially_copy_pass_by_ref)]
fn is_true(value: &bool) -> bool {
    *value
}

#[allow(clippy::trivially_copy_pass_by_ref)]
fn is_false(value: &bool) -> bool {
    !*value
}

/// Refresh token rotation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshTokenRotation {
    /// Seconds the previous refresh token still works after a rotation, 0 to 60 (for retries
    /// of a refresh whose answer was lost).
    #[serde(default)]
    pub retry_grace_period_seconds: u8,
}

/// Managed login branding: exactly one of `cognito_defaults: true` and `settings_file`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Branding {
    /// Use Cognito's own style.
    #[serde(default)]
    pub cognito_defaults: bool,

    /// A JSON file of branding settings (the managed login branding editor's export), relative
    /// to the spec file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settings_file: Option<String>,

    /// The settings read from `settings_file`, as compact JSON; filled in when the spec is
    /// loaded.
    #[serde(skip)]
    #[schemars(skip)]
    pub settings: Option<String>,
}

fn default_client_providers() -> Vec<String> {
    vec![COGNITO_PROVIDER.to_owned()]
}

fn default_client_scopes() -> Vec<String> {
    strings(&["openid", "email", "profile"])
}

fn default_auth_flows() -> Vec<AuthFlow> {
    vec![AuthFlow::UserSrp]
}
/// OAuth 2.0 flows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OAuthFlow {
    Code,
    Implicit,
    ClientCredentials,
}

/// Authentication flows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AuthFlow {
    UserSrp,
    UserPassword,
    AdminUserPassword,
    Custom,
    UserAuth,
    /// Legacy `ADMIN_NO_SRP_AUTH` (today's `admin_user_password`). Legacy names stand alone:
    /// a client lists legacy flows or the others, and refreshes tokens without
    /// `ALLOW_REFRESH_TOKEN_AUTH`.
    LegacyAdminNoSrp,
    /// Legacy `CUSTOM_AUTH_FLOW_ONLY` (today's `custom`).
    LegacyCustomAuthFlowOnly,
    /// Legacy `USER_PASSWORD_AUTH` (today's `user_password`).
    LegacyUserPassword,
}

impl AuthFlow {
    /// Whether this is one of the flow names Cognito had before the `ALLOW_` ones.
    pub fn is_legacy(self) -> bool {
        matches!(
            self,
            Self::LegacyAdminNoSrp | Self::LegacyCustomAuthFlowOnly | Self::LegacyUserPassword
        )
    }

    /// The flow as today's name: a legacy name's `ALLOW_` form, any other as it is. What a
    /// rule asks when it asks whether a client signs in some way.
    pub fn current(self) -> Self {
        match self {
            Self::LegacyAdminNoSrp => Self::AdminUserPassword,
            Self::LegacyCustomAuthFlowOnly => Self::Custom,
            Self::LegacyUserPassword => Self::UserPassword,
            other => other,
        }
    }

    /// The spec's word for it, as `check` quotes it.
    pub fn spec_name(self) -> &'static str {
        match self {
            Self::UserSrp => "user_srp",
            Self::UserPassword => "user_password",
            Self::AdminUserPassword => "admin_user_password",
            Self::Custom => "custom",
            Self::UserAuth => "user_auth",
            Self::LegacyAdminNoSrp => "legacy_admin_no_srp",
            Self::LegacyCustomAuthFlowOnly => "legacy_custom_auth_flow_only",
            Self::LegacyUserPassword => "legacy_user_password",
        }
    }
}

/// Token lifetimes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenValidity {
    /// Access token lifetime in minutes, 5 to 1440.
    #[serde(default = "default_token_minutes")]
    pub access_minutes: u32,
    /// ID token lifetime in minutes, 5 to 1440.
    #[serde(default = "default_token_minutes")]
    pub id_minutes: u32,
    /// Refresh token lifetime in days, 1 to 3650. Default: 30, unless `refresh_hours` is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_days: Option<u32>,
    /// Refresh token lifetime in hours, 1 to 87600, in place of `refresh_days` (for a lifetime
    /// that is not whole days, or a client that counts it in hours).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_hours: Option<u32>,
}

/// A refresh token lifetime in its unit (`RefreshTokenValidity`, `TokenValidityUnits`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefreshLifetime {
    Days(u32),
    Hours(u32),
}

impl TokenValidity {
    /// The refresh token lifetime in effect: as written, else 30 days. The one reading of
    /// `refresh_days` and `refresh_hours`: validation checks it and the template renders it.
    pub fn refresh_lifetime(&self) -> RefreshLifetime {
        match (self.refresh_days, self.refresh_hours) {
            (None, Some(hours)) => RefreshLifetime::Hours(hours),
            (days, _) => RefreshLifetime::Days(days.unwrap_or_else(default_refresh_days)),
        }
    }
}

fn default_token_minutes() -> u32 {
    60
}

fn default_refresh_days() -> u32 {
    30
}

impl Default for TokenValidity {
    fn default() -> Self {
        Self {
            access_minutes: default_token_minutes(),
            id_minutes: default_token_minutes(),
            refresh_days: None,
            refresh_hours: None,
        }
    }
}

impl AppClient {
    /// The OAuth scopes a client has when the spec does not list them.
    pub fn default_oauth_scopes() -> Vec<String> {
        default_client_scopes()
    }

    /// The OAuth flows in effect: as written, or `[code]` when callback URLs are given. The one
    /// definition: validation checks it and the template renders it.
    pub fn effective_oauth_flows(&self) -> Vec<OAuthFlow> {
        match &self.oauth_flows {
            Some(flows) => flows.clone(),
            None if !self.callback_urls.is_empty() => vec![OAuthFlow::Code],
            None => Vec::new(),
        }
    }
}
