//! What can go wrong reading a pool or preparing its adoption.

use aws::AwsError;

use crate::gap::Gap;

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// A Cognito call failed.
    #[error(transparent)]
    Aws(#[from] AwsError),
    /// There is no pool with that id (in this account and region).
    #[error("user pool {0} does not exist in this account and region")]
    PoolNotFound(String),
    /// The live pool has settings the spec cannot express; adopting it would lose them (the
    /// first deploy's UpdateUserPool resets every setting it leaves out).
    #[error("the live pool has {} setting{} the spec cannot express: {}", .0.len(), if .0.len() == 1 { "" } else { "s" }, .0.iter().map(|g| g.setting.as_str()).collect::<Vec<_>>().join(", "))]
    Gaps(Vec<Gap>),
    /// The spec differs from the live pool in what Cognito cannot change in place.
    #[error("{}", .0.reason)]
    Refused(deploy::Refusal),
    /// A stack lookup failed (`explain --stack` without a spec).
    #[error(transparent)]
    Deploy(#[from] deploy::DeployError),
    /// The stack lookup (`explain --stack` without a spec): no such stack, or no pool in it.
    #[error(transparent)]
    Context(aws::Error),
    /// The stack's PreSignUp policy could not be read from its template.
    #[error("{0}")]
    DeployedPolicy(#[from] template::ReadBackError),
    /// The import template and the spec's template do not agree on a resource's logical ID,
    /// so the follow-up deploy would replace it.
    #[error("{0}")]
    LogicalIds(String),
}

impl ImportError {
    pub(crate) fn aws<E>(
        operation: &'static str,
        error: &aws_sdk_cognitoidentityprovider::error::SdkError<
            E,
            aws_sdk_cognitoidentityprovider::config::http::HttpResponse,
        >,
    ) -> ImportError
    where
        E: aws_sdk_cognitoidentityprovider::error::ProvideErrorMetadata
            + std::error::Error
            + 'static,
    {
        ImportError::Aws(AwsError::from_sdk(operation, error))
    }
}

/// A failed call stays an [`ImportError::Aws`], whichever way it came.
impl From<aws::Error> for ImportError {
    fn from(error: aws::Error) -> ImportError {
        match error {
            aws::Error::Call(error) => ImportError::Aws(error),
            other => ImportError::Context(other),
        }
    }
}
