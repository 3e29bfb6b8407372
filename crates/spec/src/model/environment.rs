//! Environments: the accounts and regions one spec deploys to, each with its own overrides.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One place the pool is deployed: an AWS account and region, the role poolctl assumes
/// there, and the settings that differ from the spec's base.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Environment {
    /// The AWS account ID (12 digits, quoted). Before any write, the caller's account (after
    /// assuming `role_arn`) must be this one, or poolctl refuses.
    pub account: String,

    /// The region the pool lives in, e.g. `eu-west-1`. The command's region must be this one.
    pub region: String,

    /// A role to assume through STS before any call, e.g.
    /// `arn:aws:iam::222222222222:role/poolctl-deploy`; it must be in `account`. Without it
    /// the credentials are used as they are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,

    /// The external ID the role's trust policy asks for (`sts:ExternalId`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,

    /// The role session's name, as CloudTrail records it (default `poolctl-<environment>`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_name: Option<String>,

    /// Part of a spec laid over the base for this environment: mappings merge key by key,
    /// `clients` and `identity_providers` may be given by name (`clients: { web: {...} }`
    /// changes the client named `web`, or adds one), and any other list replaces the base's.
    /// The merged spec is checked like any spec.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<serde_json::Map<String, serde_json::Value>>")]
    pub overrides: Option<serde_norway::Value>,
}
