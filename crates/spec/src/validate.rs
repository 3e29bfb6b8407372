//! Validation of a deserialized spec: everything CloudFormation or Cognito would reject later
//! (minutes into a deploy), everything that would silently strand users with
//! `email_verified = false`, and warnings for the pitfalls that are legal but rarely meant.
//!
//! Every finding names a spec path (located in the file by [`crate::locate`]), says what is
//! wrong, and says how to fix it. All findings are collected, not just the first.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostic::Severity;
use crate::locate::child_path;
use crate::model::*;

/// One validation finding, by spec path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    pub path: String,
    pub message: String,
    pub help: String,
    /// Point at the key rather than the value (the key itself is what is wrong).
    pub at_key: bool,
}

/// Validate a spec; the findings come in rule order (the loader sorts them by position).
pub fn validate(spec: &PoolSpec) -> Vec<Finding> {
    let mut checker = Checker {
        spec,
        findings: Vec::new(),
    };
    checker.name();
    checker.sign_in();
    checker.email();
    checker.verification();
    checker.password();
    checker.attributes();
    checker.identity_providers();
    checker.clients();
    checker.domain();
    checker.triggers();
    checker.tags();
    checker.findings
}

struct Checker<'a> {
    spec: &'a PoolSpec,
    findings: Vec<Finding>,
}

/// Cognito's reserved provider name for the pool's own sign-in.
const COGNITO: &str = COGNITO_PROVIDER;

/// CloudWatch Logs' allowed retention periods, in days.
const LOG_RETENTION_DAYS: &[u16] = &[
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
    3288, 3653,
];

/// Scopes Cognito defines itself; anything else must be a resource-server scope `server/scope`.
const BUILT_IN_SCOPES: &[&str] = &[
    "openid",
    "email",
    "phone",
    "profile",
    "aws.cognito.signin.user.admin",
];

