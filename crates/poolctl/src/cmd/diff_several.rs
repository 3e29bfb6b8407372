//! `poolctl diff SPEC --env all|dev,stage|eu-*`: each environment's change set, made as
//! `diff --env NAME` makes it (its role, its account guard, its default stack) and deleted,
//! through the several-environment runner (`crate::several`); then the resources whose change
//! differs between the environments.

use deploy::{ArtifactUpload, Deployer, Prepared, Progress, ResourceChange};
use spec::Selected;

use crate::cli::{DiffArgs, GlobalArgs, ReportFormat};
use crate::exit::Failure;
use crate::inputs::{deployment, load_aws, load_several, preview_trigger_zip};
use crate::several::{for_each_environment, markdown_for_one, one_stack_flag, worst, RunResult};
use crate::ui::deploy::{print_note, trigger_not_compared_note};
use crate::ui::environments::print_diffs;

pub async fn run(global: &GlobalArgs, args: &DiffArgs, selector: &str) -> Result<(), Failure> {
    if args.stack.stack.is_some() {
        return Err(one_stack_flag("--stack"));
    }
    if args.output == ReportFormat::Markdown {
        return Err(markdown_for_one());
    }
    let targets = load_several(&args.spec, selector)?;
    if let Some(with_trigger) = targets
        .iter()
        .find(|target| target.spec.has_pre_sign_up_trigger())
    {
        if preview_trigger_zip(&with_trigger.spec, &args.stack.artifact)?.is_none() {
            print_note(&trigger_not_compared_note(
                args.stack.artifact.arch.as_str(),
            ));
        }
    }
    let (global, shared_args) = (global.clone(), args.clone());
    let runs = for_each_environment(targets, &args.several, move |selected| {
        let (global, args) = (global.clone(), shared_args.clone());
        async move { diff_one(&global, &args, selected).await }
    })
    .await?;
    let (compared, change_sets): (Vec<&str>, Vec<&[ResourceChange]>) = runs
        .iter()
        .filter_map(|run| match &run.result {
            RunResult::Done(changes) => Some((run.environment.as_str(), changes.as_slice())),
            _ => None,
        })
        .unzip();
    let differences = deploy::changes::differences(&change_sets);
    print_diffs(&runs, &compared, &differences, args.output);
    worst(&runs, |_| None)?;
    if args.fail && change_sets.iter().any(|changes| !changes.is_empty()) {
        return Err(Failure::silent(1));
    }
    Ok(())
}

/// One environment's change set, as `diff --env NAME` makes it, deleted once read.
async fn diff_one(
    global: &GlobalArgs,
    args: &DiffArgs,
    selected: Selected,
) -> Result<Vec<ResourceChange>, Failure> {
    let environment = selected.environment.clone();
    let mut deployment = deployment(selected, &args.stack)?;
    deployment.trigger_zip = preview_trigger_zip(&deployment.spec, &args.stack.artifact)?;
    let deployer = Deployer::new(load_aws(global, environment.as_ref()).await?);
    let mut progress = |_: Progress| {};
    let request = deployer
        .request(deployment, ArtifactUpload::LocateOnly, &mut progress)
        .await?;
    match deployer.prepare(&request, &mut progress).await? {
        Prepared::Done(_) => Ok(Vec::new()),
        Prepared::Plan(plan) => {
            plan.discard().await?;
            Ok(plan.changes.clone())
        }
    }
}
