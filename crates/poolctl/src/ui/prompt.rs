//! Questions on the terminal. Without one (CI), asking is an error that names `--yes`.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::anyhow;
use deploy::{Confirmation, DeployError};

use crate::exit::Failure;

/// Asks a yes/no question on the terminal; an error when there is no terminal to ask on.
pub fn ask(question: &str) -> anyhow::Result<bool> {
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return Err(anyhow!(
            "confirmation needed but there is no terminal to ask on; pass --yes"
        ));
    }
    eprint!("{question} [y/N] ");
    std::io::stderr().flush().ok();
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(
        answer.trim().to_ascii_lowercase().as_str(),
        "y" | "yes"
    ))
}

/// Asks whether to execute a change set: anything but yes declines, saying why.
pub fn confirm(question: &str) -> Confirmation {
    match ask(question) {
        Ok(true) => Confirmation::Proceed,
        Ok(false) => Confirmation::Decline("not confirmed".to_owned()),
        Err(e) => Confirmation::Decline(e.to_string()),
    }
}

/// The failure of a declined change set: why, and that nothing changed (or why the change
/// set could not be deleted).
pub fn declined(reason: &str, discarded: Result<(), DeployError>) -> Failure {
    if let Err(error) = discarded {
        return error.into();
    }
    Failure::error(anyhow!(
        "{reason}; the change set was deleted and nothing changed"
    ))
}
