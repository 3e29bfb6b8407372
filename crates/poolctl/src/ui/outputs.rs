//! Stack outputs: aligned `Key  Value` lines for people, a JSON object in a file for scripts.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context;

use crate::exit::Failure;

/// Outputs as aligned `Key  Value` lines on stdout.
pub fn print_outputs(outputs: &BTreeMap<String, String>) {
    let width = outputs.keys().map(String::len).max().unwrap_or(0);
    for (key, value) in outputs {
        println!("{key:<width$}  {value}");
    }
}

/// Writes `json` (with a final newline) to the `--outputs-file` path.
pub fn write_outputs_file(path: &Path, json: &str) -> Result<(), Failure> {
    std::fs::write(path, format!("{}\n", json.trim_end()))
        .with_context(|| format!("cannot write the outputs file {}", path.display()))
        .map_err(Failure::error)
}
