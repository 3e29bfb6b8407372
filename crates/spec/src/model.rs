//! The pool spec as typed Rust: what `infra/pools/<pool>.yaml` may say.
//!
//! Doc comments here become the descriptions of the JSON Schema (`poolctl schema`) and of the
//! README's spec reference, so they are written for the person editing a spec.
//! Every struct rejects unknown keys: a misspelt key is an error, never silently ignored.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use policy::PreSignUpPolicy;

/// A Cognito user pool, its identity providers, app clients, domain and PreSignUp trigger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "poolctl pool spec")]
pub struct PoolSpec {
    /// The pool's name; also the base of logical IDs and resource names. Lowercase letters,
    /// digits and hyphens, 1 to 64 characters, starting with a letter.
    pub name: String,

    /// A line for people: what this pool is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,

    /// How users identify themselves when they sign in. Fixed once the pool is deployed:
    /// changing it needs a new pool and a user migration.
    pub sign_in: SignIn,

    /// How Cognito sends email.
    #[serde(default)]
    pub email: EmailSending,

    /// Verification of email and phone: what is verified, how, and what happens on change.
    #[serde(default)]
    pub verification: Verification,

    /// The password rules for users who sign in with a password.
    #[serde(default)]
    pub password: PasswordPolicy,

    /// Multi-factor authentication.
    #[serde(default)]
    pub mfa: Mfa,

    /// Standard and custom user attributes. Existing attributes cannot be changed once the
    /// pool is deployed.
    #[serde(default)]
    pub attributes: Attributes,

    /// Federated identity providers users may sign in through.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identity_providers: Vec<IdentityProvider>,

    /// App clients: the applications and backends that talk to the pool.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub clients: Vec<AppClient>,

    /// The hosted sign-in domain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<Domain>,

    /// Lambda triggers the pool calls.
    #[serde(default)]
    pub triggers: Triggers,

    /// Protection against losing the pool and its users.
    #[serde(default)]
    pub protection: Protection,

    /// Tags for the pool and every resource that takes tags.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
}

impl PoolSpec {
    /// Whether the pool has poolctl's PreSignUp trigger, and so a function, an artifact to
    /// upload and a stack name short enough for the function's name. The one place this is
    /// asked.
    pub fn has_pre_sign_up_trigger(&self) -> bool {
        self.triggers.pre_sign_up.is_some()
    }
}

/// Sign-in identifiers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SignIn {
    /// What the user types as their username: `email`, `phone`, `email_or_phone` (the address
    /// or number is the username), or `username` (a chosen username, optionally with aliases).
    pub username: UsernameKind,

    /// With `username: username`, other attributes that may also be used to sign in.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<Alias>,

    /// Whether usernames are case sensitive. `false` is recommended: `Bob` and `bob` are one user.
    #[serde(default)]
    pub case_sensitive: bool,

    /// What the application does when a second account confirms an email already used as
    /// another account's alias. State it whenever `email` is an alias (`poolctl check` warns
    /// otherwise); recorded in the stack outputs for the application to apply (Cognito's
    /// `ForceAliasCreation`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicate_email: Option<DuplicateEmailPolicy>,
}

/// The kind of username.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum UsernameKind {
    /// The email address is the username.
    Email,
    /// The phone number is the username.
    Phone,
    /// Either the email address or the phone number is the username.
    EmailOrPhone,
    /// A username the user chooses.
    Username,
}

/// An attribute that can be used to sign in besides the username.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Alias {
    Email,
    Phone,
    PreferredUsername,
}

/// The duplicate-email policy when email is an alias.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DuplicateEmailPolicy {
    /// Refuse the second confirmation (`AliasExistsException`); the first account keeps it.
    Reject,
    /// Move the alias to the newly confirmed account; the old account's email becomes
    /// unverified.
    MoveAlias,
}

/// Email sending.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailSending {
    /// `cognito` (the default sender, low daily quota; fine for review pools) or `ses`.
    #[serde(default)]
    pub sending: EmailSender,

    /// Amazon SES settings; required with `sending: ses`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ses: Option<SesSettings>,
}

