//! `poolctl deploy SPEC`: request, change set, guard, confirm, execute, watch, outputs. Human
//! progress goes to stderr; results (outputs, `--output json`) to stdout.

use std::time::Instant;

use anyhow::anyhow;
use deploy::{
    changes, ApplyOutcome, ArtifactUpload, DeployError, Deployer, Prepared, Progress,
    ResourceChange,
};

use crate::cli::{DeployArgs, GlobalArgs, OutputFormat};
use crate::exit::Failure;
use crate::inputs::{deployment, load_aws, load_spec};
use crate::ui::outputs::{print_outputs, write_outputs_file};
use crate::ui::progress::{follow, interrupted, EventPrinter};
use crate::ui::prompt::ask;
use crate::ui::{changes::render_text, json, seconds};

pub async fn run(global: &GlobalArgs, args: &DeployArgs) -> Result<(), Failure> {
    let started = Instant::now();
    let mut deployment = deployment(load_spec(&args.spec)?, &args.stack)?;
    deployment.allow_pool_replacement = args.allow_pool_replacement;
    let stack_name = deployment.stack_name()?;
    let deployer = Deployer::new(load_aws(global).await?);
    let json = args.output == OutputFormat::Json;
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

    let prepared = tokio::select! {
        prepared = deployer.prepare(&request, &mut progress) => prepared,
        _ = tokio::signal::ctrl_c() => return Err(interrupted(&printer, &resume)),
    };
    let plan = match prepared {
        Err(error) => {
            printer.finish();
            return Err(report_error(json, &stack_name, &[], error));
        }
        Ok(Prepared::Done(outcome)) => {
            deployer
                .discard_leftover_change_sets(&stack_name, &mut progress)
                .await;
            printer.finish();
            return finish_ok(args, &outcome, &[], started);
        }
        Ok(Prepared::Plan(plan)) => plan,
    };
    printer.suspend(|| {
        eprintln!(
            "Change set for stack {} ({}):",
            plan.stack_name,
            plan.change_set_type.as_str()
        );
        eprint!("{}", render_text(&plan.changes));
    });
    let changes = plan.changes.clone();
    if changes::needs_confirmation(&changes) && !args.yes {
        let decision = printer.suspend(|| ask("Execute this change set?"));
        if !matches!(decision, Ok(true)) {
            plan.discard().await?;
            printer.finish();
            let why = match decision {
                Err(e) => e.to_string(),
                Ok(_) => "not confirmed".to_owned(),
            };
            return Err(Failure::error(anyhow!(
                "{why}; the change set was deleted and nothing changed"
            )));
        }
    }
    let watch = plan
        .execute()
        .await
        .map_err(|e| report_error(json, &stack_name, &changes, e))?;
    match follow(watch, &printer, &resume).await? {
        Ok(outcome) => finish_ok(args, &outcome, &changes, started),
        Err(error) => Err(report_error(json, &stack_name, &changes, error)),
    }
}

fn finish_ok(
    args: &DeployArgs,
    outcome: &ApplyOutcome,
    changes: &[ResourceChange],
    started: Instant,
) -> Result<(), Failure> {
    let stack = outcome.stack();
    if let Some(path) = &args.outputs_file {
        write_outputs_file(path, &json::pretty(&serde_json::json!(stack.outputs)))?;
    }
    if args.output == OutputFormat::Json {
        println!("{}", json::pretty(&json::deploy_success(outcome, changes)));
        return Ok(());
    }
    let elapsed = seconds(started.elapsed());
    let (name, status) = (&stack.stack_name, stack.status.as_str());
    let line = match outcome {
        ApplyOutcome::Created(_) => format!("Stack {name} created ({status}) in {elapsed}."),
        ApplyOutcome::Updated(_) => format!("Stack {name} updated ({status}) in {elapsed}."),
        ApplyOutcome::Imported(_) => format!("Stack {name} imported ({status}) in {elapsed}."),
        ApplyOutcome::NoChanges(_) => {
            format!("Stack {name} unchanged: CloudFormation found no changes to make ({elapsed}).")
        }
        ApplyOutcome::Skipped(_) => format!(
            "Stack {name} unchanged: template, parameters, tags and trigger artifact match the \
             deployed stack; no change set created ({elapsed})."
        ),
    };
    eprintln!("{line}");
    if !stack.resource_errors.is_empty() {
        eprintln!("warning: the stack succeeded, but these resources reported errors (clean them up by hand):");
        for error in &stack.resource_errors {
            eprintln!("  {error}");
        }
    }
    print_outputs(&stack.outputs);
    Ok(())
}

/// In JSON mode, the machine-readable report; in any mode, the exit code for the error.
fn report_error(
    json: bool,
    stack: &str,
    changes: &[ResourceChange],
    error: DeployError,
) -> Failure {
    if json {
        println!(
            "{}",
            json::pretty(&json::deploy_failure(stack, changes, &error))
        );
    }
    error.into()
}
