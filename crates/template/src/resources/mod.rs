//! The CloudFormation document for a pool spec: parameters, resources, outputs.
//!
//! This file allocates logical IDs and holds what every resource builder shares (the
//! [`Context`]); each resource family has its own file, as docs/templates.md's "What a template
//! holds" lists them.

mod client;
mod domain;
mod groups;
mod outputs;
mod parameters;
mod pool;
mod provider;
mod sms;
mod trigger;
mod trigger_arns;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Map, Value};
use spec::{AppClient, IdentityProvider, PoolSpec, ResourceServer};

use crate::intrinsic::reference;
use crate::{
    RenderOptions, PARAM_ENVIRONMENT_NAME, POOL_TAG, PRE_SIGN_UP_FUNCTION_ID,
    PRE_SIGN_UP_LOGS_POLICY_ID, PRE_SIGN_UP_LOG_GROUP_ID, PRE_SIGN_UP_PERMISSION_ID,
    PRE_SIGN_UP_ROLE_ID, SMS_ROLE_ID, USER_POOL_DOMAIN_ID, USER_POOL_ID,
};

/// The tag carrying the `EnvironmentName` parameter.
const ENVIRONMENT_TAG: &str = "poolctl:environment";

/// A name turned into a logical-ID part: PascalCase, ASCII letters and digits only
/// (`web` -> `Web`, `agent-backend` -> `AgentBackend`, `Corp.SSO` -> `CorpSSO`).
pub fn logical_id_part(name: &str) -> String {
    let mut out = String::new();
    for word in name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    if out.is_empty() {
        out.push_str("Unnamed");
    }
    out
}

/// Logical IDs for named things, unique within the template. Names that collapse to the same
/// ID (`a-b` and `aB`) get a numeric suffix in spec order, so IDs stay stable as long as the
/// spec's order does.
struct IdAllocator {
    taken: BTreeSet<String>,
}

impl IdAllocator {
    fn allocate(&mut self, prefix: &str, name: &str) -> String {
        let base = format!("{prefix}{}", logical_id_part(name));
        let mut id = base.clone();
        let mut n = 2;
        while self.taken.contains(&id) {
            id = format!("{base}{n}");
            n += 1;
        }
        self.taken.insert(id.clone());
        id
    }
}

