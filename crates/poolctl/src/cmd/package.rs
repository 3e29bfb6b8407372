use crate::cli::PackageArgs;
use crate::exit::Failure;

pub fn run(_args: &PackageArgs) -> Result<(), Failure> {
    Err(Failure::error(anyhow::anyhow!("poolctl package is not built yet")))
}
