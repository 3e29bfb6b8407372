//! What a deploy asks for, and the pure rules about it: which parameters are passed, and when a
//! deploy can be skipped because nothing changed. No AWS calls here.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::error::DeployError;
use crate::poll::random_u64;
use crate::stack::{self, StackState, Standing};

/// Renders the stack template with the user pool under a given logical ID (`None` = the
/// renderer's default), so the driver can keep a deployed pool's ID or pick a new one.
pub trait RenderTemplate: Send + Sync {
    fn render(&self, pool_logical_id: Option<&str>) -> Value;
}

impl<F: Fn(Option<&str>) -> Value + Send + Sync> RenderTemplate for F {
    fn render(&self, pool_logical_id: Option<&str>) -> Value {
        self(pool_logical_id)
    }
}

/// The renderer for a pool spec: the template crate with the pool under the given ID.
pub fn spec_template(spec: spec::PoolSpec) -> Box<dyn RenderTemplate> {
    Box::new(move |pool_logical_id: Option<&str>| {
        let options = template::RenderOptions {
            pool_logical_id: pool_logical_id.map(str::to_owned),
        };
        template::render(&spec, &options).as_value().clone()
    })
}

/// What to deploy where.
pub struct DeployRequest {
    pub stack_name: String,
    pub template: Box<dyn RenderTemplate>,
    /// Values for template parameters the driver supplies (artifact location, architecture):
    /// passed only when the template declares them.
    pub auto_parameters: BTreeMap<String, String>,
    /// Values the operator gave (`--param`): each must be a parameter of the template.
    pub parameters: BTreeMap<String, String>,
    /// Stack tags.
    pub tags: BTreeMap<String, String>,
    /// Permit losing a pool: replacement, removal, dropped deletion protection or retain.
    pub allow_pool_replacement: bool,
    /// Where a template too large to send inline is uploaded: the bucket (`None`: the account's
    /// artifact bucket) and the key prefix.
    pub template_bucket: Option<String>,
    pub template_prefix: String,
    /// The stack's first reads, started when the request was made so that they overlap the
    /// artifact's placement; the first [`Deployer::prepare`](crate::Deployer::prepare) round
    /// takes them (a request is applied as soon as it is made).
    pub(crate) first_reads: std::sync::Mutex<Option<tokio::task::JoinHandle<FirstReads>>>,
}

/// The stack's status and its deployed template, read at once (the template read fails for a
/// stack that does not exist; that answer goes unused).
pub(crate) type FirstReads = (
    Result<Option<StackState>, DeployError>,
    Result<Option<Value>, DeployError>,
);

/// How every change set and request token poolctl makes is named.
pub(crate) const NAME_PREFIX: &str = "poolctl-";

/// A name CloudFormation accepts for change sets and request tokens, unique per call (the AWS
/// CLI's epoch-second names collide when two deploys start within a second).
pub(crate) fn unique_name() -> String {
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or_default();
    format!("{NAME_PREFIX}{millis}-{:08x}", random_u64() as u32)
}

/// The parameters to pass: auto values the template declares, then the operator's, each of
/// which must be declared.
/// Parameters as CloudFormation takes them.
pub(crate) fn sdk_parameters(
    parameters: &BTreeMap<String, String>,
) -> Vec<aws_sdk_cloudformation::types::Parameter> {
    parameters
        .iter()
        .map(|(k, v)| {
            aws_sdk_cloudformation::types::Parameter::builder()
                .parameter_key(k)
                .parameter_value(v)
                .build()
        })
        .collect()
}

/// Stack tags as CloudFormation takes them.
pub(crate) fn sdk_tags(tags: &BTreeMap<String, String>) -> Vec<aws_sdk_cloudformation::types::Tag> {
    tags.iter()
        .map(|(k, v)| {
            aws_sdk_cloudformation::types::Tag::builder()
                .key(k)
                .value(v)
                .build()
        })
        .collect()
}

