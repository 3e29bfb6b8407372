//! Everything a person or a script sees: progress on stderr, change-set summaries, tables,
//! prompts, the `--output json` shapes and the final error line. Commands call these; the
//! libraries never print, and neither do the commands (main.rs allows the print lints for
//! this module alone).

pub mod changes;
pub mod check;
pub mod deploy;
pub mod environments;
pub mod explain;
pub mod github;
pub mod import;
pub mod json;
pub mod markdown;
pub mod outputs;
pub mod progress;
pub mod prompt;
pub mod render;
pub mod review;
pub mod spec;
pub mod trigger;
pub mod users;

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;

use crate::exit::Failure;

/// Elapsed time as people read it in a result line: `1.23 s`.
pub fn seconds(elapsed: Duration) -> String {
    format!("{:.2} s", elapsed.as_secs_f64())
}

/// Writes `text` to stdout as is (a schema, templates): no line is added.
pub fn write_stdout(text: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .context("writing to stdout")?;
    stdout.flush().context("writing to stdout")
}

/// A JSON document on stdout, pretty-printed, with a final newline.
pub fn print_json(value: &serde_json::Value) {
    println!("{}", json::pretty(value));
}

/// Prints `error: <cause chain>` to stderr (unless the failure was already reported in full)
/// and gives the process exit code.
pub fn report(failure: Failure) -> ExitCode {
    let (code, message) = failure.into_parts();
    if !message.is_empty() {
        eprintln!("error: {message}");
    }
    ExitCode::from(code)
}
