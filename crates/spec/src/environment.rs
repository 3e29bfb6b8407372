//! Environments: each environment's spec is the base with its `overrides` laid over it, merged
//! as YAML values before typed deserialization, then checked like any spec. What each merged
//! path came from is kept, so a finding the override caused points at the override's line.

use std::collections::BTreeMap;

use serde_norway::{Mapping, Value};

use crate::locate::child_path;
use crate::model::{Environment, PoolSpec};

/// The lists whose items an override names by their `name` key instead of replacing the list.
const KEYED_LISTS: &[&str] = &["clients", "identity_providers"];

/// An environment's spec as a YAML value, and which of its paths the override wrote.
#[derive(Debug, Clone)]
pub struct Merged {
    pub value: Value,
    /// (path in the merged spec, path in the file) of every node the override set.
    origins: Vec<(String, String)>,
}

impl Merged {
    /// Where in the file `path` of the merged spec was written: the override's path when the
    /// override set it (or a node above it), else `None` (the base's own path).
    pub fn origin(&self, path: &str) -> Option<String> {
        self.origins
            .iter()
            .filter(|(merged, _)| {
                path.strip_prefix(merged.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
            })
            .max_by_key(|(merged, _)| merged.len())
            .map(|(merged, written)| format!("{written}{}", &path[merged.len()..]))
    }
}

/// Lays the `overrides` of environment `name` over `document` (the whole spec as written):
/// mappings merge key by key, the items of `clients` and `identity_providers` are named by
/// their `name` (a name not in the base adds an item), and anything else replaces.
pub fn merge(document: &Value, name: &str, overrides: &Value) -> Merged {
    let written = child_path(&child_path("environments", name), "overrides");
    let mut value = document.clone();
    let mut origins = Vec::new();
    if let (Value::Mapping(base), Value::Mapping(over)) = (&mut value, overrides) {
        for (key, over_value) in over {
            let Some(key_text) = key.as_str() else {
                continue;
            };
            let merged_path = child_path("", key_text);
            let written_path = child_path(&written, key_text);
            match (base.get_mut(key), over_value) {
                (Some(Value::Sequence(items)), Value::Mapping(by_name))
                    if KEYED_LISTS.contains(&key_text) =>
                {
                    merge_keyed(items, by_name, &merged_path, &written_path, &mut origins);
                }
                (None, Value::Mapping(by_name)) if KEYED_LISTS.contains(&key_text) => {
                    let mut items = Vec::new();
                    merge_keyed(
                        &mut items,
                        by_name,
                        &merged_path,
                        &written_path,
                        &mut origins,
                    );
                    base.insert(key.clone(), Value::Sequence(items));
                }
                _ => overlay(
                    base,
                    key,
                    over_value,
                    &merged_path,
                    &written_path,
                    &mut origins,
                ),
            }
        }
    }
    Merged { value, origins }
}

/// Sets `key` of `base` to `over`, merging when both are mappings.
fn overlay(
    base: &mut Mapping,
    key: &Value,
    over: &Value,
    merged_path: &str,
    written_path: &str,
    origins: &mut Vec<(String, String)>,
) {
    match (base.get_mut(key), over) {
        (Some(Value::Mapping(inner)), Value::Mapping(over_inner)) => {
            merge_mapping(inner, over_inner, merged_path, written_path, origins);
        }
        _ => {
            base.insert(key.clone(), over.clone());
            origins.push((merged_path.to_owned(), written_path.to_owned()));
        }
    }
}

fn merge_mapping(
    base: &mut Mapping,
    over: &Mapping,
    merged_path: &str,
    written_path: &str,
    origins: &mut Vec<(String, String)>,
) {
    for (key, value) in over {
        match key.as_str() {
            Some(text) => overlay(
                base,
                key,
                value,
                &child_path(merged_path, text),
                &child_path(written_path, text),
                origins,
            ),
            // Typed deserialization rejects a key that is not text; keep it for it to report.
            None => {
                base.insert(key.clone(), value.clone());
            }
        }
    }
}

/// Merges `by_name` (item name → partial item) into the list `items` of named items.
fn merge_keyed(
    items: &mut Vec<Value>,
    by_name: &Mapping,
    merged_path: &str,
    written_path: &str,
    origins: &mut Vec<(String, String)>,
) {
    for (name, over) in by_name {
        let Some(name_text) = name.as_str() else {
            continue;
        };
        let written_item = child_path(written_path, name_text);
        let found = items
            .iter()
            .position(|item| item.get("name").and_then(Value::as_str) == Some(name_text));
        match (found, over) {
            (Some(index), Value::Mapping(over_item)) => {
                if let Value::Mapping(item) = &mut items[index] {
                    merge_mapping(
                        item,
                        over_item,
                        &format!("{merged_path}[{index}]"),
                        &written_item,
                        origins,
                    );
                }
            }
            (found, _) => {
                let mut item = match over {
                    Value::Mapping(over_item) => {
                        let mut item = Mapping::new();
                        item.insert(Value::from("name"), name.clone());
                        item.extend(over_item.clone());
                        Value::Mapping(item)
                    }
                    other => other.clone(),
                };
                let index = match found {
                    Some(index) => {
                        std::mem::swap(&mut items[index], &mut item);
                        index
                    }
                    None => {
                        items.push(item);
                        items.len() - 1
                    }
                };
                origins.push((format!("{merged_path}[{index}]"), written_item));
            }
        }
    }
}

/// Why a command cannot have the spec it asked for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SelectError {
    #[error("pool {pool} declares environments ({}); say which one with --env NAME", .available.join(", "))]
    Required {
        pool: String,
        available: Vec<String>,
    },
    #[error("pool {pool} has no environment {name:?}; its environments are: {}", .available.join(", "))]
    Unknown {
        pool: String,
        name: String,
        available: Vec<String>,
    },
    #[error("pool {pool} declares no environments, so --env {name} names none; remove --env, or declare `environments` in the spec")]
    NoneDeclared { pool: String, name: String },
    #[error("--env {pattern} matches none of pool {pool}'s environments: {}", .available.join(", "))]
    NoMatch {
        pool: String,
        pattern: String,
        available: Vec<String>,
    },
}