/// Who sends the pool's email.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EmailSender {
    #[default]
    Cognito,
    Ses,
}

/// Amazon SES sending.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SesSettings {
    /// ARN of the verified SES identity, `arn:aws:ses:<region>:<account>:identity/<identity>`.
    pub source_arn: String,
    /// The From address, e.g. `Acme <no-reply@acme.example>`.
    pub from: String,
    /// Optional Reply-To address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<String>,
    /// Optional SES configuration set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub configuration_set: Option<String>,
}

/// Verification settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Verification {
    /// Attributes Cognito verifies by sending a code or link at sign-up.
    #[serde(default = "default_auto_verify")]
    pub auto_verify: Vec<VerifiableAttribute>,

    /// Attributes whose old value stays active until the user verifies a new one, so that an
    /// email change never leaves the user with an unverified address. Must be a subset of
    /// `auto_verify`.
    #[serde(default = "default_auto_verify")]
    pub keep_original_until_verified: Vec<VerifiableAttribute>,

    /// The verification email.
    #[serde(default)]
    pub message: VerificationMessage,

    /// How users recover their account, in order of priority.
    #[serde(default = "default_recovery")]
    pub account_recovery: Vec<RecoveryMechanism>,
}

fn default_auto_verify() -> Vec<VerifiableAttribute> {
    vec![VerifiableAttribute::Email]
}

fn default_recovery() -> Vec<RecoveryMechanism> {
    vec![RecoveryMechanism::VerifiedEmail]
}

impl Default for Verification {
    fn default() -> Self {
        Self {
            auto_verify: default_auto_verify(),
            keep_original_until_verified: default_auto_verify(),
            message: VerificationMessage::default(),
            account_recovery: default_recovery(),
        }
    }
}

/// An attribute Cognito can verify.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum VerifiableAttribute {
    Email,
    Phone,
}

/// The verification email's content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VerificationMessage {
    /// `code`: the body must contain `{####}`; `link`: the body must contain a link
    /// placeholder `{##Click here##}`.
    #[serde(default)]
    pub style: MessageStyle,
    /// The email subject.
    #[serde(default = "default_subject")]
    pub subject: String,
    /// The email body.
    #[serde(default = "default_body")]
    pub body: String,
}

fn default_subject() -> String {
    "Your verification code".to_owned()
}

fn default_body() -> String {
    "Your verification code is {####}".to_owned()
}

impl Default for VerificationMessage {
    fn default() -> Self {
        Self {
            style: MessageStyle::Code,
            subject: default_subject(),
            body: default_body(),
        }
    }
}

/// Code or link verification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MessageStyle {
    #[default]
    Code,
    Link,
}

/// An account recovery mechanism.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RecoveryMechanism {
    VerifiedEmail,
    VerifiedPhone,
    /// Only an administrator can recover the account; excludes the others.
    AdminOnly,
}

/// Password rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordPolicy {
    /// Minimum length, 6 to 99.
    #[serde(default = "default_min_length")]
    pub min_length: u8,
    /// At least one lowercase letter.
    #[serde(default = "yes")]
    pub require_lowercase: bool,
    /// At least one uppercase letter.
    #[serde(default = "yes")]
    pub require_uppercase: bool,
    /// At least one digit.
    #[serde(default = "yes")]
    pub require_numbers: bool,
    /// At least one symbol.
    #[serde(default = "yes")]
    pub require_symbols: bool,
    /// Days a temporary password (from an administrator) stays valid, 0 to 365.
    #[serde(default = "default_temporary_days")]
    pub temporary_password_validity_days: u16,
}

fn default_min_length() -> u8 {
    12
}

fn default_temporary_days() -> u16 {
    7
}

fn yes() -> bool {
    true
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        Self {
            min_length: default_min_length(),
            require_lowercase: true,
            require_uppercase: true,
            require_numbers: true,
            require_symbols: true,
            temporary_password_validity_days: default_temporary_days(),
        }
    }
}

