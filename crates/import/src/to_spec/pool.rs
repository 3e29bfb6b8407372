//! The pool's own settings, its domain, groups and resource servers.

use std::collections::BTreeMap;

use aws_sdk_cognitoidentityprovider::operation::get_user_pool_mfa_config::GetUserPoolMfaConfigOutput;
use aws_sdk_cognitoidentityprovider::types::{
    AdminCreateUserConfigType, AliasAttributeType, AttributeDataType, AuthFactorType,
    DefaultEmailOptionType, DeletionProtectionType, DomainDescriptionType, EmailSendingAccountType,
    GroupType, ResourceServerType, SchemaAttributeType, SoftwareTokenMfaConfigType,
    UserPoolMfaType, UserPoolTierType, UserPoolType, UserVerificationType, UsernameAttributeType,
    UsernameConfigurationType, VerifiedAttributeType,
};
use serde_json::json;
use spec::{
    standard_length_default, Alias, Attributes, CustomAttribute, CustomAttributeType,
    CustomAuthThreatMode, CustomDomain, DeletionProtection, DeviceTracking, Domain,
    EmailMfaMessage, EmailSender, EmailSending, FirstFactor, Group, Invitation, ManagedLogin,
    MessageStyle, Mfa, MfaFactor, MfaMode, Passkeys, PasswordPolicy, Plan, PoolSpec,
    PreTokenGeneration, PreTokenVersion, Protection, RecoveryMechanism, ResourceScope,
    ResourceServer, SesSettings, SignIn, SignUp, SmsSending, StandardAttribute, StyleMessage,
    ThreatMode, ThreatProtection, Triggers, UserVerification, UsernameKind, VerifiableAttribute,
    Verification, VerificationEmail, VerificationMessage, STANDARD_ATTRIBUTES,
    VERIFICATION_ATTRIBUTES,
};

use super::{spec_name, Gaps};
use crate::gap::Target;

const NO_FIELD: &str = "the spec has no field for it; a deploy of the spec would reset it";

pub(super) fn pool(
    pool: &UserPoolType,
    mfa: Option<&GetUserPoolMfaConfigOutput>,
    gaps: &mut Gaps,
) -> PoolSpec {
    let live_name = pool.name().unwrap_or_default();
    let name = spec_name(live_name, "pool", 64);
    if name != live_name {
        gaps.add_property(
            "PoolName",
            live_name,
            &format!(
                "a spec's name is lowercase letters, digits and hyphens; imported as `{name}`, \
                 so the first deploy renames the pool"
            ),
            Target::Pool,
            "/UserPoolName",
            json!(live_name),
        );
    }
    PoolSpec {
        name,
        pool_name: None,
        description: None,
        plan: pool.user_pool_tier().and_then(|t| match t {
            UserPoolTierType::Lite => Some(Plan::Lite),
            UserPoolTierType::Essentials => Some(Plan::Essentials),
            UserPoolTierType::Plus => Some(Plan::Plus),
            _ => None,
        }),
        sign_in: sign_in(pool),
        sign_up: sign_up(pool),
        email: email(pool, gaps),
        sms: sms(pool, mfa),
        verification: verification(pool, gaps),
        password: password(pool),
        mfa: mfa_settings(pool, mfa, gaps),
        passkeys: mfa.and_then(|m| m.web_authn_configuration()).and_then(|w| {
            Some(Passkeys {
                relying_party_id: w.relying_party_id()?.to_owned(),
                user_verification: match w.user_verification().map(UserVerificationType::as_str) {
                    Some("required") => UserVerification::Required,
                    _ => UserVerification::Preferred,
                },
            })
        }),
        threat_protection: pool.user_pool_add_ons().and_then(|a| {
            let custom_auth = a
                .advanced_security_additional_flows()
                .and_then(|f| f.custom_auth_mode())
                .and_then(|m| match m.as_str() {
                    "ENFORCED" => Some(CustomAuthThreatMode::Enforced),
                    "AUDIT" => Some(CustomAuthThreatMode::Audit),
                    _ => None,
                });
            let mode = match a.advanced_security_mode().as_str() {
                "AUDIT" => ThreatMode::Audit,
                "ENFORCED" => ThreatMode::Enforced,
                // Custom authentication can be protected while standard sign-in is not.
                _ if custom_auth.is_some() => ThreatMode::Off,
                _ => return None,
            };
            Some(ThreatProtection { mode, custom_auth })
        }),
        devices: pool.device_configuration().map(|d| DeviceTracking {
            challenge_required_on_new_device: d.challenge_required_on_new_device(),
            only_remembered_on_user_prompt: d.device_only_remembered_on_user_prompt(),
        }),
        attributes: attributes(pool.schema_attributes(), gaps),
        identity_providers: Vec::new(),
        clients: Vec::new(),
        domain: None,
        groups: BTreeMap::new(),
        resource_servers: Vec::new(),
        triggers: triggers(pool),
        protection: Protection {
            deletion: match pool
                .deletion_protection()
                .map(DeletionProtectionType::as_str)
            {
                Some("ACTIVE") => DeletionProtection::Active,
                _ => DeletionProtection::Inactive,
            },
            // Adopting requires Retain on every imported resource.
            retain_on_delete: true,
        },
        tags: pool
            .user_pool_tags()
            .map(|tags| {
                tags.iter()
                    .filter(|(k, _)| !k.starts_with("aws:") && !k.starts_with("poolctl:"))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect()
            })
            .unwrap_or_default(),
        // A live pool is one place; its environments are the operator's to declare.
        environments: BTreeMap::new(),
    }
    .also(|_| other_settings(pool, gaps))
}

