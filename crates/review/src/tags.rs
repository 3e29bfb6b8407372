//! What marks a stack as a review pool: its tags. `review ls`, `gc` and `down` find review
//! pools by these tags alone, never by parsing stack names, so renaming rules can change
//! without orphaning pools.

use aws_sdk_cloudformation::types::StackStatus;

use crate::time::Instant;

/// `review` on every review stack.
pub const TAG_KIND: &str = "poolctl:kind";
pub const KIND_REVIEW: &str = "review";
/// The review id, verbatim.
pub const TAG_REVIEW_ID: &str = "poolctl:review-id";
/// The spec's pool name: the tag every poolctl stack carries.
pub const TAG_POOL: &str = template::POOL_TAG;
/// RFC 3339, UTC: when the review pool was first created.
pub const TAG_CREATED_AT: &str = "poolctl:created-at";
/// RFC 3339, UTC: from when `review gc` may delete it.
pub const TAG_EXPIRES_AT: &str = "poolctl:expires-at";

/// The tags of one review stack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewTags {
    pub id: String,
    pub pool: String,
    pub created_at: Instant,
    pub expires_at: Instant,
}

impl ReviewTags {
    /// As CloudFormation stack tags (which CloudFormation also puts on every resource).
    pub fn to_pairs(&self) -> Vec<(String, String)> {
        vec![
            (TAG_KIND.to_owned(), KIND_REVIEW.to_owned()),
            (TAG_REVIEW_ID.to_owned(), self.id.clone()),
            (TAG_POOL.to_owned(), self.pool.clone()),
            (TAG_CREATED_AT.to_owned(), self.created_at.to_string()),
            (TAG_EXPIRES_AT.to_owned(), self.expires_at.to_string()),
        ]
    }
}

/// A review stack as `review ls` shows it and `review gc` judges it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewPool {
    pub stack_name: String,
    pub stack_id: String,
    pub id: String,
    pub pool: String,
    pub status: StackStatus,
    /// From the tag; `None` when the tag is missing or unreadable.
    pub created_at: Option<Instant>,
    /// From the tag; `None` when the tag is missing or unreadable (never expires by itself).
    pub expires_at: Option<Instant>,
}

impl ReviewPool {
    /// The review pool a stack is, or `None` for any stack not tagged `poolctl:kind=review`.
    pub fn from_stack(stack: &aws_sdk_cloudformation::types::Stack) -> Option<ReviewPool> {
        let tag = |key: &str| {
            stack
                .tags()
                .iter()
                .find(|t| t.key() == Some(key))
                .and_then(|t| t.value())
                .map(str::to_owned)
        };
        if tag(TAG_KIND).as_deref() != Some(KIND_REVIEW) {
            return None;
        }
        let instant = |key: &str| tag(key).and_then(|text| text.parse::<Instant>().ok());
        Some(ReviewPool {
            stack_name: stack.stack_name().unwrap_or_default().to_owned(),
            stack_id: stack.stack_id().unwrap_or_default().to_owned(),
            id: tag(TAG_REVIEW_ID).unwrap_or_default(),
            pool: tag(TAG_POOL).unwrap_or_default(),
            status: stack
                .stack_status()
                .cloned()
                .unwrap_or_else(|| StackStatus::from("")),
            created_at: instant(TAG_CREATED_AT),
            expires_at: instant(TAG_EXPIRES_AT),
        })
    }

    pub fn is_expired(&self, now: Instant) -> bool {
        self.expires_at.is_some_and(|expiry| expiry <= now)
    }

    /// An operation is running on it: deleting now would fail (or is already happening). A
    /// change set never executed (a cancelled job) is not an operation: such a stack can and
    /// should be deleted.
    pub fn is_busy(&self) -> bool {
        deploy::stack::is_busy(&self.status)
    }
}

/// What `review gc` does with the review pools it found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GcPlan {
    /// Expired and idle: to delete.
    pub delete: Vec<ReviewPool>,
    /// Expired but an operation is running on it: left for the next run.
    pub busy: Vec<ReviewPool>,
    /// Not expired (or no readable expiry): kept.
    pub keep: Vec<ReviewPool>,
}

/// Sorts review pools into delete / busy / keep as of `now`. A pool whose expiry tag is
/// missing or unreadable is kept: gc deletes only what it can prove has expired.
pub fn plan_gc(pools: Vec<ReviewPool>, now: Instant) -> GcPlan {
    let mut plan = GcPlan::default();
    for pool in pools {
        if !pool.is_expired(now) {
            plan.keep.push(pool);
        } else if pool.is_busy() {
            plan.busy.push(pool);
        } else {
            plan.delete.push(pool);
        }
    }
    plan
}

