//! Where serde cannot say, the spec's JSON Schema does: walked over the document as written, it
//! finds every unknown key (serde stops at the first) and the mistyped value inside an identity
//! provider (serde buffers a provider to read its `kind`, and then names only the provider).
//! The schema is the one `poolctl schema` prints, so there is no second list of keys.

use serde_json::Value;

use crate::locate::{child_path, PositionIndex};

/// A key the schema does not allow where it is written, in the words serde uses for the first.
pub(crate) struct UnknownKey {
    pub path: String,
    pub message: String,
}

/// The document as plain data and the schema, built once for the checks below.
pub(crate) struct SchemaCheck {
    schema: Value,
    document: Value,
}

impl SchemaCheck {
    /// `None` when the text is not plain YAML data (anchors, tags): nothing is checked then.
    pub(crate) fn new(text: &str) -> Option<SchemaCheck> {
        Some(SchemaCheck {
            document: serde_norway::from_str(text).ok()?,
            schema: crate::json_schema(),
        })
    }

    /// Every key of the document that the schema does not allow.
    pub(crate) fn unknown_keys(&self) -> Vec<UnknownKey> {
        let mut found = Vec::new();
        self.walk(&self.schema, &self.document, "", &mut found);
        found
    }

    /// The first value, in file order, of the identity provider at `provider` (a path such as
    /// `identity_providers[0]`) whose YAML type is not the schema's for the provider's kind.
    pub(crate) fn mistyped_provider_value(
        &self,
        index: &PositionIndex,
        provider: &str,
    ) -> Option<String> {
        let position: usize = provider
            .strip_prefix("identity_providers[")?
            .strip_suffix(']')?
            .parse()
            .ok()?;
        let written = self.document.get("identity_providers")?.get(position)?;
        let items = self
            .schema
            .pointer("/properties/identity_providers/items")?;
        let properties = self
            .object_schema_for(items, written)?
            .get("properties")?
            .as_object()?;
        let mut mistyped = Vec::new();
        for (key, value) in written.as_object()? {
            let Some(expected) = properties.get(key) else {
                continue;
            };
            let path = child_path(provider, key);
            if !fits(value, expected) {
                mistyped.push(path);
            } else if let (Some(items), Some(item)) = (value.as_array(), expected.get("items")) {
                if let Some(n) = items.iter().position(|v| !fits(v, item)) {
                    mistyped.push(format!("{path}[{n}]"));
                }
            } else if let (Some(entries), Some(entry)) =
                (value.as_object(), expected.get("additionalProperties"))
            {
                if let Some((name, _)) = entries.iter().find(|(_, v)| !fits(v, entry)) {
                    mistyped.push(child_path(&path, name));
                }
            }
        }
        mistyped.into_iter().min_by_key(|path| {
            let at = index.locate(path);
            (at.line, at.column)
        })
    }

    fn walk(&self, schema: &Value, value: &Value, path: &str, found: &mut Vec<UnknownKey>) {
        let Some(schema) = self.object_schema_for(schema, value) else {
            return;
        };
        match value {
            Value::Object(entries) => {
                let properties = schema.get("properties").and_then(Value::as_object);
                let closed = schema.get("additionalProperties") == Some(&Value::Bool(false));
                for (key, child) in entries {
                    let child_path = child_path(path, key);
                    match properties.and_then(|p| p.get(key)) {
                        Some(property) => self.walk(property, child, &child_path, found),
                        None if closed => {
                            let allowed: Vec<String> = properties
                                .map(|p| p.keys().map(|k| format!("`{k}`")).collect())
                                .unwrap_or_default();
                            let message = match allowed.as_slice() {
                                [] => format!("unknown field `{key}`, there are no fields"),
                                [one] => format!("unknown field `{key}`, expected {one}"),
                                _ => format!(
                                    "unknown field `{key}`, expected one of {}",
                                    allowed.join(", ")
                                ),
                            };
                            found.push(UnknownKey {
                                message: format!("{child_path}: {message}"),
                                path: child_path,
                            });
                        }
                        None => {
                            if let Some(values) = schema.get("additionalProperties") {
                                self.walk(values, child, &child_path, found);
                            }
                        }
                    }
                }
            }
            Value::Array(items) => {
                if let Some(item) = schema.get("items") {
                    for (n, child) in items.iter().enumerate() {
                        self.walk(item, child, &format!("{path}[{n}]"), found);
                    }
                }
            }
            _ => {}
        }
    }

    /// `schema` with `$ref`s followed and, for a union, the one branch that fits `value`'s
    /// shape (for identity providers, the branch of its `kind`). `None` when no single branch
    /// fits.
    fn object_schema_for<'a>(&'a self, schema: &'a Value, value: &Value) -> Option<&'a Value> {
        let mut schema = schema;
        // Bounded: the spec's schema has no reference that resolves to itself.
        for _ in 0..16 {
            if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
                schema = self.schema.pointer(reference.strip_prefix('#')?)?;
                continue;
            }
            let branches = schema
                .get("oneOf")
                .or_else(|| schema.get("anyOf"))
                .and_then(Value::as_array);
            let Some(branches) = branches else {
                return Some(schema);
            };
            let shape = match value {
                Value::Object(_) => "object",
                Value::Array(_) => "array",
                _ => return None,
            };
            let fitting: Vec<&Value> = branches
                .iter()
                .filter_map(|branch| {
                    let resolved = self.resolve_ref(branch)?;
                    (resolved.get("type").and_then(Value::as_str) == Some(shape))
                        .then_some(resolved)
                })
                .collect();
            let kind = value.get("kind").and_then(Value::as_str);
            schema = match fitting.as_slice() {
                [one] => one,
                many => many.iter().copied().find(|branch| {
                    kind.is_some()
                        && branch
                            .pointer("/properties/kind/const")
                            .and_then(Value::as_str)
                            == kind
                })?,
            };
        }
        None
    }

    fn resolve_ref<'a>(&'a self, schema: &'a Value) -> Option<&'a Value> {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(reference) => self.schema.pointer(reference.strip_prefix('#')?),
            None => Some(schema),
        }
    }
}

/// Whether `value` has the schema's plain `type`; `$ref`s and unions are not judged here.
fn fits(value: &Value, expected: &Value) -> bool {
    match expected.get("type").and_then(Value::as_str) {
        Some("string") => value.is_string(),
        Some("array") => value.is_array(),
        Some("object") => value.is_object(),
        Some("boolean") => value.is_boolean(),
        Some("integer") => value.is_i64() || value.is_u64(),
        Some("number") => value.is_number(),
        _ => true,
    }
}
