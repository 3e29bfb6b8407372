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

/// Left-aligned columns, two spaces apart; the last column is not padded.
pub fn columns(lines: &[Vec<String>]) -> Vec<String> {
    let count = lines.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0; count];
    for line in lines {
        for (width, cell) in widths.iter_mut().zip(line) {
            *width = (*width).max(cell.chars().count());
        }
    }
    lines
        .iter()
        .map(|line| {
            let cells: Vec<String> = line
                .iter()
                .zip(&widths)
                .map(|(cell, width)| format!("{cell:<width$}"))
                .collect();
            cells.join("  ").trim_end().to_owned()
        })
        .collect()
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
