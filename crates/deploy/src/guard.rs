//! The pool guard: a user pool holds users that no template can bring back, so the driver
//! refuses what would lose them unless the operator says `--allow-pool-replacement`.
//!
//! Three parts (COGNITO.md, "CloudFormation facts that bite"):
//! 1. [`check_change_set`]: a change set that removes or replaces an `AWS::Cognito::UserPool`.
//! 2. [`compare_pools`]: before any change set, the deployed pool against the rendered one:
//!    sign-in identifiers and existing schema attributes (CloudFormation would fail minutes
//!    into the update), dropped deletion protection, dropped retain policy.
//! 3. Stable logical IDs: [`pool_logical_id`] finds the deployed pool's ID so the template is
//!    rendered under it; [`next_free_logical_id`] gives the new ID when a replacement is allowed.

use serde_json::{Map, Value};
use spec::STANDARD_ATTRIBUTES;

use crate::changes::{Action, ResourceChange};
use crate::error::Refusal;

pub const USER_POOL_TYPE: &str = "AWS::Cognito::UserPool";

const MIGRATION_HELP: &str = "Cognito cannot change this on an existing pool. Create a new pool \
    (a new spec, or rerun with --allow-pool-replacement to have this stack create it under a new \
    logical ID and remove the old one) and migrate the users, e.g. with a user migration trigger \
    or an export and import";

/// Part 1: refuse a change set that removes or replaces a user pool.
pub fn check_change_set(changes: &[ResourceChange]) -> Result<(), Refusal> {
    let Some(change) = changes
        .iter()
        .find(|c| c.resource_type == USER_POOL_TYPE && c.destroys_existing())
    else {
        return Ok(());
    };
    let what = if change.action == Action::Remove {
        "removes".to_owned()
    } else if change.replacing_properties.is_empty() {
        "replaces".to_owned()
    } else {
        format!(
            "replaces (because of {})",
            change.replacing_properties.join(", ")
        )
    };
    Err(Refusal {
        reason: format!(
            "the change set {what} user pool {}: every user in it would be lost",
            change.logical_id
        ),
        help: "keep the pool's logical ID and sign-in settings, or rerun with \
               --allow-pool-replacement if losing the users is intended"
            .into(),
    })
}

/// What part 2 found, each with its way out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PoolChange {
    /// A change Cognito cannot make in place: needs a new pool.
    Immutable {
        property: String,
        from: String,
        to: String,
    },
    /// `DeletionProtection: ACTIVE` dropped.
    DeletionProtectionDropped,
    /// `DeletionPolicy`/`UpdateReplacePolicy: Retain` dropped.
    RetainDropped { attribute: &'static str },
}

impl PoolChange {
    pub fn needs_new_pool(&self) -> bool {
        matches!(self, PoolChange::Immutable { .. })
    }

    pub fn refusal(&self, logical_id: &str) -> Refusal {
        match self {
            PoolChange::Immutable { property, from, to } => Refusal {
                reason: format!(
                    "user pool {logical_id}: {property} would change from {from} to {to}, which \
                     CloudFormation can only fail on (or do by replacing the pool, losing every user)"
                ),
                help: MIGRATION_HELP.into(),
            },
            PoolChange::DeletionProtectionDropped => Refusal {
                reason: format!(
                    "user pool {logical_id}: deletion protection would be turned off (ACTIVE -> INACTIVE)"
                ),
                help: "keep `protection: { deletion: active }` in the spec, or rerun with \
                       --allow-pool-replacement to turn it off on purpose"
                    .into(),
            },
            PoolChange::RetainDropped { attribute } => Refusal {
                reason: format!(
                    "user pool {logical_id}: {attribute} Retain would be dropped, so deleting or \
                     replacing the stack would delete the pool and its users"
                ),
                help: "keep `protection: { retain_on_delete: true }` in the spec, or rerun with \
                       --allow-pool-replacement to drop it on purpose"
                    .into(),
            },
        }
    }
}

/// The logical IDs of the user pools in a template, in template order.
pub fn pool_logical_ids(template: &Value) -> Vec<String> {
    resources(template)
        .map(|resources| {
            resources
                .iter()
                .filter(|(_, r)| r.get("Type").and_then(Value::as_str) == Some(USER_POOL_TYPE))
                .map(|(id, _)| id.clone())
                .collect()
        })
        .unwrap_or_default()
}

