//! The hosted sign-in domain: a Cognito prefix or a custom domain. Owns the domain-prefix
//! rule, which review pools also ask.

use super::Checker;

impl Checker<'_> {
    pub(super) fn domain(&mut self) {
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