impl Checker<'_> {
    fn push(
        &mut self,
        severity: Severity,
        path: String,
        message: String,
        help: String,
        at_key: bool,
    ) {
        self.findings.push(Finding {
            severity,
            path,
            message,
            help,
            at_key,
        });
    }

    fn error(
        &mut self,
        path: impl Into<String>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.push(
            Severity::Error,
            path.into(),
            message.into(),
            help.into(),
            false,
        );
    }

    fn error_at_key(
        &mut self,
        path: impl Into<String>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.push(
            Severity::Error,
            path.into(),
            message.into(),
            help.into(),
            true,
        );
    }

    fn warning(
        &mut self,
        path: impl Into<String>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.push(
            Severity::Warning,
            path.into(),
            message.into(),
            help.into(),
            false,
        );
    }

    // ---------------------------------------------------------------- name

    fn name(&mut self) {
        let name = &self.spec.name;
        let valid = (1..=64).contains(&name.len())
            && name.starts_with(|c: char| c.is_ascii_lowercase())
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !name.ends_with('-');
        if !valid {
            self.error(
                "name",
                format!("pool name {name:?} is not valid: it names the stack (`poolctl-<name>`) and resources"),
                "use 1 to 64 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen, e.g. `acme-users`",
            );
        }
    }

    // ---------------------------------------------------------------- sign-in

    fn sign_in(&mut self) {
        let sign_in = &self.spec.sign_in;
        if sign_in.username != UsernameKind::Username && !sign_in.aliases.is_empty() {
            self.error(
                "sign_in.aliases",
                format!(
                    "aliases are only possible with `username: username`, not `username: {}`",
                    username_kind_name(sign_in.username)
                ),
                "remove `aliases`, or set `username: username` to let users sign in with a chosen username plus these aliases",
            );
        }
        let mut seen = BTreeSet::new();
        for (i, alias) in sign_in.aliases.iter().enumerate() {
            if !seen.insert(*alias) {
                self.error(
                    format!("sign_in.aliases[{i}]"),
                    "this alias is listed twice",
                    "remove the duplicate",
                );
            }
        }
        let email_alias = sign_in.aliases.contains(&Alias::Email);
        if email_alias && sign_in.duplicate_email.is_none() {
            self.warning(
                "sign_in.duplicate_email",
                "email is an alias but no duplicate-email policy is stated: when a second account confirms the same address, Cognito either refuses it (AliasExistsException) or moves the alias and unverifies the first account's email",
                "add `duplicate_email: reject` (the first account keeps the address) or `duplicate_email: move_alias`",
            );
        }
        if sign_in.duplicate_email.is_some() && !email_alias {
            self.warning(
                "sign_in.duplicate_email",
                "`duplicate_email` has no effect: email is not an alias",
                "remove `duplicate_email`, or add `email` to `aliases`",
            );
        }
        let phone_identifies = matches!(
            sign_in.username,
            UsernameKind::Phone | UsernameKind::EmailOrPhone
        ) || sign_in.aliases.contains(&Alias::Phone);
        if phone_identifies {
            let path = if sign_in.aliases.contains(&Alias::Phone) {
                "sign_in.aliases"
            } else {
                "sign_in.username"
            };
            self.warning(
                path,
                "users sign in with a phone number, but phone numbers are never verified here (poolctl does not configure SMS sending): they cannot confirm or recover their account by phone",
                "sign in with email (`username: email`), or confirm phone users from a trusted backend",
            );
        }
        let email_identifies = matches!(
            sign_in.username,
            UsernameKind::Email | UsernameKind::EmailOrPhone
        ) || email_alias;
        if email_identifies && sign_in.case_sensitive {
            self.warning(
                "sign_in.case_sensitive",
                "case-sensitive sign-in with email: `Ann@example.com` and `ann@example.com` become two different users",
                "set `case_sensitive: false` (it cannot be changed once the pool is deployed)",
            );
        }
    }

    // ---------------------------------------------------------------- email sending

    fn email(&mut self) {
        let email = &self.spec.email;
        match (email.sending, &email.ses) {
            (EmailSender::Ses, None) => self.error(
                "email.ses",
                "`sending: ses` needs the SES settings",
                "add `ses: { source_arn: arn:aws:ses:<region>:<account>:identity/<identity>, from: \"Name <no-reply@example.com>\" }`",
            ),
            (EmailSender::Cognito, Some(_)) => self.error(
                "email.ses",
                "SES settings are given but `sending` is `cognito`, so they would be ignored",
                "set `sending: ses`, or remove `ses`",
            ),
            (EmailSender::Ses, Some(ses)) => {
                if !is_ses_identity_arn(&ses.source_arn) {
                    self.error(
                        "email.ses.source_arn",
                        format!("{:?} is not an SES identity ARN", ses.source_arn),
                        "write `arn:aws:ses:<region>:<12-digit account>:identity/<domain or address>`",
                    );
                }
                if !looks_like_address(&ses.from) {
                    self.error(
                        "email.ses.from",
                        format!("{:?} has no email address", ses.from),
                        "write an address, optionally with a display name: `Acme <no-reply@acme.example>`",
                    );
                }
                if let Some(reply_to) = &ses.reply_to {
                    if !looks_like_address(reply_to) {
                        self.error(
                            "email.ses.reply_to",
                            format!("{reply_to:?} is not an email address"),
                            "write an address such as `support@acme.example`",
                        );
                    }
                }
            }
            (EmailSender::Cognito, None) => {}
        }
    }

    // ---------------------------------------------------------------- verification

    fn verification(&mut self) {
        let v = &self.spec.verification;
        let mut seen = BTreeSet::new();
        for (i, attribute) in v.auto_verify.iter().enumerate() {
            if !seen.insert(*attribute) {
                self.error(
                    format!("verification.auto_verify[{i}]"),
                    "listed twice",
                    "remove the duplicate",
                );
            }
            if *attribute == VerifiableAttribute::Phone {
                self.error(
                    format!("verification.auto_verify[{i}]"),
                    "phone verification sends SMS, and poolctl does not configure SMS sending (an SNS role) for the pool",
                    "remove `phone` from verification.auto_verify",
                );
            }
        }
        for (i, attribute) in v.keep_original_until_verified.iter().enumerate() {
            if !v.auto_verify.contains(attribute) {
                let name = verifiable_name(*attribute);
                self.error(
                    format!("verification.keep_original_until_verified[{i}]"),
                    format!(
                        "`{name}` is kept until verified but is not auto-verified; CloudFormation rejects this (AttributesRequireVerificationBeforeUpdate must be a subset of AutoVerifiedAttributes)"
                    ),
                    format!(
                        "add `{name}` to verification.auto_verify, or remove it from verification.keep_original_until_verified"
                    ),
                );
            }
        }
        let email_mutable = self.standard_mutable("email");
        if v.auto_verify.contains(&VerifiableAttribute::Email)
            && email_mutable
            && !v
                .keep_original_until_verified
                .contains(&VerifiableAttribute::Email)
        {
            self.warning(
                "verification.keep_original_until_verified",
                "email can change but the old address is not kept until the new one is verified: a user who changes their email (or mistypes it) is left with an unverified address and cannot reset their password",
                "add `email` to verification.keep_original_until_verified",
            );
        }

        // The message.
        let message = &v.message;
        match message.style {
            MessageStyle::Code if !message.body.contains("{####}") => self.error(
                "verification.message.body",
                "a code verification message must contain the code placeholder `{####}`; Cognito rejects the pool otherwise",
                "put `{####}` in the body, e.g. \"Your verification code is {####}\"",
            ),
            MessageStyle::Link if !has_link_placeholder(&message.body) => self.error(
                "verification.message.body",
                "a link verification message must contain a link placeholder `{##...##}`; Cognito rejects the pool otherwise",
                "put the link text between `{##` and `##}` in the body, e.g. \"{##Verify your email##}\"",
            ),
            _ => {}
        }
        if message.style == MessageStyle::Link && self.spec.domain.is_none() {
            self.warning(
                "verification.message.style",
                "verification links point at the pool's hosted domain, and this pool has no `domain`",
                "add a `domain`, or use `style: code`",
            );
        }
        if message.subject.trim().is_empty() || message.subject.chars().count() > 140 {
            self.error(
                "verification.message.subject",
                "the subject must have 1 to 140 characters",
                "write a short subject such as \"Your verification code\"",
            );
        }
        if message.body.chars().count() > 20_000 {
            self.error(
                "verification.message.body",
                "the body is longer than 20000 characters",
                "shorten it",
            );
        }

        // Account recovery.
        let recovery = &v.account_recovery;
        if recovery.is_empty() {
            self.error(
                "verification.account_recovery",
                "no account recovery mechanism: users who forget their password are locked out",
                "use `[verified_email]`, or `[admin_only]` if only administrators may recover accounts",
            );
        }
        if recovery.contains(&RecoveryMechanism::AdminOnly) && recovery.len() > 1 {
            self.error(
                "verification.account_recovery",
                "`admin_only` excludes the other recovery mechanisms",
                "use `[admin_only]` alone, or remove it",
            );
        }
        if recovery.len() > 2 {
            self.error(
                "verification.account_recovery",
                "Cognito allows at most two recovery mechanisms",
                "keep two",
            );
        }
        let mut seen = Vec::new();
        for (i, mechanism) in recovery.iter().enumerate() {
            let path = format!("verification.account_recovery[{i}]");
            if seen.contains(mechanism) {
                self.error(&path, "listed twice", "remove the duplicate");
            }
            seen.push(*mechanism);
            if *mechanism == RecoveryMechanism::VerifiedPhone
                && !v.auto_verify.contains(&VerifiableAttribute::Phone)
            {
                self.error(
                    path,
                    "recovery by verified phone, but phone numbers are never verified in this pool",
                    "use `verified_email`",
                );
            } else if *mechanism == RecoveryMechanism::VerifiedEmail
                && !v.auto_verify.contains(&VerifiableAttribute::Email)
            {
                self.warning(
                    path,
                    "recovery by verified email, but email is not auto-verified: users who sign themselves up never get a verified address and cannot reset their password",
                    "add `email` to verification.auto_verify",
                );
            }
        }
    }

    // ---------------------------------------------------------------- password

    fn password(&mut self) {
        let p = &self.spec.password;
        if !(6..=99).contains(&p.min_length) {
            self.error(
                "password.min_length",
                format!(
                    "minimum password length {} is outside Cognito's range 6 to 99",
                    p.min_length
                ),
                "use a value from 6 to 99; 12 or more is recommended",
            );
        }
        if p.temporary_password_validity_days > 365 {
            self.error(
                "password.temporary_password_validity_days",
                format!(
                    "{} days is more than Cognito's maximum of 365",
                    p.temporary_password_validity_days
                ),
                "use a value from 0 to 365",
            );
        }
    }

    // ---------------------------------------------------------------- attributes

    fn standard_mutable(&self, name: &str) -> bool {
        self.spec
            .attributes
            .standard
            .get(name)
            .is_none_or(|a| a.mutable)
    }

    fn attributes(&mut self) {
        for name in self.spec.attributes.standard.keys() {
            let path = child_path("attributes.standard", name);
            if VERIFICATION_ATTRIBUTES.contains(&name.as_str()) {
                self.error_at_key(
                    path,
                    format!("`{name}` is not a schema attribute: Cognito manages it and rejects a pool schema that declares it"),
                    format!("remove `{name}` from attributes.standard; to set it from a provider, use the provider's `email_verified` setting"),
                );
            } else if !STANDARD_ATTRIBUTES.contains(&name.as_str()) {
                let help = if name.starts_with("custom:") {
                    format!(
                        "declare it under attributes.custom as `{}`",
                        name.trim_start_matches("custom:")
                    )
                } else {
                    format!(
                        "use one of {}, or declare a custom attribute under attributes.custom",
                        STANDARD_ATTRIBUTES.join(", ")
                    )
                };
                self.error_at_key(path, format!("`{name}` is not a standard attribute"), help);
            }
        }
        for (name, attribute) in &self.spec.attributes.custom {
            let path = child_path("attributes.custom", name);
            if let Some(bare) = name.strip_prefix("custom:") {
                self.error_at_key(
                    &path,
                    "custom attribute names are written without the `custom:` prefix",
                    format!("write `{bare}`; clients and mappings refer to it as `custom:{bare}`"),
                );
            } else if !(1..=20).contains(&name.len())
                || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            {
                self.error_at_key(
                    &path,
                    format!("custom attribute name {name:?} is not valid"),
                    "use 1 to 20 letters, digits and underscores",
                );
            }
            let is_string = attribute.kind == CustomAttributeType::String;
            let is_number = attribute.kind == CustomAttributeType::Number;
            if !is_string && (attribute.min_length.is_some() || attribute.max_length.is_some()) {
                self.error(
                    format!(
                        "{path}.{}",
                        if attribute.min_length.is_some() {
                            "min_length"
                        } else {
                            "max_length"
                        }
                    ),
                    "length constraints apply to string attributes only",
                    "remove `min_length`/`max_length`, or make the attribute `type: string`",
                );
            }
            if !is_number && (attribute.min_value.is_some() || attribute.max_value.is_some()) {
                self.error(
                    format!(
                        "{path}.{}",
                        if attribute.min_value.is_some() {
                            "min_value"
                        } else {
                            "max_value"
                        }
                    ),
                    "value constraints apply to number attributes only",
                    "remove `min_value`/`max_value`, or make the attribute `type: number`",
                );
            }
            if let Some(max) = attribute.max_length {
                if max > 2048 {
                    self.error(
                        format!("{path}.max_length"),
                        format!("max_length {max} is more than Cognito's limit of 2048"),
                        "use a value up to 2048",
                    );
                }
            }
            if let (Some(min), Some(max)) = (attribute.min_length, attribute.max_length) {
                if min > max {
                    self.error(
                        format!("{path}.min_length"),
                        format!("min_length {min} exceeds max_length {max}"),
                        "make min_length <= max_length",
                    );
                }
            }
            if let (Some(min), Some(max)) = (attribute.min_value, attribute.max_value) {
                if min > max {
                    self.error(
                        format!("{path}.min_value"),
                        format!("min_value {min} exceeds max_value {max}"),
                        "make min_value <= max_value",
                    );
                }
            }
        }
    }

    /// Whether `attribute` (as clients and mappings write it) exists in this pool.
    fn attribute_exists(&self, attribute: &str) -> bool {
        match attribute.strip_prefix("custom:") {
            Some(custom) => self.spec.attributes.custom.contains_key(custom),
            None => STANDARD_ATTRIBUTES.contains(&attribute),
        }
    }

    /// Whether `attribute` can change after sign-up (`Mutable`).
    fn attribute_mutable(&self, attribute: &str) -> bool {
        match attribute.strip_prefix("custom:") {
            Some(custom) => self
                .spec
                .attributes
                .custom
                .get(custom)
                .is_none_or(|a| a.mutable),
            None => self.standard_mutable(attribute),
        }
    }

    /// The spec path at which an attribute's mutability is decided.
    fn mutability_path(attribute: &str) -> String {
        match attribute.strip_prefix("custom:") {
            Some(custom) => format!("{}.mutable", child_path("attributes.custom", custom)),
            None => format!("{}.mutable", child_path("attributes.standard", attribute)),
        }
    }

    // ---------------------------------------------------------------- identity providers

    fn identity_providers(&mut self) {
        let policy = self.spec.triggers.pre_sign_up.as_ref();
        let mut names: BTreeMap<String, usize> = BTreeMap::new();
        for (i, provider) in self.spec.identity_providers.iter().enumerate() {
            let base = format!("identity_providers[{i}]");
            let name = provider.name.as_str();

            // Name rules.
            if let Some(required) = required_social_name(&provider.kind) {
                if name != required {
                    self.error(
                        format!("{base}.name"),
                        format!("a {} provider must be named `{required}`; Cognito refuses any other name for this kind", kind_label(&provider.kind)),
                        format!("set `name: {required}` (and use that name in clients and the trigger)"),
                    );
                }
            } else if name.eq_ignore_ascii_case(COGNITO) {
                self.error(
                    format!("{base}.name"),
                    "`COGNITO` is the pool's own sign-in, not a provider name",
                    "choose another name, e.g. `Corp`",
                );
            } else if name.is_empty()
                || name.chars().count() > 32
                || name.contains('_')
                || name.chars().any(char::is_whitespace)
            {
                self.error(
                    format!("{base}.name"),
                    format!("provider name {name:?} is not valid: 1 to 32 characters, no underscore (Cognito names federated users `<provider>_<id>`) and no spaces"),
                    "use letters, digits and hyphens, e.g. `Corp` or `Okta-Staff`",
                );
            }
            if let Some(first) = names.insert(name.to_ascii_lowercase(), i) {
                self.error(
                    format!("{base}.name"),
                    format!("provider name `{name}` is already used by identity_providers[{first}]"),
                    "give each provider a distinct name (names are compared without regard to case)",
                );
            }

            // Kind-specific settings.
            match &provider.kind {
                ProviderKind::Google { client_secret, .. }
                | ProviderKind::Facebook { client_secret, .. }
                | ProviderKind::Amazon { client_secret, .. } => self.secret(&format!("{base}.client_secret"), client_secret),
                ProviderKind::Oidc { issuer, client_secret, .. } => {
                    self.secret(&format!("{base}.client_secret"), client_secret);
                    if !issuer.starts_with("https://") || issuer.len() <= "https://".len() {
                        self.error(format!("{base}.issuer"), format!("issuer {issuer:?} is not an https URL"), "write the issuer URL as the provider publishes it, e.g. `https://login.example.com`");
                    }
                }
                ProviderKind::Apple { private_key, .. } => self.secret(&format!("{base}.private_key"), private_key),
                ProviderKind::Saml { metadata_url, metadata_file, .. } => match (metadata_url, metadata_file) {
                    (None, None) | (Some(_), Some(_)) => self.error(
                        base.clone(),
                        "a SAML provider needs exactly one of `metadata_url` and `metadata_file`",
                        "keep `metadata_url: https://...` (preferred: Cognito refreshes it) or `metadata_file`",
                    ),
                    (Some(url), None) if !url.starts_with("https://") => self.error(
                        format!("{base}.metadata_url"),
                        format!("metadata URL {url:?} is not https"),
                        "use the IdP's https metadata URL",
                    ),
                    _ => {}
                },
            }

            self.email_verified_policy(i, provider, policy);
            self.attribute_mapping(i, provider);
        }
    }

    fn secret(&mut self, path: &str, value: &str) {
        if !is_dynamic_reference(value) {
            self.error(
                path,
                "a secret written in the spec ends up in the template and the stack: secrets must be CloudFormation dynamic references",
                "store it in Secrets Manager and write `{{resolve:secretsmanager:<secret-id>:SecretString:<json-key>}}` (or `{{resolve:ssm-secure:<parameter>}}`)",
            );
        }
    }

    fn email_verified_policy(
        &mut self,
        i: usize,
        provider: &IdentityProvider,
        policy: Option<&PreSignUpPolicy>,
    ) {
        let base = format!("identity_providers[{i}]");
        let path = format!("{base}.email_verified");
        let name = &provider.name;
        let label = kind_label(&provider.kind);
        let no_claim = matches!(
            provider.kind,
            ProviderKind::Facebook { .. } | ProviderKind::Amazon { .. }
        );
        let is_saml = matches!(provider.kind, ProviderKind::Saml { .. });
        match &provider.email_verified {
            None if !provider.kind.sends_email_verified() => {
                let claim_option = if is_saml {
                    "`email_verified: { claim: <SAML attribute> }` if the IdP asserts verification, "
                } else {
                    ""
                };
                self.error(
                    path,
                    format!("{label} sends no email_verified claim, so `{name}` must state how its users' email gets verified; without it every user from `{name}` has an unverified email and cannot reset a password or sign in by email"),
                    format!("add {claim_option}`email_verified: trigger` (and list `{name}` in triggers.pre_sign_up.vouched_providers) if you vouch for its addresses, or `email_verified: unverified` to let users verify by code"),
                );
            }
            Some(EmailVerifiedPolicy::Claim | EmailVerifiedPolicy::ClaimNamed(_)) if no_claim => self.error(
                path,
                format!("{label} sends no claim that asserts email verification; mapping one would always set email_verified to false"),
                format!("use `email_verified: trigger` (with `{name}` in triggers.pre_sign_up.vouched_providers) or `email_verified: unverified`"),
            ),
            Some(EmailVerifiedPolicy::Claim) if is_saml => self.warning(
                path,
                format!("`claim` maps a SAML attribute named exactly `email_verified`; `{name}` verifies nobody unless the IdP asserts that attribute"),
                "if the IdP asserts verification under another name, write `email_verified: { claim: <SAML attribute> }`",
            ),
            Some(EmailVerifiedPolicy::Trigger) => {
                let listed = policy.is_some_and(|p| p.trusted_providers.contains(name) || p.vouched_providers.contains(name));
                if !listed {
                    self.error(
                        path,
                        format!("`email_verified: trigger` leaves verification to the PreSignUp trigger, but `{name}` is not in triggers.pre_sign_up.trusted_providers or vouched_providers, so its users are never verified"),
                        format!("add `{name}` to triggers.pre_sign_up.vouched_providers (every address it sends is trusted), or use `email_verified: unverified`"),
                    );
                }
                if provider.kind.sends_email_verified() {
                    self.unmapped_claim_warning(&base, provider);
                }
            }
            Some(EmailVerifiedPolicy::Unverified) if provider.kind.sends_email_verified() => {
                self.unmapped_claim_warning(&base, provider)
            }
            _ => {}
        }
    }

    fn unmapped_claim_warning(&mut self, base: &str, provider: &IdentityProvider) {
        self.warning(
            format!("{base}.email_verified"),
            format!(
                "{} sends email_verified, but `{}` maps email without it: its users' email is unverified after every sign-in (mappings are re-applied each time)",
                kind_label(&provider.kind),
                provider.name
            ),
            "remove `email_verified` to map the provider's claim (the default), unless unverified is deliberate",
        );
    }

    fn attribute_mapping(&mut self, i: usize, provider: &IdentityProvider) {
        let base = format!("identity_providers[{i}].attribute_mapping");
        for attribute in provider.attribute_mapping.keys() {
            let path = child_path(&base, attribute);
            if VERIFICATION_ATTRIBUTES.contains(&attribute.as_str()) {
                self.error_at_key(
                    path,
                    format!("`{attribute}` is set by the provider's `email_verified` policy, not by attribute_mapping"),
                    "remove it here and write `email_verified: claim` or `email_verified: { claim: <provider attribute> }` on the provider",
                );
            } else if attribute == "username" {
                // Cognito accepts a mapping to the username (e.g. `username: sub`); not an attribute.
            } else if !self.attribute_exists(attribute) {
                let help = match attribute.strip_prefix("custom:") {
                    Some(custom) => {
                        format!("declare `{custom}` under attributes.custom, or remove the mapping")
                    }
                    None => format!(
                        "map to a standard attribute ({}) or to `custom:<name>`",
                        STANDARD_ATTRIBUTES.join(", ")
                    ),
                };
                self.error_at_key(
                    path,
                    format!("`{attribute}` is not an attribute of this pool"),
                    help,
                );
            }
        }
        // Mapped attributes are written at every federated sign-in: immutable ones fail the
        // second sign-in with "Attribute cannot be updated".
        for attribute in provider.effective_attribute_mapping().keys() {
            if attribute == "username" || VERIFICATION_ATTRIBUTES.contains(&attribute.as_str()) {
                continue;
            }
            if self.attribute_exists(attribute) && !self.attribute_mutable(attribute) {
                let path = Self::mutability_path(attribute);
                self.error(
                    path,
                    format!(
                        "`{attribute}` is mapped from identity provider `{}` but is immutable: Cognito writes mapped attributes at every sign-in, so the user's second sign-in fails with \"Attribute cannot be updated\"",
                        provider.name
                    ),
                    format!("set `mutable: true` on `{attribute}`, or stop mapping it from `{}`", provider.name),
                );
            }
        }
    }

    // ---------------------------------------------------------------- clients

    fn clients(&mut self) {
        let mut names: BTreeMap<String, usize> = BTreeMap::new();
        for (i, client) in self.spec.clients.iter().enumerate() {
            let base = format!("clients[{i}]");
            let name = client.name.as_str();
            let valid = (1..=64).contains(&name.len())
                && name.starts_with(|c: char| c.is_ascii_lowercase())
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if !valid {
                self.error(
                    format!("{base}.name"),
                    format!("client name {name:?} is not valid"),
                    "use lowercase letters, digits and hyphens, starting with a letter, e.g. `web` or `agent`",
                );
            }
            // Logical IDs are `Client<PascalName>`: `web-1` and `web1` would collide.
            if let Some(first) = names.insert(name.replace('-', ""), i) {
                let other = &self.spec.clients[first].name;
                let message = if other == name {
                    format!("client name `{name}` is already used by clients[{first}]")
                } else {
                    format!("client names `{other}` and `{name}` differ only in hyphens and would get the same CloudFormation logical ID")
                };
                self.error(
                    format!("{base}.name"),
                    message,
                    "give each client a distinct name",
                );
            }

            self.client_providers(i, client);
            self.client_urls(i, client);
            self.client_oauth(i, client);
            self.client_attributes(i, client);
            self.client_tokens(i, client);
        }
    }

    fn client_providers(&mut self, i: usize, client: &AppClient) {
        let mut seen = BTreeSet::new();
        for (j, provider) in client.providers.iter().enumerate() {
            let path = format!("clients[{i}].providers[{j}]");
            if !seen.insert(provider.as_str()) {
                self.error(
                    &path,
                    format!("`{provider}` is listed twice"),
                    "remove the duplicate",
                );
                continue;
            }
            if provider == COGNITO
                || self
                    .spec
                    .identity_providers
                    .iter()
                    .any(|p| &p.name == provider)
            {
                continue;
            }
            let known: Vec<&str> = std::iter::once(COGNITO)
                .chain(self.spec.identity_providers.iter().map(|p| p.name.as_str()))
                .collect();
            self.error(
                path,
                format!(
                    "client `{}` names provider `{provider}`, which is not defined",
                    client.name
                ),
                format!(
                    "use one of: {} (or add `{provider}` to identity_providers)",
                    known.join(", ")
                ),
            );
        }
        let federated = client.providers.iter().any(|p| p != COGNITO);
        if federated
            && client
                .effective_oauth_flows()
                .iter()
                .all(|f| *f == OAuthFlow::ClientCredentials)
        {
            self.warning(
                format!("clients[{i}].providers"),
                "federated providers are offered but the client has no user OAuth flow (`code`), so nobody can sign in through them",
                "add `callback_urls` (the `code` flow is then the default)",
            );
        }
    }

    fn client_urls(&mut self, i: usize, client: &AppClient) {
        for (field, urls) in [
            ("callback_urls", &client.callback_urls),
            ("logout_urls", &client.logout_urls),
        ] {
            for (j, url) in urls.iter().enumerate() {
                if !is_allowed_redirect(url) {
                    self.error(
                        format!("clients[{i}].{field}[{j}]"),
                        format!("{url:?} is not allowed: Cognito accepts https URLs, and http only for localhost"),
                        "use `https://...`, or `http://localhost:<port>/...` for development",
                    );
                } else if url.contains('#') {
                    self.error(
                        format!("clients[{i}].{field}[{j}]"),
                        "a redirect URL may not contain a fragment (`#`)",
                        "remove the fragment",
                    );
                }
            }
        }
    }

    fn client_oauth(&mut self, i: usize, client: &AppClient) {
        let base = format!("clients[{i}]");
        let flows = client.effective_oauth_flows();
        let user_flow = flows
            .iter()
            .any(|f| matches!(f, OAuthFlow::Code | OAuthFlow::Implicit));
        if user_flow && client.callback_urls.is_empty() {
            self.error(
                format!("{base}.callback_urls"),
                "the `code` and `implicit` OAuth flows need at least one callback URL",
                "add `callback_urls: [https://app.example.com/callback]`, or remove the flow",
            );
        }
        if flows.contains(&OAuthFlow::ClientCredentials) {
            if !client.generate_secret {
                self.error(
                    format!("{base}.oauth_flows"),
                    "the `client_credentials` flow needs a client secret",
                    "set `generate_secret: true` on this client",
                );
            }
            if user_flow {
                self.error(
                    format!("{base}.oauth_flows"),
                    "`client_credentials` cannot be combined with `code` or `implicit`",
                    "use a separate client for machine-to-machine access",
                );
            }
            if client
                .oauth_scopes
                .iter()
                .any(|s| BUILT_IN_SCOPES.contains(&s.as_str()))
            {
                self.error(
                    format!("{base}.oauth_scopes"),
                    "the `client_credentials` flow accepts only resource-server scopes (`<server>/<scope>`), not openid, email, phone, profile or aws.cognito.signin.user.admin",
                    "list the resource-server scopes this client needs",
                );
            }
        }
        if !flows.is_empty() {
            if client.oauth_scopes.is_empty() {
                self.error(
                    format!("{base}.oauth_scopes"),
                    "OAuth flows need at least one scope",
                    "use `[openid, email, profile]`",
                );
            }
            for (j, scope) in client.oauth_scopes.iter().enumerate() {
                if !BUILT_IN_SCOPES.contains(&scope.as_str()) && !scope.contains('/') {
                    self.error(
                        format!("{base}.oauth_scopes[{j}]"),
                        format!("`{scope}` is neither a Cognito scope nor a resource-server scope"),
                        format!(
                            "use {} or `<resource server>/<scope>`",
                            BUILT_IN_SCOPES.join(", ")
                        ),
                    );
                }
            }
            let needs_openid = client
                .oauth_scopes
                .iter()
                .any(|s| matches!(s.as_str(), "email" | "phone" | "profile"));
            if needs_openid && !client.oauth_scopes.iter().any(|s| s == "openid") {
                self.error(
                    format!("{base}.oauth_scopes"),
                    "the email, phone and profile scopes require `openid`",
                    "add `openid` to oauth_scopes",
                );
            }
            if self.spec.domain.is_none() && user_flow {
                self.warning(
                    format!("{base}.oauth_flows"),
                    "OAuth sign-in goes through the pool's hosted domain, and this pool has no `domain`",
                    "add `domain: { prefix: <name> }`",
                );
            }
        }
        let mut seen = Vec::new();
        for (j, flow) in client.auth_flows.iter().enumerate() {
            if seen.contains(flow) {
                self.error(
                    format!("{base}.auth_flows[{j}]"),
                    "listed twice",
                    "remove the duplicate",
                );
            }
            seen.push(*flow);
        }
    }

    fn client_attributes(&mut self, i: usize, client: &AppClient) {
        let base = format!("clients[{i}]");
        for (field, list, readable) in [
            ("read_attributes", &client.read_attributes, true),
            ("write_attributes", &client.write_attributes, false),
        ] {
            let Some(list) = list else { continue };
            for (j, attribute) in list.iter().enumerate() {
                let verification_flag = VERIFICATION_ATTRIBUTES.contains(&attribute.as_str());
                if !(self.attribute_exists(attribute) || verification_flag) {
                    self.error(
                        format!("{base}.{field}[{j}]"),
                        format!("`{attribute}` is not an attribute of this pool"),
                        "use a standard attribute name, or `custom:<name>` for an attribute declared under attributes.custom",
                    );
                } else if verification_flag && !readable {
                    self.error(
                        format!("{base}.{field}[{j}]"),
                        format!("`{attribute}` may not be writable by a client: users could mark their own address verified"),
                        format!("remove `{attribute}` from write_attributes (it may be read)"),
                    );
                }
            }
        }
        let Some(writable) = &client.write_attributes else {
            return;
        };
        // Required attributes must be writable, or nobody can sign up through this client.
        for (name, attribute) in &self.spec.attributes.standard {
            if attribute.required && !writable.contains(name) {
                self.error(
                    format!("{base}.write_attributes"),
                    format!("`{name}` is required but client `{}` cannot write it; Cognito rejects the client", client.name),
                    format!("add `{name}` to write_attributes"),
                );
            }
        }
        // Attributes that a provider this client offers maps must be writable, or that
        // provider's sign-ins through this client fail.
        for provider_name in &client.providers {
            let Some(provider) = self
                .spec
                .identity_providers
                .iter()
                .find(|p| &p.name == provider_name)
            else {
                continue;
            };
            for attribute in provider.effective_attribute_mapping().keys() {
                if attribute == "username" || VERIFICATION_ATTRIBUTES.contains(&attribute.as_str())
                {
                    continue;
                }
                if !writable.contains(attribute) {
                    self.error(
                        format!("{base}.write_attributes"),
                        format!(
                            "client `{}` offers provider `{provider_name}`, which maps `{attribute}`, but cannot write it: federated sign-ins through this client fail",
                            client.name
                        ),
                        format!("add `{attribute}` to write_attributes, or stop mapping it from `{provider_name}`"),
                    );
                }
            }
        }
    }

    fn client_tokens(&mut self, i: usize, client: &AppClient) {
        let base = format!("clients[{i}].tokens");
        let t = &client.tokens;
        for (field, minutes) in [
            ("access_minutes", t.access_minutes),
            ("id_minutes", t.id_minutes),
        ] {
            if !(5..=1440).contains(&minutes) {
                self.error(
                    format!("{base}.{field}"),
                    format!("{minutes} minutes is outside Cognito's range 5 to 1440"),
                    "use 5 to 1440 minutes (1 day)",
                );
            }
        }
        if !(1..=3650).contains(&t.refresh_days) {
            self.error(
                format!("{base}.refresh_days"),
                format!(
                    "{} days is outside Cognito's range 1 to 3650",
                    t.refresh_days
                ),
                "use 1 to 3650 days",
            );
        } else if u64::from(t.refresh_days) * 1440 <= u64::from(t.access_minutes.max(t.id_minutes))
        {
            self.error(
                format!("{base}.refresh_days"),
                "the refresh token must outlive the access and ID tokens",
                "raise refresh_days or lower access_minutes/id_minutes",
            );
        }
    }

    // ---------------------------------------------------------------- domain

    fn domain(&mut self) {
        let Some(domain) = &self.spec.domain else {
            return;
        };
        match (&domain.prefix, &domain.custom) {
            (None, None) | (Some(_), Some(_)) => self.error(
                "domain",
                "a domain needs exactly one of `prefix` and `custom`",
                "keep `prefix: <name>` for a Cognito domain or `custom: { name, certificate_arn }` for your own",
            ),
            (Some(prefix), None) => {
                if let Some(why) = domain_prefix_problem(prefix) {
                    self.error("domain.prefix", format!("domain prefix {prefix:?} is not valid: {why}"), "use 1 to 63 lowercase letters, digits and hyphens, e.g. `acme-users-login`");
                }
            }
            (None, Some(custom)) => {
                if !is_hostname(&custom.name) {
                    self.error("domain.custom.name", format!("{:?} is not a fully qualified domain name", custom.name), "write a lowercase name such as `auth.acme.example`");
                }
                if !custom.certificate_arn.starts_with("arn:aws") || !custom.certificate_arn.contains(":acm:") {
                    self.error("domain.custom.certificate_arn", "not an ACM certificate ARN", "write `arn:aws:acm:us-east-1:<account>:certificate/<id>`");
                } else if !custom.certificate_arn.contains(":acm:us-east-1:") {
                    self.error(
                        "domain.custom.certificate_arn",
                        "the certificate of a custom Cognito domain must be in us-east-1 (it is served through CloudFront)",
                        "request or import the certificate in us-east-1 and use that ARN",
                    );
                }
            }
        }
    }

    // ---------------------------------------------------------------- triggers

    fn triggers(&mut self) {
        let triggers = &self.spec.triggers;
        if !LOG_RETENTION_DAYS.contains(&triggers.log_retention_days) {
            self.error(
                "triggers.log_retention_days",
                format!(
                    "{} days is not a retention CloudWatch Logs offers",
                    triggers.log_retention_days
                ),
                format!(
                    "use one of {}",
                    LOG_RETENTION_DAYS
                        .iter()
                        .map(u16::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
        let Some(policy) = &triggers.pre_sign_up else {
            return;
        };
        let base = "triggers.pre_sign_up";

        for (field, list) in [
            ("trusted_providers", &policy.trusted_providers),
            ("vouched_providers", &policy.vouched_providers),
        ] {
            for (j, name) in list.iter().enumerate() {
                let path = format!("{base}.{field}[{j}]");
                let Some(provider) = self
                    .spec
                    .identity_providers
                    .iter()
                    .find(|p| &p.name == name)
                else {
                    let known: Vec<&str> = self
                        .spec
                        .identity_providers
                        .iter()
                        .map(|p| p.name.as_str())
                        .collect();
                    let help = if known.is_empty() {
                        "this pool has no identity providers: remove the entry".to_owned()
                    } else {
                        format!("use one of: {}", known.join(", "))
                    };
                    self.error(
                        path,
                        format!("`{name}` is not an identity provider of this pool"),
                        help,
                    );
                    continue;
                };
                if field == "trusted_providers" && policy.vouched_providers.contains(name) {
                    self.error(
                        path,
                        format!("`{name}` is both trusted and vouched for"),
                        "keep it in one list: vouched_providers verifies every address, trusted_providers only those the provider asserted",
                    );
                } else if field == "trusted_providers" && provider.email_verified_source().is_none()
                {
                    self.warning(
                        path,
                        format!("the trigger verifies users from a trusted provider only when the provider's email_verified claim says so, and `{name}` maps no such claim: its users are confirmed but never verified"),
                        format!("map the claim on `{name}`, or move `{name}` to vouched_providers if you vouch for every address it sends"),
                    );
                }
            }
        }
        for (j, name) in policy.trusted_clients.iter().enumerate() {
            let path = format!("{base}.trusted_clients[{j}]");
            match self.spec.clients.iter().find(|c| &c.name == name) {
                None => {
                    let known: Vec<&str> = self.spec.clients.iter().map(|c| c.name.as_str()).collect();
                    self.error(path, format!("`{name}` is not a client of this pool"), format!("use one of: {}", known.join(", ")));
                }
                Some(client) if !client.generate_secret => self.error(
                    path,
                    format!("trusted client `{name}` has no secret: anyone who knows its client id could sign up with any address and have it verified"),
                    format!("set `generate_secret: true` on client `{name}` (a backend client), or remove it from trusted_clients"),
                ),
                Some(_) => {}
            }
        }
        for (field, list) in [
            ("allow_domains", &policy.allow_domains),
            ("deny_domains", &policy.deny_domains),
            ("verify_domains", &policy.verify_domains),
        ] {
            let mut seen = BTreeSet::new();
            for (j, pattern) in list.iter().enumerate() {
                let path = format!("{base}.{field}[{j}]");
                if let Err(why) = policy::parse_domain_pattern(pattern) {
                    self.error(
                        path,
                        format!("{pattern:?} is not a domain pattern: {why}"),
                        "write `example.com` for that domain or `*.example.com` for its subdomains",
                    );
                } else if !seen.insert(pattern.as_str()) {
                    self.error(
                        path,
                        format!("`{pattern}` is listed twice"),
                        "remove the duplicate",
                    );
                }
            }
        }
        for (j, pattern) in policy.allow_domains.iter().enumerate() {
            if policy.deny_domains.contains(pattern) {
                self.warning(
                    format!("{base}.allow_domains[{j}]"),
                    format!("`{pattern}` is both allowed and denied; deny wins, so nobody from it can sign up"),
                    "remove it from one of the lists",
                );
            }
        }
        if !policy.verify_domains.is_empty() {
            self.warning(
                format!("{base}.verify_domains"),
                "verify_domains marks self-service sign-ups from these domains verified without proof that the user controls the mailbox",
                "keep it only for domains whose mailboxes you control, and prefer a vouched SAML or OIDC provider for them",
            );
        }
        if !policy.has_trusted_basis() {
            self.warning(
                base,
                "the PreSignUp policy has no trusted basis (no trusted or vouched providers, trusted clients or verify domains): it confirms and verifies nobody, and only filters email domains",
                "that is fine if domain filtering is all you want; to verify agent sign-ups, add the agent client to trusted_clients",
            );
        }
    }

    // ---------------------------------------------------------------- tags

    fn tags(&mut self) {
        if self.spec.tags.len() > 50 {
            self.error("tags", "Cognito allows at most 50 tags", "remove some tags");
        }
        for (key, value) in &self.spec.tags {
            let path = child_path("tags", key);
            if key.is_empty()
                || key.chars().count() > 128
                || key.to_ascii_lowercase().starts_with("aws:")
            {
                self.error_at_key(
                    &path,
                    format!("tag key {key:?} is not valid"),
                    "use 1 to 128 characters, not starting with `aws:`",
                );
            }
            if value.chars().count() > 256 {
                self.error(
                    &path,
                    "a tag value may have at most 256 characters",
                    "shorten it",
                );
            }
        }
    }
}

// -------------------------------------------------------------------- helpers

fn username_kind_name(kind: UsernameKind) -> &'static str {
    match kind {
        UsernameKind::Email => "email",
        UsernameKind::Phone => "phone",
        UsernameKind::EmailOrPhone => "email_or_phone",
        UsernameKind::Username => "username",
    }
}

fn verifiable_name(attribute: VerifiableAttribute) -> &'static str {
    match attribute {
        VerifiableAttribute::Email => "email",
        VerifiableAttribute::Phone => "phone",
    }
}

fn kind_label(kind: &ProviderKind) -> &'static str {
    match kind {
        ProviderKind::Google { .. } => "Google",
        ProviderKind::Oidc { .. } => "an OIDC provider",
        ProviderKind::Apple { .. } => "Sign in with Apple",
        ProviderKind::Facebook { .. } => "Facebook",
        ProviderKind::Amazon { .. } => "Login with Amazon",
        ProviderKind::Saml { .. } => "a SAML provider",
    }
}

