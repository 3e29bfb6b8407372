//! Managed login branding: Cognito's own style, or settings kept in a file beside the spec.

use std::collections::BTreeMap;

use aws_smithy_types::{Document, Number};
use serde_json::{Map, Value};
use spec::{Branding, PoolSpec};

use super::Gaps;
use crate::live::LivePool;

/// Sets each client's `branding` from its live branding; returns the settings files to write,
/// by the name `settings_file` gives them.
pub(super) fn branding(
    live: &LivePool,
    spec: &mut PoolSpec,
    client_ids: &BTreeMap<String, String>,
    gaps: &mut Gaps,
) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    let pool_name = spec.name.clone();
    for client in &mut spec.clients {
        let Some(style) = client_ids
            .get(&client.name)
            .and_then(|id| live.branding.get(id))
        else {
            continue;
        };
        if !style.assets().is_empty() {
            gaps.add(
                format!("clients[{}].branding.Assets", client.name),
                style
                    .assets()
                    .iter()
                    .map(|a| a.category().as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                "the spec has no branding images; the first deploy removes them",
            );
        }
        let settings = style
            .settings()
            .map(json)
            .filter(|s| s.as_object().is_some_and(|settings| !settings.is_empty()));
        client.branding = Some(match settings {
            Some(settings) if !style.use_cognito_provided_values() => {
                let file = format!("{pool_name}.{}.branding.json", client.name);
                let mut text = serde_json::to_string_pretty(&settings).unwrap_or_default();
                text.push('\n');
                files.insert(file.clone(), text);
                Branding {
                    cognito_defaults: false,
                    settings_file: Some(file),
                    settings: Some(settings.to_string()),
                }
            }
            _ => Branding {
                cognito_defaults: true,
                settings_file: None,
                settings: None,
            },
        });
    }
    files
}

/// A Smithy document as JSON.
pub(super) fn json(document: &Document) -> Value {
    match document {
        Document::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), json(v)))
                .collect::<BTreeMap<_, _>>()
                .into_iter()
                .collect::<Map<_, _>>(),
        ),
        Document::Array(items) => Value::Array(items.iter().map(json).collect()),
        Document::Number(Number::PosInt(n)) => Value::from(*n),
        Document::Number(Number::NegInt(n)) => Value::from(*n),
        Document::Number(Number::Float(f)) => Value::from(*f),
        Document::String(s) => Value::String(s.clone()),
        Document::Bool(b) => Value::Bool(*b),
        Document::Null => Value::Null,
    }
}
