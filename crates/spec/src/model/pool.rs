//! The pool: sign-in, email sending, verification, passwords, MFA, domain, triggers and
//! protection.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{
    yes, AppClient, Attributes, EmailVerifiedPolicy, Environment, FirstFactor, Group,
    IdentityProvider, ManagedLogin, Mfa, MfaDoc, Passkeys, Plan, ResourceServer, SmsSending,
    ThreatProtection, Triggers,
};

/// A Cognito user pool, its identity providers, app clients, domain and PreSignUp trigger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "poolctl pool spec")]
pub struct PoolSpec {
    /// The pool's name; also the base of logical IDs and resource names (the stack is
    /// `poolctl-<name>`). Lowercase letters, digits and hyphens, 1 to 64 characters, starting
    /// with a letter. The pool in Cognito is named this too, unless `pool_name` says otherwise.
    pub name: String,

    /// The pool's name in Cognito (`UserPoolName`) when it is not `name`, e.g. an existing
    /// pool's `Acme Users`: 1 to 128 letters, digits, spaces and `_+=,.@-`. Only the pool
    /// takes it; the stack and resource names still come from `name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pool_name: Option<String>,

    /// A line for people: what this pool is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,

    /// Cognito's feature plan: `lite`, `essentials` or `plus` (`UserPoolTier`). Without it
    /// the template leaves the pool's plan as it is (new pools start on essentials); a feature
    /// that needs a plan is refused until the plan is stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<Plan>,

    /// How users identify themselves when they sign in. Fixed once the pool is deployed:
    /// changing it needs a new pool and a user migration.
    pub sign_in: SignIn,

    /// Who creates users: anyone through sign-up (the default), or administrators only; and
    /// the invitation an administrator-created user receives (`AdminCreateUserConfig`).
    #[serde(default, skip_serializing_if = "SignUp::is_default")]
    pub sign_up: SignUp,

    /// How Cognito sends email.
    #[serde(default)]
    pub email: EmailSending,

    /// How Cognito sends SMS (through Amazon SNS). Without it the pool sends no SMS: SMS MFA,
    /// `sms_otp` and phone verification are refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms: Option<SmsSending>,

    /// Verification of email and phone: what is verified, how, and what happens on change.
    #[serde(default)]
    pub verification: Verification,

    /// The password rules for users who sign in with a password.
    #[serde(default)]
    pub password: PasswordPolicy,

    /// Multi-factor authentication: `off`, `optional` or `required` with a TOTP
    /// authenticator, or `{ mode, factors, email_message }`.
    #[serde(default)]
    #[schemars(with = "MfaDoc")]
    pub mfa: Mfa,

    /// Passkeys (WebAuthn), for the `passkey` first factor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passkeys: Option<Passkeys>,

    /// Threat protection (the plus plan).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threat_protection: Option<ThreatProtection>,

    /// Device tracking (`DeviceConfiguration`): Cognito remembers the devices users sign in
    /// from. Unset: no device is remembered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub devices: Option<DeviceTracking>,

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

    /// User groups, by name (`AWS::Cognito::UserPoolGroup`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub groups: BTreeMap<String, Group>,

    /// Resource servers and their custom scopes, which clients may request as
    /// `<identifier>/<scope>`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resource_servers: Vec<ResourceServer>,

    /// Lambda triggers the pool calls.
    #[serde(default)]
    pub triggers: Triggers,

    /// Protection against losing the pool and its users.
    #[serde(default)]
    pub protection: Protection,

    /// Tags for the pool and every resource that takes tags.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,

    /// The environments this spec deploys to, by name (lowercase letters, digits and hyphens,
    /// e.g. `dev`, `prod`; not `all`): each an account, a region and the settings that differ
    /// there.
    /// With environments declared, every command that calls AWS needs `--env NAME`, and the
    /// stack is `poolctl-<name>-<environment>`. See docs/environments.md.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub environments: BTreeMap<String, Environment>,
}

/// CloudFormation's limit on a template's `Description`, in bytes.
pub const MAX_TEMPLATE_DESCRIPTION: usize = 1024;