/// Everything a resource builder needs to refer to other resources.
struct Context<'a> {
    spec: &'a PoolSpec,
    pool_id: String,
    /// Spec client name -> logical ID, in spec order.
    clients: Vec<(&'a AppClient, String)>,
    /// Spec provider name -> logical ID, in spec order.
    providers: Vec<(&'a IdentityProvider, String)>,
    /// Group name -> logical ID, in name order.
    groups: Vec<(&'a str, String)>,
    /// Resource server -> logical ID, in spec order.
    resource_servers: Vec<(&'a ResourceServer, String)>,
    /// Client name -> logical ID of its managed login branding.
    brandings: Vec<(&'a AppClient, String)>,
}

impl Context<'_> {
    fn client_id(&self, name: &str) -> Option<&str> {
        self.clients
            .iter()
            .find(|(c, _)| c.name == name)
            .map(|(_, id)| id.as_str())
    }

    fn provider_id(&self, name: &str) -> Option<&str> {
        self.providers
            .iter()
            .find(|(p, _)| p.name == name)
            .map(|(_, id)| id.as_str())
    }

    /// Tags as a map (`UserPoolTags`): the spec's, plus the pool name and the environment.
    fn tag_map(&self) -> Value {
        let mut tags: BTreeMap<&str, Value> = self
            .spec
            .tags
            .iter()
            .map(|(k, v)| (k.as_str(), Value::String(v.clone())))
            .collect();
        tags.insert(POOL_TAG, Value::String(self.spec.name.clone()));
        tags.insert(ENVIRONMENT_TAG, reference(PARAM_ENVIRONMENT_NAME));
        Value::Object(tags.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
    }

    /// The same tags as a `[{Key, Value}]` list (Lambda, IAM, Logs).
    fn tag_list(&self) -> Value {
        let Value::Object(map) = self.tag_map() else {
            return json!([]);
        };
        Value::Array(
            map.into_iter()
                .map(|(k, v)| json!({ "Key": k, "Value": v }))
                .collect(),
        )
    }
}

/// The whole template.
pub fn document(spec: &PoolSpec, options: &RenderOptions) -> Value {
    let pool_id = options
        .pool_logical_id
        .clone()
        .unwrap_or_else(|| USER_POOL_ID.to_owned());
    let mut ids = IdAllocator {
        taken: [
            pool_id.as_str(),
            USER_POOL_DOMAIN_ID,
            PRE_SIGN_UP_FUNCTION_ID,
            PRE_SIGN_UP_ROLE_ID,
            PRE_SIGN_UP_LOGS_POLICY_ID,
            PRE_SIGN_UP_PERMISSION_ID,
            PRE_SIGN_UP_LOG_GROUP_ID,
            SMS_ROLE_ID,
        ]
        .into_iter()
        .map(str::to_owned)
        .chain(
            spec.triggers
                .by_arn()
                .iter()
                .map(|t| trigger_arns::permission_id(t.name)),
        )
        .collect(),
    };
    let providers = spec
        .identity_providers
        .iter()
        .map(|p| (p, ids.allocate("Provider", &p.name)))
        .collect();
    let clients = spec
        .clients
        .iter()
        .map(|c| (c, ids.allocate("Client", &c.name)))
        .collect();
    let groups = spec
        .groups
        .keys()
        .map(|name| (name.as_str(), ids.allocate("Group", name)))
        .collect();
    let resource_servers = spec
        .resource_servers
        .iter()
        .map(|server| (server, ids.allocate("ResourceServer", &server.name)))
        .collect();
    let brandings = spec
        .clients
        .iter()
        .filter(|c| c.branding.is_some())
        .map(|c| (c, ids.allocate("Branding", &c.name)))
        .collect();
    let cx = Context {
        spec,
        pool_id,
        clients,
        providers,
        groups,
        resource_servers,
        brandings,
    };

    let mut doc = Map::new();
    doc.insert("AWSTemplateFormatVersion".into(), json!("2010-09-09"));
    // The spec owns the text around the description: it holds the result to CloudFormation's
    // length limit.
    doc.insert(
        "Description".into(),
        Value::String(spec.template_description()),
    );
    doc.insert("Parameters".into(), parameters::parameters(&cx));
    doc.insert("Resources".into(), resources(&cx));
    doc.insert("Outputs".into(), outputs::outputs(&cx));
    Value::Object(doc)
}

fn resources(cx: &Context) -> Value {
    let mut res = Map::new();
    if let Some(role) = sms::role(cx) {
        res.insert(SMS_ROLE_ID.into(), role);
    }
    res.insert(cx.pool_id.clone(), pool::user_pool(cx));
    if let Some(domain) = domain::domain(cx) {
        res.insert(USER_POOL_DOMAIN_ID.into(), domain);
    }
    for (provider, id) in &cx.providers {
        res.insert(id.clone(), provider::identity_provider(cx, provider));
    }
    for (name, id) in &cx.groups {
        if let Some(group) = cx.spec.groups.get(*name) {
            res.insert(id.clone(), groups::group(cx, name, group));
        }
    }
    for (server, id) in &cx.resource_servers {
        res.insert(id.clone(), groups::resource_server(cx, server));
    }
    for (client, id) in &cx.clients {
        res.insert(id.clone(), client::app_client(cx, client));
    }
    for (client, id) in &cx.brandings {
        if let Some(client_id) = cx.client_id(&client.name) {
            if let Some(branding) = groups::branding(cx, client, client_id) {
                res.insert(id.clone(), branding);
            }
        }
    }
    if let Some(policy) = &cx.spec.triggers.pre_sign_up {
        trigger::insert_resources(&mut res, cx, policy);
    }
    trigger_arns::insert_permissions(&mut res, cx);
    Value::Object(res)
}
