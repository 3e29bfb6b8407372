use crate::cli::{GlobalArgs, ReviewDownArgs, ReviewGcArgs, ReviewLsArgs, ReviewUpArgs};
use crate::exit::Failure;

pub async fn up(_global: &GlobalArgs, _args: &ReviewUpArgs) -> Result<(), Failure> {
    Err(Failure::error(anyhow::anyhow!("poolctl review up is not built yet")))
}

pub async fn down(_global: &GlobalArgs, _args: &ReviewDownArgs) -> Result<(), Failure> {
    Err(Failure::error(anyhow::anyhow!("poolctl review down is not built yet")))
}

pub async fn gc(_global: &GlobalArgs, _args: &ReviewGcArgs) -> Result<(), Failure> {
    Err(Failure::error(anyhow::anyhow!("poolctl review gc is not built yet")))
}

pub async fn ls(_global: &GlobalArgs, _args: &ReviewLsArgs) -> Result<(), Failure> {
    Err(Failure::error(anyhow::anyhow!("poolctl review ls is not built yet")))
}
