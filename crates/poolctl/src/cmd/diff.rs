//! `poolctl diff SPEC`: what a deploy would change. Makes the change set (the guard applies),
//! prints its summary and deletes it; nothing is uploaded or executed.

use std::time::Instant;

use anyhow::anyhow;
use deploy::{ApplyOutcome, Deployer, Prepared, Progress};

use super::deploy::{
    build_request, load_aws, load_spec, seconds, stack_name, to_failure, EventPrinter,
};
use crate::cli::{DiffArgs, GlobalArgs};
use crate::exit::Failure;

pub async fn run(global: &GlobalArgs, args: &DiffArgs) -> Result<(), Failure> {
    let started = Instant::now();
    let spec = load_spec(&args.spec)?;
    let stack_name = stack_name(&args.stack, &spec)?;
    let deployer = Deployer::new(load_aws(global).await?);
    // Diff compares what deploy would send, so it passes the flag deploy would be run without.
    let request = build_request(&deployer, &args.stack, spec, &stack_name, false, false).await?;
    let printer = EventPrinter::new();
    let mut progress = |p: Progress| printer.progress(p);
    let prepared = deployer.prepare(&request, &mut progress).await;
    printer.finish();
    match prepared.map_err(to_failure)? {
        Prepared::Done(outcome) => {
            let how = match outcome {
                ApplyOutcome::Skipped(_) => "template, parameters, tags and trigger artifact match",
                _ => "CloudFormation found nothing to change",
            };
            println!(
                "No changes to stack {stack_name}: {how} ({}).",
                seconds(started.elapsed())
            );
            Ok(())
        }
        Prepared::Plan(plan) => {
            println!(
                "Changes to stack {} ({}):",
                plan.stack_name, plan.change_set_type
            );
            print!("{}", deploy::changes::render_text(&plan.changes));
            plan.discard()
                .await
                .map_err(|e| Failure::error(anyhow!(e)))?;
            if args.fail && !plan.changes.is_empty() {
                return Err(Failure::silent(1));
            }
            Ok(())
        }
    }
}
