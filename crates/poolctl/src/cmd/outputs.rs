//! `poolctl outputs --stack NAME`: a deployed stack's outputs, as text or JSON.

use anyhow::anyhow;
use deploy::Deployer;

use super::deploy::{load_aws, print_outputs};
use crate::cli::{GlobalArgs, OutputFormat, OutputsArgs};
use crate::exit::Failure;

pub async fn run(global: &GlobalArgs, args: &OutputsArgs) -> Result<(), Failure> {
    let deployer = Deployer::new(load_aws(global).await?);
    let info = deployer
        .outputs(&args.stack)
        .await
        .map_err(|e| Failure::error(anyhow!(e)))?;
    match args.output {
        OutputFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&info.outputs).map_err(|e| Failure::error(anyhow!(e)))?
        ),
        OutputFormat::Text => print_outputs(&info.outputs),
    }
    Ok(())
}