/// The deployed pool's logical ID, when the template has exactly one pool.
pub fn pool_logical_id(template: &Value) -> Option<String> {
    let ids = pool_logical_ids(template);
    (ids.len() == 1).then(|| ids[0].clone())
}

/// `base`, `base2`, `base3`... the first not used in `template` (for a replacement pool).
pub fn next_free_logical_id(template: &Value, base: &str) -> String {
    let taken = |id: &str| resources(template).is_some_and(|r| r.contains_key(id));
    // A base that already ends in digits (UserPool2) counts up from there.
    let stem = base.trim_end_matches(|c: char| c.is_ascii_digit());
    let start: u32 = base[stem.len()..].parse().unwrap_or(1);
    (start + 1..)
        .map(|n| format!("{stem}{n}"))
        .find(|id| !taken(id))
        .unwrap_or_else(|| format!("{stem}New"))
}

/// Part 2: what the rendered template would change on the deployed pool `logical_id`.
/// Nothing when the rendered template has no resource of that ID (part 1 catches removal).
pub fn compare_pools(deployed: &Value, proposed: &Value, logical_id: &str) -> Vec<PoolChange> {
    let (Some(old), Some(new)) = (
        resource(deployed, logical_id),
        resource(proposed, logical_id),
    ) else {
        return Vec::new();
    };
    let empty = Map::new();
    let old_props = old
        .get("Properties")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let new_props = new
        .get("Properties")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let mut found = Vec::new();

    for property in ["UsernameAttributes", "AliasAttributes"] {
        let before = string_set(old_props.get(property));
        let after = string_set(new_props.get(property));
        if before != after {
            found.push(PoolChange::Immutable {
                property: property.into(),
                from: show_set(&before),
                to: show_set(&after),
            });
        }
    }
    let case_sensitive = |props: &Map<String, Value>| {
        props
            .get("UsernameConfiguration")
            .and_then(|c| c.get("CaseSensitive"))
            .map(as_bool)
            // Cognito's API default when the setting is absent.
            .unwrap_or(Some(true))
    };
    if case_sensitive(old_props) != case_sensitive(new_props) {
        found.push(PoolChange::Immutable {
            property: "UsernameConfiguration.CaseSensitive".into(),
            from: show_opt_bool(case_sensitive(old_props)),
            to: show_opt_bool(case_sensitive(new_props)),
        });
    }

    let old_schema = schema(old_props);
    let new_schema = schema(new_props);
    for (name, attribute) in &old_schema {
        match new_schema.iter().find(|(n, _)| n == name) {
            None => found.push(PoolChange::Immutable {
                property: format!("Schema attribute {name}"),
                from: "present".into(),
                to: "removed (attributes cannot be removed from a pool)".into(),
            }),
            Some((_, new_attribute)) if new_attribute != attribute => {
                found.push(PoolChange::Immutable {
                    property: format!("Schema attribute {name}"),
                    from: attribute.to_string(),
                    to: new_attribute.to_string(),
                });
            }
            Some(_) => {}
        }
    }
    // A standard attribute the deployed template left out is still in the pool, at Cognito's
    // defaults; listing it now with other settings changes an existing attribute all the same.
    for (name, attribute) in &new_schema {
        if old_schema.iter().any(|(old, _)| old == name)
            || !STANDARD_ATTRIBUTES.contains(&name.as_str())
        {
            continue;
        }
        for (key, default) in [("Required", false), ("Mutable", true)] {
            let value = attribute
                .get(key)
                .and_then(Value::as_bool)
                .unwrap_or(default);
            if value != default {
                found.push(PoolChange::Immutable {
                    property: format!("Schema attribute {name} {key}"),
                    from: format!("{default} (Cognito's default)"),
                    to: value.to_string(),
                });
            }
        }
    }

    let protection = |props: &Map<String, Value>| {
        props.get("DeletionProtection").and_then(Value::as_str) == Some("ACTIVE")
    };
    if protection(old_props) && !protection(new_props) {
        found.push(PoolChange::DeletionProtectionDropped);
    }
    for attribute in ["DeletionPolicy", "UpdateReplacePolicy"] {
        let retains = |r: &Value| {
            r.get(attribute)
                .and_then(Value::as_str)
                .is_some_and(|p| p.starts_with("Retain"))
        };
        if retains(old) && !retains(new) {
            found.push(PoolChange::RetainDropped { attribute });
        }
    }
    found
}