/// Cognito requires social providers to be named after their type.
fn required_social_name(kind: &ProviderKind) -> Option<&'static str> {
    match kind {
        ProviderKind::Google { .. } => Some("Google"),
        ProviderKind::Apple { .. } => Some("SignInWithApple"),
        ProviderKind::Facebook { .. } => Some("Facebook"),
        ProviderKind::Amazon { .. } => Some("LoginWithAmazon"),
        ProviderKind::Oidc { .. } | ProviderKind::Saml { .. } => None,
    }
}

/// `{{resolve:secretsmanager:...}}` or `{{resolve:ssm-secure:...}}`, and nothing around it.
pub fn is_dynamic_reference(value: &str) -> bool {
    let Some(inner) = value
        .strip_prefix("{{resolve:")
        .and_then(|v| v.strip_suffix("}}"))
    else {
        return false;
    };
    ["secretsmanager:", "ssm-secure:"].iter().any(|service| {
        inner
            .strip_prefix(service)
            .is_some_and(|rest| !rest.is_empty() && !rest.contains("}}"))
    })
}

fn is_ses_identity_arn(arn: &str) -> bool {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    parts.len() == 6
        && parts[0] == "arn"
        && parts[1].starts_with("aws")
        && parts[2] == "ses"
        && !parts[3].is_empty()
        && parts[4].len() == 12
        && parts[4].chars().all(|c| c.is_ascii_digit())
        && parts[5]
            .strip_prefix("identity/")
            .is_some_and(|identity| !identity.is_empty())
}

