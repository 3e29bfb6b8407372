//! GitHub Actions, natively: a step's markdown summary appended to the file named by
//! `GITHUB_STEP_SUMMARY`, and stack outputs appended to `GITHUB_OUTPUT` as step outputs, in
//! the formats GitHub documents ("Workflow commands for GitHub Actions"). Without the
//! variables nothing is written, so the same commands run anywhere.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;

use anyhow::Context;

use crate::cli::{ReportFormat, SummaryFormat};
use crate::exit::Failure;

const STEP_SUMMARY: &str = "GITHUB_STEP_SUMMARY";
const STEP_OUTPUT: &str = "GITHUB_OUTPUT";

/// Where a command's markdown summary goes besides the step summary file: stdout too, when
/// `--output markdown` asked for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Markdown {
    Stdout,
    FileOnly,
}

impl From<ReportFormat> for Markdown {
    fn from(format: ReportFormat) -> Self {
        if format == ReportFormat::Markdown {
            Markdown::Stdout
        } else {
            Markdown::FileOnly
        }
    }
}

impl From<SummaryFormat> for Markdown {
    fn from(format: SummaryFormat) -> Self {
        if format == SummaryFormat::Markdown {
            Markdown::Stdout
        } else {
            Markdown::FileOnly
        }
    }
}

/// Whether a command needs its markdown summary at all (rendering is skipped otherwise).
pub fn wants_summary(markdown: Markdown) -> bool {
    markdown == Markdown::Stdout || target(STEP_SUMMARY).is_some()
}

/// Prints `summary` on stdout when asked to and appends it to the step summary when GitHub
/// gave one.
pub fn publish_summary(summary: &str, markdown: Markdown) -> Result<(), Failure> {
    if markdown == Markdown::Stdout {
        print!("{summary}");
    }
    if let Some(path) = target(STEP_SUMMARY) {
        append(STEP_SUMMARY, &path, &format!("{}\n\n", summary.trim_end()))?;
    }
    Ok(())
}

/// Appends each output as a step output (`Key=value`; a multi-line value in the delimited
/// form) when GitHub gave an output file.
pub fn publish_outputs(outputs: &BTreeMap<String, String>) -> Result<(), Failure> {
    match target(STEP_OUTPUT) {
        Some(path) => append(STEP_OUTPUT, &path, &step_outputs(outputs)),
        None => Ok(()),
    }
}

fn target(variable: &str) -> Option<PathBuf> {
    std::env::var_os(variable)
        .filter(|path| !path.is_empty())
        .map(PathBuf::from)
}

fn append(variable: &str, path: &PathBuf, text: &str) -> Result<(), Failure> {
    std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)
        .and_then(|mut file| file.write_all(text.as_bytes()))
        .with_context(|| format!("cannot append to {variable} ({})", path.display()))
        .map_err(Failure::error)
}

/// The `GITHUB_OUTPUT` lines: `name=value`, or for a value with a line break
/// `name<<DELIMITER`, the value, `DELIMITER`, with a delimiter the value does not contain.
pub fn step_outputs(outputs: &BTreeMap<String, String>) -> String {
    let mut text = String::new();
    for (name, value) in outputs {
        if value.contains('\n') || value.contains('\r') {
            let mut delimiter = String::from("POOLCTL_EOF");
            while value.contains(&delimiter) {
                delimiter.push('_');
            }
            let _ = writeln!(text, "{name}<<{delimiter}\n{value}\n{delimiter}");
        } else {
            let _ = writeln!(text, "{name}={value}");
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_line_values_are_name_equals_value() {
        let outputs = BTreeMap::from([
            ("UserPoolId".to_owned(), "us-east-1_AbC".to_owned()),
            ("Url".to_owned(), "https://x.example/a=b".to_owned()),
        ]);
        assert_eq!(
            step_outputs(&outputs),
            "Url=https://x.example/a=b\nUserPoolId=us-east-1_AbC\n"
        );
    }

    #[test]
    fn multi_line_values_use_a_delimiter_they_do_not_contain() {
        let outputs = BTreeMap::from([("Notes".to_owned(), "a\nPOOLCTL_EOF\nb".to_owned())]);
        assert_eq!(
            step_outputs(&outputs),
            "Notes<<POOLCTL_EOF_\na\nPOOLCTL_EOF\nb\nPOOLCTL_EOF_\n"
        );
    }
}