impl PoolSpec {
    /// The rendered template's `Description`: the pool's `description` with the text poolctl
    /// wraps around it. The template uses it as is, and validation holds it to
    /// [`MAX_TEMPLATE_DESCRIPTION`], so the two cannot disagree.
    pub fn template_description(&self) -> String {
        match &self.description {
            Some(text) => format!("Cognito user pool {}: {text} (poolctl)", self.name),
            None => format!("Cognito user pool {} (poolctl)", self.name),
        }
    }

    /// Whether the pool has poolctl's PreSignUp trigger, and so a function, an artifact to
    /// upload and a stack name short enough for the function's name. The one place this is
    /// asked.
    pub fn has_pre_sign_up_trigger(&self) -> bool {
        self.triggers.pre_sign_up.is_some()
    }

    /// Whether poolctl's function also runs as the inbound federation trigger. The one place
    /// this is asked: the template wires it, and the mapping and the function's providers
    /// follow from it.
    pub fn has_inbound_federation_trigger(&self) -> bool {
        self.triggers.inbound_federation && self.has_pre_sign_up_trigger()
    }

    /// Whether some inbound federation trigger runs at every federated sign-in: poolctl's, or a
    /// function given by ARN.
    pub fn wires_inbound_federation(&self) -> bool {
        self.has_inbound_federation_trigger() || self.triggers.inbound_federation_arn.is_some()
    }

    /// The providers whose `email_verified` poolctl's function decides at every federated
    /// sign-in (`email_verified: trigger`), with the attribute that carries their address: what
    /// the template hands the function. Empty unless the pool has the inbound federation
    /// trigger.
    pub fn decided_providers(&self) -> policy::DecidedProviders {
        if !self.has_inbound_federation_trigger() {
            return policy::DecidedProviders::new();
        }
        self.identity_providers
            .iter()
            .filter(|provider| provider.email_verified == Some(EmailVerifiedPolicy::Trigger))
            .map(|provider| {
                (
                    provider.name.clone(),
                    policy::DecidedProvider {
                        email_attribute: provider.email_source().map(str::to_owned),
                    },
                )
            })
            .collect()
    }

    /// A provider's attribute mapping as the pool renders it: the provider's own
    /// ([`IdentityProvider::effective_attribute_mapping`]), and, for a provider poolctl's
    /// inbound federation trigger decides, `email_verified` from the attribute the trigger
    /// writes ([`policy::DECIDED_EMAIL_VERIFIED_ATTRIBUTE`]).
    pub fn attribute_mapping(&self, provider: &IdentityProvider) -> BTreeMap<String, String> {
        let mut mapping = provider.effective_attribute_mapping();
        if self.decided_providers().contains_key(&provider.name) {
            mapping.insert(
                "email_verified".to_owned(),
                policy::DECIDED_EMAIL_VERIFIED_ATTRIBUTE.to_owned(),
            );
        }
        mapping
    }

    /// The spec's explicit choice not to map a provider's `email_verified` claim
    /// ([`IdentityProvider::unmapped_claim_choice`]), unless poolctl's inbound federation
    /// trigger decides for the provider: then `email_verified` is mapped, from the trigger's
    /// attribute, at every sign-in. `check` warns about the choice, and the template records it.
    pub fn unmapped_claim_choice<'p>(
        &self,
        provider: &'p IdentityProvider,
    ) -> Option<&'p EmailVerifiedPolicy> {
        if self.decided_providers().contains_key(&provider.name) {
            return None;
        }
        provider.unmapped_claim_choice()
    }

    /// Whether the pool can send SMS: an `sms` block with its `sns_role`. The one place this
    /// is asked.
    pub fn sends_sms(&self) -> bool {
        self.sms.as_ref().is_some_and(|sms| sms.sns_role.is_some())
    }

    /// Whether the pool is a production pool: tagged `environment: production` (or `prod`, in
    /// any case). Such a pool must have deletion protection and be retained; the Guard rule
    /// `production_pool_is_protected` reads the same tag in the template's `UserPoolTags`.
    pub fn is_production(&self) -> bool {
        self.tags.get("environment").is_some_and(|value| {
            value.eq_ignore_ascii_case("production") || value.eq_ignore_ascii_case("prod")
        })
    }

    /// Whether email is auto-verified and can change, yet the old address is not kept until
    /// the new one is verified. Only an explicit `keep_original_until_verified` without
    /// `email` does this (the default keeps it), as an imported pool's own setting may: `check`
    /// warns, and the template records the choice for the Guard rule that otherwise refuses it.
    pub fn email_change_unkept(&self) -> bool {
        let verification = &self.verification;
        verification
            .auto_verify
            .contains(&VerifiableAttribute::Email)
            && self.attributes.standard_mutable("email")
            && !verification
                .keep_original_until_verified
                .contains(&VerifiableAttribute::Email)
    }
}

