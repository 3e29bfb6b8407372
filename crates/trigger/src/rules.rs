//! The policy checked once at start and prepared for matching: domain patterns validated and
//! split into exact names and subdomain suffixes, names lowercased.

use policy::{DomainPattern, PreSignUpPolicy};

/// Why the function configuration cannot be used. The function refuses to start with it.
#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    #[error("the policy in {env} is not valid JSON for the PreSignUp policy: {source}")]
    Json {
        env: &'static str,
        #[source]
        source: serde_json::Error,
    },
    #[error("{list}: {pattern:?} is not a domain pattern ({why}); {help}", help = policy::DOMAIN_PATTERN_HELP)]
    Domain {
        list: &'static str,
        pattern: String,
        why: &'static str,
    },
    #[error("{list}: an entry is empty")]
    EmptyName { list: &'static str },
    #[error("the providers in {env} are not valid JSON for the decided providers: {source}")]
    DecidedProvidersJson {
        env: &'static str,
        #[source]
        source: serde_json::Error,
    },
}

/// Reads the providers the inbound federation trigger decides for, as the rendered template
/// passes them in [`policy::DECIDED_PROVIDERS_ENV`].
pub fn decided_providers_from_json(json: &str) -> Result<policy::DecidedProviders, PolicyError> {
    serde_json::from_str(json).map_err(|source| PolicyError::DecidedProvidersJson {
        env: policy::DECIDED_PROVIDERS_ENV,
        source,
    })
}

/// A set of email domains in the policy's notation: `example.com` matches that domain only,
/// `*.example.com` matches any of its subdomains (at any depth) but not the domain itself.
#[derive(Debug, Clone, Default)]
pub struct DomainSet {
    /// Lowercase domains matched exactly.
    exact: Vec<String>,
    /// Lowercase suffixes with their leading dot (`.example.com`).
    subdomain_suffixes: Vec<String>,
}

impl DomainSet {
    fn parse(list: &'static str, patterns: &[String]) -> Result<Self, PolicyError> {
        let mut set = DomainSet::default();
        for pattern in patterns {
            let fail = |why| PolicyError::Domain {
                list,
                pattern: pattern.clone(),
                why,
            };
            match policy::parse_domain_pattern(pattern).map_err(fail)? {
                DomainPattern::Exact(domain) => set.exact.push(domain.to_owned()),
                DomainPattern::Subdomains(domain) => {
                    set.subdomain_suffixes.push(format!(".{domain}"));
                }
            }
        }
        Ok(set)
    }

    pub fn is_empty(&self) -> bool {
        self.exact.is_empty() && self.subdomain_suffixes.is_empty()
    }

    /// Case-insensitive; `domain` is taken as it comes from the address (any case, any bytes).
    pub fn matches(&self, domain: &str) -> bool {
        let domain = domain.as_bytes();
        self.exact
            .iter()
            .any(|exact| domain.eq_ignore_ascii_case(exact.as_bytes()))
            || self.subdomain_suffixes.iter().any(|suffix| {
                let suffix = suffix.as_bytes();
                // Strictly longer, so that `.example.com` alone (an empty label) never matches.
                domain.len() > suffix.len()
                    && domain[domain.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
            })
    }
}

/// The policy ready for decisions. Built once at start; every check here is the reason a bad
/// configuration fails at start rather than at each sign-up.
#[derive(Debug, Clone, Default)]
pub struct CompiledPolicy {
    /// Lowercase provider names.
    pub(crate) trusted_providers: Vec<String>,
    /// Lowercase provider names.
    pub(crate) vouched_providers: Vec<String>,
    /// App client ids, compared exactly (they are opaque, case-sensitive ids).
    pub(crate) trusted_clients: Vec<String>,
    pub(crate) allow_domains: DomainSet,
    pub(crate) deny_domains: DomainSet,
    pub(crate) verify_domains: DomainSet,
}

impl CompiledPolicy {
    pub fn new(policy: &PreSignUpPolicy) -> Result<Self, PolicyError> {
        Ok(CompiledPolicy {
            trusted_providers: names("trusted_providers", &policy.trusted_providers, true)?,
            vouched_providers: names("vouched_providers", &policy.vouched_providers, true)?,
            trusted_clients: names("trusted_clients", &policy.trusted_clients, false)?,
            allow_domains: DomainSet::parse("allow_domains", &policy.allow_domains)?,
            deny_domains: DomainSet::parse("deny_domains", &policy.deny_domains)?,
            verify_domains: DomainSet::parse("verify_domains", &policy.verify_domains)?,
        })
    }

    /// Reads the policy as the rendered template passes it in [`policy::POLICY_ENV`].
    pub fn from_json(json: &str) -> Result<Self, PolicyError> {
        let policy: PreSignUpPolicy =
            serde_json::from_str(json).map_err(|source| PolicyError::Json {
                env: policy::POLICY_ENV,
                source,
            })?;
        Self::new(&policy)
    }

