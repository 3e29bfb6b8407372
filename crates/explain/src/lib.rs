//! What each way into a pool does to `email_verified`, for one spec.
//!
//! [`explain`] turns a loaded spec into [`Row`]s: agent sign-up through each client with a
//! secret, self-service sign-up through each client without one (and in each of the policy's
//! `verify_domains`), AdminCreateUser with and without `email_verified`, an email change, a
//! duplicate address, and a federated sign-in through each provider. Each row says what
//! `email_verified` ends up as, whether the user can then reset a password and get codes by
//! email, and, for a risky row, the spec change that fixes it.
//!
//! Nothing here restates a rule. The trigger's part of a row is `trigger::decide` (the code
//! the function runs) on the event the scenario makes Cognito send; mappings, keep-original
//! and the alias come from the spec's own derived values; a fix is `poolctl check`'s help
//! where check has a finding for the row.
//!
//! [`prove`] performs the scenarios a pool can be driven through from outside (sign-ups,
//! AdminCreateUser, and SAML sign-in on a local emulator) against a deployed stack, reads
//! back each user's `email_verified`, and deletes the users it made.

mod prove;
mod row;
mod scenarios;

pub use prove::saml::SignIn as SamlSignIn;
pub use prove::{prove, Check, Observed, Proof};
pub use row::{FederatedBasis, Fix, Risk, Row, Scenario, TriggerCall, Verdict};
pub use scenarios::{explain, sample_domain, Explanation, SAMPLE_FEDERATED_ID, SAMPLE_LOCAL_PART};

/// Why an explanation or a proof could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ExplainError {
    #[error("the PreSignUp policy cannot be compiled: {0}")]
    Policy(#[from] trigger::PolicyError),
    /// The stack lookup: no such stack, or no pool in it.
    #[error(transparent)]
    Context(aws::Error),
    #[error(transparent)]
    Aws(#[from] aws::AwsError),
}

/// A failed call stays an [`ExplainError::Aws`], whichever way it came.
impl From<aws::Error> for ExplainError {
    fn from(error: aws::Error) -> ExplainError {
        match error {
            aws::Error::Call(error) => ExplainError::Aws(error),
            other => ExplainError::Context(other),
        }
    }
}
