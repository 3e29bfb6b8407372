//! Exit codes, the contract with scripts (documented in docs/cli.md):
//! 0 done or nothing to do; 1 error; 3 refused by a guard; 4 the stack failed or rolled back;
//! 5 `users audit` found stranded users; 6 `explain --prove` observed what it did not predict;
//! 130 interrupted. Every library error becomes a code here and nowhere else.

use deploy::DeployError;
use review::ReviewError;

const ERROR: u8 = 1;
const REFUSED: u8 = 3;
const STACK_FAILED: u8 = 4;
/// `users audit`: some users can sign in but cannot recover their account by email.
const STRANDED: u8 = 5;
/// `explain --prove`: a scenario's observed email_verified differs from the prediction.
const MISMATCH: u8 = 6;
/// 128 + SIGINT, as shells report Ctrl-C.
const INTERRUPTED: u8 = 130;

/// Why a command did not succeed, and so which exit code it ends with.
#[derive(Debug)]
pub struct Failure {
    code: u8,
    error: anyhow::Error,
}

impl Failure {
    /// Bad input, missing credentials, an API error: exit 1.
    pub fn error(error: impl Into<anyhow::Error>) -> Self {
        Self {
            code: ERROR,
            error: error.into(),
        }
    }

    /// A failure whose message was already printed in full (e.g. located spec errors): only
    /// the exit code remains to give.
    pub fn silent(code: u8) -> Self {
        Self {
            code,
            error: anyhow::anyhow!(""),
        }
    }

    /// `users audit` found stranded users (the report is already printed).
    pub fn stranded() -> Self {
        Self::silent(STRANDED)
    }

    /// `explain --prove` saw a mismatch (the report is already printed).
    pub fn mismatch() -> Self {
        Self::silent(MISMATCH)
    }

    /// A guard refused part of the work (the report names what and why).
    pub fn refused(error: impl Into<anyhow::Error>) -> Self {
        Self {
            code: REFUSED,
            error: error.into(),
        }
    }

    /// Ctrl-C stopped the command (the message saying what continues is already printed).
    pub fn interrupted() -> Self {
        Self::silent(INTERRUPTED)
    }

    #[cfg(test)]
    pub(crate) fn code(&self) -> u8 {
        self.code
    }

    /// The exit code and the message (the cause chain, `: `-joined; empty when the failure
    /// was already reported in full), for `ui::report`.
    /// The exit code and the message, for a report that shows several failures.
    pub fn parts(&self) -> (u8, String) {
        (self.code, format!("{:#}", self.error))
    }

    pub fn into_parts(self) -> (u8, String) {
        (self.code, format!("{:#}", self.error))
    }
}

/// Plain errors (I/O, bad input) are exit 1. Library errors have their own conversions
/// below, so that `?` never turns a refusal or a failed stack into a plain error.
impl From<anyhow::Error> for Failure {
    fn from(error: anyhow::Error) -> Self {
        Failure::error(error)
    }
}

impl From<DeployError> for Failure {
    fn from(error: DeployError) -> Self {
        let code = match &error {
            DeployError::Refused(_) => REFUSED,
            DeployError::StackFailed(_) => STACK_FAILED,
            _ => ERROR,
        };
        Self {
            code,
            error: error.into(),
        }
    }
}

impl From<ReviewError> for Failure {
    fn from(error: ReviewError) -> Self {
        match error {
            ReviewError::Deploy(error) => error.into(),
            other => Failure::error(other),
        }
    }
}

/// A live pool the spec cannot fully hold, and a spec that changes what Cognito cannot, are
/// refusals (3); the rest are errors (1).
impl From<import::ImportError> for Failure {
    fn from(error: import::ImportError) -> Self {
        let code = match error {
            import::ImportError::Deploy(deploy) => return deploy.into(),
            import::ImportError::Gaps(_) | import::ImportError::Refused(_) => REFUSED,
            _ => ERROR,
        };
        Self {
            code,
            error: error.into(),
        }
    }
}

/// Nothing `users` does is a refusal or a stack operation: every error is 1.
impl From<users::UsersError> for Failure {
    fn from(error: users::UsersError) -> Self {
        Failure::error(error)
    }
}

/// Credentials or a region that are not the environment's are a refusal (3); no region or
/// credentials, a failed call, a stack without a pool: exit 1.
impl From<aws::Error> for Failure {
    fn from(error: aws::Error) -> Self {
        match error {
            aws::Error::WrongAccount { .. } | aws::Error::WrongRegion { .. } => {
                Failure::refused(error)
            }
            other => Failure::error(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use deploy::{Refusal, StackFailure};

    use super::*;

    fn refusal() -> DeployError {
        DeployError::Refused(Refusal {
            reason: "the change replaces user pool UserPool".into(),
            help: "keep the username setting".into(),
        })
    }

    fn stack_failure() -> DeployError {
        DeployError::StackFailed(Box::new(StackFailure {
            stack_name: "poolctl-demo".into(),
            status: "ROLLBACK_COMPLETE".into(),
            cause: None,
        }))
    }

    fn through_question_mark(error: DeployError) -> Result<(), Failure> {
        Err(error)?;
        Ok(())
    }

    fn through_review(error: DeployError) -> Result<(), Failure> {
        Err(ReviewError::Deploy(error))?;
        Ok(())
    }

    #[test]
    fn a_guard_refusal_reached_through_question_mark_exits_3() {
        assert_eq!(through_question_mark(refusal()).unwrap_err().code(), 3);
        assert_eq!(through_review(refusal()).unwrap_err().code(), 3);
    }

    #[test]
    fn a_stack_failure_reached_through_question_mark_exits_4() {
        assert_eq!(
            through_question_mark(stack_failure()).unwrap_err().code(),
            4
        );
        assert_eq!(through_review(stack_failure()).unwrap_err().code(), 4);
    }

    #[test]
    fn the_account_guard_exits_3_and_missing_credentials_exit_1() {
        let wrong = aws::Error::WrongAccount {
            environment: "prod".into(),
            expected: "333333333333".into(),
            actual: "111111111111".into(),
        };
        assert_eq!(Failure::from(wrong).code(), 3);
        let region = aws::Error::WrongRegion {
            environment: "prod".into(),
            expected: "us-east-1".into(),
            actual: "eu-west-1".into(),
        };
        assert_eq!(Failure::from(region).code(), 3);
        assert_eq!(Failure::from(aws::Error::NoRegion).code(), 1);
    }

    #[test]
    fn other_driver_errors_exit_1() {
        let missing = DeployError::StackNotFound("poolctl-demo".into());
        assert_eq!(through_question_mark(missing).unwrap_err().code(), 1);
        let not_review = ReviewError::NotAReviewStack("prod".into());
        assert_eq!(Failure::from(not_review).code(), 1);
        assert_eq!(Failure::interrupted().code(), 130);
        assert_eq!(Failure::mismatch().code(), 6);
    }
}
