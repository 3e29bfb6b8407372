use crate::cli::{DeployArgs, GlobalArgs};
use crate::exit::Failure;

pub async fn run(_global: &GlobalArgs, _args: &DeployArgs) -> Result<(), Failure> {
    Err(Failure::error(anyhow::anyhow!("poolctl deploy is not built yet")))
}