/// Who may create users, and the invitation administrators send (`AdminCreateUserConfig`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SignUp {
    /// Only administrators create users (AdminCreateUser); the `SignUp` API is refused, so
    /// nobody signs themselves up (`AllowAdminCreateUserOnly`). Default: `false`.
    #[serde(default)]
    pub admin_only: bool,

    /// The message a user created by an administrator receives with their temporary
    /// password (`InviteMessageTemplate`). Unset: Cognito's default invitation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invitation: Option<Invitation>,
}

impl SignUp {
    /// Whether this is what a spec without `sign_up` means (and what the template then leaves
    /// to Cognito's defaults).
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

/// The invitation to a user an administrator creates. Each message must hold the placeholders
/// `{username}` and `{####}` (the temporary password).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Invitation {
    /// The email's subject, 1 to 140 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_subject: Option<String>,

    /// The email's body, 6 to 20000 characters; HTML tags are allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_message: Option<String>,

    /// The SMS, 6 to 140 characters (sent only when the pool has `sms.sns_role`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms_message: Option<String>,
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

    /// Choice-based sign-in: the factors a user may start with (`password`, `email_otp`,
    /// `sms_otp`, `passkey`). Clients offer it through the `user_auth` flow. Needs the
    /// essentials plan or above.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub first_factors: Vec<FirstFactor>,
}

impl SignIn {
    /// Whether the email address is the username (`email` or `email_or_phone`).
    pub fn email_is_username(&self) -> bool {
        matches!(
            self.username,
            UsernameKind::Email | UsernameKind::EmailOrPhone
        )
    }

    /// Whether email is a sign-in alias besides a chosen username.
    pub fn email_is_alias(&self) -> bool {
        self.aliases.contains(&Alias::Email)
    }
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

    /// The verification email: a mapping with `style`, `subject` and `body` (poolctl's code
    /// message when left out), or `cognito_default`, which renders no email message so that
    /// Cognito sends its own (what a pool created without one has; import writes it).
    #[serde(default)]
    #[schemars(with = "VerificationEmailDoc")]
    pub message: VerificationEmail,

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
            message: VerificationEmail::default(),
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

impl VerifiableAttribute {
    /// The word the spec writes (`email`, `phone`): what `check`'s messages quote back.
    pub fn spec_name(self) -> &'static str {
        match self {
            VerifiableAttribute::Email => "email",
            VerifiableAttribute::Phone => "phone",
        }
    }

    /// Cognito's attribute name (`email`, `phone_number`): what the template writes.
    pub fn attribute_name(self) -> &'static str {
        match self {
            VerifiableAttribute::Email => "email",
            VerifiableAttribute::Phone => "phone_number",
        }
    }
}

/// The verification email: the pool's own message, or Cognito's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerificationEmail {
    /// No email message in the template (`cognito_default`): Cognito sends its own code
    /// message.
    CognitoDefault,
    /// The message as the spec writes it (poolctl's code message by default).
    Message(VerificationMessage),
}

impl Default for VerificationEmail {
    fn default() -> Self {
        Self::Message(VerificationMessage::default())
    }
}

