//! Review pools: one short-lived pool per pull request, deployed and deleted by CI.
//!
//! A review pool is an ordinary poolctl stack with three differences: its name and domain are
//! derived from a review id ([`naming`]); it can always be deleted, whatever the spec says for
//! production ([`review_spec`]); and tags record the id, the pool, the creation time and the
//! expiry ([`tags`]), which is all `review ls`, `review gc` and `review down` look at. Every
//! stack operation goes through the deploy driver's public API.

pub mod express;
pub mod naming;
pub mod ops;
pub mod review_spec;
pub mod tags;
pub mod time;

pub use naming::{domain_prefix, stack_name, InvalidReviewId, ReviewId, STACK_PREFIX};
pub use ops::{down, gc, list, up, GcEvent, GcSummary, Removed, ReviewError, UpReport, UpRequest};
pub use review_spec::{environment_name, review_spec, ReviewSpecError};
pub use tags::{plan_gc, GcPlan, ReviewPool, ReviewTags};
pub use time::{human_duration, Instant, InvalidTime, Ttl};
