//! The user pool (`AWS::Cognito::UserPool`), one piece per part of the spec. The pieces add
//! their properties in a fixed order, which is the order they have in the template.

use serde_json::{json, Map, Value};
use spec::{
    Alias, Attributes, CustomAttribute, CustomAttributeType, CustomAuthThreatMode,
    DeletionProtection, EmailSender, EmailSending, FirstFactor, MessageStyle, Mfa, MfaFactor,
    MfaMode, PasswordPolicy, Plan, PoolSpec, RecoveryMechanism, SignIn, SignUp, ThreatMode,
    UserVerification, UsernameKind, VerifiableAttribute, Verification, VerificationMessage,
    VERIFICATION_ATTRIBUTES,
};

use super::trigger::function_arn;
use super::Context;

pub(super) fn user_pool(cx: &Context) -> Value {
    let spec = cx.spec;
    let mut props = Map::new();
    props.insert(
        "UserPoolName".into(),
        json!(spec.pool_name.as_deref().unwrap_or(&spec.name)),
    );
    if let Some(plan) = spec.plan {
        props.insert("UserPoolTier".into(), json!(plan_name(plan)));
    }
    sign_in(&mut props, &spec.sign_in);
    verification(&mut props, &spec.verification);
    admin_create_user(&mut props, &spec.sign_up);
    props.insert(
        "EmailConfiguration".into(),
        email_configuration(&spec.email),
    );
    sms(&mut props, spec);
    props.insert(
        "Policies".into(),
        policies(&spec.password, &spec.sign_in.first_factors),
    );
    passkeys(&mut props, spec);
    mfa(&mut props, &spec.mfa);
    threat_protection(&mut props, spec);
    if let Some(devices) = &spec.devices {
        props.insert(
            "DeviceConfiguration".into(),
            json!({
                "ChallengeRequiredOnNewDevice": devices.challenge_required_on_new_device,
                "DeviceOnlyRememberedOnUserPrompt": devices.only_remembered_on_user_prompt,
            }),
        );
    }
    if let Some(schema) = schema(&spec.attributes) {
        props.insert("Schema".into(), schema);
    }
    if let Some(config) = lambda_config(spec) {
        props.insert("LambdaConfig".into(), config);
    }
    props.insert(
        "DeletionProtection".into(),
        json!(deletion_protection(spec.protection.deletion)),
    );
    props.insert("UserPoolTags".into(), cx.tag_map());

    let policy = if spec.protection.retain_on_delete {
        "Retain"
    } else {
        "Delete"
    };
    let mut pool = json!({
        "Type": "AWS::Cognito::UserPool",
        "DeletionPolicy": policy,
        "UpdateReplacePolicy": policy,
    });
    if spec.email_change_unkept() {
        let kept: Vec<&str> = spec
            .verification
            .keep_original_until_verified
            .iter()
            .map(|attribute| attribute.spec_name())
            .collect();
        pool["Metadata"] = spec_choice(
            "keep_original_until_verified",
            &json!(kept),
            "the spec's verification.keep_original_until_verified leaves out email: a changed address replaces the verified one before it is verified",
        );
    }
    pool["Properties"] = Value::Object(props);
    pool
}

/// A rule's one deliberate exception, chosen explicitly in the spec, in the resource's
/// `Metadata`: `poolctl: { <spec setting>: { choice, reason } }`. `check` warns about it, and
/// the Guard rule that otherwise refuses it (guard/email_verified.guard) accepts it only so.
pub(super) fn spec_choice(setting: &str, choice: &Value, reason: &str) -> Value {
    json!({ "poolctl": { setting: { "choice": choice, "reason": reason } } })
}