pub const USER_POOL_DOMAIN_TYPE: &str = "AWS::Cognito::UserPoolDomain";

/// When the pool is replaced, its domain is replaced too, and CloudFormation creates the new
/// domain before deleting the old one: the same prefix is then still taken ("Domain already
/// exists") and the update rolls back. Returns the refusal for a domain kept across a pool
/// replacement.
pub fn check_domain_kept_across_replacement(
    deployed: &Value,
    proposed: &Value,
) -> Result<(), Refusal> {
    let domains = |template: &Value| -> Vec<String> {
        resources(template)
            .map(|r| {
                r.values()
                    .filter(|r| {
                        r.get("Type").and_then(Value::as_str) == Some(USER_POOL_DOMAIN_TYPE)
                    })
                    .filter_map(|r| {
                        r.pointer("/Properties/Domain")
                            .and_then(Value::as_str)
                            .map(str::to_owned)
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let old = domains(deployed);
    match domains(proposed).into_iter().find(|d| old.contains(d)) {
        None => Ok(()),
        Some(domain) => Err(Refusal {
            reason: format!(
                "the replacement pool would need the domain {domain}, which the old pool holds until \
                 CloudFormation removes it at the end of the update, so the update would fail and roll back"
            ),
            help: "give the new pool another `domain.prefix` in the spec (or deploy once without the \
                   domain, then add it back)"
                .into(),
        }),
    }
}

fn resources(template: &Value) -> Option<&Map<String, Value>> {
    template.get("Resources").and_then(Value::as_object)
}

fn resource<'a>(template: &'a Value, logical_id: &str) -> Option<&'a Value> {
    resources(template).and_then(|r| r.get(logical_id))
}

fn string_set(value: Option<&Value>) -> std::collections::BTreeSet<String> {
    value
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

fn show_set(set: &std::collections::BTreeSet<String>) -> String {
    if set.is_empty() {
        "[] (a plain username)".into()
    } else {
        format!("[{}]", set.iter().cloned().collect::<Vec<_>>().join(", "))
    }
}

fn show_opt_bool(value: Option<bool>) -> String {
    value.map_or("(not a boolean)".into(), |b| b.to_string())
}

/// CloudFormation accepts booleans as JSON booleans or as the strings "true"/"false".
fn as_bool(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

/// Schema attributes by name, normalised (defaults filled in, boolean strings as booleans,
/// number strings as strings) so that equivalent spellings compare equal.
fn schema(props: &Map<String, Value>) -> Vec<(String, Value)> {
    let Some(items) = props.get("Schema").and_then(Value::as_array) else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| {
            let object = item.as_object()?;
            let name = object.get("Name")?.as_str()?.to_owned();
            let mut normal = Map::new();
            for (key, default) in [
                ("Mutable", true),
                ("Required", false),
                ("DeveloperOnlyAttribute", false),
            ] {
                let value = object.get(key).and_then(as_bool).unwrap_or(default);
                normal.insert(key.into(), Value::Bool(value));
            }
            normal.insert(
                "AttributeDataType".into(),
                object
                    .get("AttributeDataType")
                    .cloned()
                    .unwrap_or(Value::String("String".into())),
            );
            for key in ["StringAttributeConstraints", "NumberAttributeConstraints"] {
                if let Some(Value::Object(constraints)) = object.get(key) {
                    let constraints: Map<String, Value> = constraints
                        .iter()
                        .map(|(k, v)| {
                            (
                                k.clone(),
                                Value::String(
                                    v.as_str().map_or_else(|| v.to_string(), str::to_owned),
                                ),
                            )
                        })
                        .collect();
                    normal.insert(key.into(), Value::Object(constraints));
                }
            }
            Some((name, Value::Object(normal)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::changes::Replaces;
    use serde_json::json;

    fn template(pool: &Value) -> Value {
        json!({
            "Resources": {
                "UserPool": pool,
                "ClientWeb": { "Type": "AWS::Cognito::UserPoolClient", "Properties": { "UserPoolId": { "Ref": "UserPool" } } }
            }
        })
    }

    fn pool() -> Value {
        json!({
            "Type": "AWS::Cognito::UserPool",
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Properties": {
                "UsernameAttributes": ["email"],
                "UsernameConfiguration": { "CaseSensitive": false },
                "DeletionProtection": "ACTIVE",
                "Schema": [
                    { "Name": "email", "AttributeDataType": "String", "Required": true, "Mutable": true },
                    { "Name": "tenant", "AttributeDataType": "String", "Mutable": false,
                      "StringAttributeConstraints": { "MaxLength": "64" } }
                ],
                "EmailVerificationSubject": "Your code"
            }
        })
    }

    #[test]
    fn a_safe_change_passes() {
        let mut changed = pool();
        changed["Properties"]["EmailVerificationSubject"] = json!("Your new code");
        // Equivalent spellings of the same schema are not a change.
        changed["Properties"]["Schema"][0]["Mutable"] = json!("true");
        changed["Properties"]["Schema"][1]["StringAttributeConstraints"]["MaxLength"] = json!(64);
        // A new custom attribute may be added.
        changed["Properties"]["Schema"]
            .as_array_mut()
            .unwrap()
            .push(json!({ "Name": "plan", "AttributeDataType": "String" }));
        assert_eq!(
            compare_pools(&template(&pool()), &template(&changed), "UserPool"),
            []
        );
    }

    #[test]
    fn sign_in_identifier_changes_are_found() {
        let mut changed = pool();
        changed["Properties"]
            .as_object_mut()
            .unwrap()
            .remove("UsernameAttributes");
        changed["Properties"]["AliasAttributes"] = json!(["email"]);
        changed["Properties"]["UsernameConfiguration"]["CaseSensitive"] = json!(true);
        let found = compare_pools(&template(&pool()), &template(&changed), "UserPool");
        let properties: Vec<&str> = found
            .iter()
            .filter_map(|c| match c {
                PoolChange::Immutable { property, .. } => Some(property.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(
            properties,
            [
                "UsernameAttributes",
                "AliasAttributes",
                "UsernameConfiguration.CaseSensitive"
            ]
        );
        assert!(found.iter().all(PoolChange::needs_new_pool));
        let refusal = found[0].refusal("UserPool");
        assert!(
            refusal
                .reason
                .contains("UsernameAttributes would change from [email] to [] (a plain username)"),
            "{}",
            refusal.reason
        );
        assert!(refusal.help.contains("migrate the users"));
    }

    #[test]
    fn existing_schema_attributes_may_not_change_or_go() {
        let mut changed = pool();
        changed["Properties"]["Schema"] = json!([
            { "Name": "email", "AttributeDataType": "String", "Required": true, "Mutable": false }
        ]);
        let found = compare_pools(&template(&pool()), &template(&changed), "UserPool");
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            matches!(&found[0], PoolChange::Immutable { property, .. } if property == "Schema attribute email")
        );
        assert!(
            matches!(&found[1], PoolChange::Immutable { property, to, .. } if property == "Schema attribute tenant" && to.contains("removed"))
        );
    }

    #[test]
    fn standard_attributes_left_at_defaults_may_not_change_either() {
        // The deployed pool never listed given_name or phone_number: both exist at Cognito's
        // defaults (optional, mutable).
        let mut changed = pool();
        let schema = changed["Properties"]["Schema"].as_array_mut().unwrap();
        schema.push(
            json!({ "Name": "given_name", "AttributeDataType": "String", "Required": "true" }),
        );
        schema.push(
            json!({ "Name": "phone_number", "AttributeDataType": "String", "Mutable": false }),
        );
        // Listing one at its defaults changes nothing, nor does a new custom attribute.
        schema.push(json!({ "Name": "locale", "AttributeDataType": "String", "Required": false, "Mutable": true }));
        schema.push(json!({ "Name": "region", "AttributeDataType": "String", "Required": true }));
        let found = compare_pools(&template(&pool()), &template(&changed), "UserPool");
        assert_eq!(
            found,
            [
                PoolChange::Immutable {
                    property: "Schema attribute given_name Required".into(),
                    from: "false (Cognito's default)".into(),
                    to: "true".into(),
                },
                PoolChange::Immutable {
                    property: "Schema attribute phone_number Mutable".into(),
                    from: "true (Cognito's default)".into(),
                    to: "false".into(),
                },
            ]
        );
    }

    #[test]
    fn dropping_protection_or_retain_is_found() {
        let mut changed = pool();
        changed["Properties"]["DeletionProtection"] = json!("INACTIVE");
        changed["DeletionPolicy"] = json!("Delete");
        changed
            .as_object_mut()
            .unwrap()
            .remove("UpdateReplacePolicy");
        let found = compare_pools(&template(&pool()), &template(&changed), "UserPool");
        assert_eq!(
            found,
            [
                PoolChange::DeletionProtectionDropped,
                PoolChange::RetainDropped {
                    attribute: "DeletionPolicy"
                },
                PoolChange::RetainDropped {
                    attribute: "UpdateReplacePolicy"
                },
            ]
        );
        assert!(!found[0].needs_new_pool());
    }

    #[test]
    fn logical_ids_are_found_and_new_ones_are_free() {
        let deployed = template(&pool());
        assert_eq!(pool_logical_id(&deployed).as_deref(), Some("UserPool"));
        assert_eq!(next_free_logical_id(&deployed, "UserPool"), "UserPool2");
        let mut two = deployed.clone();
        two["Resources"]["UserPool2"] = pool();
        assert_eq!(pool_logical_id(&two), None);
        assert_eq!(next_free_logical_id(&two, "UserPool"), "UserPool3");
        assert_eq!(next_free_logical_id(&two, "UserPool2"), "UserPool3");
    }

    #[test]
    fn a_replacement_pool_may_not_keep_the_domain() {
        let with_domain = |prefix: &str| {
            let mut t = template(&pool());
            t["Resources"]["UserPoolDomain"] = json!({
                "Type": USER_POOL_DOMAIN_TYPE,
                "Properties": { "Domain": prefix, "UserPoolId": { "Ref": "UserPool" } }
            });
            t
        };
        let refusal =
            check_domain_kept_across_replacement(&with_domain("acme"), &with_domain("acme"))
                .unwrap_err();
        assert!(refusal.reason.contains("domain acme"), "{}", refusal.reason);
        assert!(
            check_domain_kept_across_replacement(&with_domain("acme"), &with_domain("acme-2"))
                .is_ok()
        );
        assert!(
            check_domain_kept_across_replacement(&with_domain("acme"), &template(&pool())).is_ok()
        );
    }

    fn change(action: Action, kind: &str, replacement: Replaces) -> ResourceChange {
        ResourceChange {
            action,
            logical_id: "UserPool".into(),
            resource_type: kind.into(),
            replacement,
            properties: vec!["UsernameAttributes".into()],
            replacing_properties: if replacement == Replaces::No {
                vec![]
            } else {
                vec!["UsernameAttributes".into()]
            },
        }
    }

    #[test]
    fn change_set_guard_refuses_pool_removal_and_replacement_only() {
        assert!(check_change_set(&[change(Action::Modify, USER_POOL_TYPE, Replaces::No)]).is_ok());
        assert!(check_change_set(&[change(Action::Add, USER_POOL_TYPE, Replaces::No)]).is_ok());
        assert!(check_change_set(&[change(
            Action::Remove,
            "AWS::Cognito::UserPoolClient",
            Replaces::No
        )])
        .is_ok());
        assert!(check_change_set(&[change(
            Action::Modify,
            "AWS::Lambda::Function",
            Replaces::Yes
        )])
        .is_ok());

        let removed =
            check_change_set(&[change(Action::Remove, USER_POOL_TYPE, Replaces::No)]).unwrap_err();
        assert!(
            removed.reason.contains("removes user pool UserPool"),
            "{}",
            removed.reason
        );
        let replaced =
            check_change_set(&[change(Action::Modify, USER_POOL_TYPE, Replaces::Yes)]).unwrap_err();
        assert!(
            replaced
                .reason
                .contains("replaces (because of UsernameAttributes)"),
            "{}",
            replaced.reason
        );
        assert!(check_change_set(&[change(
            Action::Modify,
            USER_POOL_TYPE,
            Replaces::Conditional
        )])
        .is_err());
    }
}
