//! Questions on the terminal. Without one (CI), asking is an error that names `--yes`.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::anyhow;

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