/// Multi-factor authentication.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Mfa {
    #[default]
    Off,
    /// Users may enrol a TOTP authenticator.
    Optional,
    /// Every user must use a TOTP authenticator.
    Required,
}

/// User attributes.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Attributes {
    /// Standard (OpenID Connect) attributes to configure, by name (`email`, `name`,
    /// `given_name`, `family_name`, `phone_number`, `preferred_username`, ...). Attributes not
    /// listed keep Cognito's defaults (optional, mutable). `email_verified` and
    /// `phone_number_verified` are not schema attributes and may not appear here.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub standard: BTreeMap<String, StandardAttribute>,

    /// Custom attributes, by name without the `custom:` prefix.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub custom: BTreeMap<String, CustomAttribute>,
}

/// A standard attribute's settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StandardAttribute {
    /// Every user must have it at sign-up.
    #[serde(default)]
    pub required: bool,
    /// It can change after sign-up. Must be true for any attribute an identity provider maps.
    #[serde(default = "yes")]
    pub mutable: bool,
}

/// A custom attribute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomAttribute {
    /// The attribute's type.
    #[serde(rename = "type")]
    pub kind: CustomAttributeType,
    /// It can change after sign-up.
    #[serde(default = "yes")]
    pub mutable: bool,
    /// For strings: minimum length.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u32>,
    /// For strings: maximum length (at most 2048).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
    /// For numbers: minimum value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_value: Option<i64>,
    /// For numbers: maximum value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_value: Option<i64>,
}

/// A custom attribute's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CustomAttributeType {
    String,
    Number,
    Boolean,
    DateTime,
}

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
}

impl JsonSchema for IdentityProvider {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "IdentityProvider".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        ProviderDoc::json_schema(generator)
    }
}