#[cfg(test)]
mod tests {
    use aws_sdk_cloudformation::types::{Stack, StackStatus, Tag};

    use super::*;

    fn at(text: &str) -> Instant {
        text.parse().unwrap()
    }

    fn stack(name: &str, status: StackStatus, tags: &[(String, String)]) -> Stack {
        let mut builder = Stack::builder()
            .stack_name(name)
            .stack_id(format!("arn:stack/{name}/1"))
            .stack_status(status);
        for (key, value) in tags {
            builder = builder.tags(Tag::builder().key(key).value(value).build());
        }
        builder.build()
    }

    fn tags(id: &str, created: &str, expires: &str) -> ReviewTags {
        ReviewTags {
            id: id.into(),
            pool: "review".into(),
            created_at: at(created),
            expires_at: at(expires),
        }
    }

    #[test]
    fn tags_round_trip_through_a_stack() {
        let written = tags(
            "feature/login",
            "2026-11-22T10:00:00Z",
            "2026-11-25T10:00:00Z",
        );
        let pairs = written.to_pairs();
        assert!(pairs.contains(&("poolctl:expires-at".into(), "2026-11-25T10:00:00Z".into())));
        let read =
            ReviewPool::from_stack(&stack("s", StackStatus::CreateComplete, &pairs)).unwrap();
        assert_eq!(read.id, "feature/login");
        assert_eq!(read.pool, "review");
        assert_eq!(read.status, StackStatus::CreateComplete);
        assert_eq!(read.created_at, Some(written.created_at));
        assert_eq!(read.expires_at, Some(written.expires_at));
    }

    #[test]
    fn stacks_without_the_review_kind_are_not_review_pools() {
        let production = stack(
            "poolctl-acme",
            StackStatus::CreateComplete,
            &[("team".into(), "identity".into())],
        );
        assert_eq!(ReviewPool::from_stack(&production), None);
        let other_kind = [(TAG_KIND.to_owned(), "production".to_owned())];
        assert_eq!(
            ReviewPool::from_stack(&stack("x", StackStatus::CreateComplete, &other_kind)),
            None
        );
    }

    #[test]
    fn gc_deletes_only_what_has_provably_expired_and_is_idle() {
        let now = at("2026-11-22T12:00:00Z");
        let pool = |name: &str, status: StackStatus, expires: Option<&str>| {
            let mut pairs = vec![
                (TAG_KIND.to_owned(), KIND_REVIEW.to_owned()),
                (TAG_REVIEW_ID.to_owned(), name.to_owned()),
            ];
            if let Some(expires) = expires {
                pairs.push((TAG_EXPIRES_AT.to_owned(), expires.to_owned()));
            }
            ReviewPool::from_stack(&stack(name, status, &pairs)).unwrap()
        };
        let pools = vec![
            pool(
                "old",
                StackStatus::CreateComplete,
                Some("2026-11-22T11:00:00Z"),
            ),
            pool(
                "exactly-now",
                StackStatus::UpdateComplete,
                Some("2026-11-22T12:00:00Z"),
            ),
            pool(
                "failed",
                StackStatus::RollbackComplete,
                Some("2026-11-01T00:00:00Z"),
            ),
            pool(
                "fresh",
                StackStatus::CreateComplete,
                Some("2026-11-22T12:00:01Z"),
            ),
            pool("untagged-expiry", StackStatus::CreateComplete, None),
            pool("garbled", StackStatus::CreateComplete, Some("soon")),
            pool(
                "updating",
                StackStatus::UpdateInProgress,
                Some("2026-11-20T00:00:00Z"),
            ),
            pool(
                "abandoned",
                StackStatus::ReviewInProgress,
                Some("2026-11-20T00:00:00Z"),
            ),
        ];
        let plan = plan_gc(pools, now);
        let names = |list: &[ReviewPool]| list.iter().map(|p| p.id.clone()).collect::<Vec<_>>();
        assert_eq!(
            names(&plan.delete),
            ["old", "exactly-now", "failed", "abandoned"]
        );
        assert_eq!(names(&plan.busy), ["updating"]);
        assert_eq!(names(&plan.keep), ["fresh", "untagged-expiry", "garbled"]);
    }
}
