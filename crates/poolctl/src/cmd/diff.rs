//! `poolctl diff SPEC`: what a deploy would change. Makes the change set (the guard applies),
//! prints its summary and deletes it; nothing is uploaded or executed. The trigger's code is
//! compared by its sha256 (the embedded zip's or `--trigger-zip`'s); a development build
//! without the flag keeps the deployed code in the change set and says so.

use std::time::Instant;

use deploy::{ArtifactUpload, Deployer, Prepared, Progress};

use crate::cli::{DiffArgs, GlobalArgs, ReportFormat};
use crate::exit::Failure;
use crate::inputs::{deployment, load_aws, load_spec, preview_trigger_zip, SpecUse};
use crate::ui::deploy::{print_diff, print_no_diff, print_note, trigger_not_compared_note};
use crate::ui::github::{publish_summary, wants_summary, Markdown};
use crate::ui::progress::EventPrinter;
use crate::ui::{json, markdown, print_json};

pub async fn run(global: &GlobalArgs, args: &DiffArgs) -> Result<(), Failure> {
    if let Some(selector) = args.stack.env.as_deref().filter(|s| spec::is_several(s)) {
        return crate::cmd::diff_several::run(global, args, selector).await;
    }
    let started = Instant::now();
    // Diff compares what deploy would send, so it passes the flags deploy would be run
    // without (no --allow-pool-replacement).
    let selected = load_spec(&args.spec, args.stack.env.as_deref(), SpecUse::WithAws)?;
    let environment = selected.environment.clone();
    let mut deployment = deployment(selected, &args.stack)?;
    deployment.trigger_zip = preview_trigger_zip(&deployment.spec, &args.stack.artifact)?;
    let not_compared = (deployment.spec.has_pre_sign_up_trigger()
        && deployment.trigger_zip.is_none())
    .then(|| trigger_not_compared_note(args.stack.artifact.arch.as_str()));
    let stack_name = deployment.stack_name()?;
    let deployer = Deployer::new(load_aws(global, environment.as_ref()).await?);
    let printer = EventPrinter::new();
    let mut progress = |p: Progress| printer.progress(p);
    let prepared = async {
        let request = deployer
            .request(deployment, ArtifactUpload::LocateOnly, &mut progress)
            .await?;
        deployer.prepare(&request, &mut progress).await
    }
    .await;
    printer.finish();
    if let Some(note) = &not_compared {
        print_note(note);
    }
    let summary = Markdown::from(args.output);
    match prepared? {
        Prepared::Done(outcome) => {
            match args.output {
                ReportFormat::Text => print_no_diff(&stack_name, &outcome, started.elapsed()),
                ReportFormat::Json => print_json(&json::diff(&stack_name, &[])),
                ReportFormat::Markdown => {}
            }
            if wants_summary(summary) {
                publish_summary(
                    &markdown::no_diff(&stack_name, not_compared.as_deref()),
                    summary,
                )?;
            }
            Ok(())
        }
        Prepared::Plan(plan) => {
            match args.output {
                ReportFormat::Text => print_diff(&plan),
                ReportFormat::Json => print_json(&json::diff(&plan.stack_name, &plan.changes)),
                ReportFormat::Markdown => {}
            }
            plan.discard().await?;
            if wants_summary(summary) {
                publish_summary(&markdown::diff(&plan, not_compared.as_deref()), summary)?;
            }
            if args.fail && !plan.changes.is_empty() {
                return Err(Failure::silent(1));
            }
            Ok(())
        }
    }
}
