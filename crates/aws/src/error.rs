//! The one error type for a failed AWS call, and what the context itself can fail with.

use aws_sdk_cloudformation::config::http::HttpResponse;
use aws_sdk_cloudformation::error::{ProvideErrorMetadata, SdkError};

use crate::endpoint::{self, Unreachable};

/// An AWS call that failed after the client's retries. Every crate reports a failed call as
/// this, so it reads the same everywhere: `<service>:<Operation> failed: <message>`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{operation} failed: {message}")]
pub struct AwsError {
    /// The IAM action, e.g. `cloudformation:DescribeStacks`.
    pub operation: &'static str,
    /// The service's error code (`ValidationError`, `UserNotFoundException`, ...), when it
    /// answered with one.
    pub code: Option<String>,
    /// The service's `Code: message`, or what kept the call from getting an answer.
    pub message: String,
}

impl AwsError {
    /// A call whose answer could not be used (e.g. it lacked what it must hold).
    pub fn unexpected(operation: &'static str, message: impl Into<String>) -> AwsError {
        AwsError {
            operation,
            code: None,
            message: message.into(),
        }
    }

    /// An SDK error as poolctl reports it; the one rule for its text: the service's `Code:
    /// message` when it answered with one (a bare code, as HEAD answers give, with its HTTP
    /// status); for a transport failure, the service, the endpoint, the reason and the setting
    /// that chose the endpoint; else the error's cause chain on one line.
    pub fn from_sdk<E>(operation: &'static str, error: &SdkError<E, HttpResponse>) -> AwsError
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        let status = error.raw_response().map(|r| r.status().as_u16());
        // HEAD answers have no body, so S3 gives only a status: name it as S3 would.
        let code = error.code().map(str::to_owned).or_else(|| match status {
            Some(404) => Some("NotFound".to_owned()),
            Some(403) => Some("Forbidden".to_owned()),
            Some(301) => Some("PermanentRedirect".to_owned()),
            _ => None,
        });
        let message = match (code.as_deref(), error.message(), status) {
            (Some(code), Some(message), _) => format!("{code}: {message}"),
            (Some("PermanentRedirect"), None, _) => {
                "PermanentRedirect: the bucket is in another region than this deploy".to_owned()
            }
            (Some(code), None, Some(status)) => format!("{code} (HTTP {status})"),
            (Some(code), None, None) => code.to_owned(),
            (None, Some(message), _) => message.to_owned(),
            (None, None, _) => match error {
                SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) => {
                    unreachable_text(operation, error)
                }
                _ => error_chain(error),
            },
        };
        AwsError {
            operation,
            code,
            message,
        }
    }

    /// True when the service answered with this error code.
    pub fn is_code(&self, wanted: &str) -> bool {
        self.code.as_deref() == Some(wanted)
    }

    /// CloudFormation's answer for a stack that does not exist.
    pub fn is_missing_stack(&self) -> bool {
        self.is_code("ValidationError") && self.message.contains("does not exist")
    }
}

/// A call that got no answer. Clients built here name their endpoint ([`Unreachable`]); for
/// any other, the service comes from the operation's name.
fn unreachable_text(operation: &str, error: &(dyn std::error::Error + 'static)) -> String {
    let mut current = Some(error);
    while let Some(cause) = current {
        if let Some(unreachable) = cause.downcast_ref::<Unreachable>() {
            return unreachable.to_string();
        }
        current = cause.source();
    }
    let service = operation.split(':').next().unwrap_or(operation);
    format!("cannot reach {service} ({})", endpoint::reason(error))
}

/// An error and its sources on one line: the SDK's top-level messages alone are often vague.
pub(crate) fn error_chain(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = cause.source();
    }
    message
}

/// What the AWS context can fail with: no region or credentials, a failed call, or a stack
/// that holds no pool.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no AWS region is set: pass --region, set AWS_REGION, or give the profile a region")]
    NoRegion,

    /// The chain's details are in the field (logged at debug level); the message stays one
    /// sentence.
    #[error(
        "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, pass \
         --profile, or run `aws sso login`"
    )]
    NoCredentials(String),

    #[error(transparent)]
    Call(#[from] AwsError),

    /// STS refused the environment's role (or could not be reached).
    #[error("cannot assume role {role_arn}: {detail}")]
    AssumeRole { role_arn: String, detail: String },

    /// The stack does not exist.
    #[error("stack {0} does not exist")]
    StackNotFound(String),

    /// The credentials act in another account than the environment's: nothing was changed.
    #[error(
        "environment {environment} is account {expected}, and these credentials act in account \
         {actual}; nothing was changed: use credentials (or a role_arn) of account {expected}"
    )]
    WrongAccount {
        environment: String,
        expected: String,
        actual: String,
    },

    /// The region asked for is not the environment's: nothing was changed.
    #[error(
        "environment {environment} is in region {expected}, and the command was given region \
         {actual}; nothing was changed: drop --region (and AWS_REGION), or pass --region {expected}"
    )]
    WrongRegion {
        environment: String,
        expected: String,
        actual: String,
    },

    /// The stack has no pool output: it is not a poolctl pool stack.
    #[error("stack {stack} has no {output} output: is it a poolctl stack?")]
    NoPoolOutput { stack: String, output: &'static str },
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_cloudformation::error::ConnectorError;
    use aws_sdk_cloudformation::operation::describe_stacks::DescribeStacksError;

    #[test]
    fn a_transport_failure_of_a_client_built_elsewhere_names_the_service_and_the_reason() {
        let io = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        let error: SdkError<DescribeStacksError, HttpResponse> =
            SdkError::dispatch_failure(ConnectorError::io(Box::new(io)));
        let aws = AwsError::from_sdk("cloudformation:DescribeStacks", &error);
        assert_eq!(
            aws.to_string(),
            "cloudformation:DescribeStacks failed: cannot reach cloudformation (connection refused)"
        );
    }

    #[test]
    fn a_missing_stack_is_cloudformations_validation_error() {
        let missing = AwsError {
            operation: "cloudformation:DescribeStacks",
            code: Some("ValidationError".into()),
            message: "ValidationError: Stack with id x does not exist".into(),
        };
        assert!(missing.is_missing_stack());
        assert!(
            !AwsError::unexpected("cloudformation:DescribeStacks", "does not exist")
                .is_missing_stack()
        );
    }
}
