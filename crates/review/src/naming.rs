//! Review ids and the names derived from them: the stack name and the hosted-UI domain prefix.
//!
//! CI passes whatever identifies the change: `123`, `pr-123`, a branch like `feature/login`.
//! The id is kept verbatim in a tag; every name derived from it is a *slug*: lowercase ASCII
//! letters, digits and single hyphens. When the slug is not the id itself (case, `/`, `_`, `.`
//! were rewritten) or a name had to be shortened, a short hash of the full input is appended,
//! so two different ids never share a stack or a domain, and the same id always gets the same
//! names.

use std::fmt;

use sha2::{Digest, Sha256};

/// Every review stack's name starts with this, which is what the CI role's IAM policy scopes to.
pub const STACK_PREFIX: &str = "poolctl-review-";

/// The longest review stack name: review pools may have a trigger.
pub const MAX_STACK_NAME: usize = deploy::stack_name::MAX_STACK_NAME_WITH_TRIGGER;

/// The longest review id accepted.
pub const MAX_ID_LEN: usize = 64;

/// Hex digits of sha256 appended to disambiguate rewritten or shortened names.
const HASH_LEN: usize = 8;

/// Why a review id was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidReviewId {
    #[error("the review id is empty; pass e.g. --id pr-123")]
    Empty,
    #[error("the review id is {len} characters long; at most {MAX_ID_LEN} are allowed")]
    TooLong { len: usize },
    #[error(
        "the review id {id:?} contains {found:?} at position {position}; allowed are ASCII \
         letters, digits, '-', '_', '.' and '/'"
    )]
    BadCharacter {
        id: String,
        found: char,
        position: usize,
    },
    #[error("the review id {id:?} has no letter or digit")]
    NoAlphanumeric { id: String },
}

/// A validated review id: the verbatim id and the slug names are made from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReviewId {
    raw: String,
    slug: String,
}