/// Sign-in identifiers: `UsernameAttributes` or `AliasAttributes`, and case sensitivity.
fn sign_in(props: &mut Map<String, Value>, sign_in: &SignIn) {
    match sign_in.username {
        UsernameKind::Email => {
            props.insert("UsernameAttributes".into(), json!(["email"]));
        }
        UsernameKind::Phone => {
            props.insert("UsernameAttributes".into(), json!(["phone_number"]));
        }
        UsernameKind::EmailOrPhone => {
            props.insert(
                "UsernameAttributes".into(),
                json!(["email", "phone_number"]),
            );
        }
        UsernameKind::Username => {
            if !sign_in.aliases.is_empty() {
                let aliases: Vec<&str> = sign_in
                    .aliases
                    .iter()
                    .map(|a| match a {
                        Alias::Email => "email",
                        Alias::Phone => "phone_number",
                        Alias::PreferredUsername => "preferred_username",
                    })
                    .collect();
                props.insert("AliasAttributes".into(), json!(aliases));
            }
        }
    }
    props.insert(
        "UsernameConfiguration".into(),
        json!({ "CaseSensitive": sign_in.case_sensitive }),
    );
}

/// `AdminCreateUserConfig`, only when the spec says something: a spec without `sign_up` leaves
/// Cognito's defaults (self-service sign-up, the default invitation) and its template as it was.
fn admin_create_user(props: &mut Map<String, Value>, sign_up: &SignUp) {
    if sign_up.is_default() {
        return;
    }
    let mut config = Map::new();
    config.insert("AllowAdminCreateUserOnly".into(), json!(sign_up.admin_only));
    if let Some(invitation) = &sign_up.invitation {
        let mut template = Map::new();
        for (key, text) in [
            ("EmailSubject", &invitation.email_subject),
            ("EmailMessage", &invitation.email_message),
            ("SMSMessage", &invitation.sms_message),
        ] {
            if let Some(text) = text {
                template.insert(key.into(), json!(text));
            }
        }
        config.insert("InviteMessageTemplate".into(), Value::Object(template));
    }
    props.insert("AdminCreateUserConfig".into(), Value::Object(config));
}

/// What is verified, what is kept until verified, the message, and account recovery.
fn verification(props: &mut Map<String, Value>, verification: &Verification) {
    if !verification.auto_verify.is_empty() {
        let auto: Vec<&str> = verification
            .auto_verify
            .iter()
            .copied()
            .map(VerifiableAttribute::attribute_name)
            .collect();
        props.insert("AutoVerifiedAttributes".into(), json!(auto));
    }
    if !verification.keep_original_until_verified.is_empty() {
        let keep: Vec<&str> = verification
            .keep_original_until_verified
            .iter()
            .copied()
            .map(VerifiableAttribute::attribute_name)
            .collect();
        props.insert(
            "UserAttributeUpdateSettings".into(),
            json!({ "AttributesRequireVerificationBeforeUpdate": keep }),
        );
    }
    // Cognito's own message is no template at all (an SMS message may still add one).
    if let Some(message) = verification.message.message() {
        props.insert(
            "VerificationMessageTemplate".into(),
            verification_message(message),
        );
    }
    if let Some(recovery) = account_recovery(&verification.account_recovery) {
        props.insert("AccountRecoverySetting".into(), recovery);
    }
}

/// The verification email: the option Cognito sends, its message, and the other style's
/// message when the spec keeps one.
fn verification_message(message: &VerificationMessage) -> Value {
    let (option, code, link) = match message.style {
        MessageStyle::Code => (
            "CONFIRM_WITH_CODE",
            Some((&message.subject, &message.body)),
            message.other_style.as_ref().map(|o| (&o.subject, &o.body)),
        ),
        MessageStyle::Link => (
            "CONFIRM_WITH_LINK",
            message.other_style.as_ref().map(|o| (&o.subject, &o.body)),
            Some((&message.subject, &message.body)),
        ),
    };
    let mut template = Map::new();
    template.insert("DefaultEmailOption".into(), json!(option));
    if let Some((subject, body)) = code {
        template.insert("EmailMessage".into(), json!(body));
        template.insert("EmailSubject".into(), json!(subject));
    }
    if let Some((subject, body)) = link {
        template.insert("EmailMessageByLink".into(), json!(body));
        template.insert("EmailSubjectByLink".into(), json!(subject));
    }
    Value::Object(template)
}

