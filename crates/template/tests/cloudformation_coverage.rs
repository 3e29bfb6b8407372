//! Every property of every Cognito user-pool resource type, as CloudFormation's own resource
//! provider schemas (the copies cfn-lint ships) define it, is either rendered from some spec in
//! infra/pools or tests/specs, or listed with its reason in `uncovered-properties.yaml`. A new
//! property AWS adds, a renderer that stops emitting one, and a listed property that has since
//! been covered or removed all fail here, so the list cannot go stale.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use common::*;

const LISTING: &str = "uncovered-properties.yaml";
const COGNITO_PREFIX: &str = "AWS::Cognito::";

/// cfn-lint's `data/schemas` directory, found from the package installed in .venv.
fn cfn_lint_schemas() -> PathBuf {
    let python = venv_tool("python");
    let output = Command::new(&python)
        .args([
            "-c",
            "import cfnlint, os; print(os.path.dirname(cfnlint.__file__))",
        ])
        .output()
        .unwrap_or_else(|e| panic!("running {}: {e}", python.display()));
    assert!(
        output.status.success(),
        "cfn-lint is not installed in .venv (run `just setup`): {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let package = String::from_utf8(output.stdout).expect("cfn-lint's path is UTF-8");
    let schemas = Path::new(package.trim()).join("data/schemas");
    assert!(
        schemas.join("providers/us-east-1.json").is_file(),
        "cfn-lint at {} ships no resource provider schemas (data/schemas/providers/us-east-1.json)",
        package.trim()
    );
    schemas
}

fn read_json(path: &Path) -> Value {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("parsing {}: {e}", path.display()))
}

/// Each `AWS::Cognito::*` type with its resource provider schema.
fn cognito_schemas(schemas: &Path) -> BTreeMap<String, Value> {
    let providers = read_json(&schemas.join("providers/us-east-1.json"));
    let providers = providers
        .as_object()
        .expect("providers/us-east-1.json maps type names to schema files");
    providers
        .iter()
        .filter(|(name, _)| name.starts_with(COGNITO_PREFIX))
        .map(|(name, file)| {
            let file = file.as_str().expect("a schema file name");
            let schema = read_json(&schemas.join("resources").join(format!("{file}.json")));
            (name.clone(), schema)
        })
        .collect()
}

