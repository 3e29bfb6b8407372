//! Identity providers: names, kind-specific settings, secrets as dynamic references, the
//! `email_verified` policy, and attribute mappings.

use std::collections::BTreeMap;

use crate::locate::child_path;
use crate::model::{
    EmailVerifiedPolicy, IdentityProvider, PreSignUpPolicy, ProviderKind, COGNITO_PROVIDER,
    STANDARD_ATTRIBUTES, VERIFICATION_ATTRIBUTES,
};

use super::Checker;

impl Checker<'_> {
    pub(super) fn identity_providers(&mut self) {
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
            } else if name.eq_ignore_ascii_case(COGNITO_PROVIDER) {
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
                | ProviderKind::Amazon { client_secret, .. } => {
                    self.secret(&format!("{base}.client_secret"), client_secret);
                }
                ProviderKind::Oidc {
                    issuer,
                    client_secret,
                    authorize_url,
                    token_url,
                    attributes_url,
                    jwks_uri,
                    ..
                } => {
                    self.secret(&format!("{base}.client_secret"), client_secret);
                    if !issuer.starts_with("https://") || issuer.len() <= "https://".len() {
                        self.error(format!("{base}.issuer"), format!("issuer {issuer:?} is not an https URL"), "write the issuer URL as the provider publishes it, e.g. `https://login.example.com`");
                    }
                    // Cognito refuses endpoints that are not https.
                    for (key, url) in [
                        ("authorize_url", authorize_url),
                        ("token_url", token_url),
                        ("attributes_url", attributes_url),
                        ("jwks_uri", jwks_uri),
                    ] {
                        if let Some(url) = url
                            .as_deref()
                            .filter(|u| !u.starts_with("https://") || u.len() <= "https://".len())
                        {
                            self.error(format!("{base}.{key}"), format!("{key} {url:?} is not an https URL"), format!("write the provider's https endpoint, or leave `{key}` out to have Cognito discover it from the issuer"));
                        }
                    }
                }
                ProviderKind::Apple { private_key, .. } => {
                    self.secret(&format!("{base}.private_key"), private_key);
                }
                ProviderKind::Saml {
                    metadata_url,
                    metadata_file,
                    email_attribute,
                    ..
                } => {
                    match (email_attribute.as_deref(), provider.map_email) {
                        (Some(""), _) => self.error(
                            format!("{base}.email_attribute"),
                            "`email_attribute` is empty; the provider would map `email` from an attribute named \"\", which no IdP asserts",
                            "name the SAML attribute that carries the address, e.g. `http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress`, or write `map_email: false` for a provider that maps none",
                        ),
                        (None, true) => self.error(
                            base.clone(),
                            "a SAML provider needs `email_attribute`: no IdP asserts the address under a standard name",
                            "name the SAML attribute that carries the address, e.g. `email_attribute: http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress`, or write `map_email: false` for a provider that maps none",
                        ),
                        (Some(_), false) => self.error(
                            format!("{base}.email_attribute"),
                            "`email_attribute` names the address, but `map_email: false` maps none",
                            "remove one of the two",
                        ),
                        _ => {}
                    }
                    match (metadata_url, metadata_file) {
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
                    }
                }
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
            }
            _ => {}
        }
        if self.spec.unmapped_claim_choice(provider).is_some() {
            self.unmapped_claim_warning(&base, provider);
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

/// Cognito requires social providers to be named after their `ProviderType`; OIDC and SAML
/// providers are named freely.
fn required_social_name(kind: &ProviderKind) -> Option<&'static str> {
    match kind {
        ProviderKind::Oidc { .. } | ProviderKind::Saml { .. } => None,
        ProviderKind::Google { .. }
        | ProviderKind::Apple { .. }
        | ProviderKind::Facebook { .. }
        | ProviderKind::Amazon { .. } => Some(kind.provider_type()),
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

#[cfg(test)]
mod tests {
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
}
