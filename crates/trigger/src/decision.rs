//! The decision table. Pure: no I/O, no clock, and no allocation on the accepting paths of
//! ASCII addresses (a Unicode domain is encoded to its `xn--` form).

use crate::event::{SignUpEvent, TriggerSource};
use crate::rules::CompiledPolicy;

/// The three response flags Cognito reads, and why they have these values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    pub auto_confirm_user: bool,
    pub auto_verify_email: bool,
    /// Never set: the policy has no trusted basis for phone numbers.
    pub auto_verify_phone: bool,
    pub reason: Reason,
}

/// Why a sign-up was accepted with the flags it got. Stable codes for logs and dashboards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// A vouched provider: the operator vouches for every address it sends.
    VouchedProvider,
    /// A trusted provider; the email is verified only if the provider asserted it.
    TrustedProvider,
    /// A provider on neither list: its claim is not trusted.
    UntrustedProvider,
    /// A sign-up made by a trusted agent client.
    TrustedClient,
    /// A self-service sign-up with an address in a domain the operator vouches for.
    VerifyDomain,
    /// A self-service sign-up: the user confirms with a code as usual.
    SelfService,
    /// AdminCreateUser: Cognito ignores autoVerifyEmail here; only the domain rules apply.
    AdminCreateUser,
    /// An event whose trigger source this function does not handle: no flags.
    UnknownSource,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::VouchedProvider => "vouched_provider",
            Reason::TrustedProvider => "trusted_provider",
            Reason::UntrustedProvider => "untrusted_provider",
            Reason::TrustedClient => "trusted_client",
            Reason::VerifyDomain => "verify_domain",
            Reason::SelfService => "self_service",
            Reason::AdminCreateUser => "admin_create_user",
            Reason::UnknownSource => "unknown_source",
        }
    }
}

/// Why a sign-up was refused. The message reaches the person signing up (Cognito returns it
/// inside UserLambdaValidationException), so it speaks to them, not to the operator.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Refusal {
    pub reason: RefusalReason,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusalReason {
    DeniedDomain,
    DomainNotAllowed,
    /// The allow list is not empty and the event carries no usable email address.
    EmailRequired,
}

impl RefusalReason {
    pub fn as_str(self) -> &'static str {
        match self {
            RefusalReason::DeniedDomain => "denied_domain",
            RefusalReason::DomainNotAllowed => "domain_not_allowed",
            RefusalReason::EmailRequired => "email_required",
        }
    }
}

/// Decides one PreSignUp event.
///
/// The domain rules come first and apply to every source: a denied domain, or one outside a
/// non-empty allow list, is refused whoever signs it up. Then each source has its own basis
/// for confirming and verifying; without one, every flag stays false. An email is verified
/// only when there is a usable address to verify.
pub fn decide(policy: &CompiledPolicy, event: &SignUpEvent<'_>) -> Result<Decision, Refusal> {
    let domain = event.deliverable_domain();
    check_domain_rules(policy, event, domain.as_deref())?;

    let (confirm, verify, reason) = match event.source {
        // Inbound federation decides a federated sign-in exactly as the first one was.
        TriggerSource::ExternalProvider | TriggerSource::InboundFederation => {
            match event.provider() {
                Some(p) if policy.is_vouched_provider(p) => (true, true, Reason::VouchedProvider),
                Some(p) if policy.is_trusted_provider(p) => {
                    (true, event.email_verified_claim, Reason::TrustedProvider)
                }
                _ => (false, false, Reason::UntrustedProvider),
            }
        }
        TriggerSource::SignUp => {
            if event
                .client_id
                .is_some_and(|id| policy.is_trusted_client(id))
            {
                (true, true, Reason::TrustedClient)
            } else if domain
                .as_deref()
                .is_some_and(|d| policy.verify_domains.matches(d))
            {
                (true, true, Reason::VerifyDomain)
            } else {
                (false, false, Reason::SelfService)
            }
        }
        TriggerSource::AdminCreateUser => (false, false, Reason::AdminCreateUser),
        TriggerSource::Unknown => (false, false, Reason::UnknownSource),
    };

    Ok(Decision {
        auto_confirm_user: confirm,
        // Only a plain address is ever verified: not one with a second `@`, whitespace inside
        // or a domain that is no DNS name, whatever the basis.
        auto_verify_email: verify && domain.is_some(),
        auto_verify_phone: false,
        reason,
    })
}

/// Deny rules refuse an address if any reading of it is denied; an allow list admits only a
/// plain address whose domain it lists. Both fail closed.
fn check_domain_rules(
    policy: &CompiledPolicy,
    event: &SignUpEvent<'_>,
    domain: Option<&str>,
) -> Result<(), Refusal> {
    if let Some(email) = event.email {
        let mut denied = None;
        if !policy.deny_domains.is_empty()
            && crate::address::any_candidate_domain(email, |candidate| {
                let hit = policy.deny_domains.matches(candidate);
                if hit {
                    denied = Some(candidate.to_ascii_lowercase());
                }
                hit
            })
        {
            return Err(Refusal {
                reason: RefusalReason::DeniedDomain,
                message: format!(
                    "Sign-up with an email address at {} is not allowed. Please use a different email address.",
                    denied.unwrap_or_default()
                ),
            });
        }
    }
    if policy.allow_domains.is_empty() {
        return Ok(());
    }
    match domain {
        Some(domain) if policy.allow_domains.matches(domain) => Ok(()),
        Some(domain) => Err(Refusal {
            reason: RefusalReason::DomainNotAllowed,
            message: format!(
                "Sign-up is limited to approved email domains, and {} is not one of them.",
                domain.to_ascii_lowercase()
            ),
        }),
        None => Err(Refusal {
            reason: RefusalReason::EmailRequired,
            message: "Sign-up requires an email address from an approved domain.".to_string(),
        }),
    }
}
