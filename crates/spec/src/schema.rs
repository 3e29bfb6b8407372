//! The JSON Schema of the pool spec, for editors (yaml-language-server) and the README.

use crate::model::PoolSpec;

/// The JSON Schema of a pool spec (draft 2020-12), derived from the model's types and docs.
pub fn json_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(PoolSpec)).unwrap_or(serde_json::Value::Null)
}

/// The schema as `poolctl schema` prints it and `schema/poolspec.schema.json` stores it:
/// pretty, two-space indented, with a trailing newline.
pub fn json_schema_pretty() -> String {
    let mut text = serde_json::to_string_pretty(&json_schema()).unwrap_or_default();
    text.push('\n');
    text
}