/// SMS sending and the SMS messages. The verification SMS goes in the
/// `VerificationMessageTemplate` (which Cognito reads) and in `SmsVerificationMessage` (its older
/// name, which Cognito keeps equal to it), as the AWS CDK writes them.
fn sms(props: &mut Map<String, Value>, spec: &PoolSpec) {
    let Some(sms) = &spec.sms else {
        return;
    };
    if let Some(message) = &sms.verification_message {
        if let Some(template) = props
            .entry("VerificationMessageTemplate")
            .or_insert_with(|| json!({}))
            .as_object_mut()
        {
            template.insert("SmsMessage".into(), json!(message));
        }
        props.insert("SmsVerificationMessage".into(), json!(message));
    }
    if let Some(message) = &sms.authentication_message {
        props.insert("SmsAuthenticationMessage".into(), json!(message));
    }
    if let Some(config) = super::sms::sms_configuration(sms) {
        props.insert("SmsConfiguration".into(), config);
    }
}

/// The recovery mechanisms, prioritised in spec order; `None` when there are none, or for
/// Cognito's legacy order, which is the property left out.
fn account_recovery(mechanisms: &[RecoveryMechanism]) -> Option<Value> {
    let names: Option<Vec<&str>> = mechanisms
        .iter()
        .map(|m| match m {
            RecoveryMechanism::VerifiedEmail => Some("verified_email"),
            RecoveryMechanism::VerifiedPhone => Some("verified_phone_number"),
            RecoveryMechanism::AdminOnly => Some("admin_only"),
            RecoveryMechanism::Legacy => None,
        })
        .collect();
    let mechanisms: Vec<Value> = names?
        .into_iter()
        .enumerate()
        .map(|(i, name)| json!({ "Name": name, "Priority": i + 1 }))
        .collect();
    (!mechanisms.is_empty()).then(|| json!({ "RecoveryMechanisms": mechanisms }))
}

fn email_configuration(email: &EmailSending) -> Value {
    match (email.sending, &email.ses) {
        (EmailSender::Ses, Some(ses)) => {
            let mut config = Map::new();
            config.insert("EmailSendingAccount".into(), json!("DEVELOPER"));
            config.insert("SourceArn".into(), json!(ses.source_arn));
            config.insert("From".into(), json!(ses.from));
            if let Some(reply_to) = &ses.reply_to {
                config.insert("ReplyToEmailAddress".into(), json!(reply_to));
            }
            if let Some(set) = &ses.configuration_set {
                config.insert("ConfigurationSet".into(), json!(set));
            }
            Value::Object(config)
        }
        // `ses` without settings does not pass validation; Cognito's sender is the safe reading.
        _ => json!({ "EmailSendingAccount": "COGNITO_DEFAULT" }),
    }
}

fn policies(password: &PasswordPolicy, first_factors: &[FirstFactor]) -> Value {
    let mut password_policy = json!({
        "MinimumLength": password.min_length,
        "RequireLowercase": password.require_lowercase,
        "RequireUppercase": password.require_uppercase,
        "RequireNumbers": password.require_numbers,
        "RequireSymbols": password.require_symbols,
        "TemporaryPasswordValidityDays": password.temporary_password_validity_days,
    });
    if let Some(size) = password.history_size {
        password_policy["PasswordHistorySize"] = json!(size);
    }
    let mut policies = json!({ "PasswordPolicy": password_policy });
    if !first_factors.is_empty() {
        let factors: Vec<&str> = first_factors
            .iter()
            .map(|f| match f {
                FirstFactor::Password => "PASSWORD",
                FirstFactor::EmailOtp => "EMAIL_OTP",
                FirstFactor::SmsOtp => "SMS_OTP",
                FirstFactor::Passkey => "WEB_AUTHN",
            })
            .collect();
        policies["SignInPolicy"] = json!({ "AllowedFirstAuthFactors": factors });
    }
    policies
}

