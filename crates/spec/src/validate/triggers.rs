//! The PreSignUp trigger: log retention, and a policy whose names resolve and whose trusted
//! bases are sound.

use std::collections::BTreeSet;

use super::Checker;

impl Checker<'_> {
    pub(super) fn triggers(&mut self) {
        let triggers = &self.spec.triggers;
        if !LOG_RETENTION_DAYS.contains(&triggers.log_retention_days) {
            self.error(
                "triggers.log_retention_days",
                format!(
                    "log_retention_days: {} days is not a retention CloudWatch Logs offers",
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
        if let Some(key) = &triggers.log_group_kms_key {
            if !is_kms_key_arn(key) && !is_ssm_reference(key) {
                self.error(
                    "triggers.log_group_kms_key",
                    format!("{key:?} is not the ARN of a KMS key"),
                    "write the key's ARN, `arn:aws:kms:<region>:<account>:key/<key id>` (CloudWatch Logs takes no alias), or `{{resolve:ssm:<parameter>}}`",
                );
            }
        }
        self.inbound_federation();
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
                } else if field == "trusted_providers"
                    && provider.email_verified_source().is_none()
                    // The inbound federation trigger reads the provider's own claim.
                    && !self.spec.decided_providers().contains_key(name)
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
                        policy::DOMAIN_PATTERN_HELP,
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
}

impl Checker<'_> {
    /// The inbound federation trigger: poolctl's needs its function, one trigger at most, and
    /// a provider that only the PreSignUp trigger verifies (vouched for, no claim mapped)
    /// should have one.
    fn inbound_federation(&mut self) {
        let triggers = &self.spec.triggers;
        if triggers.inbound_federation && triggers.inbound_federation_arn.is_some() {
            self.error_at_key(
                "triggers.inbound_federation_arn",
                "a pool has one inbound federation trigger: poolctl's (`inbound_federation: true`) or a function of your own (`inbound_federation_arn`), not both",
                "remove one of them",
            );
        } else if triggers.inbound_federation && triggers.pre_sign_up.is_none() {
            self.error(
                "triggers.inbound_federation",
                "`inbound_federation: true` runs poolctl's PreSignUp function at every federated sign-in, but the pool has none (no `triggers.pre_sign_up`)",
                "add `triggers.pre_sign_up` with the policy that verifies your providers, or remove `inbound_federation`",
            );
        }
        if self.spec.wires_inbound_federation() {
            return;
        }
        let vouched: &[String] = triggers
            .pre_sign_up
            .as_ref()
            .map_or(&[], |p| p.vouched_providers.as_slice());
        for (i, provider) in self.spec.identity_providers.iter().enumerate() {
            // Vouched for, with no claim mapped: verified at the first sign-in only. (A trusted
            // provider without a mapped claim is never verified; its warning is above.)
            if !vouched.contains(&provider.name) || provider.email_verified_source().is_some() {
                continue;
            }
            let path = if provider.email_verified.is_some() {
                format!("identity_providers[{i}].email_verified")
            } else {
                format!("identity_providers[{i}]")
            };
            self.warning(
                path,
                format!("`{}`'s users are verified by the PreSignUp trigger, which runs only at their first sign-in: an address change at the IdP resets email_verified to false at the next sign-in, since no verified claim is mapped", provider.name),
                INBOUND_FEDERATION_HELP,
            );
        }
    }
}

/// How to keep federated users verified at every sign-in: `check`'s help, and `explain`'s fix.
pub const INBOUND_FEDERATION_HELP: &str = "set `triggers.inbound_federation: true` so that the trigger decides email_verified at every federated sign-in, on the same basis as at the first";

/// `arn:<partition>:kms:<region>:<account>:key/<key id>`.
pub(super) fn is_kms_key_arn(arn: &str) -> bool {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    parts.len() == 6
        && parts[0] == "arn"
        && parts[1].starts_with("aws")
        && parts[2] == "kms"
        && !parts[3].is_empty()
        && parts[4].len() == 12
        && parts[4].chars().all(|c| c.is_ascii_digit())
        && parts[5].strip_prefix("key/").is_some_and(|id| {
            !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

/// `{{resolve:ssm:<parameter>}}`, and nothing around it.
fn is_ssm_reference(value: &str) -> bool {
    value
        .strip_prefix("{{resolve:ssm:")
        .and_then(|rest| rest.strip_suffix("}}"))
        .is_some_and(|name| !name.is_empty() && !name.contains(['{', '}']))
}

/// CloudWatch Logs' allowed retention periods, in days.
pub(crate) const LOG_RETENTION_DAYS: &[u16] = &[
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
    3288, 3653,
];
