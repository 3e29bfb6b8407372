//! Flags and files turned into the libraries' inputs, shared by the commands: the loaded spec
//! (its diagnostics printed), the AWS context, the trigger zip and the deployment choices.

use std::path::Path;

use anyhow::{anyhow, Context};
use aws::{Aws, AwsOptions};
use deploy::SpecDeployment;
use spec::PoolSpec;

use crate::cli::{ArtifactArgs, GlobalArgs, StackArgs};
use crate::exit::Failure;
use crate::ui;

/// Loads and validates a spec, printing its warnings, or its located errors and exit 1.
pub fn load_spec(path: &Path) -> Result<PoolSpec, Failure> {
    match spec::load(path) {
        Ok(loaded) => {
            ui::spec::print_warnings(&loaded.warnings);
            Ok(loaded.spec)
        }
        Err(error) => {
            ui::spec::print_load_error(&error);
            Err(Failure::silent(1))
        }
    }
}

/// Credentials and region, resolved once, up front.
pub async fn load_aws(global: &GlobalArgs) -> Result<Aws, Failure> {
    let options = AwsOptions {
        profile: global.profile.clone(),
        region: global.region.clone(),
    };
    Ok(Aws::load(&options).await?)
}

/// The `--trigger-zip` file, read only when the spec has the trigger.
pub fn trigger_zip(spec: &PoolSpec, artifact: &ArtifactArgs) -> Result<Option<Vec<u8>>, Failure> {
    if !spec.has_pre_sign_up_trigger() {
        return Ok(None);
    }
    let path = artifact.trigger_zip.as_deref().ok_or_else(|| {
        Failure::error(anyhow!(
            "pool {} has a PreSignUp trigger: pass --trigger-zip PATH (build one with `just \
             trigger {}` or `cargo xtask trigger {}`)",
            spec.name,
            artifact.arch,
            artifact.arch
        ))
    })?;
    std::fs::read(path)
        .with_context(|| format!("cannot read the trigger zip {}", path.display()))
        .map(Some)
        .map_err(Failure::error)
}

/// The deployment `deploy` and `diff` ask for. The stack name is checked here, before any
/// AWS call.
pub fn deployment(spec: PoolSpec, stack: &StackArgs) -> Result<SpecDeployment, Failure> {
    let mut deployment = SpecDeployment {
        stack_name: stack.stack.clone(),
        parameters: stack.params.iter().cloned().collect(),
        arch: stack.artifact.arch,
        artifact_bucket: stack.artifact.artifact_bucket.clone(),
        ..SpecDeployment::new(spec)
    };
    deployment.stack_name()?;
    deployment.trigger_zip = trigger_zip(&deployment.spec, &stack.artifact)?;
    Ok(deployment)
}
