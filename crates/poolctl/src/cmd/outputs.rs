//! `poolctl outputs --stack NAME`: a deployed stack's outputs, as text or JSON. With several
//! environments (`--spec SPEC --env all`), `outputs_several`.

use deploy::Deployer;

use crate::cli::{GlobalArgs, OutputFormat, OutputsArgs};
use crate::exit::Failure;
use crate::inputs::stack_target;
use crate::ui::{outputs::print_outputs, print_json};

pub async fn run(global: &GlobalArgs, args: &OutputsArgs) -> Result<(), Failure> {
    if let (Some(spec), Some(selector)) = (
        &args.target.spec,
        args.target.env.as_deref().filter(|s| spec::is_several(s)),
    ) {
        return crate::cmd::outputs_several::run(global, args, spec, selector).await;
    }
    let (aws, stack) = stack_target(global, &args.target).await?;
    let info = Deployer::new(aws).outputs(&stack).await?;
    match args.output {
        OutputFormat::Json => print_json(&serde_json::json!(info.outputs)),
        OutputFormat::Text => print_outputs(&info.outputs),
    }
    Ok(())
}