/// `x.also(f)`: run `f` for its effect, keep `x`.
trait Also: Sized {
    fn also(self, f: impl FnOnce(&Self)) -> Self {
        f(&self);
        self
    }
}
impl<T> Also for T {}

fn sign_in(pool: &UserPoolType) -> SignIn {
    let username = pool.username_attributes();
    let email = username.contains(&UsernameAttributeType::Email);
    let phone = username.contains(&UsernameAttributeType::PhoneNumber);
    let username = match (email, phone) {
        (true, true) => UsernameKind::EmailOrPhone,
        (true, false) => UsernameKind::Email,
        (false, true) => UsernameKind::Phone,
        (false, false) => UsernameKind::Username,
    };
    let aliases = pool
        .alias_attributes()
        .iter()
        .filter_map(|a| match a {
            AliasAttributeType::Email => Some(Alias::Email),
            AliasAttributeType::PhoneNumber => Some(Alias::Phone),
            AliasAttributeType::PreferredUsername => Some(Alias::PreferredUsername),
            _ => None,
        })
        .collect();
    SignIn {
        username,
        aliases,
        // Cognito's default when the pool states nothing is case sensitive.
        case_sensitive: pool
            .username_configuration()
            .is_none_or(UsernameConfigurationType::case_sensitive),
        duplicate_email: None,
        first_factors: pool
            .policies()
            .and_then(|p| p.sign_in_policy())
            .map(|s| {
                s.allowed_first_auth_factors()
                    .iter()
                    .filter_map(|f| match f {
                        AuthFactorType::Password => Some(FirstFactor::Password),
                        AuthFactorType::EmailOtp => Some(FirstFactor::EmailOtp),
                        AuthFactorType::SmsOtp => Some(FirstFactor::SmsOtp),
                        AuthFactorType::WebAuthn => Some(FirstFactor::Passkey),
                        _ => None,
                    })
                    .collect()
            })
            // A pool that never chose its factors signs in by password only, which the
            // template states by leaving the policy out.
            .filter(|f: &Vec<FirstFactor>| f != &[FirstFactor::Password])
            .unwrap_or_default(),
    }
}

