//! What `check` shows: each spec's diagnostics on stderr, then one summary line per file on
//! stdout.

use std::path::Path;

use spec::{Loaded, SpecError};

use super::spec::{print_load_error, print_warnings};

pub fn print_ok(path: &Path, loaded: &Loaded) {
    print_warnings(&loaded.warnings);
    println!(
        "ok {}{}",
        path.display(),
        count_suffix(0, loaded.warnings.len())
    );
}

pub fn print_failed(path: &Path, error: &SpecError) {
    print_load_error(error);
    println!(
        "failed {}{}",
        path.display(),
        count_suffix(error.errors().count(), error.warnings().count())
    );
}

/// ` (2 errors, 1 warning)`, or nothing when there is nothing to count.
fn count_suffix(errors: usize, warnings: usize) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut parts = Vec::new();
    if errors > 0 {
        parts.push(plural(errors, "error"));
    }
    if warnings > 0 {
        parts.push(plural(warnings, "warning"));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    }
}
