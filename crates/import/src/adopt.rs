//! What an adoption imports: the import template and the resources to import.
//!
//! The import template is the imported spec rendered by the template crate (so it holds the
//! live configuration), reduced to the resource types CloudFormation can import (their
//! resource type schemas have a read handler and a primary identifier we know: the pool, its
//! clients, domain, identity providers, groups and resource servers), each with
//! `DeletionPolicy` and `UpdateReplacePolicy` `Retain`, no outputs, and nothing that would
//! create a resource. Before any of that, the deploy guard's own rule compares it with the
//! operator's spec and refuses what Cognito cannot change in place.

use std::collections::{BTreeMap, BTreeSet};

use deploy::guard;
use deploy::ImportResource;
use serde_json::{json, Map, Value};
use spec::PoolSpec;
use template::{RenderOptions, USER_POOL_ID};

use crate::error::ImportError;
use crate::gap::Target;
use crate::to_spec::Imported;

/// Resource types an adoption imports, with the properties that identify one (the primary
/// identifier of the type's schema).
pub const IMPORTABLE: &[(&str, &[&str])] = &[
    ("AWS::Cognito::UserPool", &["UserPoolId"]),
    ("AWS::Cognito::UserPoolClient", &["UserPoolId", "ClientId"]),
    ("AWS::Cognito::UserPoolDomain", &["UserPoolId", "Domain"]),
    (
        "AWS::Cognito::UserPoolIdentityProvider",
        &["UserPoolId", "ProviderName"],
    ),
    ("AWS::Cognito::UserPoolGroup", &["UserPoolId", "GroupName"]),
    (
        "AWS::Cognito::UserPoolResourceServer",
        &["UserPoolId", "Identifier"],
    ),
];

/// An adoption, ready for the IMPORT change set.
#[derive(Debug, Clone, PartialEq)]
pub struct AdoptPlan {
    pub template: Value,
    pub resources: Vec<ImportResource>,
    /// Resources of the spec's template that are not imported: the first deploy creates them
    /// (the trigger function and its role, permissions, branding...), as `logical_id (type)`.
    pub created_by_first_deploy: Vec<String>,
    /// Imported resources the spec does not have: the first deploy shows them as removals
    /// (retained, so the live resource stays) and asks for confirmation.
    pub not_in_spec: Vec<String>,
}

/// Plans the adoption of the pool `imported` was read from into a stack for `spec`.
pub fn plan(imported: &Imported, spec: &PoolSpec) -> Result<AdoptPlan, ImportError> {
    let live_spec = in_spec_order(&imported.spec, spec);
    let options = RenderOptions::default();
    let mut live = template::render(&live_spec, &options).as_value().clone();
    let wanted = template::render(spec, &options).as_value().clone();

    // The guard's rule, with the live pool as the deployed side.
    if let Some(first) = guard::compare_pools(&live, &wanted, USER_POOL_ID).first() {
        return Err(ImportError::Refused(first.refusal(USER_POOL_ID)));
    }

    let resources = live
        .get_mut("Resources")
        .and_then(Value::as_object_mut)
        .ok_or_else(|| ImportError::LogicalIds("the rendered template has no resources".into()))?;
    let dropped: BTreeSet<String> = resources
        .iter()
        .filter(|(_, r)| identifier_keys(r).is_none())
        .map(|(id, _)| id.clone())
        .collect();
    resources.retain(|id, _| !dropped.contains(id));
    for resource in resources.values_mut() {
        let Some(resource) = resource.as_object_mut() else {
            continue;
        };
        resource.insert("DeletionPolicy".into(), json!("Retain"));
        resource.insert("UpdateReplacePolicy".into(), json!("Retain"));
        if let Some(Value::Array(depends)) = resource.get_mut("DependsOn") {
            depends.retain(|d| d.as_str().is_some_and(|d| !dropped.contains(d)));
            if depends.is_empty() {
                resource.remove("DependsOn");
            }
        }
    }
    let wanted_resources = wanted
        .get("Resources")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut to_import = Vec::new();
    let mut not_in_spec = Vec::new();
    for (id, resource) in resources.iter() {
        let kind = resource_type(resource);
        let key = name_key(resource);
        if let Some(key) = &key {
            let same = wanted_resources
                .iter()
                .find(|(_, r)| resource_type(r) == kind && name_key(r).as_ref() == Some(key));
            match same {
                Some((wanted_id, _)) if wanted_id != id => {
                    return Err(ImportError::LogicalIds(format!(
                        "{kind} {key:?} is {id} in the import template but {wanted_id} in the \
                         spec's template, so the first deploy would replace it; rename it in \
                         the spec so the two agree"
                    )))
                }
                Some(_) => {}
                None => not_in_spec.push(format!("{id} ({kind} {key})")),
            }
        }
        to_import.push(ImportResource {
            resource_type: kind.to_owned(),
            logical_id: id.clone(),
            identifier: identifier(imported, resource)?,
        });
    }
    let created_by_first_deploy = wanted_resources
        .iter()
        .filter(|(id, r)| match name_key(r) {
            Some(key) => !resources.values().any(|mine| {
                resource_type(mine) == resource_type(r) && name_key(mine).as_deref() == Some(&key)
            }),
            None => !resources.contains_key(*id),
        })
        .map(|(id, r)| format!("{id} ({})", resource_type(r)))
        .collect();

    // The live values of what the spec cannot hold, so that the first deploy shows them
    // changing; and the pool's tags as they are (poolctl's own tags come with that deploy).
    for gap in &imported.gaps {
        let Some(property) = &gap.property else {
            continue;
        };
        let id = match &property.target {
            Target::Pool => Some(USER_POOL_ID.to_owned()),
            Target::Client(name) => client_logical_id(resources, name),
        };
        if let Some(props) = id
            .and_then(|id| resources.get_mut(&id))
            .and_then(|r| r.get_mut("Properties"))
        {
            set_pointer(props, &property.pointer, property.value.clone());
        }
    }
    if let Some(props) = resources
        .get_mut(USER_POOL_ID)
        .and_then(|r| r.get_mut("Properties"))
        .and_then(Value::as_object_mut)
    {
        if imported.live_tags.is_empty() {
            props.remove("UserPoolTags");
        } else {
            props.insert("UserPoolTags".into(), json!(imported.live_tags));
        }
    }

    live.as_object_mut().map(|doc| doc.remove("Outputs"));
    drop_unused_parameters(&mut live);
    Ok(AdoptPlan {
        template: live,
        resources: to_import,
        created_by_first_deploy,
        not_in_spec,
    })
}

