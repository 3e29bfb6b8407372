//! `poolctl outputs --stack NAME`: a deployed stack's outputs, as text or JSON.

use deploy::Deployer;

use crate::cli::{GlobalArgs, OutputFormat, OutputsArgs};
use crate::exit::Failure;
use crate::inputs::load_aws;
use crate::ui::{outputs::print_outputs, print_json};

pub async fn run(global: &GlobalArgs, args: &OutputsArgs) -> Result<(), Failure> {
    let deployer = Deployer::new(load_aws(global, None).await?);
    let info = deployer.outputs(&args.stack).await?;
    match args.output {
        OutputFormat::Json => print_json(&serde_json::json!(info.outputs)),
        OutputFormat::Text => print_outputs(&info.outputs),
    }
    Ok(())
}
