//! The scenarios of a spec and what each does to `email_verified`.
//!
//! Where the PreSignUp trigger takes part, its answer is `trigger::decide` on the event the
//! scenario makes Cognito send, with the spec's policy compiled as the function compiles it.
//! Where the spec decides (mappings, keep-original, the alias), the answer comes from the
//! spec's own derived values (`effective_attribute_mapping`, `email_is_alias`, ...). The fix
//! for a risky row is `poolctl check`'s own help where check has a finding for it.

use policy::{DomainPattern, PreSignUpPolicy};
use spec::validate::Finding;
use spec::{
    AppClient, DuplicateEmailPolicy, IdentityProvider, PoolSpec, ProviderKind, Severity,
    VerifiableAttribute,
};
use trigger::{CompiledPolicy, Reason, SignUpEvent, TriggerSource};

use crate::row::{FederatedBasis, Fix, Risk, Row, Scenario, TriggerCall, Verdict};
use crate::ExplainError;

/// The local part of the sample addresses the scenarios sign up with.
pub const SAMPLE_LOCAL_PART: &str = "new.user";
/// The id part of a federated user's sample `userName` (`<Provider>_<id>`).
pub const SAMPLE_FEDERATED_ID: &str = "sample-id";
/// Domains tried first for an ordinary address (reserved for examples, RFC 2606).
const SAMPLE_DOMAINS: [&str; 3] = ["example.com", "example.org", "example.net"];

/// Every scenario of one spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    pub pool: String,
    pub has_trigger: bool,
    /// The address the scenarios use unless a row says otherwise: one the trigger admits as
    /// an ordinary self-service sign-up when it can.
    pub sample_email: String,
    pub rows: Vec<Row>,
}

impl Explanation {
    pub fn risky(&self) -> impl Iterator<Item = &Row> {
        self.rows.iter().filter(|row| row.is_risky())
    }
}

/// Explains a loaded (valid) spec.
pub fn explain(spec: &PoolSpec) -> Result<Explanation, ExplainError> {
    let policy = spec
        .triggers
        .pre_sign_up
        .as_ref()
        .map(CompiledPolicy::new)
        .transpose()?;
    let cx = Context {
        spec,
        policy,
        findings: spec::validate::validate(spec),
        recovery_by_email: spec.verification.recovers_by_email(),
        email: String::new(),
    };
    let cx = Context {
        email: cx.ordinary_address(),
        ..cx
    };

    let mut rows = Vec::new();
    // SignUp is an API call any app client can make: `SupportedIdentityProviders` governs
    // only the hosted sign-in, so a backend's client without COGNITO there still signs users up.
    // On an admin-only pool Cognito refuses SignUp from every client, so no sign-up row applies.
    let cognito_clients: Vec<&AppClient> = if spec.sign_up.admin_only {
        Vec::new()
    } else {
        spec.clients.iter().collect()
    };
    for client in &cognito_clients {
        rows.push(if client.generate_secret {
            cx.agent_sign_up(client)
        } else {
            cx.self_service_sign_up(client)
        });
    }
    let verify_client = cognito_clients
        .iter()
        .find(|c| !c.generate_secret)
        .or_else(|| cognito_clients.first());
    if let (Some(client), Some(policy)) = (verify_client, &spec.triggers.pre_sign_up) {
        for pattern in &policy.verify_domains {
            if let Some(domain) = sample_domain(pattern) {
                rows.push(cx.verify_domain_sign_up(client, pattern, &domain));
            }
        }
    }
    rows.push(cx.admin_create_user(true));
    rows.push(cx.admin_create_user(false));
    rows.push(cx.email_change());
    rows.push(cx.duplicate_email());
    for (index, provider) in spec.identity_providers.iter().enumerate() {
        rows.push(cx.federated_sign_in(index, provider));
    }
    for (index, provider) in spec.identity_providers.iter().enumerate() {
        // A provider that maps no address has none to change.
        if provider.email_source().is_some() {
            rows.push(cx.federated_address_change(index, provider));
        }
    }
    Ok(Explanation {
        pool: spec.name.clone(),
        has_trigger: cx.policy.is_some(),
        sample_email: cx.email.clone(),
        rows,
    })
}