/// The imported spec with its clients and providers in the operator's spec order (those the
/// operator's spec lacks last), so that logical IDs are allocated alike.
fn in_spec_order(imported: &PoolSpec, spec: &PoolSpec) -> PoolSpec {
    let mut live = imported.clone();
    let rank =
        |name: &str, names: &[&str]| names.iter().position(|n| *n == name).unwrap_or(usize::MAX);
    let clients: Vec<&str> = spec.clients.iter().map(|c| c.name.as_str()).collect();
    live.clients.sort_by_key(|c| rank(&c.name, &clients));
    let providers: Vec<&str> = spec
        .identity_providers
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    live.identity_providers
        .sort_by_key(|p| rank(&p.name, &providers));
    live
}

fn resource_type(resource: &Value) -> &str {
    resource
        .get("Type")
        .and_then(Value::as_str)
        .unwrap_or_default()
}

fn identifier_keys(resource: &Value) -> Option<&'static [&'static str]> {
    let kind = resource_type(resource);
    IMPORTABLE
        .iter()
        .find(|(t, _)| *t == kind)
        .map(|(_, keys)| *keys)
}

/// What names a resource among its kind (the pool has one of its kind).
fn name_key(resource: &Value) -> Option<String> {
    let property = match resource_type(resource) {
        "AWS::Cognito::UserPoolClient" => "ClientName",
        "AWS::Cognito::UserPoolDomain" => "Domain",
        "AWS::Cognito::UserPoolIdentityProvider" => "ProviderName",
        "AWS::Cognito::UserPoolGroup" => "GroupName",
        "AWS::Cognito::UserPoolResourceServer" => "Identifier",
        _ => return None,
    };
    resource
        .pointer(&format!("/Properties/{property}"))
        .and_then(Value::as_str)
        .map(str::to_owned)
}

fn client_logical_id(resources: &Map<String, Value>, name: &str) -> Option<String> {
    resources
        .iter()
        .find(|(_, r)| {
            resource_type(r) == "AWS::Cognito::UserPoolClient"
                && r.pointer("/Properties/ClientName").and_then(Value::as_str) == Some(name)
        })
        .map(|(id, _)| id.clone())
}

/// The identifier of an imported resource: its primary identifier's properties, from the
/// live pool.
fn identifier(
    imported: &Imported,
    resource: &Value,
) -> Result<BTreeMap<String, String>, ImportError> {
    let keys = identifier_keys(resource).unwrap_or_default();
    let mut identifier = BTreeMap::new();
    for key in keys {
        let value = match *key {
            "UserPoolId" => Some(imported.pool_id.clone()),
            "ClientId" => resource
                .pointer("/Properties/ClientName")
                .and_then(Value::as_str)
                .and_then(|name| imported.client_ids.get(name).cloned()),
            other => resource
                .pointer(&format!("/Properties/{other}"))
                .and_then(Value::as_str)
                .map(str::to_owned),
        };
        let value = value.ok_or_else(|| {
            ImportError::LogicalIds(format!(
                "no {key} for {} in the live pool",
                resource_type(resource)
            ))
        })?;
        identifier.insert((*key).to_owned(), value);
    }
    Ok(identifier)
}

fn set_pointer(root: &mut Value, pointer: &str, value: Value) {
    let mut node = root;
    let parts: Vec<&str> = pointer.split('/').skip(1).collect();
    for (i, part) in parts.iter().enumerate() {
        if !node.is_object() {
            *node = json!({});
        }
        let Some(map) = node.as_object_mut() else {
            return;
        };
        if i + 1 == parts.len() {
            // Null: the live resource has no such setting.
            if value.is_null() {
                map.remove(*part);
            } else {
                map.insert((*part).to_owned(), value);
            }
            return;
        }
        node = map.entry((*part).to_owned()).or_insert_with(|| json!({}));
    }
}

/// Parameters nothing refers to any more (the trigger's artifact, when the trigger is not
/// imported) are dropped: CloudFormation would ask for values that mean nothing.
fn drop_unused_parameters(template: &mut Value) {
    let text = template
        .get("Resources")
        .map(Value::to_string)
        .unwrap_or_default();
    if let Some(Value::Object(parameters)) = template.get_mut("Parameters") {
        parameters.retain(|name, _| {
            text.contains(&format!("{{\"Ref\":\"{name}\"}}"))
                || text.contains(&format!("${{{name}}}"))
        });
        if parameters.is_empty() {
            template.as_object_mut().map(|doc| doc.remove("Parameters"));
        }
    }
}

#[cfg(test)]
mod tests;
