//! Existing pools into poolctl.
//!
//! [`live::read`] reads a live pool with the Cognito SDK (the pool, its clients, identity
//! providers, domain, groups and resource servers), keeping the SDK's own types.
//! [`to_spec::to_spec`] turns it into the [`spec::PoolSpec`] that renders to the pool as it is,
//! mistakes included, and lists every setting the spec cannot express as a [`Gap`]: nothing is
//! dropped silently. [`spec_file`] writes that spec with a header saying where it came from.
//! [`adopt::plan`] builds what a CloudFormation IMPORT needs from it: the import template
//! (the importable resources only, each retained) and the resources to import, after
//! refusing, through the deploy guard's own rule, a spec that changes what Cognito cannot.
//! [`pool_spec`] and [`stack_spec`] are the spec of a live pool and of a poolctl stack as
//! deployed (`explain` with no spec).
//!
//! Never prints; errors are [`ImportError`].

pub mod adopt;
mod error;
mod file;
mod gap;
pub mod live;
mod stack;
pub mod to_spec;

pub use error::ImportError;
pub use file::spec_file;
pub use gap::{Gap, LiveProperty, Target};
pub use live::LivePool;
pub use stack::{pool_spec, stack_spec};
pub use to_spec::{to_spec, Imported, SECRET_PLACEHOLDER};
