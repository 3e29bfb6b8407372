//! What the rule tests share: the smallest valid spec, and finding a diagnostic by severity,
//! text and place.

#![allow(dead_code)] // Each test file uses its own part.

use spec::{load_str, Diagnostic, Severity};

/// The smallest valid spec; tests append to it. Lines 1-3.
pub const BASE: &str = "name: demo\nsign_in:\n  username: email\n";

pub fn diagnostics(text: &str) -> Vec<Diagnostic> {
    match load_str("pool.yaml", text) {
        Ok(loaded) => loaded.warnings,
        Err(error) => error.diagnostics,
    }
}

pub fn find(text: &str, severity: Severity, needle: &str) -> Diagnostic {
    let all = diagnostics(text);
    all.iter()
        .find(|d| d.severity == severity && d.message.contains(needle))
        .cloned()
        .unwrap_or_else(|| {
            let listed: Vec<String> = all.iter().map(ToString::to_string).collect();
            panic!(
                "no {severity} containing {needle:?}; got:\n{}",
                listed.join("\n")
            )
        })
}

/// Asserts an error containing `needle` at `line:column`, with a `help:`, and returns it.
pub fn error_at(text: &str, needle: &str, line: usize, column: usize) -> Diagnostic {
    let found = find(text, Severity::Error, needle);
    assert_eq!((found.line, found.column), (line, column), "{found}");
    assert!(!found.help.is_empty(), "no help: {found}");
    found
}

/// Asserts a warning containing `needle` at `line:column`, with a `help:`, and that a warning
/// alone does not fail the spec.
pub fn warning_at(text: &str, needle: &str, line: usize, column: usize) -> Diagnostic {
    let found = find(text, Severity::Warning, needle);
    assert_eq!((found.line, found.column), (line, column), "{found}");
    assert!(!found.help.is_empty(), "no help: {found}");
    assert!(
        load_str("pool.yaml", text).is_ok(),
        "a warning alone must not fail the spec"
    );
    found
}