/// An address, bare or as `Name <address>`.
fn looks_like_address(value: &str) -> bool {
    let address = match (value.rfind('<'), value.strip_suffix('>')) {
        (Some(start), Some(_)) => &value[start + 1..value.len() - 1],
        _ => value,
    };
    match address.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty() && domain.contains('.') && !address.contains(char::is_whitespace)
        }
        None => false,
    }
}

fn has_link_placeholder(body: &str) -> bool {
    // `{####}` (the code placeholder) also starts with `{##` and ends with `##}`: not a link.
    let body = body.replace("{####}", "");
    body.find("{##")
        .is_some_and(|start| body[start + 3..].contains("##}"))
}

fn is_allowed_redirect(url: &str) -> bool {
    if let Some(rest) = url.strip_prefix("https://") {
        return !rest.is_empty() && !rest.starts_with('/');
    }
    let Some(rest) = url.strip_prefix("http://") else {
        return false;
    };
    let host = rest.split(['/', '?']).next().unwrap_or_default();
    let host = host.rsplit_once(':').map_or(host, |(h, port)| {
        if port.chars().all(|c| c.is_ascii_digit()) {
            h
        } else {
            host
        }
    });
    host == "localhost"
}

/// Words Cognito refuses anywhere inside a hosted-UI domain prefix.
pub const RESERVED_DOMAIN_WORDS: [&str; 3] = ["aws", "amazon", "cognito"];

