//! The deploy driver: artifacts, change sets, the pool guard, stack watching, outputs.
//!
//! A library first (the CLI and review pools share it), on the AWS context of the `aws` crate
//! (credentials, region, clients): [`Deployer::request`] turns a pool spec into a [`DeployRequest`],
//! [`Deployer::prepare`] settles the stack and makes a guard-checked change set (or skips),
//! [`Deployer::apply`] shows it to a confirmation callback and executes it, and the [`Watch`]
//! streams the operation's events and ends in an [`ApplyOutcome`] or a [`DeployError`] naming
//! the first real cause; [`Deployer::delete`] likewise.

pub mod artifact;
pub mod changes;
mod deployer;
pub mod error;
pub mod events;
mod from_spec;
pub mod guard;
mod import;
mod plan;
mod poll;
mod request;
pub mod stack;
pub mod stack_name;
pub mod store;
mod watch;

pub use changes::ResourceChange;
pub use deployer::{ApplyOutcome, ApplyRequest, DeleteOutcome, Deployer, Prepared, Progress};
pub use error::{DeployError, FailureCause, Refusal, StackFailure};
pub use events::StackEvent;
pub use from_spec::{default_stack_name, ArtifactUpload, SpecDeployment};
pub use import::{ImportRequest, ImportResource};
pub use plan::{Applying, ChangeSetSummary, Confirmation, Plan};
pub use request::{spec_template, DeployRequest, RenderTemplate};
pub use stack::StackInfo;
pub use stack_name::check_stack_name;
pub use store::ArtifactLocation;
pub use watch::Watch;
