//! The PreSignUp policy: on what basis the trigger may confirm a user or mark an email
//! verified, and which email domains may sign up at all.
//!
//! One type, two readers: the pool spec embeds it under `triggers.pre_sign_up` (with app
//! clients named by spec name), and the rendered template passes it to the trigger function as
//! JSON in the `POOLCTL_POLICY` environment variable (with clients resolved to client ids).
//! Because both sides deserialize this same type, the spec and the trigger cannot disagree.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The environment variable through which the template hands the policy to the trigger.
pub const POLICY_ENV: &str = "POOLCTL_POLICY";

/// The environment variable through which the template tells the function, as the inbound
/// federation trigger, which providers it decides `email_verified` for (JSON of
/// [`DecidedProviders`]). Unset when the pool does not wire inbound federation to it.
pub const DECIDED_PROVIDERS_ENV: &str = "POOLCTL_DECIDED_PROVIDERS";

/// The provider attribute the inbound federation trigger writes its verification to
/// (`true`/`false`). The template maps it to `email_verified` on every provider the trigger
/// decides, so that the decision, not whatever the provider sends, is what Cognito maps at
/// each sign-in. A provider that sends an attribute of this name itself is overruled.
pub const DECIDED_EMAIL_VERIFIED_ATTRIBUTE: &str = "poolctl_email_verified";

/// The providers whose `email_verified` the trigger decides (the spec's
/// `email_verified: trigger`), by provider name as Cognito sends it in `providerName`.
pub type DecidedProviders = BTreeMap<String, DecidedProvider>;

/// What the inbound federation trigger needs to know of one provider it decides for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecidedProvider {
    /// The provider attribute mapped to `email` (a SAML attribute name, or `email`); `None`
    /// when the provider maps no address, which leaves nothing to verify.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_attribute: Option<String>,
}

/// Who gets confirmed and verified at sign-up, and which email domains may sign up.
///
/// Nothing is auto-verified unless one of these lists gives a trusted basis for it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PreSignUpPolicy {
    /// Identity providers (by name) whose own `email_verified` claim is trusted: a federated
    /// user from one of these is confirmed, and their email verified when the provider
    /// asserted it (the claim must be mapped to `email_verified`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trusted_providers: Vec<String>,

    /// Identity providers (by name) whose every email address the operator vouches for, such
    /// as a corporate SAML directory that sends no verification claim. Users from these are
    /// confirmed and verified.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vouched_providers: Vec<String>,

    /// App clients whose sign-ups are made by a trusted backend (an agent signing users up
    /// for them): such sign-ups are confirmed and their email verified. In the spec these are
    /// client names; in the function's configuration, client ids.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trusted_clients: Vec<String>,

    /// Email domains that may sign up. Empty means any domain not denied. `example.com`
    /// matches that domain only; `*.example.com` matches its subdomains (not the domain itself).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow_domains: Vec<String>,

    /// Email domains refused at sign-up, in the same notation as `allow_domains`. Deny wins
    /// over allow.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deny_domains: Vec<String>,

    /// Email domains the operator vouches for: self-service sign-ups with an address here are
    /// confirmed and verified without a code. Opt-in only; use for domains whose mailboxes the
    /// operator controls. Same notation as `allow_domains`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub verify_domains: Vec<String>,
}

impl PreSignUpPolicy {
    /// True when the policy can verify anybody at all (some trusted basis is configured).
    pub fn has_trusted_basis(&self) -> bool {
        !(self.trusted_providers.is_empty()
            && self.vouched_providers.is_empty()
            && self.trusted_clients.is_empty()
            && self.verify_domains.is_empty())
    }
}

/// Whether a Cognito boolean attribute value (`email_verified`, `phone_number_verified`) reads
/// as true: `true` in any letter case, and nothing else. The one reading, for the trigger
/// (a provider's claim in a PreSignUp event) and for `users` (what a pool has stored).
///
/// Cognito writes `true`/`false` itself; an admin call or a mapped provider claim is stored as
/// given, and `True` (the spelling AWS's own AdminCreateUser documentation used) counts as
/// verified. Nothing documents `1`, `yes` or padded text as true, so they read as false: the
/// trigger must never verify on a value Cognito would not treat as true, and the audit must not
/// count such a user as verified while Cognito may not.
pub fn is_true_attribute(value: &str) -> bool {
    value.eq_ignore_ascii_case("true")
}

/// Attribute values and how [`is_true_attribute`] reads them: the table every reader of a
/// verification attribute is tested against, so that no two readings can drift apart.
#[doc(hidden)]
pub const TRUE_ATTRIBUTE_READINGS: &[(&str, bool)] = &[
    ("true", true),
    ("True", true),
    ("TRUE", true),
    ("false", false),
    ("False", false),
    ("1", false),
    ("0", false),
    ("yes", false),
    ("t", false),
    (" true", false),
    ("true ", false),
    ("", false),
    ("truee", false),
];