impl ReviewId {
    /// Validates `raw`: 1 to [`MAX_ID_LEN`] characters from ASCII letters, digits, `-`, `_`,
    /// `.` and `/`, at least one of them a letter or digit. Anything else is refused rather
    /// than rewritten, so a mistake (a space, an unexpanded `${{ }}`) is seen at once.
    pub fn parse(raw: &str) -> Result<ReviewId, InvalidReviewId> {
        if raw.is_empty() {
            return Err(InvalidReviewId::Empty);
        }
        let len = raw.chars().count();
        if len > MAX_ID_LEN {
            return Err(InvalidReviewId::TooLong { len });
        }
        if let Some((position, found)) = raw
            .chars()
            .enumerate()
            .find(|(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/')))
        {
            return Err(InvalidReviewId::BadCharacter {
                id: raw.to_owned(),
                found,
                position,
            });
        }
        let sanitised = slugify(raw);
        if sanitised.is_empty() {
            return Err(InvalidReviewId::NoAlphanumeric { id: raw.to_owned() });
        }
        let slug = if sanitised == raw {
            sanitised
        } else {
            format!("{sanitised}-{}", short_hash(&[raw]))
        };
        Ok(ReviewId {
            raw: raw.to_owned(),
            slug,
        })
    }

    /// The id as given.
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// Lowercase letters, digits and single hyphens; equal to the id when the id already is
    /// such a slug, otherwise the rewritten id plus a hash of the original.
    pub fn slug(&self) -> &str {
        &self.slug
    }
}

impl fmt::Display for ReviewId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

/// The review stack for pool `pool` (the spec's `name`) and `id`:
/// `poolctl-review-<pool>-<slug>`, at most [`MAX_STACK_NAME`] characters. Longer names are cut
/// and end in a hash of the pool name and the full id.
pub fn stack_name(pool: &str, id: &ReviewId) -> String {
    let body = format!("{}-{}", slugify(pool), id.slug());
    let room = MAX_STACK_NAME - STACK_PREFIX.len();
    format!("{STACK_PREFIX}{}", fit(&body, room, &[pool, id.as_str()]))
}

/// The hosted-UI domain prefix of a review pool. Prefixes are global within a region (across
/// all accounts), so each review pool needs its own: `<prefix>-<slug>`, or, when that is too
/// long or contains a word Cognito reserves, the prefix cut to fit plus a hash of the id.
pub fn domain_prefix(prefix: &str, id: &ReviewId) -> String {
    let readable = format!("{prefix}-{}", id.slug());
    if spec::domain_prefix_problem(&readable).is_none() {
        return readable;
    }
    let hash = short_hash(&[prefix, id.as_str()]);
    let keep = spec::MAX_DOMAIN_PREFIX - HASH_LEN - 1;
    let head = prefix
        .get(..keep.min(prefix.len()))
        .unwrap_or(prefix)
        .trim_end_matches('-');
    format!("{head}-{hash}")
}

/// Lowercase; every run of characters other than ASCII letters and digits becomes one `-`;
/// no leading or trailing `-`.
fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

/// `name` if it fits in `room`, otherwise its head plus `-<hash of parts>`.
fn fit(name: &str, room: usize, parts: &[&str]) -> String {
    if name.len() <= room {
        return name.to_owned();
    }
    let keep = room - HASH_LEN - 1;
    // Slugs are ASCII, so byte indexing is character indexing.
    let head = name[..keep].trim_end_matches('-');
    format!("{head}-{}", short_hash(parts))
}

/// The first [`HASH_LEN`] hex digits of sha256 over `parts` joined by NUL (which no part can
/// contain), so ("a", "b/c") and ("a/b", "c") differ.
fn short_hash(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for (index, part) in parts.iter().enumerate() {
        if index > 0 {
            hasher.update([0u8]);
        }
        hasher.update(part.as_bytes());
    }
    hasher
        .finalize()
        .iter()
        .take(HASH_LEN / 2)
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(raw: &str) -> ReviewId {
        ReviewId::parse(raw).unwrap()
    }

    /// CloudFormation: a letter, then letters, digits and hyphens, at most 128.
    fn is_valid_stack_name(name: &str) -> bool {
        deploy::check_stack_name(name, true).is_ok()
    }

    fn is_valid_domain_prefix(prefix: &str) -> bool {
        spec::domain_prefix_problem(prefix).is_none()
    }

    #[test]
    fn clean_ids_are_their_own_slug() {
        for raw in ["123", "pr-123", "review-7"] {
            assert_eq!(id(raw).slug(), raw);
        }
    }

    #[test]
    fn rewritten_ids_get_a_hash_so_they_cannot_collide() {
        let branch = id("feature/login");
        assert!(
            branch.slug().starts_with("feature-login-"),
            "{}",
            branch.slug()
        );
        assert_eq!(branch.slug().len(), "feature-login-".len() + HASH_LEN);
        // The clean id with the same letters gets another slug, as do other spellings.
        let others = [
            "feature-login",
            "Feature/Login",
            "feature_login",
            "feature.login",
            "feature//login",
        ];
        for other in others {
            assert_ne!(id(other).slug(), branch.slug(), "{other}");
        }
        // Stable: the same id always gives the same slug.
        assert_eq!(id("feature/login").slug(), branch.slug());
    }

    #[test]
    fn bad_ids_are_refused_with_the_reason() {
        assert_eq!(ReviewId::parse(""), Err(InvalidReviewId::Empty));
        assert_eq!(
            ReviewId::parse(&"a".repeat(65)),
            Err(InvalidReviewId::TooLong { len: 65 })
        );
        assert!(ReviewId::parse(&"a".repeat(64)).is_ok());
        assert_eq!(
            ReviewId::parse("pr 12"),
            Err(InvalidReviewId::BadCharacter {
                id: "pr 12".into(),
                found: ' ',
                position: 2
            })
        );
        for bad in [
            "pr#1",
            "a\nb",
            "é",
            "${{ github.event.number }}",
            "a:b",
            "tab\t",
        ] {
            assert!(
                matches!(
                    ReviewId::parse(bad),
                    Err(InvalidReviewId::BadCharacter { .. })
                ),
                "{bad:?}"
            );
        }
        assert_eq!(
            ReviewId::parse("--/_."),
            Err(InvalidReviewId::NoAlphanumeric { id: "--/_.".into() })
        );
        let message = ReviewId::parse("pr 12").unwrap_err().to_string();
        assert!(
            message.contains("' '") && message.contains("allowed"),
            "{message}"
        );
    }

    #[test]
    fn stack_names_are_valid_bounded_and_distinct() {
        assert_eq!(
            stack_name("review", &id("pr-123")),
            "poolctl-review-review-pr-123"
        );
        let long_pool = "a-pool-name-that-is-quite-long-indeed-for-sure";
        let ids = [
            "1",
            "pr-123",
            "feature/login",
            &"x".repeat(64),
            &format!("{}y", "x".repeat(63)),
            "X",
        ];
        let mut seen = std::collections::HashSet::new();
        for pool in ["review", long_pool] {
            for raw in ids {
                let name = stack_name(pool, &id(raw));
                assert!(is_valid_stack_name(&name), "{name}");
                assert!(
                    name.len() <= MAX_STACK_NAME,
                    "{name} is {} long",
                    name.len()
                );
                assert!(name.starts_with(STACK_PREFIX));
                assert!(seen.insert(name.clone()), "collision: {name}");
                assert_eq!(stack_name(pool, &id(raw)), name, "stable");
            }
        }
        // The function name the template derives stays within Lambda's limit.
        let longest = stack_name(long_pool, &id(&"x".repeat(64)));
        assert!(format!("{longest}-pre-sign-up").len() <= 64);
    }

    #[test]
    fn domain_prefixes_are_unique_per_id_and_acceptable_to_cognito() {
        assert_eq!(
            domain_prefix("acme-review", &id("pr-7")),
            "acme-review-pr-7"
        );
        let prefix = "poolctl-review-pr";
        let mut seen = std::collections::HashSet::new();
        for raw in [
            "1",
            "2",
            "fix-aws-login",
            "amazon",
            "Feature/X",
            &"z".repeat(64),
        ] {
            let domain = domain_prefix(prefix, &id(raw));
            assert!(is_valid_domain_prefix(&domain), "{raw}: {domain}");
            assert!(seen.insert(domain.clone()), "collision: {domain}");
        }
        let long_prefix = "p".repeat(63);
        let domain = domain_prefix(&long_prefix, &id("pr-1"));
        assert!(is_valid_domain_prefix(&domain), "{domain}");
        assert_ne!(domain, domain_prefix(&long_prefix, &id("pr-2")));
    }
}