pub(crate) fn resolve_parameters(
    template: &Value,
    auto: &BTreeMap<String, String>,
    given: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, String>, DeployError> {
    let declared = template.get("Parameters").and_then(Value::as_object);
    let is_declared = |key: &str| declared.is_some_and(|d| d.contains_key(key));
    let mut resolved: BTreeMap<String, String> = auto
        .iter()
        .filter(|(k, _)| is_declared(k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for (key, value) in given {
        if !is_declared(key) {
            let names: Vec<&str> = declared
                .map(|d| d.keys().map(String::as_str).collect())
                .unwrap_or_default();
            return Err(DeployError::Parameter(format!(
                "{key} is not a parameter of the template (its parameters: {})",
                if names.is_empty() {
                    "none".to_owned()
                } else {
                    names.join(", ")
                }
            )));
        }
        resolved.insert(key.clone(), value.clone());
    }
    Ok(resolved)
}

/// Each declared parameter's effective value: the given one, else the template default.
fn effective_parameters(
    template: &Value,
    given: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    let Some(declared) = template.get("Parameters").and_then(Value::as_object) else {
        return BTreeMap::new();
    };
    declared
        .iter()
        .map(|(key, spec)| {
            let value = given
                .get(key)
                .cloned()
                .unwrap_or_else(|| match spec.get("Default") {
                    Some(Value::String(s)) => s.clone(),
                    Some(Value::Null) | None => String::new(),
                    Some(other) => other.to_string(),
                });
            (key.clone(), value)
        })
        .collect()
}

/// The skip rule: same template, same effective parameters, same tags, stack settled and not
/// failed. After UPDATE_ROLLBACK_COMPLETE the deployed template is the old one, so comparing
/// against it stays correct.
pub(crate) fn is_unchanged(
    state: &StackState,
    deployed: Option<&Value>,
    proposed: &Value,
    parameters: &BTreeMap<String, String>,
    tags: &BTreeMap<String, String>,
) -> bool {
    let Some(deployed) = deployed else {
        return false;
    };
    stack::standing(&state.status) == Standing::Healthy
        && deployed == proposed
        && effective_parameters(proposed, parameters)
            == effective_parameters(deployed, &state.parameters)
        && &state.tags == tags
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn template() -> Value {
        json!({
            "Parameters": {
                "ArtifactBucket": { "Type": "String" },
                "ArtifactKey": { "Type": "String" },
                "TriggerArchitecture": { "Type": "String", "Default": "arm64" }
            },
            "Resources": {}
        })
    }

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn auto_parameters_are_passed_only_when_declared() {
        let auto = map(&[("ArtifactKey", "k"), ("EnvironmentName", "dev")]);
        let resolved = resolve_parameters(
            &template(),
            &auto,
            &map(&[("TriggerArchitecture", "x86_64")]),
        )
        .unwrap();
        assert_eq!(
            resolved,
            map(&[("ArtifactKey", "k"), ("TriggerArchitecture", "x86_64")])
        );
    }

    #[test]
    fn an_unknown_operator_parameter_is_an_error_naming_the_known_ones() {
        let error =
            resolve_parameters(&template(), &BTreeMap::new(), &map(&[("Artifactkey", "k")]))
                .unwrap_err();
        let text = error.to_string();
        assert!(text.contains("Artifactkey is not a parameter"), "{text}");
        assert!(
            text.contains("ArtifactBucket, ArtifactKey, TriggerArchitecture"),
            "{text}"
        );
    }

    fn state(status: &str, parameters: &[(&str, &str)]) -> StackState {
        StackState {
            stack_id: "id".into(),
            stack_name: "demo".into(),
            status: status.into(),
            status_reason: None,
            parameters: map(parameters),
            tags: map(&[("poolctl:pool", "demo")]),
            outputs: BTreeMap::new(),
            termination_protection: false,
        }
    }

    #[test]
    fn skip_needs_same_template_parameters_tags_and_a_healthy_stack() {
        let tags = map(&[("poolctl:pool", "demo")]);
        let given = map(&[("ArtifactBucket", "b"), ("ArtifactKey", "k")]);
        // The deployed stack lists defaults explicitly.
        let deployed = state(
            "UPDATE_COMPLETE",
            &[
                ("ArtifactBucket", "b"),
                ("ArtifactKey", "k"),
                ("TriggerArchitecture", "arm64"),
            ],
        );
        assert!(is_unchanged(
            &deployed,
            Some(&template()),
            &template(),
            &given,
            &tags
        ));

        let new_key = map(&[("ArtifactBucket", "b"), ("ArtifactKey", "k2")]);
        assert!(!is_unchanged(
            &deployed,
            Some(&template()),
            &template(),
            &new_key,
            &tags
        ));
        let mut other_template = template();
        other_template["Resources"]["X"] = json!({ "Type": "AWS::SNS::Topic" });
        assert!(!is_unchanged(
            &deployed,
            Some(&template()),
            &other_template,
            &given,
            &tags
        ));
        assert!(!is_unchanged(
            &deployed,
            Some(&template()),
            &template(),
            &given,
            &BTreeMap::new()
        ));
        assert!(!is_unchanged(&deployed, None, &template(), &given, &tags));
        let rolling = state(
            "UPDATE_ROLLBACK_FAILED",
            &[("ArtifactBucket", "b"), ("ArtifactKey", "k")],
        );
        assert!(!is_unchanged(
            &rolling,
            Some(&template()),
            &template(),
            &given,
            &tags
        ));
    }

    #[test]
    fn change_set_names_are_unique_and_valid() {
        let a = unique_name();
        let b = unique_name();
        assert_ne!(a, b);
        assert!(a.len() <= 128 && a.starts_with("poolctl-"));
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    }
}
