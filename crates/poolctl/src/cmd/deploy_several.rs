//! `poolctl deploy SPEC --env all|dev,stage|eu-*`: each environment deployed as `--env NAME`
//! would (its role, its account guard, its default stack), up to `--max-parallel` at once,
//! without prompts (the pool guard still refuses); once more than `--failure-tolerance` have
//! failed, the ones not yet started are skipped. Ends with one line per environment.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use anyhow::anyhow;
use deploy::{Applying, ArtifactUpload, ChangeSetSummary, Confirmation, Deployer, Progress};
use spec::Selected;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::cli::{DeployArgs, GlobalArgs, ReportFormat};
use crate::exit::Failure;
use crate::inputs::{deployment, load_aws, load_spec_file, trigger_zip};
use crate::ui::environments::{print_several, EnvironmentRun, RunResult};
use crate::ui::json::action;

pub async fn run(global: &GlobalArgs, args: &DeployArgs, selector: &str) -> Result<(), Failure> {
    if !args.yes {
        return Err(Failure::error(anyhow!(
            "deploying several environments needs --yes: their change sets are executed \
             without a prompt (the pool guard still refuses); nothing was deployed"
        )));
    }
    if args.stack.stack.is_some() || args.outputs_file.is_some() {
        return Err(Failure::error(anyhow!(
            "--stack and --outputs-file name one stack; with several environments each deploys \
             to its own default stack (poolctl-<pool>-<env>); nothing was deployed"
        )));
    }
    if args.output == ReportFormat::Markdown {
        return Err(Failure::error(anyhow!(
            "--output markdown is for one environment; use text or json with several"
        )));
    }
    let targets = load_spec_file(&args.spec)?
        .select_several(selector)
        .map_err(Failure::error)?;
    let permits = Arc::new(Semaphore::new(usize::from(args.max_parallel)));
    let failures = Arc::new(AtomicUsize::new(0));
    let tolerance = usize::from(args.failure_tolerance);
    let mut tasks = JoinSet::new();
    for (position, selected) in targets.into_iter().enumerate() {
        let (global, args) = (global.clone(), args.clone());
        let (permits, failures) = (Arc::clone(&permits), Arc::clone(&failures));
        tasks.spawn(async move {
            let run = environment_run(&selected);
            // The semaphore is never closed, so a permit always comes.
            let _permit = permits.acquire_owned().await.ok();
            if failures.load(Ordering::SeqCst) > tolerance {
                return (position, run(RunResult::Skipped, 0.0));
            }
            let started = Instant::now();
            let result = deploy_one(&global, &args, selected).await;
            if result.is_err() {
                failures.fetch_add(1, Ordering::SeqCst);
            }
            let result = match result {
                Ok((action, changes)) => RunResult::Deployed { action, changes },
                Err(failure) => RunResult::Failed(failure),
            };
            (position, run(result, started.elapsed().as_secs_f64()))
        });
    }
    let mut runs = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        runs.push(joined.map_err(|e| Failure::error(anyhow!("a deploy task stopped: {e}")))?);
    }
    runs.sort_by_key(|(position, _)| *position);
    let runs: Vec<EnvironmentRun> = runs.into_iter().map(|(_, run)| run).collect();
    print_several(&runs, args.output);
    // The worst outcome decides: a failed stack (4) over a refusal (3) over an error (1).
    match runs.iter().filter_map(|run| run.result.code()).max() {
        Some(code) => Err(Failure::silent(code)),
        None => Ok(()),
    }
}

/// The line for `selected`, once its result is known.
fn environment_run(selected: &Selected) -> impl FnOnce(RunResult, f64) -> EnvironmentRun {
    let environment = selected.environment.clone();
    let stack = deploy::default_stack_name(
        &selected.spec,
        environment.as_ref().map(|named| named.name.as_str()),
    );
    move |result, seconds| {
        let (name, account, region) = environment
            .map(|named| {
                (
                    named.name,
                    named.environment.account,
                    named.environment.region,
                )
            })
            .unwrap_or_default();
        EnvironmentRun {
            stack,
            environment: name,
            account,
            region,
            result,
            seconds,
        }
    }
}

/// One environment's deploy, as `deploy --env NAME --yes` makes it, without progress lines.
async fn deploy_one(
    global: &GlobalArgs,
    args: &DeployArgs,
    selected: Selected,
) -> Result<(&'static str, usize), Failure> {
    let environment = selected.environment.clone();
    let mut deployment = deployment(selected, &args.stack)?;
    deployment.trigger_zip = trigger_zip(&deployment.spec, &args.stack.artifact)?;
    deployment.allow_pool_replacement = args.allow_pool_replacement;
    let deployer = Deployer::new(load_aws(global, environment.as_ref()).await?);
    let mut progress = |_: Progress| {};
    let request = deployer
        .request(deployment, ArtifactUpload::Upload, &mut progress)
        .await?;
    let mut confirm = |_: ChangeSetSummary<'_>| Confirmation::Proceed;
    match deployer
        .apply(&request, &mut progress, &mut confirm)
        .await?
    {
        Applying::Done(outcome) => Ok((action(&outcome), 0)),
        Applying::Declined { reason, .. } => Err(Failure::error(anyhow!(reason))),
        Applying::Executing { changes, watch } => {
            let outcome = watch.finish().await?;
            Ok((action(&outcome), changes.len()))
        }
    }
}
