//! A pool spec made into the spec of one review pool.

use spec::{DeletionProtection, PoolSpec, Protection};

use crate::naming::{domain_prefix, ReviewId};

/// Why a spec cannot be deployed as a review pool.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReviewSpecError {
    #[error(
        "pool {pool:?} uses the custom domain {domain:?}, which one pool at a time can hold; \
         give the review spec a `domain: {{ prefix: ... }}` instead"
    )]
    CustomDomain { pool: String, domain: String },
}

/// `spec` as review pool `id`: whatever the spec says for production, the pool can be deleted
/// (deletion protection off, no retain), and its hosted-UI domain prefix, global in the region,
/// gets the id appended so that review pools never fight over it.
pub fn review_spec(spec: &PoolSpec, id: &ReviewId) -> Result<PoolSpec, ReviewSpecError> {
    let mut review = spec.clone();
    review.protection = Protection {
        deletion: DeletionProtection::Inactive,
        retain_on_delete: false,
    };
    if let Some(domain) = review.domain.as_mut() {
        if let Some(custom) = &domain.custom {
            return Err(ReviewSpecError::CustomDomain {
                pool: spec.name.clone(),
                domain: custom.name.clone(),
            });
        }
        if let Some(prefix) = domain.prefix.as_mut() {
            *prefix = domain_prefix(prefix, id);
        }
    }
    Ok(review)
}

/// The `EnvironmentName` template parameter of a review pool.
pub fn environment_name(id: &ReviewId) -> String {
    format!("review-{}", id.slug())
}

#[cfg(test)]
mod tests {
    use super::*;

    use serde_json::json;

    fn load(value: serde_json::Value) -> PoolSpec {
        serde_json::from_value(value).unwrap()
    }

    fn production_like() -> serde_json::Value {
        json!({
            "name": "acme",
            "sign_in": { "username": "email" },
            "domain": { "prefix": "acme-login" },
            "protection": { "deletion": "active", "retain_on_delete": true },
        })
    }

    #[test]
    fn review_pools_are_always_deletable_and_get_their_own_domain() {
        let id = ReviewId::parse("pr-42").unwrap();
        let review = review_spec(&load(production_like()), &id).unwrap();
        assert_eq!(review.protection.deletion, DeletionProtection::Inactive);
        assert!(!review.protection.retain_on_delete);
        assert_eq!(
            review.domain.unwrap().prefix.as_deref(),
            Some("acme-login-pr-42")
        );
        assert_eq!(review.name, "acme");
        assert_eq!(environment_name(&id), "review-pr-42");
    }

    #[test]
    fn a_spec_without_a_domain_stays_without_one() {
        let spec = load(json!({ "name": "acme", "sign_in": { "username": "email" } }));
        let review = review_spec(&spec, &ReviewId::parse("1").unwrap()).unwrap();
        assert_eq!(review.domain, None);
        assert_eq!(review.protection.deletion, DeletionProtection::Inactive);
    }

    #[test]
    fn a_custom_domain_is_refused() {
        let spec = load(json!({
            "name": "acme",
            "sign_in": { "username": "email" },
            "domain": { "custom": { "name": "auth.acme.example", "certificate_arn": "arn:aws:acm:us-east-1:1:certificate/x" } },
        }));
        let error = review_spec(&spec, &ReviewId::parse("1").unwrap()).unwrap_err();
        assert!(error.to_string().contains("auth.acme.example"), "{error}");
    }
}
