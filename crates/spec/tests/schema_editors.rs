//! The committed JSON Schema as an editor uses it (yaml-language-server reads the modeline and
//! validates with a standard JSON Schema validator): every example pool is valid against it,
//! and a misspelt key is flagged. Checked with Python's `jsonschema`, an independent
//! implementation, over the YAML as PyYAML reads it.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// Validates each YAML file against schema/poolspec.schema.json; returns the errors found per
/// file, one line each (`<file>: <json path>: <message>`), each as precise as the schema makes it.
fn validate(files: &[PathBuf]) -> String {
    let root = repo_root();
    let python = root.join(".venv/bin/python");
    assert!(
        python.exists(),
        "{} is missing: run `just setup`",
        python.display()
    );
    let script = r#"
import json, sys, yaml, jsonschema
from jsonschema.exceptions import best_match
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
for path in sys.argv[2:]:
    for error in validator.iter_errors(yaml.safe_load(open(path))):
        # As an editor shows it: inside a word-or-mapping key (`anyOf`), the error of the
        # alternative the value is closest to.
        error = best_match([error])
        print(f"{path}: {error.json_path}: {error.message}")
"#;
    let output = Command::new(python)
        .arg("-c")
        .arg(script)
        .arg(root.join("schema/poolspec.schema.json"))
        .args(files)
        .output()
        .expect("python runs");
    assert!(
        output.status.success(),
        "validator failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn every_example_pool_is_valid_against_the_committed_schema() {
    let mut pools: Vec<PathBuf> = std::fs::read_dir(repo_root().join("infra/pools"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
        .collect();
    pools.sort();
    assert!(
        pools.len() >= 3,
        "expected the example pools, found {pools:?}"
    );
    assert_eq!(validate(&pools), "");
}

#[test]
fn the_schema_flags_a_misspelt_key_and_a_wrong_enum_value() {
    let demo = std::fs::read_to_string(repo_root().join("infra/pools/demo.yaml")).unwrap();
    let broken = demo
        .replace("case_sensitive: false", "case_sensitve: false")
        .replace("style: code", "style: sms");
    assert_ne!(broken, demo);
    let path = std::env::temp_dir().join(format!("poolctl-schema-{}.yaml", std::process::id()));
    std::fs::write(&path, broken).unwrap();
    let errors = validate(std::slice::from_ref(&path));
    std::fs::remove_file(&path).ok();
    assert!(
        errors.contains("$.sign_in") && errors.contains("case_sensitve"),
        "{errors}"
    );
    assert!(
        errors.contains("$.verification.message.style") && errors.contains("'sms'"),
        "{errors}"
    );
}

#[test]
fn the_schema_takes_cognitos_own_verification_email_as_a_word() {
    let demo = std::fs::read_to_string(repo_root().join("infra/pools/demo.yaml")).unwrap();
    let start = demo
        .find("  message:\n")
        .expect("demo.yaml has a verification message");
    let end = demo[start..]
        .find("\n  account_recovery:")
        .map(|i| start + i + 1)
        .expect("account_recovery follows the message");
    let write = |word: &str, name: &str| {
        let text = format!("{}  message: {word}\n{}", &demo[..start], &demo[end..]);
        let path = std::env::temp_dir().join(format!("poolctl-{name}-{}.yaml", std::process::id()));
        std::fs::write(&path, text).unwrap();
        path
    };
    let valid = write("cognito_default", "cognito-default");
    let invalid = write("cognito", "cognito-word");
    let errors = validate(&[valid.clone(), invalid.clone()]);
    std::fs::remove_file(&valid).ok();
    std::fs::remove_file(&invalid).ok();
    let lines: Vec<&str> = errors.lines().collect();
    assert_eq!(lines.len(), 1, "{errors}");
    assert!(
        lines[0].contains("cognito-word") && lines[0].contains("$.verification.message"),
        "{errors}"
    );
}
