//! `poolctl outputs --spec SPEC --env all|dev,stage|eu-*`: each environment's default stack's
//! outputs, read as `outputs --spec SPEC --env NAME` reads them, through the
//! several-environment runner (`crate::several`).

use std::collections::BTreeMap;
use std::path::Path;

use deploy::Deployer;

use crate::cli::{GlobalArgs, OutputsArgs};
use crate::exit::Failure;
use crate::inputs::{load_several, selected_stack};
use crate::several::{for_each_environment, one_stack_flag, worst};
use crate::ui::environments::print_several_outputs;

pub async fn run(
    global: &GlobalArgs,
    args: &OutputsArgs,
    spec: &Path,
    selector: &str,
) -> Result<(), Failure> {
    if args.target.stack.is_some() {
        return Err(one_stack_flag("--stack"));
    }
    let targets = load_several(spec, selector)?;
    let global = global.clone();
    let runs = for_each_environment(targets, &args.several, move |selected| {
        let global = global.clone();
        async move {
            let (aws, stack) = selected_stack(&global, selected, None).await?;
            let info = Deployer::new(aws).outputs(&stack).await?;
            Ok::<BTreeMap<String, String>, Failure>(info.outputs)
        }
    })
    .await?;
    print_several_outputs(&runs, args.output);
    worst(&runs, |_| None)
}