/// A provider's kind-specific settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProviderKind {
    Google {
        client_id: String,
        client_secret: String,
        scopes: Vec<String>,
    },
    Oidc {
        issuer: String,
        client_id: String,
        client_secret: String,
        scopes: Vec<String>,
        attributes_request_method: HttpMethod,
    },
    Apple {
        client_id: String,
        team_id: String,
        key_id: String,
        private_key: String,
        scopes: Vec<String>,
    },
    Facebook {
        client_id: String,
        client_secret: String,
        scopes: Vec<String>,
        api_version: Option<String>,
    },
    Amazon {
        client_id: String,
        client_secret: String,
        scopes: Vec<String>,
    },
    Saml {
        metadata_url: Option<String>,
        metadata_file: Option<String>,
        email_attribute: String,
        idp_signout: bool,
    },
}

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
    /// Sign in with Google.
    Google {
        /// `Google` (Cognito requires this name for Google).
        name: String,
        /// The OAuth client id (app id) registered with the provider.
        client_id: String,
        /// A dynamic reference to the OAuth client secret.
        client_secret: String,
        /// The scopes Cognito requests from the provider.
        #[serde(default = "default_google_scopes")]
        scopes: Vec<String>,
        /// Pool attribute -> provider attribute, on top of the defaults (`email`, and
        /// `email_verified` per the `email_verified` setting). Every mapped attribute must be
        /// mutable and writable by the clients that offer this provider.
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        attribute_mapping: BTreeMap<String, String>,
        /// How users' `email_verified` is decided; default `claim` (the provider sends it).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        email_verified: Option<EmailVerifiedPolicy>,
    },
    /// Any OpenID Connect provider.
    Oidc {
        /// The provider's name in clients and the trigger: 1 to 32 characters, no `_`, not `COGNITO`.
        name: String,
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
        /// Pool attribute -> provider attribute, on top of the defaults (`email`, and
        /// `email_verified` per the `email_verified` setting). Every mapped attribute must be
        /// mutable and writable by the clients that offer this provider.
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        attribute_mapping: BTreeMap<String, String>,
        /// How users' `email_verified` is decided; default `claim` (the provider sends it).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        email_verified: Option<EmailVerifiedPolicy>,
    },
    /// Sign in with Apple.
    Apple {
        /// `SignInWithApple` (Cognito requires this name for Apple).
        name: String,
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
        /// Pool attribute -> provider attribute, on top of the defaults (`email`, and
        /// `email_verified` per the `email_verified` setting). Every mapped attribute must be
        /// mutable and writable by the clients that offer this provider.
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        attribute_mapping: BTreeMap<String, String>,
        /// How users' `email_verified` is decided; default `claim` (the provider sends it).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        email_verified: Option<EmailVerifiedPolicy>,
    },
    /// Facebook (sends no verification claim).
    Facebook {
        /// `Facebook` (Cognito requires this name for Facebook).
        name: String,
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
        /// Pool attribute -> provider attribute, on top of the defaults (`email`, and
        /// `email_verified` per the `email_verified` setting). Every mapped attribute must be
        /// mutable and writable by the clients that offer this provider.
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        attribute_mapping: BTreeMap<String, String>,
        /// How users' `email_verified` is decided. Required: this kind sends no verification
        /// claim.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        email_verified: Option<EmailVerifiedPolicy>,
    },
    /// Login with Amazon (sends no verification claim).
    Amazon {
        /// `LoginWithAmazon` (Cognito requires this name for Login with Amazon).
        name: String,
        /// The OAuth client id (app id) registered with the provider.
        client_id: String,
        /// A dynamic reference to the client secret.
        client_secret: String,
        /// The scopes Cognito requests from the provider.
        #[serde(default = "default_amazon_scopes")]
        scopes: Vec<String>,
        /// Pool attribute -> provider attribute, on top of the defaults (`email`, and
        /// `email_verified` per the `email_verified` setting). Every mapped attribute must be
        /// mutable and writable by the clients that offer this provider.
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        attribute_mapping: BTreeMap<String, String>,
        /// How users' `email_verified` is decided. Required: this kind sends no verification
        /// claim.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        email_verified: Option<EmailVerifiedPolicy>,
    },
    /// A SAML 2.0 identity provider (asserts verification only if the IdP is set up to).
    Saml {
        /// The provider's name in clients and the trigger: 1 to 32 characters, no `_`, not `COGNITO`.
        name: String,
        /// The IdP's metadata URL (https). Exactly one of `metadata_url` and `metadata_file`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        metadata_url: Option<String>,
        /// The IdP's metadata XML document, inline.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        metadata_file: Option<String>,
        /// The SAML attribute that carries the email address, e.g.
        /// `http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress`.
        email_attribute: String,
        /// Sign out through the IdP too.
        #[serde(default)]
        idp_signout: bool,
        /// Pool attribute -> provider attribute, on top of the defaults (`email`, and
        /// `email_verified` per the `email_verified` setting). Every mapped attribute must be
        /// mutable and writable by the clients that offer this provider.
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        attribute_mapping: BTreeMap<String, String>,
        /// How users' `email_verified` is decided. Required: this kind sends no verification
        /// claim unless the IdP is configured to assert one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        email_verified: Option<EmailVerifiedPolicy>,
    },
}