/// CloudFormation's `UserPoolTier`.
fn plan_name(plan: Plan) -> &'static str {
    match plan {
        Plan::Lite => "LITE",
        Plan::Essentials => "ESSENTIALS",
        Plan::Plus => "PLUS",
    }
}

/// The passkey relying party and user verification.
fn passkeys(props: &mut Map<String, Value>, spec: &PoolSpec) {
    let Some(passkeys) = &spec.passkeys else {
        return;
    };
    props.insert(
        "WebAuthnRelyingPartyID".into(),
        json!(passkeys.relying_party_id),
    );
    let verification = match passkeys.user_verification {
        UserVerification::Preferred => "preferred",
        UserVerification::Required => "required",
    };
    props.insert("WebAuthnUserVerification".into(), json!(verification));
}

/// Threat protection (`UserPoolAddOns`).
fn threat_protection(props: &mut Map<String, Value>, spec: &PoolSpec) {
    let Some(threat) = &spec.threat_protection else {
        return;
    };
    let mode = match threat.mode {
        ThreatMode::Off => "OFF",
        ThreatMode::Audit => "AUDIT",
        ThreatMode::Enforced => "ENFORCED",
    };
    let mut add_ons = json!({ "AdvancedSecurityMode": mode });
    if let Some(custom) = threat.custom_auth {
        let custom = match custom {
            CustomAuthThreatMode::Audit => "AUDIT",
            CustomAuthThreatMode::Enforced => "ENFORCED",
        };
        add_ons["AdvancedSecurityAdditionalFlows"] = json!({ "CustomAuthMode": custom });
    }
    props.insert("UserPoolAddOns".into(), add_ons);
}

/// `LambdaConfig`: poolctl's PreSignUp function (also as the inbound federation trigger, when
/// the spec asks), and every trigger given by ARN.
fn lambda_config(spec: &PoolSpec) -> Option<Value> {
    let triggers = &spec.triggers;
    let mut config = Map::new();
    if spec.has_pre_sign_up_trigger() {
        config.insert("PreSignUp".into(), function_arn());
    }
    if spec.has_inbound_federation_trigger() {
        // The same `!Sub` ARN: no dependency on the function, so no cycle; the function's one
        // permission (scoped to this pool and account) lets Cognito invoke it for either.
        config.insert(
            "InboundFederation".into(),
            json!({ "LambdaArn": function_arn(), "LambdaVersion": INBOUND_FEDERATION_VERSION }),
        );
    }
    for trigger in triggers.by_arn() {
        match trigger.name {
            "PreTokenGeneration" => {
                let version = triggers
                    .pre_token_generation
                    .as_ref()
                    .map_or("V1_0", |p| p.version.lambda_version());
                config.insert(
                    "PreTokenGenerationConfig".into(),
                    json!({ "LambdaArn": trigger.arn, "LambdaVersion": version }),
                );
            }
            "InboundFederation" => {
                config.insert(
                    trigger.name.into(),
                    json!({ "LambdaArn": trigger.arn, "LambdaVersion": INBOUND_FEDERATION_VERSION }),
                );
            }
            "CustomEmailSender" | "CustomSMSSender" => {
                config.insert(
                    trigger.name.into(),
                    json!({ "LambdaArn": trigger.arn, "LambdaVersion": "V1_0" }),
                );
            }
            name => {
                config.insert(name.into(), json!(trigger.arn));
            }
        }
    }
    if let Some(key) = &triggers.sender_kms_key {
        config.insert("KMSKeyID".into(), json!(key));
    }
    (!config.is_empty()).then_some(Value::Object(config))
}

/// The inbound federation event version: Cognito accepts `V1_0` only.
const INBOUND_FEDERATION_VERSION: &str = "V1_0";

