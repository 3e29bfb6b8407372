//! `poolctl diff SPEC`: what a deploy would change. Makes the change set (the guard applies),
//! prints its summary and deletes it; nothing is uploaded or executed.

use std::time::Instant;

use deploy::{ArtifactUpload, Deployer, Prepared, Progress};

use crate::cli::{DiffArgs, GlobalArgs};
use crate::exit::Failure;
use crate::inputs::{deployment, load_aws, load_spec};
use crate::ui::deploy::{print_diff, print_no_diff};
use crate::ui::progress::EventPrinter;

pub async fn run(global: &GlobalArgs, args: &DiffArgs) -> Result<(), Failure> {
    let started = Instant::now();
    // Diff compares what deploy would send, so it passes the flags deploy would be run
    // without (no --allow-pool-replacement).
    let deployment = deployment(load_spec(&args.spec)?, &args.stack)?;
    let stack_name = deployment.stack_name()?;
    let deployer = Deployer::new(load_aws(global).await?);
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
    match prepared? {
        Prepared::Done(outcome) => {
            print_no_diff(&stack_name, &outcome, started.elapsed());
            Ok(())
        }
        Prepared::Plan(plan) => {
            print_diff(&plan);
            plan.discard().await?;
            if args.fail && !plan.changes.is_empty() {
                return Err(Failure::silent(1));
            }
            Ok(())
        }
    }
}