impl From<ProviderDoc> for IdentityProvider {
    fn from(doc: ProviderDoc) -> Self {
        let (name, kind, attribute_mapping, email_verified) = match doc {
            ProviderDoc::Google {
                name,
                client_id,
                client_secret,
                scopes,
                attribute_mapping,
                email_verified,
            } => (
                name,
                ProviderKind::Google {
                    client_id,
                    client_secret,
                    scopes,
                },
                attribute_mapping,
                email_verified,
            ),
            ProviderDoc::Oidc {
                name,
                issuer,
                client_id,
                client_secret,
                scopes,
                attributes_request_method,
                attribute_mapping,
                email_verified,
            } => (
                name,
                ProviderKind::Oidc {
                    issuer,
                    client_id,
                    client_secret,
                    scopes,
                    attributes_request_method,
                },
                attribute_mapping,
                email_verified,
            ),
            ProviderDoc::Apple {
                name,
                client_id,
                team_id,
                key_id,
                private_key,
                scopes,
                attribute_mapping,
                email_verified,
            } => (
                name,
                ProviderKind::Apple {
                    client_id,
                    team_id,
                    key_id,
                    private_key,
                    scopes,
                },
                attribute_mapping,
                email_verified,
            ),
            ProviderDoc::Facebook {
                name,
                client_id,
                client_secret,
                scopes,
                api_version,
                attribute_mapping,
                email_verified,
            } => (
                name,
                ProviderKind::Facebook {
                    client_id,
                    client_secret,
                    scopes,
                    api_version,
                },
                attribute_mapping,
                email_verified,
            ),
            ProviderDoc::Amazon {
                name,
                client_id,
                client_secret,
                scopes,
                attribute_mapping,
                email_verified,
            } => (
                name,
                ProviderKind::Amazon {
                    client_id,
                    client_secret,
                    scopes,
                },
                attribute_mapping,
                email_verified,
            ),
            ProviderDoc::Saml {
                name,
                metadata_url,
                metadata_file,
                email_attribute,
                idp_signout,
                attribute_mapping,
                email_verified,
            } => (
                name,
                ProviderKind::Saml {
                    metadata_url,
                    metadata_file,
                    email_attribute,
                    idp_signout,
                },
                attribute_mapping,
                email_verified,
            ),
        };
        IdentityProvider {
            name,
            kind,
            attribute_mapping,
            email_verified,
        }
    }
}

impl From<IdentityProvider> for ProviderDoc {
    fn from(p: IdentityProvider) -> Self {
        let IdentityProvider {
            name,
            kind,
            attribute_mapping,
            email_verified,
        } = p;
        match kind {
            ProviderKind::Google {
                client_id,
                client_secret,
                scopes,
            } => ProviderDoc::Google {
                name,
                client_id,
                client_secret,
                scopes,
                attribute_mapping,
                email_verified,
            },
            ProviderKind::Oidc {
                issuer,
                client_id,
                client_secret,
                scopes,
                attributes_request_method,
            } => ProviderDoc::Oidc {
                name,
                issuer,
                client_id,
                client_secret,
                scopes,
                attributes_request_method,
                attribute_mapping,
                email_verified,
            },
            ProviderKind::Apple {
                client_id,
                team_id,
                key_id,
                private_key,
                scopes,
            } => ProviderDoc::Apple {
                name,
                client_id,
                team_id,
                key_id,
                private_key,
                scopes,
                attribute_mapping,
                email_verified,
            },
            ProviderKind::Facebook {
                client_id,
                client_secret,
                scopes,
                api_version,
            } => ProviderDoc::Facebook {
                name,
                client_id,
                client_secret,
                scopes,
                api_version,
                attribute_mapping,
                email_verified,
            },
            ProviderKind::Amazon {
                client_id,
                client_secret,
                scopes,
            } => ProviderDoc::Amazon {
                name,
                client_id,
                client_secret,
                scopes,
                attribute_mapping,
                email_verified,
            },
            ProviderKind::Saml {
                metadata_url,
                metadata_file,
                email_attribute,
                idp_signout,
            } => ProviderDoc::Saml {
                name,
                metadata_url,
                metadata_file,
                email_attribute,
                idp_signout,
                attribute_mapping,
                email_verified,
            },
        }
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
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

/// HTTP method for OIDC attribute requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum HttpMethod {
    #[default]
    Get,
    Post,
}

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

/// An app client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AppClient {
    /// The client's name; lowercase letters, digits and hyphens.
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

    /// Authentication flows besides refresh tokens, which are always allowed.
    #[serde(default = "default_auth_flows")]
    pub auth_flows: Vec<AuthFlow>,

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

/// The provider name of the pool's own username/password sign-in.
pub const COGNITO_PROVIDER: &str = "COGNITO";

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
    /// Refresh token lifetime in days, 1 to 3650.
    #[serde(default = "default_refresh_days")]
    pub refresh_days: u32,
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
            refresh_days: default_refresh_days(),
        }
    }
}

