//! Flags and files turned into the libraries' inputs, shared by the commands: the loaded spec
//! (its diagnostics printed), the AWS context, the trigger zip and the deployment choices.

use std::path::Path;

use anyhow::anyhow;
use aws::{Aws, AwsOptions, Target};
use deploy::SpecDeployment;
use spec::{Loaded, NamedEnvironment, PoolSpec, Selected};

use crate::cli::{ArtifactArgs, GlobalArgs, StackArgs, StackTarget};
use crate::exit::Failure;
use crate::trigger_zips::{given_or_embedded, missing_zip_message};
use crate::ui;

/// Whether the command calls AWS with the spec (and so must name an environment when the
/// spec declares them) or only reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecUse {
    Offline,
    WithAws,
}

/// Loads and validates a spec, printing its warnings, or its located errors and exit 1; then
/// picks the base or environment `environment` (`--env`).
pub fn load_spec(
    path: &Path,
    environment: Option<&str>,
    using: SpecUse,
) -> Result<Selected, Failure> {
    let loaded = load_spec_file(path)?;
    let selected = match using {
        SpecUse::Offline => loaded.select(environment),
        SpecUse::WithAws => loaded.select_for_aws(environment),
    };
    selected.map_err(Failure::error)
}

/// Loads and validates a spec with its environments, printing its warnings, or its located
/// errors and exit 1.
pub fn load_spec_file(path: &Path) -> Result<Loaded, Failure> {
    match spec::load(path) {
        Ok(loaded) => {
            ui::spec::print_warnings(&loaded.warnings);
            Ok(loaded)
        }
        Err(error) => {
            ui::spec::print_load_error(&error);
            Err(Failure::silent(1))
        }
    }
}

/// The environments `selector` names in the spec at `path` (`all`, `dev,stage`, a glob), each
/// with its merged spec, in the order the spec writes them.
pub fn load_several(path: &Path, selector: &str) -> Result<Vec<spec::Selected>, Failure> {
    load_spec_file(path)?
        .select_several(selector)
        .map_err(Failure::error)
}

/// Credentials and region, resolved once, up front; in a spec environment, as its role and
/// checked against its account and region before anything else.
pub async fn load_aws(
    global: &GlobalArgs,
    environment: Option<&NamedEnvironment>,
) -> Result<Aws, Failure> {
    let options = AwsOptions {
        profile: global.profile.clone(),
        region: global.region.clone(),
        environment: environment.map(|named| Target {
            name: named.name.clone(),
            account: named.environment.account.clone(),
            region: named.environment.region.clone(),
            role_arn: named.environment.role_arn.clone(),
            external_id: named.environment.external_id.clone(),
            session_name: named.environment.session_name.clone(),
        }),
    };
    Ok(Aws::load(&options).await?)
}

/// The AWS context and stack name of `--stack`, or of `--spec` (`--env`): a spec's default
/// stack in its environment, with the environment's account guard.
pub async fn stack_target(
    global: &GlobalArgs,
    target: &StackTarget,
) -> Result<(Aws, String), Failure> {
    let Some(path) = &target.spec else {
        let stack = target.stack.clone().unwrap_or_default();
        return Ok((load_aws(global, None).await?, stack));
    };
    let selected = load_spec(path, target.env.as_deref(), SpecUse::WithAws)?;
    selected_stack(global, selected, target.stack.clone()).await
}

/// The AWS context of `selected`'s environment (its role, past the account guard) and the
/// stack: `stack`, else the spec's default stack in that environment.
pub async fn selected_stack(
    global: &GlobalArgs,
    selected: Selected,
    stack: Option<String>,
) -> Result<(Aws, String), Failure> {
    let deployment = SpecDeployment {
        stack_name: stack,
        spec_environment: selected
            .environment
            .as_ref()
            .map(|named| named.name.clone()),
        ..SpecDeployment::new(selected.spec)
    };
    let stack = deployment.stack_name()?;
    Ok((
        load_aws(global, selected.environment.as_ref()).await?,
        stack,
    ))
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
/// how it gets one). The stack name is checked here, before anything else. In a spec
/// environment the stack and the `EnvironmentName` parameter are named after it.
pub fn deployment(selected: Selected, stack: &StackArgs) -> Result<SpecDeployment, Failure> {
    let environment = selected.environment.map(|named| named.name);
    let deployment = SpecDeployment {
        stack_name: stack.stack.clone(),
        parameters: stack.params.iter().cloned().collect(),
        arch: stack.artifact.arch,
        artifact_bucket: stack.artifact.artifact_bucket.clone(),
        environment_name: environment.clone(),
        spec_environment: environment,
        ..SpecDeployment::new(selected.spec)
    };
    deployment.stack_name()?;
    Ok(deployment)
}
