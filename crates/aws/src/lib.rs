//! The AWS context: the one place that loads configuration and credentials and builds AWS SDK
//! clients, with their retry policies ([`RetryPolicy`]).
//!
//! Invariants: no other crate builds an SDK client (they ask [`Aws`] for one, with a policy);
//! a failed call is an [`AwsError`], whose text follows one rule (the service's `Code:
//! message`, or for a transport failure which service could not be reached, at which endpoint,
//! why, and which setting chose that endpoint); a stack's pool is found by
//! [`Aws::user_pool_id`] and nowhere else.
//! It never prints and knows nothing of specs or stack operations: the CloudFormation driver
//! is `deploy`, which builds on this.

pub mod cognito;
mod context;
mod endpoint;
mod error;
mod retry;
mod stack;
pub mod time;

pub use context::{Aws, AwsOptions, Target};
pub use endpoint::{EndpointOrigin, Service};
pub use error::{AwsError, Error};
pub use retry::RetryPolicy;
