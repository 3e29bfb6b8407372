//! The one way from a pool spec to a [`DeployRequest`]: the stack name, the stack tags,
//! whether the trigger artifact is needed and where it is, and the parameters the driver
//! supplies. `deploy`, `diff` and review pools all come through here.

use std::collections::BTreeMap;

use spec::PoolSpec;
use template::Architecture;

use crate::artifact::{object_key, sha256_hex};
use crate::deployer::{Deployer, Progress};
use crate::error::DeployError;
use crate::request::{spec_template, DeployRequest};
use crate::stack_name::check_stack_name;
use crate::store::{ArtifactLocation, ArtifactStore};

/// Where trigger artifacts go in the bucket unless a caller says otherwise.
pub const DEFAULT_ARTIFACT_PREFIX: &str = "pre-sign-up";

/// The stack a spec deploys to when no name is given: `poolctl-<pool name>`, or in a spec
/// environment `poolctl-<pool name>-<environment>`.
pub fn default_stack_name(spec: &PoolSpec, environment: Option<&str>) -> String {
    match environment {
        Some(environment) => format!("poolctl-{}-{environment}", spec.name),
        None => format!("poolctl-{}", spec.name),
    }
}

/// A pool spec and the choices made around it.
pub struct SpecDeployment {
    pub spec: PoolSpec,
    /// `None`: [`default_stack_name`].
    pub stack_name: Option<String>,
    /// Values for template parameters the operator gave.
    pub parameters: BTreeMap<String, String>,
    /// The `EnvironmentName` parameter (tags), when set.
    pub environment_name: Option<String>,
    /// The spec environment deployed (`--env`), which names the default stack.
    pub spec_environment: Option<String>,
    /// Stack tags beyond the spec's own and the pool tag.
    pub extra_tags: BTreeMap<String, String>,
    pub arch: Architecture,
    /// The PreSignUp trigger zip: needed to deploy a spec with the trigger; a preview
    /// ([`ArtifactUpload::LocateOnly`]) without it does not compare the code.
    pub trigger_zip: Option<Vec<u8>>,
    /// `None`: the account's artifact bucket (created on first upload).
    pub artifact_bucket: Option<String>,
    /// Key prefix of the artifact in the bucket.
    pub artifact_prefix: String,
    /// Key prefix of a template too large to send inline; `None`: `templates/<stack>`.
    pub template_prefix: Option<String>,
    /// Permit losing a pool: replacement, removal, dropped deletion protection or retain.
    pub allow_pool_replacement: bool,
}

/// Whether [`Deployer::request`] uploads the trigger artifact or only says where it would be
/// (a preview uploads nothing). A preview may go without the zip: the trigger's code is then
/// not compared (the deployed artifact is kept in the change set).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArtifactUpload {
    Upload,
    LocateOnly,
}

impl SpecDeployment {
    /// A deployment of `spec` with every choice at its default.
    pub fn new(spec: PoolSpec) -> SpecDeployment {
        SpecDeployment {
            spec,
            stack_name: None,
            parameters: BTreeMap::new(),
            environment_name: None,
            spec_environment: None,
            extra_tags: BTreeMap::new(),
            arch: Architecture::DEFAULT,
            trigger_zip: None,
            artifact_bucket: None,
            artifact_prefix: DEFAULT_ARTIFACT_PREFIX.to_owned(),
            template_prefix: None,
            allow_pool_replacement: false,
        }
    }

    /// The stack name, checked against CloudFormation's and Lambda's rules before any call.
    pub fn stack_name(&self) -> Result<String, DeployError> {
        let name = self
            .stack_name
            .clone()
            .unwrap_or_else(|| default_stack_name(&self.spec, self.spec_environment.as_deref()));
        check_stack_name(&name, self.spec.has_pre_sign_up_trigger())?;
        Ok(name)
    }

    /// The spec's tags, the pool tag, then the extra tags.
    pub fn stack_tags(&self) -> BTreeMap<String, String> {
        let mut tags = self.spec.tags.clone();
        tags.insert(template::POOL_TAG.to_owned(), self.spec.name.clone());
        tags.extend(self.extra_tags.clone());
        tags
    }
}