/// Whether `--env` names several environments: `all`, a comma-separated list, or a glob
/// (`*`, `?`). Environment names are letters, digits and hyphens, and never `all`.
pub fn is_several(selector: &str) -> bool {
    selector == "all" || selector.contains([',', '*', '?'])
}

/// `text` matches the glob `pattern` (`*` any run of characters, `?` one character).
fn glob_match(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    // Matches of pattern[..i] against text[..j], row by row.
    let mut row = vec![false; t.len() + 1];
    row[0] = true;
    for &pc in &p {
        let mut next = vec![false; t.len() + 1];
        next[0] = row[0] && pc == '*';
        for j in 1..=t.len() {
            next[j] = match pc {
                '*' => next[j - 1] || row[j],
                '?' => row[j - 1],
                c => row[j - 1] && t[j - 1] == c,
            };
        }
        row = next;
    }
    row[t.len()]
}

/// The environments `selector` names, each once, in the order written (`all` and a glob:
/// by name). A plain name that is not declared is an error, and so is a glob that matches
/// none.
pub(crate) fn select_several(
    base: &PoolSpec,
    merged: &BTreeMap<String, PoolSpec>,
    selector: &str,
) -> Result<Vec<Selected>, SelectError> {
    let available: Vec<String> = base.environments.keys().cloned().collect();
    if available.is_empty() {
        return Err(SelectError::NoneDeclared {
            pool: base.name.clone(),
            name: selector.to_owned(),
        });
    }
    let mut names: Vec<&String> = Vec::new();
    for part in selector.split(',').map(str::trim) {
        let matched: Vec<&String> = if part == "all" {
            available.iter().collect()
        } else if part.contains(['*', '?']) {
            available.iter().filter(|n| glob_match(part, n)).collect()
        } else {
            available.iter().filter(|n| *n == part).collect()
        };
        if matched.is_empty() {
            return Err(if part.contains(['*', '?']) {
                SelectError::NoMatch {
                    pool: base.name.clone(),
                    pattern: part.to_owned(),
                    available,
                }
            } else {
                SelectError::Unknown {
                    pool: base.name.clone(),
                    name: part.to_owned(),
                    available,
                }
            });
        }
        for name in matched {
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    Ok(names
        .into_iter()
        .filter_map(|name| {
            Some(Selected {
                spec: merged.get(name)?.clone(),
                environment: Some(NamedEnvironment {
                    name: name.clone(),
                    environment: base.environments.get(name)?.clone(),
                }),
            })
        })
        .collect())
}

/// The spec a command works with: the base, or one environment's merged spec and where it
/// lives.
#[derive(Debug, Clone)]
pub struct Selected {
    pub spec: PoolSpec,
    pub environment: Option<NamedEnvironment>,
}

/// An environment with its name.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedEnvironment {
    pub name: String,
    pub environment: Environment,
}

/// `base` or the merged spec of environment `name` out of `merged`; with `required`, a spec
/// that declares environments must be given one (commands that call AWS).
pub(crate) fn select(
    base: PoolSpec,
    mut merged: BTreeMap<String, PoolSpec>,
    name: Option<&str>,
    required: bool,
) -> Result<Selected, SelectError> {
    let available: Vec<String> = base.environments.keys().cloned().collect();
    match name {
        None if required && !available.is_empty() => Err(SelectError::Required {
            pool: base.name,
            available,
        }),
        None => Ok(Selected {
            spec: base,
            environment: None,
        }),
        Some(name) if available.is_empty() => Err(SelectError::NoneDeclared {
            pool: base.name,
            name: name.to_owned(),
        }),
        Some(name) => match (base.environments.get(name), merged.remove(name)) {
            (Some(environment), Some(spec)) => Ok(Selected {
                environment: Some(NamedEnvironment {
                    name: name.to_owned(),
                    environment: environment.clone(),
                }),
                spec,
            }),
            _ => Err(SelectError::Unknown {
                pool: base.name,
                name: name.to_owned(),
                available,
            }),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Value {
        serde_norway::from_str(text).unwrap()
    }

    #[test]
    fn maps_merge_lists_replace_and_clients_are_named() {
        let base = yaml(
            "name: p\ntags: { app: a, env: dev }\nverification: { auto_verify: [email], account_recovery: [verified_email] }\n\
             clients:\n  - { name: web, callback_urls: [\"http://localhost/cb\"], logout_urls: [\"http://localhost/\"] }\n  - { name: agent }\n",
        );
        let over = yaml(
            "tags: { env: prod }\nverification: { auto_verify: [] }\n\
             clients: { web: { callback_urls: [\"https://app.example/cb\"] }, admin: { generate_secret: true } }\n",
        );
        let merged = merge(&base, "prod", &over);
        let expected = yaml(
            "name: p\ntags: { app: a, env: prod }\nverification: { auto_verify: [], account_recovery: [verified_email] }\n\
             clients:\n  - { name: web, callback_urls: [\"https://app.example/cb\"], logout_urls: [\"http://localhost/\"] }\n  - { name: agent }\n  - { name: admin, generate_secret: true }\n",
        );
        assert_eq!(merged.value, expected);
        assert_eq!(
            merged.origin("clients[0].callback_urls[0]").as_deref(),
            Some("environments.prod.overrides.clients.web.callback_urls[0]")
        );
        assert_eq!(
            merged.origin("clients[2].generate_secret").as_deref(),
            Some("environments.prod.overrides.clients.admin.generate_secret")
        );
        assert_eq!(merged.origin("clients[0].logout_urls"), None);
        assert_eq!(merged.origin("tags.app"), None);
        assert_eq!(
            merged.origin("tags.env").as_deref(),
            Some("environments.prod.overrides.tags.env")
        );
    }

    #[test]
    fn globs() {
        assert!(glob_match("st*", "stage") && glob_match("*", "dev") && glob_match("d?v", "dev"));
        assert!(!glob_match("st*", "prod") && !glob_match("d?v", "deev"));
        assert!(is_several("all") && is_several("dev,prod") && is_several("eu-*"));
        assert!(!is_several("dev"));
    }

    #[test]
    fn a_client_list_in_an_override_replaces_the_list() {
        let base = yaml("clients: [{ name: web }, { name: agent }]\n");
        let merged = merge(&base, "dev", &yaml("clients: [{ name: other }]\n"));
        assert_eq!(merged.value, yaml("clients: [{ name: other }]\n"));
        assert_eq!(
            merged.origin("clients[0].name").as_deref(),
            Some("environments.dev.overrides.clients[0].name")
        );
    }
}
