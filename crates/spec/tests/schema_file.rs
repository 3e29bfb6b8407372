//! schema/poolspec.schema.json is what editors validate specs against: it must be exactly what
//! `poolctl schema` prints. Refresh it with `just schema`.

use std::path::PathBuf;

#[test]
fn committed_schema_is_current() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../schema/poolspec.schema.json");
    let committed = std::fs::read_to_string(&path).expect("schema/poolspec.schema.json exists");
    assert!(
        committed == spec::json_schema_pretty(),
        "schema/poolspec.schema.json is stale: run `just schema` and commit the result"
    );
}

#[test]
fn schema_rejects_unknown_keys_and_knows_every_top_level_key() {
    let schema = spec::json_schema();
    assert_eq!(schema["additionalProperties"], serde_json::json!(false));
    let properties = schema["properties"].as_object().expect("properties");
    for key in [
        "name",
        "description",
        "sign_in",
        "email",
        "verification",
        "password",
        "mfa",
        "attributes",
        "identity_providers",
        "clients",
        "domain",
        "triggers",
        "protection",
        "tags",
    ] {
        assert!(properties.contains_key(key), "schema lacks `{key}`");
    }
    let required: Vec<&str> = schema["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(required, ["name", "sign_in"]);
}