impl Deployer {
    /// The request for `deployment`: checks the stack name, places the trigger artifact in
    /// the bucket (or only locates it), and fills in the parameters the driver supplies.
    pub async fn request(
        &self,
        deployment: SpecDeployment,
        upload: ArtifactUpload,
        progress: &mut (dyn FnMut(Progress) + Send),
    ) -> Result<DeployRequest, DeployError> {
        let stack_name = deployment.stack_name()?;
        let first_reads = tokio::spawn({
            let deployer = self.clone();
            let stack_name = stack_name.clone();
            async move { deployer.first_reads(&stack_name).await }
        });
        let tags = deployment.stack_tags();
        let mut auto_parameters = BTreeMap::new();
        auto_parameters.insert(
            template::PARAM_TRIGGER_ARCHITECTURE.to_owned(),
            deployment.arch.as_str().to_owned(),
        );
        if let Some(environment) = deployment.environment_name {
            auto_parameters.insert(template::PARAM_ENVIRONMENT_NAME.to_owned(), environment);
        }
        if deployment.spec.has_pre_sign_up_trigger() {
            let bucket = deployment.artifact_bucket.clone();
            let bucket = bucket.as_deref();
            let key = |zip: &[u8]| object_key(&deployment.artifact_prefix, &sha256_hex(zip));
            let location = match (deployment.trigger_zip, upload) {
                (Some(zip), ArtifactUpload::Upload) => {
                    let key = key(&zip);
                    self.aws.upload_artifact(zip, &key, bucket).await?
                }
                (Some(zip), ArtifactUpload::LocateOnly) => {
                    self.aws.artifact_location(&key(&zip), bucket).await?
                }
                (None, ArtifactUpload::LocateOnly) => {
                    self.code_not_compared(&stack_name, &deployment.artifact_prefix, bucket)
                        .await?
                }
                (None, ArtifactUpload::Upload) => {
                    return Err(DeployError::Artifact(
                        "the spec has a PreSignUp trigger, so its zip is needed".to_owned(),
                    ))
                }
            };
            if location.uploaded {
                progress(Progress::Uploaded(location.clone()));
            }
            auto_parameters.insert(template::PARAM_ARTIFACT_BUCKET.to_owned(), location.bucket);
            auto_parameters.insert(template::PARAM_ARTIFACT_KEY.to_owned(), location.key);
        }
        let template_prefix = deployment
            .template_prefix
            .unwrap_or_else(|| format!("templates/{stack_name}"));
        Ok(DeployRequest {
            template_bucket: deployment.artifact_bucket,
            template_prefix,
            stack_name,
            template: spec_template(deployment.spec),
            auto_parameters,
            parameters: deployment.parameters,
            tags,
            allow_pool_replacement: deployment.allow_pool_replacement,
            first_reads: std::sync::Mutex::new(Some(first_reads)),
        })
    }
}

impl Deployer {
    /// A preview without the zip: the artifact the stack was deployed with, so the change set
    /// shows no change of the function's code (it was not compared), or, for a stack without
    /// one yet, a placeholder key (the function is added whatever its code).
    async fn code_not_compared(
        &self,
        stack_name: &str,
        prefix: &str,
        bucket: Option<&str>,
    ) -> Result<ArtifactLocation, DeployError> {
        let deployed = self.describe_stack(stack_name).await?.and_then(|state| {
            let bucket = state.parameters.get(template::PARAM_ARTIFACT_BUCKET)?;
            let key = state.parameters.get(template::PARAM_ARTIFACT_KEY)?;
            Some(ArtifactLocation {
                bucket: bucket.clone(),
                key: key.clone(),
                uploaded: false,
            })
        });
        match deployed {
            Some(location) => Ok(location),
            None => {
                self.aws
                    .artifact_location(&object_key(prefix, NOT_COMPARED), bucket)
                    .await
            }
        }
    }
}

/// The key's digest part in a preview of a new trigger whose zip was not given.
const NOT_COMPARED: &str = "not-compared";

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(yaml: &str) -> PoolSpec {
        spec::load_str("test.yaml", yaml)
            .expect("a valid spec")
            .spec
    }

    const MINIMAL: &str = "name: demo\nsign_in:\n  username: email\n";

    #[test]
    fn the_default_stack_is_named_after_the_pool_and_checked() {
        let mut deployment = SpecDeployment::new(spec(MINIMAL));
        assert_eq!(deployment.stack_name().unwrap(), "poolctl-demo");
        deployment.spec_environment = Some("prod".into());
        assert_eq!(deployment.stack_name().unwrap(), "poolctl-demo-prod");
        deployment.stack_name = Some("9lives".into());
        assert!(deployment.stack_name().is_err());
    }

    #[test]
    fn stack_tags_carry_the_pool_name_over_the_specs_own() {
        let mut deployment = SpecDeployment::new(spec(MINIMAL));
        deployment
            .spec
            .tags
            .insert(template::POOL_TAG.into(), "spoofed".into());
        deployment
            .extra_tags
            .insert("poolctl:kind".into(), "review".into());
        let tags = deployment.stack_tags();
        assert_eq!(tags[template::POOL_TAG], "demo");
        assert_eq!(tags["poolctl:kind"], "review");
    }
}
