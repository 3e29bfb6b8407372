//! The PreSignUp policy: on what basis the trigger may confirm a user or mark an email
//! verified, and which email domains may sign up at all.
//!
//! One type, two readers: the pool spec embeds it under `triggers.pre_sign_up` (with app
//! clients named by spec name), and the rendered template passes it to the trigger function as
//! JSON in the `POOLCTL_POLICY` environment variable (with clients resolved to client ids).
//! Because both sides deserialize this same type, the spec and the trigger cannot disagree.

use serde::{Deserialize, Serialize};

/// The environment variable through which the template hands the policy to the trigger.
pub const POLICY_ENV: &str = "POOLCTL_POLICY";

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