/// A domain pattern of `allow_domains`, `deny_domains` or `verify_domains`, parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DomainPattern<'a> {
    /// `example.com`: that domain only.
    Exact(&'a str),
    /// `*.example.com`: any subdomain of `example.com`, at any depth, but not the domain itself.
    Subdomains(&'a str),
}

/// How to write a domain pattern, for messages about one that is malformed.
pub const DOMAIN_PATTERN_HELP: &str =
    "write `example.com` for that domain or `*.example.com` for its subdomains";

/// Parses a domain pattern, or says in a phrase what is wrong with it. The one definition of
/// the notation: the spec validates with it and the trigger compiles its policy with it.
pub fn parse_domain_pattern(pattern: &str) -> Result<DomainPattern<'_>, &'static str> {
    if pattern.contains('@') {
        return Err("write the domain without the `@` and the part before it");
    }
    let (domain, wildcard) = match pattern.strip_prefix("*.") {
        Some(rest) => (rest, true),
        None => (pattern, false),
    };
    if domain.contains('*') {
        return Err("a wildcard is only allowed as a leading `*.`");
    }
    dns_name_problem(domain).map_or(Ok(()), Err)?;
    Ok(if wildcard {
        DomainPattern::Subdomains(domain)
    } else {
        DomainPattern::Exact(domain)
    })
}

/// What is wrong with a DNS name as poolctl writes them (lowercase, at least two labels, IDNs in
/// their `xn--` form), or `None` when it is fine.
pub fn dns_name_problem(name: &str) -> Option<&'static str> {
    if name.len() > 253 {
        return Some("a domain has at most 253 characters");
    }
    if !name.contains('.') {
        return Some("a domain has at least two labels, like `example.com`");
    }
    name.split('.')
        .find_map(|label| label_problem(label, false))
}

/// Whether `name` is a DNS name in any letter case (as an email address may write it): the
/// notation of [`dns_name_problem`] with uppercase letters allowed.
pub fn is_dns_name_any_case(name: &str) -> bool {
    name.len() <= 253
        && name.contains('.')
        && name
            .split('.')
            .all(|label| label_problem(label, true).is_none())
}

fn label_problem(label: &str, any_case: bool) -> Option<&'static str> {
    if label.is_empty() || label.len() > 63 {
        return Some("each label has 1 to 63 characters");
    }
    if !label.bytes().all(|b| {
        b.is_ascii_lowercase()
            || b.is_ascii_digit()
            || b == b'-'
            || (any_case && b.is_ascii_uppercase())
    }) {
        return Some(
            "only lowercase letters, digits and hyphens are allowed (IDNs in their xn-- form)",
        );
    }
    if label.starts_with('-') || label.ends_with('-') {
        return Some("a label may not start or end with a hyphen");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_true_in_any_case_is_a_true_attribute() {
        for &(value, expected) in TRUE_ATTRIBUTE_READINGS {
            assert_eq!(is_true_attribute(value), expected, "{value:?}");
        }
    }

    #[test]
    fn patterns_parse_into_exact_and_subdomains() {
        assert_eq!(
            parse_domain_pattern("example.com"),
            Ok(DomainPattern::Exact("example.com"))
        );
        assert_eq!(
            parse_domain_pattern("*.example.com"),
            Ok(DomainPattern::Subdomains("example.com"))
        );
        assert_eq!(
            parse_domain_pattern("xn--bcher-kva.example"),
            Ok(DomainPattern::Exact("xn--bcher-kva.example"))
        );
    }

    #[test]
    fn malformed_patterns_say_why() {
        for (bad, why) in [
            ("", "at least two labels"),
            ("*", "leading `*.`"),
            ("*.", "at least two labels"),
            ("localhost", "at least two labels"),
            ("@example.com", "without the `@`"),
            ("a@example.com", "without the `@`"),
            ("ex*ample.com", "leading `*.`"),
            ("*.*.example.com", "leading `*.`"),
            ("example..com", "1 to 63 characters"),
            (".example.com", "1 to 63 characters"),
            ("example.com.", "1 to 63 characters"),
            ("-example.com", "start or end with a hyphen"),
            ("exa mple.com", "lowercase letters"),
            ("exämple.com", "lowercase letters"),
            ("Example.com", "lowercase letters"),
        ] {
            let error = parse_domain_pattern(bad).unwrap_err();
            assert!(
                error.contains(why),
                "{bad:?} gave {error:?}, expected {why:?}"
            );
        }
        assert!(dns_name_problem(&format!("{}.com", "a.".repeat(130))).is_some());
    }
}