impl VerificationEmail {
    /// The spec's own message; `None` for Cognito's.
    pub fn message(&self) -> Option<&VerificationMessage> {
        match self {
            Self::CognitoDefault => None,
            Self::Message(message) => Some(message),
        }
    }
}

/// The word that stands for Cognito's own verification email.
const COGNITO_DEFAULT: &str = "cognito_default";

/// The written form of `verification.message`, for the JSON Schema.
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
pub(crate) enum VerificationEmailDoc {
    CognitoDefault(CognitoDefaultWord),
    Message(VerificationMessage),
}

/// `cognito_default`: Cognito's own verification email.
#[derive(JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)]
pub(crate) enum CognitoDefaultWord {
    CognitoDefault,
}

impl Serialize for VerificationEmail {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::CognitoDefault => serializer.serialize_str(COGNITO_DEFAULT),
            Self::Message(message) => message.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for VerificationEmail {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::{self, MapAccess, Visitor};
        struct EmailVisitor;
        impl<'de> Visitor<'de> for EmailVisitor {
            type Value = VerificationEmail;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("`cognito_default` or a mapping with `style`, `subject` and `body`")
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<VerificationEmail, E> {
                if value == COGNITO_DEFAULT {
                    Ok(VerificationEmail::CognitoDefault)
                } else {
                    Err(E::unknown_variant(value, &[COGNITO_DEFAULT]))
                }
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<VerificationEmail, A::Error> {
                VerificationMessage::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(VerificationEmail::Message)
            }
        }
        deserializer.deserialize_any(EmailVisitor)
    }
}

/// The verification email's content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VerificationMessage {
    /// `code`: the body must contain `{####}`; `link`: the body must contain a link
    /// placeholder `{##Click here##}`. Which message Cognito sends (`DefaultEmailOption`).
    #[serde(default)]
    pub style: MessageStyle,
    /// The email subject.
    #[serde(default = "default_subject")]
    pub subject: String,
    /// The email body.
    #[serde(default = "default_body")]
    pub body: String,
    /// The other style's message, which Cognito keeps beside the one it sends (a link pool's
    /// code message, say): `{ subject, body }`, its body with the other style's placeholder.
    /// Unset: the template sets none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other_style: Option<StyleMessage>,
}

/// A subject and body of the verification email's other style.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StyleMessage {
    /// The email subject.
    pub subject: String,
    /// The email body.
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
            other_style: None,
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
    /// No `AccountRecoverySetting`: Cognito's legacy order, a code by SMS to a verified phone
    /// number if the user has one, else by email to a verified address. What a pool created
    /// without the setting has (import writes it); excludes the others.
    Legacy,
}

impl Verification {
    /// Whether a user with a verified email address can recover their account by email: a
    /// mechanism that says so, or Cognito's legacy order, which falls back to email.
    pub fn recovers_by_email(&self) -> bool {
        self.account_recovery.iter().any(|m| {
            matches!(
                m,
                RecoveryMechanism::VerifiedEmail | RecoveryMechanism::Legacy
            )
        })
    }
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
    /// How many previous passwords a user may not reuse, 0 to 24 (the essentials plan or
    /// above).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub history_size: Option<u8>,
}

fn default_min_length() -> u8 {
    12
}

fn default_temporary_days() -> u16 {
    7
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
            history_size: None,
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
    /// `classic` (the hosted UI) or `v2` (managed login, the essentials plan or above;
    /// `ManagedLoginVersion`). Unset leaves Cognito's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed_login: Option<ManagedLogin>,
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

/// Device tracking (`DeviceConfiguration`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeviceTracking {
    /// A remembered device may stand in for the second factor at sign-in, so that MFA is asked
    /// for on new devices only (`ChallengeRequiredOnNewDevice`).
    #[serde(default)]
    pub challenge_required_on_new_device: bool,
    /// Remember a device only when the user chooses to (the app's `UpdateDeviceStatus`), not
    /// every device the app confirms (`ConfirmDevice`) (`DeviceOnlyRememberedOnUserPrompt`).
    /// Default: `false`.
    #[serde(default)]
    pub only_remembered_on_user_prompt: bool,
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
