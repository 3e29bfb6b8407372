//! The JSON Schema of the pool spec, for editors (yaml-language-server) and docs/spec-reference.md.

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

/// docs/spec-reference.md's key list: every key of the schema as a nested list with its type,
/// default and description. Generated from [`json_schema`] so that the two cannot disagree
/// (`just docs` writes it there; a test fails when the file is stale).
pub fn reference_markdown() -> String {
    let schema = json_schema();
    let mut out = String::new();
    let writer = ReferenceWriter {
        defs: &schema["$defs"],
    };
    writer.object(&schema, 0, &mut out);
    out
}

struct ReferenceWriter<'a> {
    defs: &'a serde_json::Value,
}

impl ReferenceWriter<'_> {
    /// Follow `$ref`, and unwrap `Option` (`anyOf: [X, null]`).
    fn resolve<'v>(&'v self, node: &'v serde_json::Value) -> &'v serde_json::Value {
        if let Some(reference) = node.get("$ref").and_then(|r| r.as_str()) {
            let name = reference.trim_start_matches("#/$defs/");
            return self.resolve(&self.defs[name]);
        }
        if let Some(options) = node.get("anyOf").and_then(|a| a.as_array()) {
            let non_null: Vec<&serde_json::Value> = options
                .iter()
                .filter(|o| o.get("type").and_then(|t| t.as_str()) != Some("null"))
                .collect();
            if non_null.len() == 1 && options.len() == 2 {
                return self.resolve(non_null[0]);
            }
        }
        node
    }

    /// The allowed values of a string enum, whichever way schemars wrote it.
    fn enum_values(&self, node: &serde_json::Value) -> Option<Vec<String>> {
        let node = self.resolve(node);
        let mut values = Vec::new();
        let mut collect = |n: &serde_json::Value| -> bool {
            if let Some(c) = n.get("const").and_then(|c| c.as_str()) {
                values.push(c.to_owned());
                true
            } else if let Some(list) = n.get("enum").and_then(|e| e.as_array()) {
                values.extend(list.iter().filter_map(|v| v.as_str()).map(str::to_owned));
                true
            } else {
                false
            }
        };
        if collect(node) {
            return Some(values);
        }
        let variants = node
            .get("oneOf")
            .or_else(|| node.get("anyOf"))?
            .as_array()?;
        let mut all_strings = true;
        for variant in variants {
            if !collect(self.resolve(variant)) {
                all_strings = false;
            }
        }
        all_strings.then_some(values)
    }

    /// A short type: `string`, `true/false`, `` `a` | `b` ``, `list of ...`, `map of ...`.
    fn type_name(&self, node: &serde_json::Value) -> String {
        if let Some(values) = self.enum_values(node) {
            return values
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(" | ");
        }
        let resolved = self.resolve(node);
        if let Some(variants) = resolved.get("anyOf").and_then(|a| a.as_array()) {
            // EmailVerifiedPolicy: keywords or `{ claim: ... }`.
            return variants
                .iter()
                .map(|v| match self.enum_values(v) {
                    Some(values) => values
                        .iter()
                        .map(|x| format!("`{x}`"))
                        .collect::<Vec<_>>()
                        .join(" | "),
                    None => {
                        let keys: Vec<String> = self.resolve(v)["properties"]
                            .as_object()
                            .map(|p| p.keys().map(|k| format!("{k}: <attribute>")).collect())
                            .unwrap_or_default();
                        format!("`{{ {} }}`", keys.join(", "))
                    }
                })
                .collect::<Vec<_>>()
                .join(" | ");
        }
        match type_of(resolved) {
            Some("array") => format!("list of {}", self.type_name(&resolved["items"])),
            Some("object") if resolved.get("properties").is_none() => {
                match resolved.get("additionalProperties") {
                    Some(value) if value.is_object() => {
                        format!("map of name → {}", self.type_name(value))
                    }
                    _ => "map".to_owned(),
                }
            }
            Some("object") => "mapping".to_owned(),
            Some("boolean") => "true/false".to_owned(),
            Some("integer") => "integer".to_owned(),
            Some(other) => other.to_owned(),
            None if resolved.get("oneOf").is_some() => "mapping (by `kind`)".to_owned(),
            None => "value".to_owned(),
        }
    }

    /// The nested keys of a node: an object's properties, a list's or map's item object.
    fn children<'v>(&'v self, node: &'v serde_json::Value) -> Option<&'v serde_json::Value> {
        let resolved = self.resolve(node);
        // A word or a mapping (`mfa`, `verification.message`): the mapping's keys.
        if let Some(variants) = resolved.get("anyOf").and_then(|a| a.as_array()) {
            let mappings: Vec<&serde_json::Value> = variants
                .iter()
                .map(|v| self.resolve(v))
                .filter(|v| v.get("properties").is_some())
                .collect();
            if let [mapping] = mappings[..] {
                return Some(mapping);
            }
        }
        if resolved.get("properties").is_some()
            || resolved
                .get("oneOf")
                .is_some_and(|_| self.enum_values(resolved).is_none())
        {
            return Some(resolved);
        }
        match type_of(resolved) {
            Some("array") => self.children(&resolved["items"]),
            Some("object") => resolved
                .get("additionalProperties")
                .filter(|v| v.is_object())
                .and_then(|v| self.children(v)),
            _ => None,
        }
    }

    fn object(&self, node: &serde_json::Value, depth: usize, out: &mut String) {
        let node = self.resolve(node);
        if let Some(variants) = node.get("oneOf").and_then(|v| v.as_array()) {
            // Tagged by `kind`: one entry per kind with its own keys.
            for variant in variants {
                let kind = variant["properties"]["kind"]["const"]
                    .as_str()
                    .unwrap_or("?");
                let description = one_line(variant.get("description"));
                out.push_str(&format!(
                    "{}- `kind: {kind}`: {description}\n",
                    "  ".repeat(depth)
                ));
                self.properties(variant, depth + 1, &["kind"], out);
            }
            return;
        }
        self.properties(node, depth, &[], out);
    }

    fn properties(&self, node: &serde_json::Value, depth: usize, skip: &[&str], out: &mut String) {
        let Some(properties) = node.get("properties").and_then(|p| p.as_object()) else {
            return;
        };
        let required: Vec<&str> = node
            .get("required")
            .and_then(|r| r.as_array())
            .map(|r| r.iter().filter_map(|v| v.as_str()).collect())
            .unwrap_or_default();
        for (key, property) in properties {
            if skip.contains(&key.as_str()) {
                continue;
            }
            let mut line = format!(
                "{}- `{key}` ({}",
                "  ".repeat(depth),
                self.type_name(property)
            );
            if required.contains(&key.as_str()) {
                line.push_str(", required");
            } else if let Some(default) = property.get("default").filter(|d| is_simple(d)) {
                let shown = match default {
                    serde_json::Value::String(text) => text.clone(),
                    other => serde_json::to_string(other).unwrap_or_default(),
                };
                line.push_str(&format!(", default `{shown}`"));
            }
            line.push(')');
            let description = one_line(
                property
                    .get("description")
                    .or_else(|| self.resolve(property).get("description")),
            );
            if !description.is_empty() {
                line.push_str(": ");
                line.push_str(&description);
            }
            out.push_str(&line);
            out.push('\n');
            if let Some(children) = self.children(property) {
                self.object(children, depth + 1, out);
            }
        }
    }
}

/// The JSON type of a node; `Option<T>` of a simple type is written `["T", "null"]`.
fn type_of(node: &serde_json::Value) -> Option<&str> {
    match node.get("type")? {
        serde_json::Value::String(name) => Some(name),
        serde_json::Value::Array(names) => names
            .iter()
            .filter_map(|n| n.as_str())
            .find(|n| *n != "null"),
        _ => None,
    }
}

/// Scalars and lists of scalars: defaults worth printing inline.
fn is_simple(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::Array(items) => items.iter().all(|i| !i.is_array() && !i.is_object()),
        serde_json::Value::Object(_) => false,
        _ => true,
    }
}

fn one_line(description: Option<&serde_json::Value>) -> String {
    description
        .and_then(|d| d.as_str())
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