/// A domain an address in `pattern` could have: the domain itself, or `mail.` under it for
/// `*.` patterns. `None` for a malformed pattern (a loaded spec has none).
pub fn sample_domain(pattern: &str) -> Option<String> {
    match policy::parse_domain_pattern(pattern) {
        Ok(DomainPattern::Exact(domain)) => Some(domain.to_owned()),
        Ok(DomainPattern::Subdomains(domain)) => Some(format!("mail.{domain}")),
        Err(_) => None,
    }
}

fn sample_address(domain: &str) -> String {
    format!("{SAMPLE_LOCAL_PART}@{domain}")
}

struct Context<'a> {
    spec: &'a PoolSpec,
    policy: Option<CompiledPolicy>,
    findings: Vec<Finding>,
    recovery_by_email: bool,
    email: String,
}

impl Context<'_> {
    fn policy_spec(&self) -> Option<&PreSignUpPolicy> {
        self.spec.triggers.pre_sign_up.as_ref()
    }

    /// The first candidate address the trigger admits as an ordinary self-service sign-up;
    /// else the first it admits at all; else the first candidate (its rows say refused).
    fn ordinary_address(&self) -> String {
        let mut candidates: Vec<String> =
            SAMPLE_DOMAINS.iter().map(|d| sample_address(d)).collect();
        if let Some(policy) = self.policy_spec() {
            candidates.extend(
                policy
                    .allow_domains
                    .iter()
                    .filter_map(|p| sample_domain(p))
                    .map(|d| sample_address(&d)),
            );
        }
        let decided = |email: &str| {
            self.call(TriggerSource::SignUp, None, None, email, false)
                .map(|call| call.outcome)
        };
        candidates
            .iter()
            .find(|email| {
                decided(email).is_none_or(|outcome| {
                    outcome.is_ok_and(|decision| decision.reason == Reason::SelfService)
                })
            })
            .or_else(|| {
                candidates
                    .iter()
                    .find(|email| decided(email).is_some_and(|outcome| outcome.is_ok()))
            })
            .or(candidates.first())
            .cloned()
            .unwrap_or_default()
    }

    /// `trigger::decide` on the event the scenario makes Cognito send; `None` without a trigger.
    fn call(
        &self,
        source: TriggerSource,
        client: Option<&str>,
        user_name: Option<String>,
        email: &str,
        email_verified_claim: bool,
    ) -> Option<TriggerCall> {
        let policy = self.policy.as_ref()?;
        let event = SignUpEvent {
            source,
            user_name: user_name.as_deref(),
            provider_name: None,
            client_id: client,
            email: Some(email),
            email_verified_claim,
        };
        let outcome = trigger::decide(policy, &event);
        Some(TriggerCall {
            source,
            user_name,
            client: client.map(str::to_owned),
            email: email.to_owned(),
            email_verified_claim,
            outcome,
        })
    }

    /// `poolctl check`'s warning at `path` (or under it), if it has one.
    fn finding(&self, path: &str) -> Option<&Finding> {
        self.findings.iter().find(|f| {
            f.severity == Severity::Warning
                && (f.path == path
                    || f.path
                        .strip_prefix(path)
                        .is_some_and(|rest| rest.starts_with(['[', '.'])))
        })
    }

    /// The fix from check's finding at `path`, or `fallback` (a spec change at `path`).
    fn fix(&self, path: &str, fallback: impl FnOnce() -> String) -> Fix {
        match self.finding(path) {
            Some(finding) => Fix {
                path: Some(finding.path.clone()),
                change: finding.help.clone(),
            },
            None => Fix {
                path: Some(path.to_owned()),
                change: fallback(),
            },
        }
    }

    fn row(
        &self,
        scenario: Scenario,
        email_verified: Verdict,
        why: String,
        trigger: Option<TriggerCall>,
        risk: Option<Risk>,
    ) -> Row {
        let federated = matches!(
            scenario,
            Scenario::FederatedSignIn { .. } | Scenario::FederatedAddressChange { .. }
        );
        let can_reset_password = (!federated && email_verified != Verdict::Refused)
            .then(|| email_verified.leaves_verified() && self.recovery_by_email);
        Row {
            scenario,
            email_verified,
            can_reset_password,
            can_receive_email: email_verified.leaves_verified(),
            why,
            trigger,
            risk,
        }
    }

    /// The row of a scenario whose sign-up the trigger refuses (`call` holds the refusal).
    fn refused(&self, scenario: Scenario, call: Option<TriggerCall>) -> Row {
        let why = match &call {
            Some(TriggerCall {
                email,
                outcome: Err(refusal),
                ..
            }) => format!(
                "the trigger refuses {email} ({}): no user is created",
                refusal.reason.as_str()
            ),
            _ => "the trigger refuses the sign-up: no user is created".to_owned(),
        };
        self.row(scenario, Verdict::Refused, why, call, None)
    }

    fn agent_sign_up(&self, client: &AppClient) -> Row {
        let name = client.name.as_str();
        let scenario = Scenario::AgentSignUp {
            client: name.to_owned(),
        };
        let call = self.call(TriggerSource::SignUp, Some(name), None, &self.email, false);
        if is_refusal(call.as_ref()) {
            return self.refused(scenario, call);
        }
        let verified = call
            .as_ref()
            .is_some_and(|c| c.outcome.as_ref().is_ok_and(|d| d.auto_verify_email));
        if verified {
            let why = format!("the trigger trusts `{name}`: the user is confirmed and the address verified at sign-up");
            return self.row(scenario, Verdict::True, why, call, None);
        }
        let why = if call.is_some() {
            format!("the trigger does not trust `{name}`; AdminConfirmSignUp confirms the user and leaves email_verified false")
        } else {
            "no PreSignUp trigger; AdminConfirmSignUp confirms the user and leaves email_verified false".to_owned()
        };
        let fix = if call.is_some() {
            Fix {
                path: Some("triggers.pre_sign_up.trusted_clients".to_owned()),
                change: format!("add `{name}` to triggers.pre_sign_up.trusted_clients"),
            }
        } else {
            Fix {
                path: Some("triggers.pre_sign_up".to_owned()),
                change: format!(
                    "add `pre_sign_up: {{ trusted_clients: [{name}] }}` under `triggers`"
                ),
            }
        };
        let risk = Risk {
            problem: stranded("a user the agent signs up"),
            fix,
        };
        self.row(scenario, Verdict::False, why, call, Some(risk))
    }

    fn self_service_sign_up(&self, client: &AppClient) -> Row {
        let name = client.name.as_str();
        let scenario = Scenario::SelfServiceSignUp {
            client: name.to_owned(),
        };
        let call = self.call(TriggerSource::SignUp, Some(name), None, &self.email, false);
        self.self_service(scenario, call)
    }

    fn verify_domain_sign_up(&self, client: &AppClient, pattern: &str, domain: &str) -> Row {
        let scenario = Scenario::VerifyDomainSignUp {
            client: client.name.clone(),
            domain: pattern.to_owned(),
        };
        let email = sample_address(domain);
        let call = self.call(
            TriggerSource::SignUp,
            Some(&client.name),
            None,
            &email,
            false,
        );
        self.self_service(scenario, call)
    }

    /// A sign-up the user confirms themselves, unless the trigger verifies it.
    fn self_service(&self, scenario: Scenario, call: Option<TriggerCall>) -> Row {
        if is_refusal(call.as_ref()) {
            return self.refused(scenario, call);
        }
        let decision = call.as_ref().and_then(|c| c.outcome.as_ref().ok().copied());
        if let Some(decision) = decision.filter(|d| d.auto_verify_email) {
            let why = format!(
                "the trigger verifies the address without a code ({})",
                decision.reason.as_str()
            );
            let risk = (decision.reason == Reason::VerifyDomain).then(|| Risk {
                problem: "the address is marked verified without proof that the user controls the mailbox".to_owned(),
                fix: self.fix("triggers.pre_sign_up.verify_domains", || {
                    "remove the domain from triggers.pre_sign_up.verify_domains".to_owned()
                }),
            });
            return self.row(scenario, Verdict::True, why, call, risk);
        }
        if self
            .spec
            .verification
            .auto_verify
            .contains(&VerifiableAttribute::Email)
        {
            let why =
                "Cognito sends a code to the address; confirming with it verifies the address"
                    .to_owned();
            return self.row(scenario, Verdict::True, why, call, None);
        }
        let why =
            "email is not auto-verified: no code is sent, and the user stays unverified".to_owned();
        let risk = Risk {
            problem: stranded("a user who signs up"),
            fix: self.fix("verification.account_recovery", || {
                "add `email` to verification.auto_verify".to_owned()
            }),
        };
        self.row(scenario, Verdict::False, why, call, Some(risk))
    }

    fn admin_create_user(&self, email_verified: bool) -> Row {
        let scenario = Scenario::AdminCreateUser { email_verified };
        let call = self.call(
            TriggerSource::AdminCreateUser,
            None,
            None,
            &self.email,
            false,
        );
        if is_refusal(call.as_ref()) {
            return self.refused(scenario, call);
        }
        if email_verified {
            let why = "email_verified=true in the attributes is stored as given".to_owned();
            return self.row(scenario, Verdict::True, why, call, None);
        }
        let why = "the user is created with an unverified address (the trigger's autoVerifyEmail does not apply to AdminCreateUser)".to_owned();
        let risk = Risk {
            problem: stranded("an administrator-created user"),
            fix: Fix {
                path: None,
                change: "no spec setting: create users with email_verified=true when the address is known to be theirs (`poolctl users create --verified-email`)".to_owned(),
            },
        };
        self.row(scenario, Verdict::False, why, call, Some(risk))
    }

    fn email_change(&self) -> Row {
        let scenario = Scenario::EmailChange;
        let verification = &self.spec.verification;
        if !self.spec.attributes.standard_mutable("email") {
            let why = "email is immutable: it cannot be changed".to_owned();
            return self.row(scenario, Verdict::Unchanged, why, None, None);
        }
        if verification
            .keep_original_until_verified
            .contains(&VerifiableAttribute::Email)
        {
            let why = "the old address stays active and verified until the user confirms the new one with the code".to_owned();
            return self.row(scenario, Verdict::Unchanged, why, None, None);
        }
        let why = "the new address replaces the old one at once, unverified".to_owned();
        let risk = Risk {
            problem: stranded("a user who changes (or mistypes) their address"),
            fix: self.fix("verification.keep_original_until_verified", || {
                "add `email` to verification.auto_verify and to verification.keep_original_until_verified".to_owned()
            }),
        };
        self.row(scenario, Verdict::False, why, None, Some(risk))
    }

    fn duplicate_email(&self) -> Row {
        let scenario = Scenario::DuplicateEmail;
        let sign_in = &self.spec.sign_in;
        if sign_in.email_is_username() {
            let why = "the address is the username: a second sign-up with it is refused (UsernameExistsException)".to_owned();
            return self.row(scenario, Verdict::Unchanged, why, None, None);
        }
        if !sign_in.email_is_alias() {
            let why = "email is not a sign-in identifier: two accounts may share an address and neither changes".to_owned();
            return self.row(scenario, Verdict::Unchanged, why, None, None);
        }
        match sign_in.duplicate_email {
            Some(DuplicateEmailPolicy::Reject) => {
                let why = "duplicate_email: reject: the second confirmation is refused (AliasExistsException) when the application passes ForceAliasCreation false".to_owned();
                self.row(scenario, Verdict::Unchanged, why, None, None)
            }
            Some(DuplicateEmailPolicy::MoveAlias) => {
                let why = "duplicate_email: move_alias: the alias moves to the new account and the first account's address becomes unverified".to_owned();
                let risk = Risk {
                    problem: stranded("the first account"),
                    fix: Fix {
                        path: Some("sign_in.duplicate_email".to_owned()),
                        change: "set `duplicate_email: reject` to keep the address with the account that verified it first".to_owned(),
                    },
                };
                self.row(scenario, Verdict::False, why, None, Some(risk))
            }
            None => {
                let why = "email is an alias and no policy is stated: with ForceAliasCreation the alias moves and the first account's address becomes unverified".to_owned();
                let risk = Risk {
                    problem: stranded("the first account"),
                    fix: self.fix("sign_in.duplicate_email", || {
                        "add `duplicate_email: reject`".to_owned()
                    }),
                };
                self.row(scenario, Verdict::False, why, None, Some(risk))
            }
        }
    }

    fn federated_sign_in(&self, index: usize, provider: &IdentityProvider) -> Row {
        let name = provider.name.as_str();
        let mapping = provider.effective_attribute_mapping();
        let claim = mapping.get("email_verified").cloned();
        let call = self.call(
            TriggerSource::ExternalProvider,
            None,
            Some(format!("{name}_{SAMPLE_FEDERATED_ID}")),
            &self.email,
            // The claim reaches the event only when it is mapped; the provider asserts it.
            claim.is_some(),
        );
        let reason = call
            .as_ref()
            .and_then(|c| c.outcome.as_ref().ok())
            .map(|d| d.reason);
        let basis = match (reason, &claim) {
            (Some(Reason::VouchedProvider), _) => FederatedBasis::Vouched,
            (Some(Reason::TrustedProvider), _) => FederatedBasis::TriggerTrusted,
            (_, Some(_)) => FederatedBasis::ClaimMapped,
            (_, None) => FederatedBasis::Unverified,
        };
        let scenario = Scenario::FederatedSignIn {
            provider: name.to_owned(),
            provider_type: provider.kind.provider_type(),
            basis,
        };
        if is_refusal(call.as_ref()) {
            return self.refused(scenario, call);
        }
        let trigger_verifies = call
            .as_ref()
            .is_some_and(|c| c.outcome.as_ref().is_ok_and(|d| d.auto_verify_email));
        if let Some(claim) = &claim {
            let why = format!("{name}'s `{claim}` is mapped to email_verified and written at every sign-in: true while {name} asserts it, false when it does not");
            return self.row(scenario, Verdict::True, why, call, None);
        }
        if trigger_verifies {
            let why = format!("the trigger vouches for {name}: the address is verified at the first sign-in, and no mapping overwrites it later");
            return self.row(scenario, Verdict::True, why, call, None);
        }
        let why = match basis {
            FederatedBasis::TriggerTrusted => format!(
                "the trigger trusts {name}'s claim, but no claim is mapped, so none reaches it"
            ),
            _ => format!("nothing maps or vouches for {name}'s addresses"),
        };
        let base = format!("identity_providers[{index}]");
        let trusted_at = self.policy_spec().and_then(|p| {
            p.trusted_providers
                .iter()
                .position(|n| n == name)
                .map(|j| format!("triggers.pre_sign_up.trusted_providers[{j}]"))
        });
        let fix = match (
            self.finding(&format!("{base}.email_verified")),
            trusted_at.and_then(|p| self.finding(&p).cloned()),
        ) {
            (Some(finding), _) => Fix {
                path: Some(finding.path.clone()),
                change: finding.help.clone(),
            },
            (None, Some(finding)) => Fix {
                path: Some(finding.path),
                change: finding.help,
            },
            (None, None) => {
                let vouch = format!("if you vouch for every address {name} sends, set `email_verified: trigger` and add `{name}` to triggers.pre_sign_up.vouched_providers");
                let change = if matches!(provider.kind, ProviderKind::Saml { .. }) {
                    format!("{vouch}; if the IdP asserts verification, map it with `email_verified: {{ claim: <SAML attribute> }}`")
                } else {
                    vouch
                };
                Fix {
                    path: Some(format!("{base}.email_verified")),
                    change,
                }
            }
        };
        let risk = Risk {
            problem: format!("users from {name} have an unverified address: they get no codes by email and cannot sign in with it as an alias"),
            fix,
        };
        self.row(scenario, Verdict::False, why, call, Some(risk))
    }
}

