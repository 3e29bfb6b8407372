//! `poolctl import --user-pool-id ID`: read a live pool, write its spec, list what the spec
//! cannot hold. Exit 3 when something is left out (the file is still written), unless
//! `--allow-partial`.

use std::path::PathBuf;

use anyhow::{anyhow, Context};
use import::ImportError;

use crate::cli::{GlobalArgs, ImportArgs};
use crate::exit::Failure;
use crate::inputs::load_aws;
use crate::ui::import::{print_import_gaps, print_imported};

pub async fn run(global: &GlobalArgs, args: &ImportArgs) -> Result<(), Failure> {
    let aws = load_aws(global, None).await?;
    let live = import::live::read(&aws.cognito, &args.user_pool_id).await?;
    let imported = import::to_spec(&live);
    let out = args.out.clone().unwrap_or_else(|| {
        PathBuf::from("infra/pools").join(format!("{}.yaml", imported.spec.name))
    });
    let dir = out
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .map(PathBuf::from);
    // Branding settings files go beside the spec, which names them relative to itself.
    let branding_files: Vec<(PathBuf, &String)> = imported
        .branding_files
        .iter()
        .map(|(name, text)| (dir.clone().unwrap_or_default().join(name), text))
        .collect();
    for path in std::iter::once(&out).chain(branding_files.iter().map(|(path, _)| path)) {
        if path.exists() {
            return Err(Failure::error(anyhow!(
                "{} already exists; choose another path with --out (import never overwrites a spec or its files)",
                path.display()
            )));
        }
    }
    let text = import::spec_file(
        &imported,
        &args.user_pool_id,
        &aws.region,
        "../../schema/poolspec.schema.json",
    );
    if let Some(dir) = &dir {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    for (path, text) in &branding_files {
        std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    std::fs::write(&out, text).with_context(|| format!("cannot write {}", out.display()))?;
    print_imported(&out, &args.user_pool_id, &imported.spec);
    if imported.gaps.is_empty() {
        return Ok(());
    }
    print_import_gaps(&imported.gaps, args.allow_partial);
    if args.allow_partial {
        return Ok(());
    }
    Err(ImportError::Gaps(imported.gaps).into())
}