fn email(pool: &UserPoolType, gaps: &mut Gaps) -> EmailSending {
    let Some(config) = pool.email_configuration() else {
        return EmailSending::default();
    };
    if config.email_sending_account() != Some(&EmailSendingAccountType::Developer) {
        if let Some(reply_to) = config.reply_to_email_address().filter(|r| !r.is_empty()) {
            gaps.add_property(
                "EmailConfiguration.ReplyToEmailAddress",
                reply_to,
                "the spec sets a Reply-To address only when sending through SES",
                Target::Pool,
                "/EmailConfiguration/ReplyToEmailAddress",
                json!(reply_to),
            );
        }
        return EmailSending::default();
    }
    let (Some(source_arn), Some(from)) = (config.source_arn(), config.from()) else {
        gaps.add(
            "EmailConfiguration",
            "DEVELOPER without SourceArn and From",
            "the spec's SES sending needs both the identity ARN and the From address",
        );
        return EmailSending::default();
    };
    EmailSending {
        sending: EmailSender::Ses,
        ses: Some(SesSettings {
            source_arn: source_arn.to_owned(),
            from: from.to_owned(),
            reply_to: config.reply_to_email_address().map(str::to_owned),
            configuration_set: config.configuration_set().map(str::to_owned),
        }),
    }
}

/// SMS sending: the live role goes in by ARN (`sns_role: <arn>`), with its external ID, SNS
/// Region and messages. Without a role the pool sends no SMS, and SMS messages it still holds
/// go in an `sms` block without `sns_role`.
fn sms(pool: &UserPoolType, mfa: Option<&GetUserPoolMfaConfigOutput>) -> Option<SmsSending> {
    let nonempty = |s: Option<&str>| s.filter(|s| !s.trim().is_empty()).map(str::to_owned);
    let verification_message = nonempty(
        pool.verification_message_template()
            .and_then(|t| t.sms_message()),
    )
    .or_else(|| nonempty(pool.sms_verification_message()));
    let authentication_message = nonempty(pool.sms_authentication_message()).or_else(|| {
        nonempty(
            mfa.and_then(|m| m.sms_mfa_configuration())
                .and_then(|c| c.sms_authentication_message()),
        )
    });
    let config = pool.sms_configuration().or_else(|| {
        mfa.and_then(|m| m.sms_mfa_configuration())
            .and_then(|c| c.sms_configuration())
    });
    let Some(config) = config.filter(|c| !c.sns_caller_arn().is_empty()) else {
        // No role: the pool sends no SMS, and the spec keeps its messages in an `sms` block
        // without `sns_role` (which `check` warns about).
        if verification_message.is_none() && authentication_message.is_none() {
            return None;
        }
        return Some(SmsSending {
            sns_role: None,
            external_id: None,
            sns_region: None,
            verification_message,
            authentication_message,
        });
    };
    Some(SmsSending {
        sns_role: Some(config.sns_caller_arn().to_owned()),
        external_id: nonempty(config.external_id()),
        sns_region: nonempty(config.sns_region()),
        verification_message,
        authentication_message,
    })
}

fn verifiable(attributes: &[VerifiedAttributeType]) -> Vec<VerifiableAttribute> {
    attributes
        .iter()
        .filter_map(|a| match a {
            VerifiedAttributeType::Email => Some(VerifiableAttribute::Email),
            VerifiedAttributeType::PhoneNumber => Some(VerifiableAttribute::Phone),
            _ => None,
        })
        .collect()
}

