//! Exit codes, the contract with scripts (documented in the README):
//! 0 done or nothing to do; 1 error; 3 refused by a guard; 4 the stack failed or rolled back.

use std::process::ExitCode;

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
            code: 1,
            error: error.into(),
        }
    }

    /// A guard refused the change: exit 3.
    pub fn refused(error: impl Into<anyhow::Error>) -> Self {
        Self {
            code: 3,
            error: error.into(),
        }
    }

    /// The stack operation failed or rolled back: exit 4.
    pub fn stack_failed(error: impl Into<anyhow::Error>) -> Self {
        Self {
            code: 4,
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

    /// Print `error: <cause chain>` to stderr and turn into the process exit code.
    pub fn report(self) -> ExitCode {
        let message = format!("{:#}", self.error);
        if !message.is_empty() {
            eprintln!("error: {message}");
        }
        ExitCode::from(self.code)
    }
}

impl<E: Into<anyhow::Error>> From<E> for Failure {
    fn from(error: E) -> Self {
        Failure::error(error)
    }
}
