//! `poolctl package`: build the PreSignUp trigger and write its deterministic zip.

use anyhow::{anyhow, Context};
use deploy::artifact::TriggerArtifact;

use super::deploy::{arch, workspace_root, ARTIFACT_PREFIX};
use crate::cli::PackageArgs;
use crate::exit::Failure;

pub fn run(args: &PackageArgs) -> Result<(), Failure> {
    let root = workspace_root().ok_or_else(|| {
        Failure::error(anyhow!(
            "run poolctl package from a poolctl checkout (it builds crates/trigger)"
        ))
    })?;
    let artifact =
        TriggerArtifact::build(&root, arch(args.arch)).map_err(|e| Failure::error(anyhow!(e)))?;
    std::fs::create_dir_all(&args.out_dir)
        .with_context(|| format!("cannot create {}", args.out_dir.display()))
        .map_err(Failure::error)?;
    let path = args.out_dir.join(artifact.file_name());
    std::fs::write(&path, &artifact.bytes)
        .with_context(|| format!("cannot write {}", path.display()))
        .map_err(Failure::error)?;
    println!("{}", path.display());
    eprintln!(
        "sha256 {}  key {}",
        artifact.sha256,
        deploy::artifact::object_key(ARTIFACT_PREFIX, &artifact.sha256)
    );
    Ok(())
}
