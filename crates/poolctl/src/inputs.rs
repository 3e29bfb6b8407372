//! Flags and files turned into the libraries' inputs, shared by the commands: the loaded spec
//! (its diagnostics printed), the AWS context, the trigger zip and the deployment choices.

use std::path::Path;

use anyhow::anyhow;
use aws::{Aws, AwsOptions};
use deploy::SpecDeployment;
use spec::PoolSpec;

use crate::cli::{ArtifactArgs, GlobalArgs, StackArgs};
use crate::exit::Failure;
use crate::trigger_zips::{given_or_embedded, missing_zip_message};
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

/// The trigger zip a deploy sends, when the spec has the trigger: `--trigger-zip`, else the
/// zip embedded for `--arch`; with neither, an error saying how to get one.
pub fn trigger_zip(spec: &PoolSpec, artifact: &ArtifactArgs) -> Result<Option<Vec<u8>>, Failure> {
    if !spec.has_pre_sign_up_trigger() {
        return Ok(None);
    }
    match given_or_embedded(artifact.trigger_zip.as_deref(), artifact.arch)
        .map_err(Failure::error)?
    {
        Some(zip) => Ok(Some(zip)),
        None => Err(Failure::error(anyhow!(missing_zip_message(
            &spec.name,
            artifact.arch
        )))),
    }
}

/// The trigger zip a preview compares, when there is one: `--trigger-zip`, else the embedded
/// zip; `None` (the code is not compared) for a development build without the flag.
pub fn preview_trigger_zip(
    spec: &PoolSpec,
    artifact: &ArtifactArgs,
) -> Result<Option<Vec<u8>>, Failure> {
    if !spec.has_pre_sign_up_trigger() {
        return Ok(None);
    }
    given_or_embedded(artifact.trigger_zip.as_deref(), artifact.arch).map_err(Failure::error)
}

/// The deployment `deploy` and `diff` ask for, without the trigger zip (each command chooses
/// how it gets one). The stack name is checked here, before anything else.
pub fn deployment(spec: PoolSpec, stack: &StackArgs) -> Result<SpecDeployment, Failure> {
    let deployment = SpecDeployment {
        stack_name: stack.stack.clone(),
        parameters: stack.params.iter().cloned().collect(),
        arch: stack.artifact.arch,
        artifact_bucket: stack.artifact.artifact_bucket.clone(),
        ..SpecDeployment::new(spec)
    };
    deployment.stack_name()?;
    Ok(deployment)
}
