//! `poolctl trigger export --arch ARCH -o FILE`: the embedded trigger zip, byte for byte, for
//! auditors and for deploys by other tools; its sha256 is the one in the artifact's S3 key.

use anyhow::{anyhow, Context};

use crate::cli::TriggerExportArgs;
use crate::exit::Failure;
use crate::trigger_zips::embedded;
use crate::ui::trigger::print_exported;

pub fn export(args: &TriggerExportArgs) -> Result<(), Failure> {
    let zip = embedded(args.arch).ok_or_else(|| {
        Failure::error(anyhow!(
            "this poolctl has no embedded {} trigger (`poolctl --version` lists what it embeds); \
             build the zip with `just trigger {}`, or use a release build",
            args.arch,
            args.arch
        ))
    })?;
    std::fs::write(&args.out, zip.bytes)
        .with_context(|| format!("cannot write {}", args.out.display()))
        .map_err(Failure::error)?;
    print_exported(&args.out, zip.arch, zip.sha256);
    Ok(())
}
