use crate::cli::{DiffArgs, GlobalArgs};
use crate::exit::Failure;

pub async fn run(_global: &GlobalArgs, _args: &DiffArgs) -> Result<(), Failure> {
    Err(Failure::error(anyhow::anyhow!("poolctl diff is not built yet")))
}