    pub(crate) fn is_trusted_provider(&self, provider: &str) -> bool {
        contains_ignore_case(&self.trusted_providers, provider)
    }

    pub(crate) fn is_vouched_provider(&self, provider: &str) -> bool {
        contains_ignore_case(&self.vouched_providers, provider)
    }

    pub(crate) fn is_trusted_client(&self, client_id: &str) -> bool {
        self.trusted_clients.iter().any(|id| id == client_id)
    }
}

/// An empty name would match an empty provider prefix or client id, which an event can carry.
fn names(
    list: &'static str,
    names: &[String],
    lowercase: bool,
) -> Result<Vec<String>, PolicyError> {
    names
        .iter()
        .map(|name| {
            if name.trim().is_empty() {
                Err(PolicyError::EmptyName { list })
            } else if lowercase {
                Ok(name.to_ascii_lowercase())
            } else {
                Ok(name.clone())
            }
        })
        .collect()
}

fn contains_ignore_case(lowercase_names: &[String], name: &str) -> bool {
    lowercase_names
        .iter()
        .any(|known| known.as_bytes().eq_ignore_ascii_case(name.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(patterns: &[&str]) -> DomainSet {
        let patterns: Vec<String> = patterns.iter().map(ToString::to_string).collect();
        DomainSet::parse("allow_domains", &patterns).unwrap()
    }

    #[test]
    fn exact_pattern_matches_only_that_domain_in_any_case() {
        let set = set(&["example.com"]);
        assert!(set.matches("example.com"));
        assert!(set.matches("EXAMPLE.COM"));
        assert!(!set.matches("mail.example.com"));
        assert!(!set.matches("badexample.com"));
        assert!(!set.matches("example.com.evil.net"));
    }

    #[test]
    fn wildcard_pattern_matches_subdomains_at_any_depth_but_not_the_domain() {
        let set = set(&["*.example.com"]);
        assert!(set.matches("mail.example.com"));
        assert!(set.matches("a.b.EXAMPLE.com"));
        assert!(!set.matches("example.com"));
        assert!(!set.matches(".example.com"));
        assert!(!set.matches("badexample.com"));
    }

    #[test]
    fn non_ascii_domains_never_match_and_never_panic() {
        let set = set(&["*.example.com", "example.com"]);
        assert!(!set.matches("ü.exämple.com"));
        assert!(!set.matches("éxample.com"));
        assert!(set.matches("ü.example.com"));
    }

    #[test]
    fn bad_patterns_are_refused_with_the_list_name() {
        for bad in [
            "",
            "*",
            "*.",
            "@example.com",
            "a@example.com",
            "ex*ample.com",
            "*.*.example.com",
            "example..com",
            ".example.com",
            "example.com.",
            "-example.com",
            "exa mple.com",
            "exämple.com",
            // Patterns are written lowercase (the spec enforces it); addresses match in any case.
            "Example.com",
        ] {
            let policy = PreSignUpPolicy {
                deny_domains: vec![bad.to_string()],
                ..Default::default()
            };
            let error = CompiledPolicy::new(&policy).unwrap_err();
            assert!(
                matches!(&error, PolicyError::Domain { list: "deny_domains", pattern, .. } if pattern == bad),
                "{bad:?} gave {error}"
            );
        }
    }

    #[test]
    fn a_bad_pattern_is_explained_and_the_notation_shown() {
        let error = DomainSet::parse("deny_domains", &["a@example.com".to_string()]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "deny_domains: \"a@example.com\" is not a domain pattern (write the domain without the `@` and the part before it); write `example.com` for that domain or `*.example.com` for its subdomains"
        );
    }

    #[test]
    fn empty_provider_or_client_names_are_refused() {
        let policy = PreSignUpPolicy {
            trusted_clients: vec![" ".into()],
            ..Default::default()
        };
        assert!(matches!(
            CompiledPolicy::new(&policy),
            Err(PolicyError::EmptyName {
                list: "trusted_clients"
            })
        ));
    }

    #[test]
    fn unknown_fields_and_bad_json_are_refused() {
        assert!(matches!(
            CompiledPolicy::from_json(r#"{"trusted_provider": ["Google"]}"#),
            Err(PolicyError::Json { .. })
        ));
        assert!(matches!(
            CompiledPolicy::from_json("not json"),
            Err(PolicyError::Json { .. })
        ));
        assert!(CompiledPolicy::from_json("{}").is_ok());
    }

    #[test]
    fn provider_names_compare_case_insensitively_and_client_ids_exactly() {
        let policy = CompiledPolicy::from_json(
            r#"{"trusted_providers": ["Google"], "trusted_clients": ["AbC123"]}"#,
        )
        .unwrap();
        assert!(policy.is_trusted_provider("google"));
        assert!(policy.is_trusted_provider("GOOGLE"));
        assert!(!policy.is_trusted_provider("Googl"));
        assert!(policy.is_trusted_client("AbC123"));
        assert!(!policy.is_trusted_client("abc123"));
    }
}
