//! The deploy driver: artifacts, change sets, the pool guard, stack watching, outputs.
//!
//! A library first (the CLI and review pools share it): [`Aws::load`] resolves credentials and
//! region, [`Deployer::prepare`] settles the stack and makes a guard-checked change set (or
//! skips), [`Plan::execute`] streams the operation's events and ends in an [`ApplyOutcome`] or
//! a [`DeployError`] naming the first real cause; [`Deployer::delete`] likewise.

pub mod apply;
pub mod artifact;
pub mod aws;
pub mod changes;
pub mod error;
pub mod events;
pub mod guard;
mod poll;
pub mod stack;
pub mod stack_name;
pub mod store;

pub use apply::{
    spec_template, ApplyOutcome, DeleteOutcome, DeployReport, DeployRequest, Deployer, Plan,
    Prepared, Progress, RenderTemplate, Watch,
};
pub use aws::{Aws, AwsOptions};
pub use changes::ResourceChange;
pub use error::{DeployError, FailureCause, Refusal, StackFailure};
pub use events::StackEvent;
pub use stack::StackInfo;
pub use stack_name::check_stack_name;
pub use store::ArtifactLocation;
pub mod review;
