//! Helpers shared by the runtime test and the cold-start bench.

#![allow(dead_code)]

pub mod runtime_api;

/// The text of the trigger library's `tests/fixtures/<name>.json`: the function is fed the
/// same Cognito events the decision table is written against, not copies of them.
pub fn fixture(name: &str) -> String {
    let path = format!(
        "{}/../trigger/tests/fixtures/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}