/// Every settable property path of a resource type (`Policies.PasswordPolicy.MinimumLength`):
/// nested objects are walked through `definitions`, array items are walked as their element,
/// and a free-form object (`UserPoolTags`, `ProviderDetails`) is one path. Read-only
/// properties are left out: a template cannot set them.
fn property_paths(schema: &Value) -> BTreeSet<String> {
    let read_only: BTreeSet<String> = schema["readOnlyProperties"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(|pointer| pointer.trim_start_matches("/properties/").replace('/', "."))
        .collect();
    let mut paths = BTreeSet::new();
    for (name, node) in schema["properties"].as_object().expect("properties") {
        if !read_only.contains(name) {
            walk(schema, node, name, &mut Vec::new(), &mut paths);
        }
    }
    paths.retain(|p| !read_only.contains(p));
    paths
}

fn walk(
    schema: &Value,
    node: &Value,
    path: &str,
    refs: &mut Vec<String>,
    paths: &mut BTreeSet<String>,
) {
    if let Some(reference) = node["$ref"].as_str() {
        let name = reference
            .strip_prefix("#/definitions/")
            .unwrap_or_else(|| panic!("{path}: unexpected $ref {reference}"));
        if refs.iter().any(|r| r == name) {
            paths.insert(path.to_owned());
            return;
        }
        refs.push(name.to_owned());
        walk(schema, &schema["definitions"][name], path, refs, paths);
        refs.pop();
        return;
    }
    if let Some(items) = node.get("items") {
        walk(schema, items, path, refs, paths);
        return;
    }
    match node["properties"].as_object() {
        Some(properties) if !properties.is_empty() => {
            for (name, child) in properties {
                walk(schema, child, &format!("{path}.{name}"), refs, paths);
            }
        }
        _ => {
            paths.insert(path.to_owned());
        }
    }
}

/// The property paths present in a rendered resource's `Properties`, down to the values: a
/// list is walked as its elements, an intrinsic function (`Ref`, `Fn::*`) is a value.
fn rendered_paths(value: &Value, path: &str, paths: &mut BTreeSet<String>) {
    match value {
        Value::Object(map)
            if map.len() == 1
                && map
                    .keys()
                    .all(|k| k == "Ref" || k == "Condition" || k.starts_with("Fn::")) =>
        {
            paths.insert(path.to_owned());
        }
        Value::Object(map) => {
            for (key, child) in map {
                let child_path = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                rendered_paths(child, &child_path, paths);
            }
        }
        Value::Array(items) => {
            for item in items {
                rendered_paths(item, path, paths);
            }
        }
        _ => {
            paths.insert(path.to_owned());
        }
    }
}

/// Every property path each Cognito type has in the rendered templates of all specs.
fn rendered_by_type() -> BTreeMap<String, BTreeSet<String>> {
    let mut by_type: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for spec in all_specs() {
        let template = render(&spec);
        let resources = template.as_value()["Resources"]
            .as_object()
            .expect("Resources");
        for resource in resources.values() {
            let kind = resource["Type"].as_str().expect("Type");
            if kind.starts_with(COGNITO_PREFIX) {
                rendered_paths(
                    &resource["Properties"],
                    "",
                    by_type.entry(kind.to_owned()).or_default(),
                );
            }
        }
    }
    by_type
}

/// A schema path is covered when a template has it, or something below it (a free-form
/// object's keys).
fn is_covered(path: &str, rendered: &BTreeSet<String>) -> bool {
    rendered.contains(path)
        || rendered
            .range(format!("{path}.")..)
            .next()
            .is_some_and(|r| r.starts_with(&format!("{path}.")))
}

/// The committed listing: per user-pool type, each uncovered path with its reason; and the
/// Cognito types out of scope, with theirs.
struct Listing {
    uncovered: BTreeMap<String, BTreeMap<String, String>>,
    out_of_scope: BTreeMap<String, String>,
}

fn listing() -> Listing {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(LISTING);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let value: serde_norway::Value =
        serde_norway::from_str(&text).unwrap_or_else(|e| panic!("parsing {LISTING}: {e}"));
    let section = |key: &str| -> serde_norway::Value {
        value
            .get(key)
            .cloned()
            .unwrap_or_else(|| panic!("{LISTING} has no `{key}` section"))
    };
    let uncovered: BTreeMap<String, Option<BTreeMap<String, String>>> =
        serde_norway::from_value(section("uncovered"))
            .unwrap_or_else(|e| panic!("{LISTING}: `uncovered` maps types to path: reason: {e}"));
    let out_of_scope: BTreeMap<String, String> = serde_norway::from_value(section("out_of_scope"))
        .unwrap_or_else(|e| panic!("{LISTING}: `out_of_scope` maps types to a reason: {e}"));
    Listing {
        uncovered: uncovered
            .into_iter()
            .map(|(kind, paths)| (kind, paths.unwrap_or_default()))
            .collect(),
        out_of_scope,
    }
}

#[test]
fn every_cognito_user_pool_property_is_rendered_or_listed_with_a_reason() {
    let schemas = cognito_schemas(&cfn_lint_schemas());
    let rendered = rendered_by_type();
    let listing = listing();
    let mut failures = Vec::new();
    let mut missing = Vec::new();

    for kind in schemas.keys() {
        let in_scope = listing.uncovered.contains_key(kind);
        let out = listing.out_of_scope.contains_key(kind);
        if in_scope == out {
            failures.push(format!(
                "{kind}: list it under exactly one of `uncovered` (a user-pool type, even with no \
                 path) and `out_of_scope` (with a reason)"
            ));
        }
    }
    for kind in listing.uncovered.keys().chain(listing.out_of_scope.keys()) {
        if !schemas.contains_key(kind) {
            failures.push(format!(
                "{kind}: listed, but CloudFormation has no such type; remove it"
            ));
        }
    }
    for (kind, reason) in &listing.out_of_scope {
        if reason.trim().is_empty() {
            failures.push(format!("{kind}: out of scope without a reason"));
        }
        if rendered.contains_key(kind) {
            failures.push(format!(
                "{kind}: listed out of scope, but a template renders it"
            ));
        }
    }

    let nothing = BTreeSet::new();
    for (kind, listed) in &listing.uncovered {
        let Some(schema) = schemas.get(kind) else {
            continue;
        };
        let paths = property_paths(schema);
        let rendered = rendered.get(kind).unwrap_or(&nothing);
        for path in &paths {
            let covered = is_covered(path, rendered);
            match listed.get(path) {
                None if !covered => missing.push(format!("{kind} {path}")),
                Some(_) if covered => failures.push(format!(
                    "{kind} {path}: listed as uncovered, but a template renders it; remove it \
                     from {LISTING}"
                )),
                Some(reason) if reason.trim().is_empty() => {
                    failures.push(format!("{kind} {path}: listed without a reason"));
                }
                _ => {}
            }
        }
        for path in listed.keys() {
            if !paths.contains(path) {
                failures.push(format!(
                    "{kind} {path}: listed, but the type has no such settable property; remove \
                     it from {LISTING}"
                ));
            }
        }
    }

    if !missing.is_empty() {
        failures.push(format!(
            "neither rendered by any spec nor listed in {LISTING} (render it from the spec and \
             add it to a coverage spec, or list it with a reason):\n    {}",
            missing.join("\n    ")
        ));
    }
    assert!(
        failures.is_empty(),
        "{} finding(s) against CloudFormation's Cognito schemas:\n  {}",
        failures.len(),
        failures.join("\n  ")
    );
}

/// The walk itself: nested definitions, arrays of objects, and read-only properties.
#[test]
fn the_walk_reaches_nested_properties_and_skips_read_only_ones() {
    let schemas = cognito_schemas(&cfn_lint_schemas());
    let pool = property_paths(&schemas["AWS::Cognito::UserPool"]);
    for path in [
        "Policies.PasswordPolicy.TemporaryPasswordValidityDays",
        "Schema.StringAttributeConstraints.MaxLength",
        "UserPoolTags",
    ] {
        assert!(pool.contains(path), "{path} missing from {pool:?}");
    }
    assert!(!pool.contains("Arn") && !pool.contains("ProviderURL"));
    let client = property_paths(&schemas["AWS::Cognito::UserPoolClient"]);
    assert!(client.contains("AnalyticsConfiguration.ApplicationArn"));
    assert!(!client.contains("ClientSecret"));

    let rendered: BTreeSet<String> = ["UserPoolTags.team".to_owned()].into();
    assert!(is_covered("UserPoolTags", &rendered));
    assert!(!is_covered("UserPoolTag", &rendered));
}
