//! What `deploy`, `diff` and `destroy` show: the change set before it runs (and the question),
//! the result line, and `--output json`'s report.

use std::time::Duration;

use deploy::{
    ApplyOutcome, ChangeSetSummary, Confirmation, DeleteOutcome, DeployError, Plan, ResourceChange,
    StackInfo,
};

use super::changes::render_text;
use super::outputs::print_outputs;
use super::progress::EventPrinter;
use super::{json, prompt, seconds};
use crate::cli::ReportFormat;

/// Shows the change set with the spinner hidden, then asks when it needs asking and `--yes`
/// was not given.
pub fn confirm_change_set(
    printer: &EventPrinter,
    summary: ChangeSetSummary<'_>,
    yes: bool,
) -> Confirmation {
    printer.suspend(|| {
        eprintln!(
            "Change set for stack {} ({}):",
            summary.stack_name,
            summary.change_set_type.as_str()
        );
        eprint!("{}", render_text(summary.changes));
    });
    if !summary.needs_confirmation || yes {
        return Confirmation::Proceed;
    }
    printer.suspend(|| prompt::confirm("Execute this change set?"))
}

/// A successful deploy: the JSON report, or the result line, resource errors to clean up, and
/// the outputs (in markdown, the summary holds them: `ui::markdown::deployed`).
pub fn print_deployed(
    outcome: &ApplyOutcome,
    changes: &[ResourceChange],
    elapsed: Duration,
    format: ReportFormat,
) {
    if format == ReportFormat::Json {
        super::print_json(&json::deploy_success(outcome, changes));
        return;
    }
    let stack = outcome.stack();
    let elapsed = seconds(elapsed);
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
    print_resource_errors(stack);
    if format == ReportFormat::Text {
        print_outputs(&stack.outputs);
    }
}

fn print_resource_errors(stack: &StackInfo) {
    if !stack.resource_errors.is_empty() {
        eprintln!("warning: the stack succeeded, but these resources reported errors (clean them up by hand):");
        for error in &stack.resource_errors {
            eprintln!("  {error}");
        }
    }
}

/// A failed deploy's machine-readable report (`--output json`).
pub fn print_deploy_failure(stack: &str, changes: &[ResourceChange], error: &DeployError) {
    super::print_json(&json::deploy_failure(stack, changes, error));
}

/// `diff` could not compare the trigger's code: why, and what the change set assumed.
pub fn trigger_not_compared_note(arch: &str) -> String {
    format!(
        "the PreSignUp trigger's code was not compared: this poolctl embeds no {arch} trigger \
         and no --trigger-zip was given, so the change set shows no change of the function's \
         code (the deployed code is kept); a deploy with a zip may still update it"
    )
}

/// A note on stderr, above a diff's result.
pub fn print_note(note: &str) {
    eprintln!("note: {note}");
}

/// `diff` found nothing to change.
pub fn print_no_diff(stack_name: &str, outcome: &ApplyOutcome, elapsed: Duration) {
    let how = match outcome {
        ApplyOutcome::Skipped(_) => "template, parameters, tags and trigger artifact match",
        _ => "CloudFormation found nothing to change",
    };
    println!(
        "No changes to stack {stack_name}: {how} ({}).",
        seconds(elapsed)
    );
}

/// `diff`'s change set, on stdout.
pub fn print_diff(plan: &Plan) {
    println!(
        "Changes to stack {} ({}):",
        plan.stack_name,
        plan.change_set_type.as_str()
    );
    print!("{}", render_text(&plan.changes));
}

pub fn print_destroyed(outcome: &DeleteOutcome, elapsed: Duration) {
    match outcome {
        DeleteOutcome::Deleted { stack_name, .. } => {
            eprintln!("Stack {stack_name} deleted in {}.", seconds(elapsed));
        }
        DeleteOutcome::Absent { stack_name } => {
            eprintln!("Stack {stack_name} does not exist; nothing to delete.");
        }
    }
}
