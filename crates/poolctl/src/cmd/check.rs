use crate::cli::CheckArgs;
use crate::exit::Failure;

pub fn run(_args: &CheckArgs) -> Result<(), Failure> {
    Err(Failure::error(anyhow::anyhow!("poolctl check is not built yet")))
}
