//! The rows of an explanation: one way a user comes to the pool (or changes their address),
//! and what `email_verified` ends up as.

use trigger::{Decision, Refusal, SignUpEvent, TriggerSource};

/// A way a user comes to the pool, or an event in their life there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scenario {
    /// A backend signs the user up through a client with a secret (SignUp), then confirms
    /// them with AdminConfirmSignUp unless the trigger already did.
    AgentSignUp { client: String },
    /// The user signs up through a client without a secret and confirms with the code sent
    /// to the address.
    SelfServiceSignUp { client: String },
    /// A self-service sign-up with an address in one of the policy's `verify_domains`.
    VerifyDomainSignUp { client: String, domain: String },
    /// An administrator creates the user (AdminCreateUser), with or without
    /// `email_verified=true` in the attributes.
    AdminCreateUser { email_verified: bool },
    /// A confirmed, verified user changes their address (UpdateUserAttributes or
    /// AdminUpdateUserAttributes).
    EmailChange,
    /// Another account confirms the address a verified user already has; the row is about
    /// the first user.
    DuplicateEmail,
    /// A user signs in through an identity provider for the first time (and again later:
    /// mappings are re-applied at every sign-in).
    FederatedSignIn {
        provider: String,
        /// Cognito's provider type, e.g. `SAML`.
        provider_type: &'static str,
        basis: FederatedBasis,
    },
    /// A federated user's address changes at the identity provider, and they sign in again:
    /// Cognito maps the new address, and `email_verified` with it.
    FederatedAddressChange {
        provider: String,
        /// Cognito's provider type, e.g. `SAML`.
        provider_type: &'static str,
    },
}

impl Scenario {
    /// A stable code for scripts (`--output json`).
    pub fn code(&self) -> &'static str {
        match self {
            Scenario::AgentSignUp { .. } => "agent_sign_up",
            Scenario::SelfServiceSignUp { .. } => "self_service_sign_up",
            Scenario::VerifyDomainSignUp { .. } => "verify_domain_sign_up",
            Scenario::AdminCreateUser {
                email_verified: true,
            } => "admin_create_user_verified",
            Scenario::AdminCreateUser {
                email_verified: false,
            } => "admin_create_user",
            Scenario::EmailChange => "email_change",
            Scenario::DuplicateEmail => "duplicate_email",
            Scenario::FederatedSignIn { .. } => "federated_sign_in",
            Scenario::FederatedAddressChange { .. } => "federated_address_change",
        }
    }

    /// The scenario in a few words, for people.
    pub fn title(&self) -> String {
        match self {
            Scenario::AgentSignUp { client } => format!("agent sign-up via {client}"),
            Scenario::SelfServiceSignUp { client } => format!("self-service sign-up via {client}"),
            Scenario::VerifyDomainSignUp { client, domain } => {
                format!("self-service sign-up via {client}, address at {domain}")
            }
            Scenario::AdminCreateUser {
                email_verified: true,
            } => "AdminCreateUser with email_verified=true".to_owned(),
            Scenario::AdminCreateUser {
                email_verified: false,
            } => "AdminCreateUser without email_verified".to_owned(),
            Scenario::EmailChange => "email change".to_owned(),
            Scenario::DuplicateEmail => "another account confirms the same address".to_owned(),
            Scenario::FederatedSignIn {
                provider,
                provider_type,
                basis,
            } => format!(
                "federated sign-in via {provider} ({provider_type}, {})",
                basis.as_str()
            ),
            Scenario::FederatedAddressChange {
                provider,
                provider_type,
            } => {
                format!("the address changes at the identity provider {provider} ({provider_type})")
            }
        }
    }
}

/// On what basis a federated user's `email_verified` is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FederatedBasis {
    /// The provider's claim is mapped to `email_verified` (and the trigger, if any, does not
    /// trust or vouch for the provider).
    ClaimMapped,
    /// The trigger trusts the provider: it confirms the user and verifies the email when the
    /// (mapped) claim asserts it.
    TriggerTrusted,
    /// The trigger vouches for every address the provider sends.
    Vouched,
    /// Nothing verifies the address.
    Unverified,
}

impl FederatedBasis {
    pub fn as_str(self) -> &'static str {
        match self {
            FederatedBasis::ClaimMapped => "claim mapped",
            FederatedBasis::TriggerTrusted => "trigger-trusted",
            FederatedBasis::Vouched => "vouched",
            FederatedBasis::Unverified => "unverified",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            FederatedBasis::ClaimMapped => "claim_mapped",
            FederatedBasis::TriggerTrusted => "trigger_trusted",
            FederatedBasis::Vouched => "vouched",
            FederatedBasis::Unverified => "unverified",
        }
    }
}

/// What `email_verified` ends up as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    True,
    False,
    /// The user's verified address stays as it was.
    Unchanged,
    /// The trigger refuses the sign-up: no user is created.
    Refused,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::True => "true",
            Verdict::False => "false",
            Verdict::Unchanged => "unchanged",
            Verdict::Refused => "refused",
        }
    }

    pub fn from_bool(verified: bool) -> Verdict {
        if verified {
            Verdict::True
        } else {
            Verdict::False
        }
    }

    /// Whether the user has a verified address afterwards (assuming a verified one before,
    /// for `Unchanged`).
    pub fn leaves_verified(self) -> bool {
        matches!(self, Verdict::True | Verdict::Unchanged)
    }
}

/// What a scenario does to `email_verified`, and what the user can do afterwards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub scenario: Scenario,
    /// `email_verified` once the scenario is over (for a self-service sign-up: once the user
    /// has entered the code).
    pub email_verified: Verdict,
    /// Whether the user can reset a forgotten password (ForgotPassword needs a verified
    /// address and recovery by verified email). `None` where it does not apply: a federated
    /// user has no pool password, a refused sign-up no user.
    pub can_reset_password: Option<bool>,
    /// Whether Cognito sends this user's codes (password reset, email sign-in codes, email
    /// MFA) to the address: only to a verified one.
    pub can_receive_email: bool,
    /// Why, in a sentence.
    pub why: String,
    /// The PreSignUp trigger's part, when the pool has the trigger and the scenario invokes it.
    pub trigger: Option<TriggerCall>,
    pub risk: Option<Risk>,
}

impl Row {
    pub fn is_risky(&self) -> bool {
        self.risk.is_some()
    }
}

/// One call of the trigger's `decide`: the event as the scenario makes Cognito send it, and
/// the trigger's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TriggerCall {
    pub source: TriggerSource,
    /// `userName`: `<Provider>_<id>` for a federated user.
    pub user_name: Option<String>,
    /// `callerContext.clientId`. In an explanation the client's spec name, which the
    /// template resolves to the id in the function's policy exactly as here.
    pub client: Option<String>,
    pub email: String,
    /// The provider's `email_verified` claim reaches the event (it is mapped, and the
    /// provider asserts it).
    pub email_verified_claim: bool,
    pub outcome: Result<Decision, Refusal>,
}

impl TriggerCall {
    /// The event this call was decided on.
    pub fn event(&self) -> SignUpEvent<'_> {
        SignUpEvent {
            source: self.source,
            user_name: self.user_name.as_deref(),
            provider_name: None,
            client_id: self.client.as_deref(),
            email: Some(&self.email),
            email_verified_claim: self.email_verified_claim,
        }
    }
}

/// Why a row is a problem, and the change that fixes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Risk {
    pub problem: String,
    pub fix: Fix,
}

/// The change that fixes a risky row: a spec change at `path`, or (`path` is `None`) what
/// the operator or the application does instead, when no spec setting can fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub path: Option<String>,
    pub change: String,
}