/// The hosted sign-in domain: exactly one of `prefix` (a Cognito domain) and `custom`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Domain {
    /// `<prefix>.auth.<region>.amazoncognito.com`. Lowercase letters, digits and hyphens,
    /// 1 to 63 characters, not starting or ending with a hyphen, and without the reserved
    /// words `aws`, `amazon` or `cognito`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// A domain of your own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom: Option<CustomDomain>,
}

/// A custom sign-in domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomDomain {
    /// The fully qualified domain name, e.g. `auth.acme.example`.
    pub name: String,
    /// ARN of the ACM certificate for it (must be in us-east-1).
    pub certificate_arn: String,
}

/// Lambda triggers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Triggers {
    /// The PreSignUp trigger and its auto-verification policy. App clients are named by their
    /// spec name in `trusted_clients`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pre_sign_up: Option<PreSignUpPolicy>,

    /// Days the trigger's logs are kept.
    #[serde(default = "default_log_retention")]
    pub log_retention_days: u16,
}

fn default_log_retention() -> u16 {
    30
}

impl Default for Triggers {
    fn default() -> Self {
        Self {
            pre_sign_up: None,
            log_retention_days: default_log_retention(),
        }
    }
}

/// Protection of the pool and its users.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Protection {
    /// Cognito deletion protection: `active` refuses to delete the pool. Use `active` for
    /// production and `inactive` for short-lived review pools.
    #[serde(default)]
    pub deletion: DeletionProtection,
    /// Keep the pool when the stack is deleted or the pool leaves the template
    /// (`DeletionPolicy: Retain`, `UpdateReplacePolicy: Retain`).
    #[serde(default = "yes")]
    pub retain_on_delete: bool,
}

impl Default for Protection {
    fn default() -> Self {
        Self {
            deletion: DeletionProtection::Active,
            retain_on_delete: true,
        }
    }
}

/// Cognito deletion protection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeletionProtection {
    #[default]
    Active,
    Inactive,
}

/// The standard (OpenID Connect) attributes a Cognito user pool schema has.
pub const STANDARD_ATTRIBUTES: &[&str] = &[
    "address",
    "birthdate",
    "email",
    "family_name",
    "gender",
    "given_name",
    "locale",
    "middle_name",
    "name",
    "nickname",
    "phone_number",
    "picture",
    "preferred_username",
    "profile",
    "updated_at",
    "website",
    "zoneinfo",
];

/// Verification flags: readable user attributes that are never part of the pool schema.
pub const VERIFICATION_ATTRIBUTES: &[&str] = &["email_verified", "phone_number_verified"];

impl IdentityProvider {
    /// The provider attribute that carries the email address.
    pub fn email_source(&self) -> &str {
        match &self.kind {
            ProviderKind::Saml {
                email_attribute, ..
            } => email_attribute,
            _ => "email",
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

    /// The complete attribute mapping (pool attribute -> provider attribute): the kind's
    /// defaults (`email`, and `email_verified` per the policy) plus the spec's own entries,
    /// which win over the defaults.
    pub fn effective_attribute_mapping(&self) -> BTreeMap<String, String> {
        let mut mapping = BTreeMap::new();
        mapping.insert("email".to_owned(), self.email_source().to_owned());
        if let Some(source) = self.email_verified_source() {
            mapping.insert("email_verified".to_owned(), source.to_owned());
        }
        for (attribute, source) in &self.attribute_mapping {
            mapping.insert(attribute.clone(), source.clone());
        }
        mapping
    }
}

impl AppClient {
    /// The OAuth flows in effect: as written, or `[code]` when callback URLs are given.
    pub fn effective_oauth_flows(&self) -> Vec<OAuthFlow> {
        match &self.oauth_flows {
            Some(flows) => flows.clone(),
            None if !self.callback_urls.is_empty() => vec![OAuthFlow::Code],
            None => Vec::new(),
        }
    }
}
