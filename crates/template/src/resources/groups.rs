//! Groups (`Group<Name>`), resource servers (`ResourceServer<Name>`) and managed login
//! branding (`Branding<Client>`).

use serde_json::{json, Map, Value};
use spec::{AppClient, Group, ResourceServer};

use crate::intrinsic::reference;

use super::Context;

pub(super) fn group(cx: &Context, name: &str, group: &Group) -> Value {
    let mut props = Map::new();
    props.insert("UserPoolId".into(), reference(&cx.pool_id));
    props.insert("GroupName".into(), json!(name));
    if let Some(description) = &group.description {
        props.insert("Description".into(), json!(description));
    }
    if let Some(precedence) = group.precedence {
        props.insert("Precedence".into(), json!(precedence));
    }
    if let Some(role) = &group.role_arn {
        props.insert("RoleArn".into(), json!(role));
    }
    json!({ "Type": "AWS::Cognito::UserPoolGroup", "Properties": props })
}

pub(super) fn resource_server(cx: &Context, server: &ResourceServer) -> Value {
    let scopes: Vec<Value> = server
        .scopes
        .iter()
        .map(|s| json!({ "ScopeName": s.name, "ScopeDescription": s.description }))
        .collect();
    let mut props = Map::new();
    props.insert("UserPoolId".into(), reference(&cx.pool_id));
    props.insert("Identifier".into(), json!(server.identifier));
    props.insert("Name".into(), json!(server.name));
    if !scopes.is_empty() {
        props.insert("Scopes".into(), Value::Array(scopes));
    }
    json!({ "Type": "AWS::Cognito::UserPoolResourceServer", "Properties": props })
}

/// The client's managed login branding; `None` without branding. It waits for the domain,
/// whose managed login version it styles.
pub(super) fn branding(cx: &Context, client: &AppClient, client_id: &str) -> Option<Value> {
    let branding = client.branding.as_ref()?;
    let mut props = Map::new();
    props.insert("UserPoolId".into(), reference(&cx.pool_id));
    props.insert("ClientId".into(), reference(client_id));
    match &branding.settings {
        Some(settings) => {
            // The loader stored the file's JSON object; it parses again here.
            let settings: Value = serde_json::from_str(settings).unwrap_or_else(|_| json!({}));
            props.insert("UseCognitoProvidedValues".into(), json!(false));
            props.insert("Settings".into(), settings);
        }
        None => {
            props.insert("UseCognitoProvidedValues".into(), json!(true));
        }
    }
    let mut resource = Map::new();
    resource.insert("Type".into(), json!("AWS::Cognito::ManagedLoginBranding"));
    if cx.spec.domain.is_some() {
        resource.insert("DependsOn".into(), json!([crate::USER_POOL_DOMAIN_ID]));
    }
    resource.insert("Properties".into(), Value::Object(props));
    Some(Value::Object(resource))
}