/// `MfaConfiguration`, the factors, and the email MFA message.
fn mfa(props: &mut Map<String, Value>, mfa: &Mfa) {
    let configuration = match mfa.mode {
        MfaMode::Off => "OFF",
        MfaMode::Optional => "OPTIONAL",
        MfaMode::Required => "ON",
    };
    props.insert("MfaConfiguration".into(), json!(configuration));
    if mfa.mode == MfaMode::Off {
        return;
    }
    let factors: Vec<&str> = mfa
        .factors
        .iter()
        .map(|f| match f {
            MfaFactor::Totp => "SOFTWARE_TOKEN_MFA",
            MfaFactor::Email => "EMAIL_OTP",
            MfaFactor::Sms => "SMS_MFA",
        })
        .collect();
    props.insert("EnabledMfas".into(), json!(factors));
    if let Some(message) = &mfa.email_message {
        if mfa.factors.contains(&MfaFactor::Email) {
            props.insert("EmailAuthenticationMessage".into(), json!(message.body));
            props.insert("EmailAuthenticationSubject".into(), json!(message.subject));
        }
    }
}

/// The pool's `Schema`: the configured standard attributes, then the custom ones; `None`
/// when there are none. The verification flags are not schema attributes: never listed.
fn schema(attributes: &Attributes) -> Option<Value> {
    let mut schema = Vec::new();
    for (name, attribute) in &attributes.standard {
        if VERIFICATION_ATTRIBUTES.contains(&name.as_str()) {
            continue;
        }
        let mut entry =
            json!({ "Name": name, "Required": attribute.required, "Mutable": attribute.mutable });
        if let Some(lengths) = string_constraints(attribute.min_length, attribute.max_length) {
            entry["AttributeDataType"] = json!("String");
            entry["StringAttributeConstraints"] = lengths;
        }
        schema.push(entry);
    }
    for (name, attribute) in &attributes.custom {
        schema.push(custom_attribute(name, attribute));
    }
    (!schema.is_empty()).then_some(Value::Array(schema))
}

fn custom_attribute(name: &str, attribute: &CustomAttribute) -> Value {
    let mut entry = Map::new();
    entry.insert("Name".into(), json!(name));
    let data_type = match attribute.kind {
        CustomAttributeType::String => "String",
        CustomAttributeType::Number => "Number",
        CustomAttributeType::Boolean => "Boolean",
        CustomAttributeType::DateTime => "DateTime",
    };
    entry.insert("AttributeDataType".into(), json!(data_type));
    entry.insert("Mutable".into(), json!(attribute.mutable));
    if attribute.developer_only {
        entry.insert("DeveloperOnlyAttribute".into(), json!(true));
    }
    match attribute.kind {
        CustomAttributeType::String => {
            if let Some(c) = string_constraints(attribute.min_length, attribute.max_length) {
                entry.insert("StringAttributeConstraints".into(), c);
            }
        }
        CustomAttributeType::Number
            if attribute.min_value.is_some() || attribute.max_value.is_some() =>
        {
            let mut c = Map::new();
            if let Some(min) = attribute.min_value {
                c.insert("MinValue".into(), json!(min.to_string()));
            }
            if let Some(max) = attribute.max_value {
                c.insert("MaxValue".into(), json!(max.to_string()));
            }
            entry.insert("NumberAttributeConstraints".into(), Value::Object(c));
        }
        _ => {}
    }
    Value::Object(entry)
}

/// `StringAttributeConstraints` for the lengths given, `None` when there are none. The
/// values are strings in the CloudFormation schema.
fn string_constraints(min_length: Option<u32>, max_length: Option<u32>) -> Option<Value> {
    let mut c = Map::new();
    if let Some(min) = min_length {
        c.insert("MinLength".into(), json!(min.to_string()));
    }
    if let Some(max) = max_length {
        c.insert("MaxLength".into(), json!(max.to_string()));
    }
    (!c.is_empty()).then_some(Value::Object(c))
}

/// Cognito's own deletion protection; the stack's retain policy is set on the resource.
fn deletion_protection(deletion: DeletionProtection) -> &'static str {
    match deletion {
        DeletionProtection::Active => "ACTIVE",
        DeletionProtection::Inactive => "INACTIVE",
    }
}
