//! What can go wrong, typed. The command line turns these into messages and exit codes.

use std::path::PathBuf;

use aws::AwsError;

#[derive(Debug, thiserror::Error)]
pub enum UsersError {
    /// The stack lookup for `--stack` (no such stack, or no pool in it).
    #[error(transparent)]
    Context(aws::Error),

    /// An API call failed for a reason retrying cannot fix.
    #[error(transparent)]
    Aws(#[from] AwsError),

    /// A task of this run stopped without finishing (a bug, not an answer of the service).
    #[error("{0}")]
    Task(String),

    /// Throttled on every attempt: the quota is taken by something else in the account.
    #[error(
        "{operation} was throttled {attempts} times in a row: other clients in this account \
         and region use the quota; try a lower --rate or a quieter time (nothing was skipped; \
         rerun to go on)"
    )]
    Throttled {
        operation: &'static str,
        attempts: u32,
    },

    /// A file could not be read or written.
    #[error("{}: {message}", path.display())]
    File { path: PathBuf, message: String },

    /// Input rows that fail validation, each with its line; nothing was sent.
    #[error("{}: {} invalid row(s), nothing was sent:\n{}", path.display(), problems.len(), problems.join("\n"))]
    InvalidRows {
        path: PathBuf,
        problems: Vec<String>,
    },

    /// The journal is from another pool or another command.
    #[error(
        "journal {} is for {found}, not {expected}: pass another --journal, or delete it if that run is over",
        path.display()
    )]
    JournalMismatch {
        path: PathBuf,
        found: String,
        expected: String,
    },
}

impl UsersError {
    /// True when the service answered with this error code.
    pub fn is_code(&self, wanted: &str) -> bool {
        matches!(self, UsersError::Aws(error) if error.is_code(wanted))
    }

    pub(crate) fn file(path: &std::path::Path, error: impl std::fmt::Display) -> UsersError {
        UsersError::File {
            path: path.to_owned(),
            message: error.to_string(),
        }
    }
}

/// A failed call stays an [`UsersError::Aws`], whichever way it came.
impl From<aws::Error> for UsersError {
    fn from(error: aws::Error) -> UsersError {
        match error {
            aws::Error::Call(error) => UsersError::Aws(error),
            other => UsersError::Context(other),
        }
    }
}
