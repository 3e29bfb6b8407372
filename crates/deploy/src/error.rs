//! The driver's error type. The CLI maps the variants to exit codes: [`DeployError::Refused`]
//! is 3, [`DeployError::StackFailed`] is 4, everything else 1.

use std::fmt;

use aws::AwsError;
use aws_sdk_cloudformation::config::http::HttpResponse;
use aws_sdk_cloudformation::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_cloudformation::types::{ResourceStatus, StackStatus};

#[derive(Debug, thiserror::Error)]
pub enum DeployError {
    /// An AWS API call failed after the SDK's retries.
    #[error(transparent)]
    Aws(#[from] AwsError),

    /// A guard refused the change; nothing was executed.
    #[error("{0}")]
    Refused(Refusal),

    /// The stack operation failed or rolled back.
    #[error("{0}")]
    StackFailed(Box<StackFailure>),

    /// Watching a running stack operation failed (the network, the credentials, the service):
    /// the operation itself may well still be running.
    #[error(
        "lost track of stack {stack_name} while its operation ran: {cause}; the operation may \
         still be running in CloudFormation"
    )]
    LostTrack {
        stack_name: String,
        cause: Box<DeployError>,
    },

    /// This deploy's change set was deleted or refused before it was executed, because
    /// another operation ran on the stack meanwhile (CloudFormation deletes a stack's other
    /// change sets when one is executed). Nothing of this deploy was executed.
    #[error(
        "another operation was in progress on stack {stack_name} ({detail}), so this deploy's \
         change set was not executed; nothing of it was applied. Rerunning the deploy is safe: \
         it waits for that operation, then deploys on top of it"
    )]
    Superseded { stack_name: String, detail: String },

    /// The stack is in a state this driver cannot deploy over without a person deciding.
    #[error("{0}")]
    StackState(String),

    /// The stack does not exist (outputs, destroy of an absent stack is not an error there).
    #[error("stack {0} does not exist")]
    StackNotFound(String),

    /// A stack name CloudFormation or Lambda would refuse.
    #[error("{0}")]
    StackName(String),

    #[error("trigger artifact: {0}")]
    Artifact(String),

    #[error("parameter {0}")]
    Parameter(String),

    #[error("{0}")]
    Unexpected(String),
}

impl DeployError {
    /// A task of the driver's that ended without an answer (it panicked or was cancelled):
    /// `what` says what it was doing.
    pub(crate) fn task_stopped(what: &str, error: &tokio::task::JoinError) -> DeployError {
        DeployError::Unexpected(format!("{what} stopped: {error}"))
    }

    /// An API error as every crate reports it ([`AwsError::from_sdk`]).
    // Takes the error as a conversion does, so callers can write `map_err(|e| aws(op, e))`.
    #[allow(clippy::needless_pass_by_value)]
    pub fn aws<E>(operation: &'static str, error: SdkError<E, HttpResponse>) -> DeployError
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        DeployError::Aws(AwsError::from_sdk(operation, &error))
    }

    /// The AWS error code, when this is an API error.
    pub fn aws_code(&self) -> Option<&str> {
        match self {
            DeployError::Aws(error) => error.code.as_deref(),
            _ => None,
        }
    }
}

/// Why a guard refused a deploy, and the way out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// What would happen, in one sentence.
    pub reason: String,
    /// What to do instead.
    pub help: String,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "refused: {}\n  help: {}", self.reason, self.help)
    }
}

/// The first real cause of a failed stack operation (not a cancellation caused by it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailureCause {
    pub logical_id: String,
    pub resource_type: String,
    pub status: ResourceStatus,
    pub reason: String,
}

impl fmt::Display for FailureCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({}) {}: {}",
            self.logical_id,
            self.resource_type,
            self.status.as_str(),
            self.reason
        )
    }
}

/// A stack operation that ended in a failed or rolled-back state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackFailure {
    pub stack_name: String,
    pub status: StackStatus,
    pub cause: Option<FailureCause>,
}

impl fmt::Display for StackFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "stack {} ended in {}",
            self.stack_name,
            self.status.as_str()
        )?;
        match &self.cause {
            Some(cause) => write!(f, "; first failure: {cause}"),
            None => write!(f, "; no resource reported a failure reason"),
        }
    }
}
