//! `poolctl destroy --spec SPEC --env all|dev,stage|eu-* --yes`: each environment's default
//! stack deleted as `destroy --spec SPEC --env NAME --yes` deletes it (the same refusals),
//! through the several-environment runner (`crate::several`), without prompts. Ends with one
//! line per environment.

use std::path::Path;

use anyhow::anyhow;
use deploy::{DeleteOutcome, Deployer};

use crate::cli::{DestroyArgs, GlobalArgs, ReportFormat};
use crate::exit::Failure;
use crate::inputs::{load_several, selected_stack};
use crate::several::{for_each_environment, one_stack_flag, worst};
use crate::ui::environments::{print_several, Settled};

pub async fn run(
    global: &GlobalArgs,
    args: &DestroyArgs,
    spec: &Path,
    selector: &str,
) -> Result<(), Failure> {
    if !args.yes {
        return Err(Failure::error(anyhow!(
            "destroying several environments needs --yes: their stacks are deleted without \
             a prompt; nothing was deleted"
        )));
    }
    if args.target.stack.is_some() {
        return Err(one_stack_flag("--stack"));
    }
    if args.output == ReportFormat::Markdown {
        return Err(Failure::error(anyhow!(
            "--output markdown is not offered for destroy; use text or json"
        )));
    }
    let targets = load_several(spec, selector)?;
    let global = global.clone();
    let runs = for_each_environment(targets, &args.several, move |selected| {
        let global = global.clone();
        async move {
            let (aws, stack) = selected_stack(&global, selected, None).await?;
            let outcome = Deployer::new(aws).delete(&stack).await?.finish().await?;
            Ok::<Settled, Failure>(Settled {
                action: match outcome {
                    DeleteOutcome::Deleted { .. } => "deleted",
                    DeleteOutcome::Absent { .. } => "absent",
                },
                changes: None,
            })
        }
    })
    .await?;
    print_several(&runs, args.output);
    worst(&runs, |_| None)
}
