//! A live pool -> the spec that renders to it as it is, plus what the spec cannot express.
//!
//! Faithful first: a setting that strands users (email not kept until verified, a provider
//! without `email_verified` mapped, a PreSignUp function that is not poolctl's) is reproduced,
//! so that `poolctl check` on the result shows the pitfall with its fix. A setting with no
//! place in the spec becomes a [`Gap`]. Secrets are never copied: a provider's client secret
//! or private key becomes [`SECRET_PLACEHOLDER`], which `poolctl check` refuses as a literal
//! secret until it is replaced with a dynamic reference.

mod branding;
mod clients;
mod pool;
mod providers;

use std::collections::BTreeMap;

use spec::PoolSpec;

use crate::gap::{Gap, LiveProperty, Target};
use crate::live::LivePool;

/// What replaces a provider's secret in an imported spec. Not a dynamic reference, so
/// `poolctl check` flags it (literal secret) until someone writes the real reference.
pub const SECRET_PLACEHOLDER: &str =
    "REPLACE-ME with {{resolve:secretsmanager:<secret-id>:SecretString:<json-key>}}";

/// An imported pool: the spec, and every live setting it could not hold.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub spec: PoolSpec,
    pub gaps: Vec<Gap>,
    /// The live pool's id.
    pub pool_id: String,
    /// Each imported client's id, by its name in the spec.
    pub client_ids: BTreeMap<String, String>,
    /// The live pool's tags, as they are (the template's `UserPoolTags` at import).
    pub live_tags: BTreeMap<String, String>,
    /// Each client's managed login branding settings, as the JSON text of the file its
    /// `branding.settings_file` names (relative to the spec file, so written beside it).
    pub branding_files: BTreeMap<String, String>,
}

/// Builds the spec of `live`.
pub fn to_spec(live: &LivePool) -> Imported {
    let mut gaps = Gaps::default();
    let mut spec = pool::pool(&live.pool, live.mfa.as_ref(), &mut gaps);
    let (clients, client_ids) = clients::clients(&live.clients, &mut gaps);
    spec.clients = clients;
    let branding_files = branding::branding(live, &mut spec, &client_ids, &mut gaps);
    spec.identity_providers = providers::providers(&live.providers, &mut gaps);
    spec.domain = live
        .domain
        .as_ref()
        .and_then(|d| pool::domain(d, &mut gaps));
    spec.groups = pool::groups(&live.groups, live.id());
    spec.resource_servers = pool::resource_servers(&live.resource_servers);
    Imported {
        spec,
        gaps: gaps.0,
        pool_id: live.id().to_owned(),
        client_ids,
        live_tags: live
            .pool
            .user_pool_tags()
            .map(|t| t.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default(),
        branding_files,
    }
}

/// The gaps found so far.
#[derive(Default)]
pub(crate) struct Gaps(Vec<Gap>);

impl Gaps {
    /// A setting the spec cannot hold and CloudFormation has no property for (or one we do
    /// not carry).
    pub(crate) fn add(&mut self, setting: impl Into<String>, live: impl Into<String>, why: &str) {
        self.0.push(Gap {
            setting: setting.into(),
            live_value: live.into(),
            why: why.to_owned(),
            property: None,
        });
    }

    /// A setting the spec cannot hold, with the CloudFormation property carrying its live
    /// value in the import template.
    pub(crate) fn add_property(
        &mut self,
        setting: impl Into<String>,
        live: impl Into<String>,
        why: &str,
        target: Target,
        pointer: &str,
        value: serde_json::Value,
    ) {
        self.0.push(Gap {
            setting: setting.into(),
            live_value: live.into(),
            why: why.to_owned(),
            property: Some(LiveProperty {
                target,
                pointer: pointer.to_owned(),
                value,
            }),
        });
    }
}

/// A name as the spec allows it (lowercase letters, digits and hyphens, starting with a
/// letter, at most `max` characters).
pub(crate) fn spec_name(live: &str, fallback: &str, max: usize) -> String {
    let mut name = String::new();
    for c in live.chars() {
        if c.is_ascii_alphanumeric() {
            name.push(c.to_ascii_lowercase());
        } else if !name.ends_with('-') && !name.is_empty() {
            name.push('-');
        }
    }
    let mut name = name.trim_end_matches('-').to_owned();
    if !name.starts_with(|c: char| c.is_ascii_lowercase()) {
        name = format!("{fallback}-{name}")
            .trim_end_matches('-')
            .to_owned();
    }
    name.truncate(max);
    name.trim_end_matches('-').to_owned()
}

#[cfg(test)]
pub(crate) mod tests;

#[cfg(test)]
mod fidelity_tests;
