//! `poolctl outputs --stack NAME`: a deployed stack's outputs, as text or JSON.

use deploy::Deployer;

use crate::cli::{GlobalArgs, OutputFormat, OutputsArgs};
use crate::exit::Failure;
use crate::inputs::stack_target;
use crate::ui::{outputs::print_outputs, print_json};

pub async fn run(global: &GlobalArgs, args: &OutputsArgs) -> Result<(), Failure> {
    let (aws, stack) = stack_target(global, &args.target).await?;
    let info = Deployer::new(aws).outputs(&stack).await?;
    match args.output {
        OutputFormat::Json => print_json(&serde_json::json!(info.outputs)),
        OutputFormat::Text => print_outputs(&info.outputs),
    }
    Ok(())
}