/// The longest hosted-UI domain prefix Cognito accepts.
pub const MAX_DOMAIN_PREFIX: usize = 63;

/// Why Cognito would refuse `prefix` as a hosted-UI domain prefix, if it would. The one
/// definition of the rule: spec validation and review pools' per-id prefixes both ask it.
pub fn domain_prefix_problem(prefix: &str) -> Option<&'static str> {
    if prefix.is_empty() || prefix.len() > MAX_DOMAIN_PREFIX {
        return Some("it must have 1 to 63 characters");
    }
    if !prefix
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Some("only lowercase letters, digits and hyphens are allowed");
    }
    if prefix.starts_with('-') || prefix.ends_with('-') {
        return Some("it may not start or end with a hyphen");
    }
    if RESERVED_DOMAIN_WORDS
        .iter()
        .any(|reserved| prefix.contains(reserved))
    {
        return Some("Cognito reserves the words `aws`, `amazon` and `cognito` in domain prefixes");
    }
    None
}

fn is_hostname(name: &str) -> bool {
    policy::dns_name_problem(name).is_none()
}

#[cfg(test)]
mod helper_tests {
    use super::*;

    #[test]
    fn dynamic_references() {
        assert!(is_dynamic_reference(
            "{{resolve:secretsmanager:google:SecretString:secret}}"
        ));
        assert!(is_dynamic_reference("{{resolve:ssm-secure:/idp/secret}}"));
        assert!(!is_dynamic_reference("hunter2"));
        assert!(!is_dynamic_reference("{{resolve:ssm:/plain}}"));
        assert!(!is_dynamic_reference("x{{resolve:secretsmanager:a}}"));
    }

    #[test]
    fn redirects() {
        assert!(is_allowed_redirect("https://app.example.com/cb"));
        assert!(is_allowed_redirect("http://localhost:3000/callback"));
        assert!(is_allowed_redirect("http://localhost/cb"));
        assert!(!is_allowed_redirect("http://app.example.com/cb"));
        assert!(!is_allowed_redirect("http://localhost.evil.com/cb"));
        assert!(!is_allowed_redirect("ftp://x"));
    }

    #[test]
    fn link_placeholders() {
        assert!(has_link_placeholder("Click {##Verify Email##}"));
        assert!(!has_link_placeholder("Your code is {####}"));
        assert!(!has_link_placeholder("no placeholder"));
    }

    #[test]
    fn addresses() {
        assert!(looks_like_address("Acme <no-reply@acme.example>"));
        assert!(looks_like_address("no-reply@acme.example"));
        assert!(!looks_like_address("Acme"));
    }
}
