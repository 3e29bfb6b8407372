use crate::cli::{OutputsArgs, GlobalArgs};
use crate::exit::Failure;

pub async fn run(_global: &GlobalArgs, _args: &OutputsArgs) -> Result<(), Failure> {
    Err(Failure::error(anyhow::anyhow!("poolctl outputs is not built yet")))
}