impl Context<'_> {
    /// A later sign-in after the address changed at the provider. Cognito maps the new address
    /// and, with it, whatever is mapped to `email_verified`; when nothing is, it resets
    /// `email_verified` to false. The inbound federation trigger runs `decide` again first.
    fn federated_address_change(&self, index: usize, provider: &IdentityProvider) -> Row {
        let name = provider.name.as_str();
        let scenario = Scenario::FederatedAddressChange {
            provider: name.to_owned(),
            provider_type: provider.kind.provider_type(),
        };
        let user_name = || Some(format!("{name}_{SAMPLE_FEDERATED_ID}"));
        if self.spec.decided_providers().contains_key(name) {
            // The trigger reads the provider's own claim as sent; the provider asserts it.
            let call = self.call(
                TriggerSource::InboundFederation,
                None,
                user_name(),
                &self.email,
                provider.kind.sends_email_verified(),
            );
            let decision = call.as_ref().and_then(|c| c.outcome.as_ref().ok());
            return match decision.filter(|d| d.auto_verify_email) {
                Some(d) => {
                    let why = format!("the inbound federation trigger decides again at every sign-in ({}): the new address is verified on the same basis as the first", d.reason.as_str());
                    self.row(scenario, Verdict::True, why, call, None)
                }
                None => {
                    let why = "the inbound federation trigger decides again at every sign-in and finds no trusted basis for the new address".to_owned();
                    self.row(scenario, Verdict::False, why, call, None)
                }
            };
        }
        if let Some(claim) = provider.email_verified_source() {
            let why = format!("{name}'s `{claim}` is mapped and written at every sign-in: true while {name} asserts the new address, false when it does not");
            return self.row(scenario, Verdict::True, why, None, None);
        }
        if self.spec.triggers.inbound_federation_arn.is_some() {
            let why = "the inbound federation function given by ARN decides what is mapped: unless it maps a verified claim, Cognito resets email_verified to false with the new address".to_owned();
            return self.row(scenario, Verdict::False, why, None, None);
        }
        let first_verified = self
            .call(
                TriggerSource::ExternalProvider,
                None,
                user_name(),
                &self.email,
                false,
            )
            .is_some_and(|c| c.outcome.is_ok_and(|d| d.auto_verify_email));
        if !first_verified {
            let why = format!("nothing verifies {name}'s addresses: the new one is unverified too");
            return self.row(scenario, Verdict::False, why, None, None);
        }
        let why = format!("the PreSignUp trigger verified {name}'s users at their first sign-in only, and no claim is mapped: Cognito resets email_verified to false when it maps the new address");
        let base = format!("identity_providers[{index}]");
        let fix = match self.findings.iter().find(|f| {
            f.help == spec::validate::INBOUND_FEDERATION_HELP && f.path.starts_with(&base)
        }) {
            Some(finding) => Fix {
                path: Some(finding.path.clone()),
                change: finding.help.clone(),
            },
            None => Fix {
                path: Some("triggers.inbound_federation".to_owned()),
                change: spec::validate::INBOUND_FEDERATION_HELP.to_owned(),
            },
        };
        let risk = Risk {
            problem: stranded(&format!("a user whose address changed at {name}")),
            fix,
        };
        self.row(scenario, Verdict::False, why, None, Some(risk))
    }
}

fn is_refusal(call: Option<&TriggerCall>) -> bool {
    call.is_some_and(|c| c.outcome.is_err())
}

/// The problem of a row that leaves `who` with `email_verified` false.
fn stranded(who: &str) -> String {
    format!("{who} ends with email_verified false: they cannot reset a forgotten password or get codes by email, and may lose the address to another account")
}
