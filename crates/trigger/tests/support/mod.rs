//! Helpers shared by the integration tests and the decision bench.

#![allow(dead_code)]

/// The text of `tests/fixtures/<name>.json`.
pub fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}.json", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}
