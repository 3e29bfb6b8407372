//! `poolctl deploy SPEC`: request, change set, guard, confirm, execute, watch, outputs. Human
//! progress goes to stderr; results (outputs, `--output json`) to stdout.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use deploy::{
    Applying, ArtifactUpload, ChangeSetSummary, DeployError, Deployer, Progress, ResourceChange,
};

use crate::cli::{DeployArgs, GlobalArgs, ReportFormat};
use crate::exit::Failure;
use crate::inputs::{deployment, load_aws, load_spec, trigger_zip, SpecUse};
use crate::ui::deploy::{confirm_change_set, print_deploy_failure, print_deployed};
use crate::ui::github::{publish_outputs, publish_summary, wants_summary, Markdown};
use crate::ui::outputs::write_outputs_file;
use crate::ui::progress::{ctrl_c_until, follow, interrupted, EventPrinter};
use crate::ui::prompt::declined;
use crate::ui::{json, markdown};

pub async fn run(global: &GlobalArgs, args: &DeployArgs) -> Result<(), Failure> {
    if let Some(selector) = args.stack.env.as_deref().filter(|s| spec::is_several(s)) {
        return crate::cmd::deploy_several::run(global, args, selector).await;
    }
    let started = Instant::now();
    let selected = load_spec(&args.spec, args.stack.env.as_deref(), SpecUse::WithAws)?;
    let environment = selected.environment.clone();
    let mut deployment = deployment(selected, &args.stack)?;
    deployment.trigger_zip = trigger_zip(&deployment.spec, &args.stack.artifact)?;
    deployment.allow_pool_replacement = args.allow_pool_replacement;
    let stack_name = deployment.stack_name()?;
    let deployer = Deployer::new(load_aws(global, environment.as_ref()).await?);
    let json = args.output == ReportFormat::Json;
    let printer = EventPrinter::new();
    let mut progress = |p: Progress| printer.progress(p);
    let request = match deployer
        .request(deployment, ArtifactUpload::Upload, &mut progress)
        .await
    {
        Ok(request) => request,
        Err(error) => {
            printer.finish();
            return Err(report_error(json, &stack_name, &[], error));
        }
    };
    let resume = format!(
        "poolctl deploy {} --stack {stack_name}",
        args.spec.display()
    );

    // The change set as shown, for the failure report if executing it fails.
    let mut shown: Vec<ResourceChange> = Vec::new();
    let shown_yet = AtomicBool::new(false);
    let mut confirm = |summary: ChangeSetSummary<'_>| {
        shown_yet.store(true, Ordering::SeqCst);
        shown = summary.changes.to_vec();
        confirm_change_set(&printer, summary, args.yes)
    };
    let applied = tokio::select! {
        biased;
        applied = deployer.apply(&request, &mut progress, &mut confirm) => applied,
        () = ctrl_c_until(&shown_yet) => return Err(interrupted(&printer, &resume)),
    };
    match applied {
        Err(error) => {
            printer.finish();
            Err(report_error(json, &stack_name, &shown, error))
        }
        Ok(Applying::Done(outcome)) => {
            printer.finish();
            finish_ok(args, &outcome, &[], started)
        }
        Ok(Applying::Declined { reason, discarded }) => {
            printer.finish();
            Err(declined(&reason, discarded))
        }
        Ok(Applying::Executing { changes, watch }) => {
            match follow(watch, &printer, &resume).await? {
                Ok(outcome) => finish_ok(args, &outcome, &changes, started),
                Err(error) => Err(report_error(json, &stack_name, &changes, error)),
            }
        }
    }
}

fn finish_ok(
    args: &DeployArgs,
    outcome: &deploy::ApplyOutcome,
    changes: &[ResourceChange],
    started: Instant,
) -> Result<(), Failure> {
    if let Some(path) = &args.outputs_file {
        write_outputs_file(
            path,
            &json::pretty(&serde_json::json!(outcome.stack().outputs)),
        )?;
    }
    let elapsed = started.elapsed();
    print_deployed(outcome, changes, elapsed, args.output);
    let summary = Markdown::from(args.output);
    if wants_summary(summary) {
        publish_summary(&markdown::deployed(outcome, changes, elapsed), summary)?;
    }
    publish_outputs(&outcome.stack().outputs)
}

/// In JSON mode, the machine-readable report; in any mode, the exit code for the error.
fn report_error(
    json: bool,
    stack: &str,
    changes: &[ResourceChange],
    error: DeployError,
) -> Failure {
    if json {
        print_deploy_failure(stack, changes, &error);
    }
    error.into()
}