fn verification(pool: &UserPoolType, gaps: &mut Gaps) -> Verification {
    let account_recovery = pool
        .account_recovery_setting()
        .map(|s| {
            let mut mechanisms: Vec<_> = s.recovery_mechanisms().iter().collect();
            mechanisms.sort_by_key(|m| m.priority());
            mechanisms
                .into_iter()
                .filter_map(|m| match m.name().as_str() {
                    "verified_email" => Some(RecoveryMechanism::VerifiedEmail),
                    "verified_phone_number" => Some(RecoveryMechanism::VerifiedPhone),
                    "admin_only" => Some(RecoveryMechanism::AdminOnly),
                    _ => None,
                })
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    // No setting: Cognito's legacy order, which the spec states as `legacy`.
    let account_recovery = if account_recovery.is_empty() {
        vec![RecoveryMechanism::Legacy]
    } else {
        account_recovery
    };
    Verification {
        auto_verify: verifiable(pool.auto_verified_attributes()),
        keep_original_until_verified: pool
            .user_attribute_update_settings()
            .map(|s| verifiable(s.attributes_require_verification_before_update()))
            .unwrap_or_default(),
        message: verification_email(pool, gaps),
        account_recovery,
    }
}

/// The verification email as the pool has it: no message in either form is Cognito's own
/// (`cognito_default`); otherwise the message of the style Cognito sends, and the other
/// style's message when the pool keeps one.
fn verification_email(pool: &UserPoolType, gaps: &mut Gaps) -> VerificationEmail {
    let template = pool.verification_message_template();
    let nonempty = |s: Option<&str>| s.filter(|s| !s.is_empty()).map(str::to_owned);
    // The code message, from the template or its legacy fields, which Cognito keeps equal.
    let code_subject = nonempty(template.and_then(|t| t.email_subject()))
        .or_else(|| nonempty(pool.email_verification_subject()));
    let code_body = nonempty(template.and_then(|t| t.email_message()))
        .or_else(|| nonempty(pool.email_verification_message()));
    let link_subject = nonempty(template.and_then(|t| t.email_subject_by_link()));
    let link_body = nonempty(template.and_then(|t| t.email_message_by_link()));
    let link = template.and_then(|t| t.default_email_option())
        == Some(&DefaultEmailOptionType::ConfirmWithLink);
    let (style, subject, body, other_subject, other_body) = if link {
        (
            MessageStyle::Link,
            // Cognito's link message where the pool states none.
            link_subject.unwrap_or_else(|| "Your verification link".to_owned()),
            link_body.unwrap_or_else(|| {
                "Please click the link below to verify your email address. {##Verify Email##}"
                    .to_owned()
            }),
            code_subject,
            code_body,
        )
    } else {
        if code_subject.is_none()
            && code_body.is_none()
            && link_subject.is_none()
            && link_body.is_none()
        {
            return VerificationEmail::CognitoDefault;
        }
        let defaults = VerificationMessage::default();
        if code_subject.is_none() || code_body.is_none() {
            gaps.add(
                "VerificationMessageTemplate",
                format!(
                    "a code message without its {}",
                    if code_subject.is_none() {
                        "subject"
                    } else {
                        "body"
                    }
                ),
                "the spec's message has both; poolctl's default stands in for the missing one",
            );
        }
        (
            MessageStyle::Code,
            code_subject.unwrap_or(defaults.subject),
            code_body.unwrap_or(defaults.body),
            link_subject,
            link_body,
        )
    };
    let other_style = match (other_subject, other_body) {
        (Some(subject), Some(body)) => Some(StyleMessage { subject, body }),
        (None, None) => None,
        (subject, _) => {
            gaps.add(
                "VerificationMessageTemplate",
                format!(
                    "the other style's message has only its {}",
                    if subject.is_some() { "subject" } else { "body" }
                ),
                "the spec keeps the other style's message whole, subject and body",
            );
            None
        }
    };
    VerificationEmail::Message(VerificationMessage {
        style,
        subject,
        body,
        other_style,
    })
}

/// Cognito's own password policy where the live pool states none (a pool created without
/// one: 8 characters, every character class, 7 days), not poolctl's stricter default, which
/// would tighten the pool on the first deploy.
fn password(pool: &UserPoolType) -> PasswordPolicy {
    // Describe leaves TemporaryPasswordValidityDays out of a pool that never set it, and the
    // SDK reads that as 0. Cognito then uses the legacy UnusedAccountValidityDays, whose
    // default is 7.
    let legacy_days = pool
        .admin_create_user_config()
        .map(AdminCreateUserConfigType::unused_account_validity_days)
        .filter(|d| *d > 0);
    let temporary_days = |days: i32| {
        Some(days)
            .filter(|d| *d > 0)
            .or(legacy_days)
            .and_then(|d| u16::try_from(d).ok())
            .unwrap_or(COGNITO_TEMPORARY_PASSWORD_DAYS)
    };
    let Some(policy) = pool.policies().and_then(|p| p.password_policy()) else {
        return PasswordPolicy {
            min_length: COGNITO_MIN_PASSWORD_LENGTH,
            temporary_password_validity_days: temporary_days(0),
            ..PasswordPolicy::default()
        };
    };
    PasswordPolicy {
        min_length: policy
            .minimum_length()
            .and_then(|n| u8::try_from(n).ok())
            .unwrap_or(COGNITO_MIN_PASSWORD_LENGTH),
        require_lowercase: policy.require_lowercase(),
        require_uppercase: policy.require_uppercase(),
        require_numbers: policy.require_numbers(),
        require_symbols: policy.require_symbols(),
        temporary_password_validity_days: temporary_days(policy.temporary_password_validity_days()),
        history_size: policy
            .password_history_size()
            .and_then(|n| u8::try_from(n).ok())
            .filter(|n| *n > 0),
    }
}

/// Cognito's defaults for a pool created without a password policy.
const COGNITO_MIN_PASSWORD_LENGTH: u8 = 8;
const COGNITO_TEMPORARY_PASSWORD_DAYS: u16 = 7;

fn mfa_settings(
    pool: &UserPoolType,
    config: Option<&GetUserPoolMfaConfigOutput>,
    gaps: &mut Gaps,
) -> Mfa {
    let mode = match pool.mfa_configuration() {
        Some(UserPoolMfaType::On) => MfaMode::Required,
        Some(UserPoolMfaType::Optional) => MfaMode::Optional,
        _ => return Mfa::default(),
    };
    let mut factors = Vec::new();
    let mut email_message = None;
    if let Some(config) = config {
        if config
            .software_token_mfa_configuration()
            .is_some_and(SoftwareTokenMfaConfigType::enabled)
        {
            factors.push(MfaFactor::Totp);
        }
        if let Some(email) = config.email_mfa_configuration() {
            factors.push(MfaFactor::Email);
            if let (Some(subject), Some(body)) = (email.subject(), email.message()) {
                email_message = Some(EmailMfaMessage {
                    subject: subject.to_owned(),
                    body: body.to_owned(),
                });
            }
        }
        if config.sms_mfa_configuration().is_some() {
            factors.push(MfaFactor::Sms);
        }
    }
    if factors.is_empty() {
        gaps.add(
            "MfaConfiguration",
            pool.mfa_configuration()
                .map(UserPoolMfaType::as_str)
                .unwrap_or_default(),
            "MFA is on but no factor could be read",
        );
    }
    Mfa {
        mode,
        factors,
        email_message,
    }
}

fn attributes(schema: &[SchemaAttributeType], gaps: &mut Gaps) -> Attributes {
    let mut attributes = Attributes::default();
    for attribute in schema {
        let Some(name) = attribute.name() else {
            continue;
        };
        let required = attribute.required().unwrap_or(false);
        let mutable = attribute.mutable().unwrap_or(true);
        // A developer-only attribute is `dev:custom:<name>` (the emulator writes `dev:<name>`).
        let developer_only = name.starts_with("dev:");
        let custom = name
            .strip_prefix("dev:")
            .map(|rest| rest.strip_prefix("custom:").unwrap_or(rest))
            .or_else(|| name.strip_prefix("custom:"));
        if let Some(custom) = custom {
            let kind = match attribute.attribute_data_type() {
                Some(AttributeDataType::Number) => CustomAttributeType::Number,
                Some(AttributeDataType::Boolean) => CustomAttributeType::Boolean,
                Some(AttributeDataType::Datetime) => CustomAttributeType::DateTime,
                _ => CustomAttributeType::String,
            };
            let strings = attribute.string_attribute_constraints();
            let numbers = attribute.number_attribute_constraints();
            let parse_u = |s: Option<&str>| s.and_then(|s| s.parse().ok());
            let parse_i = |s: Option<&str>| s.and_then(|s| s.parse().ok());
            attributes.custom.insert(
                custom.to_owned(),
                CustomAttribute {
                    kind,
                    mutable,
                    min_length: parse_u(strings.and_then(|s| s.min_length())),
                    max_length: parse_u(strings.and_then(|s| s.max_length())),
                    min_value: parse_i(numbers.and_then(|n| n.min_value())),
                    max_value: parse_i(numbers.and_then(|n| n.max_value())),
                    developer_only: developer_only
                        || attribute.developer_only_attribute() == Some(true),
                },
            );
        } else if STANDARD_ATTRIBUTES.contains(&name) {
            // Standard attributes left at Cognito's defaults stay out of the spec, as they
            // stay out of the template; so do lengths that are Cognito's.
            let (default_min, default_max) = standard_length_default(name);
            let strings = attribute.string_attribute_constraints();
            let length = |value: Option<&str>, default: u32| {
                value
                    .and_then(|v| v.parse::<u32>().ok())
                    .filter(|v| *v != default)
            };
            let standard = StandardAttribute {
                min_length: length(strings.and_then(|s| s.min_length()), default_min),
                max_length: length(strings.and_then(|s| s.max_length()), default_max),
                ..StandardAttribute::new(required, mutable)
            };
            if standard != StandardAttribute::new(false, true) {
                attributes.standard.insert(name.to_owned(), standard);
            }
        } else if name != "sub" && !VERIFICATION_ATTRIBUTES.contains(&name) {
            gaps.add(
                format!("Schema attribute {name}"),
                "present",
                "not a standard attribute the spec knows",
            );
        }
    }
    attributes
}

fn triggers(pool: &UserPoolType) -> Triggers {
    let mut triggers = Triggers::default();
    let Some(config) = pool.lambda_config() else {
        return triggers;
    };
    let own = |s: Option<&str>| s.filter(|s| !s.is_empty()).map(str::to_owned);
    // An existing PreSignUp function is not poolctl's: it goes in by ARN, which `check` warns
    // about (poolctl cannot see which sign-ups it verifies).
    triggers.pre_sign_up_arn = own(config.pre_sign_up());
    triggers.post_confirmation = own(config.post_confirmation());
    triggers.pre_authentication = own(config.pre_authentication());
    triggers.post_authentication = own(config.post_authentication());
    triggers.custom_message = own(config.custom_message());
    triggers.user_migration = own(config.user_migration());
    triggers.define_auth_challenge = own(config.define_auth_challenge());
    triggers.create_auth_challenge = own(config.create_auth_challenge());
    triggers.verify_auth_challenge = own(config.verify_auth_challenge_response());
    triggers.pre_token_generation = match config.pre_token_generation_config() {
        Some(c) => Some(PreTokenGeneration {
            arn: c.lambda_arn().to_owned(),
            version: match c.lambda_version().as_str() {
                "V2_0" => PreTokenVersion::V2,
                "V3_0" => PreTokenVersion::V3,
                _ => PreTokenVersion::V1,
            },
        }),
        None => own(config.pre_token_generation()).map(|arn| PreTokenGeneration {
            arn,
            version: PreTokenVersion::V1,
        }),
    };
    triggers.custom_email_sender = config
        .custom_email_sender()
        .map(|c| c.lambda_arn().to_owned());
    triggers.custom_sms_sender = config
        .custom_sms_sender()
        .map(|c| c.lambda_arn().to_owned());
    triggers.sender_kms_key = own(config.kms_key_id());
    // Like an existing PreSignUp function, an existing inbound federation function goes in
    // by ARN (its only event version is V1_0, which the template writes).
    triggers.inbound_federation_arn = config
        .inbound_federation()
        .map(|c| c.lambda_arn().to_owned())
        .filter(|arn| !arn.is_empty());
    triggers
}

/// Who creates users, and the invitation: as they are (an admin-only pool stays admin-only).
/// An empty message from the service means Cognito's default.
fn sign_up(pool: &UserPoolType) -> SignUp {
    let Some(admin) = pool.admin_create_user_config() else {
        return SignUp::default();
    };
    let own = |s: Option<&str>| s.filter(|s| !s.is_empty()).map(str::to_owned);
    let invitation = admin
        .invite_message_template()
        .map(|t| Invitation {
            email_subject: own(t.email_subject()),
            email_message: own(t.email_message()),
            sms_message: own(t.sms_message()),
        })
        .filter(|i| *i != Invitation::default());
    SignUp {
        admin_only: admin.allow_admin_create_user_only(),
        invitation,
    }
}

/// Settings of the pool the spec does not model: a gap when they differ from what a spec'd
/// pool has.
fn other_settings(pool: &UserPoolType, gaps: &mut Gaps) {
    if let Some(key) = pool
        .key_configuration()
        .filter(|k| k.key_type().is_some_and(|t| t.as_str() != "AWS_OWNED_KEY"))
    {
        gaps.add(
            "KeyConfiguration",
            format!(
                "{} {}",
                key.key_type().map_or("", |t| t.as_str()),
                key.kms_key_arn().unwrap_or_default()
            ),
            NO_FIELD,
        );
    }
    if let Some(issuer) = pool
        .issuer_configuration()
        .and_then(|i| i.r#type())
        .filter(|t| t.as_str() != "ORIGINAL")
    {
        gaps.add("IssuerConfiguration.Type", issuer.as_str(), NO_FIELD);
    }
}

pub(super) fn domain(domain: &DomainDescriptionType, gaps: &mut Gaps) -> Option<Domain> {
    let name = domain.domain().filter(|d| !d.is_empty())?;
    let managed_login = domain.managed_login_version().map(|v| {
        if v >= 2 {
            ManagedLogin::V2
        } else {
            ManagedLogin::Classic
        }
    });
    // Some answers carry an empty custom-domain configuration for a prefix domain.
    match domain
        .custom_domain_config()
        .filter(|c| !c.certificate_arn().is_empty())
    {
        Some(custom) => Some(Domain {
            prefix: None,
            custom: Some(CustomDomain {
                name: name.to_owned(),
                certificate_arn: custom.certificate_arn().to_owned(),
            }),
            managed_login,
        }),
        None if name.contains('.') => {
            gaps.add(
                "Domain",
                name,
                "a custom domain whose certificate could not be read",
            );
            None
        }
        None => Some(Domain {
            prefix: Some(name.to_owned()),
            custom: None,
            managed_login,
        }),
    }
}

/// The pool's groups, without the `<poolId>_<Provider>` groups Cognito makes for federated
/// users: those belong to the service, and a spec carrying one would create a group named
/// after the old pool. Empty strings from the service mean absent.
pub(super) fn groups(groups: &[GroupType], pool_id: &str) -> BTreeMap<String, Group> {
    let managed_prefix = format!("{pool_id}_");
    let nonempty = |s: Option<&str>| s.filter(|s| !s.is_empty()).map(str::to_owned);
    groups
        .iter()
        .filter_map(|g| {
            let name = g.group_name()?;
            if name.starts_with(&managed_prefix) {
                return None;
            }
            Some((
                name.to_owned(),
                Group {
                    description: nonempty(g.description()),
                    precedence: g.precedence().and_then(|p| u32::try_from(p).ok()),
                    role_arn: nonempty(g.role_arn()),
                },
            ))
        })
        .collect()
}

pub(super) fn resource_servers(servers: &[ResourceServerType]) -> Vec<ResourceServer> {
    servers
        .iter()
        .filter_map(|s| {
            Some(ResourceServer {
                identifier: s.identifier()?.to_owned(),
                name: s.name().unwrap_or_default().to_owned(),
                scopes: s
                    .scopes()
                    .iter()
                    .map(|scope| ResourceScope {
                        name: scope.scope_name().to_owned(),
                        description: scope.scope_description().to_owned(),
                    })
                    .collect(),
            })
        })
        .collect()
}
