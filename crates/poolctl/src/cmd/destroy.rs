use crate::cli::{DestroyArgs, GlobalArgs};
use crate::exit::Failure;

pub async fn run(_global: &GlobalArgs, _args: &DestroyArgs) -> Result<(), Failure> {
    Err(Failure::error(anyhow::anyhow!("poolctl destroy is not built yet")))
}
