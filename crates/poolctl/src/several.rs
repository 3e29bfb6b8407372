//! The runner for a command over several spec environments (`--env all|dev,stage|eu-*`):
//! each environment's job runs as `--env NAME` would (its role, its account guard, its default
//! stack), up to `--max-parallel` at once; once more than `--failure-tolerance` have failed,
//! the ones not yet started are skipped. After Ctrl-C no more start: the running ones finish
//! (their stack operations run on in CloudFormation either way, so their outcome is worth
//! reporting) and the rest are reported as not started, with exit 130. `deploy`, `diff`,
//! `outputs`, `destroy`, `explain --prove` and `users audit` run through it. The refusals of
//! flags that cannot go with several environments are worded here, once.

use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use anyhow::anyhow;
use spec::Selected;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::cli::SeveralArgs;
use crate::exit::Failure;

/// How one environment's job ended.
#[derive(Debug)]
pub enum RunResult<T> {
    Done(T),
    Failed(Failure),
    /// Not started: more environments had failed than `--failure-tolerance` allows.
    Skipped,
    /// Not started: Ctrl-C came first.
    NotStarted,
}

impl<T> RunResult<T> {
    /// The exit code of a failure or an interruption; `None` for the rest.
    pub fn code(&self) -> Option<u8> {
        match self {
            RunResult::Failed(failure) => Some(failure.parts().0),
            RunResult::NotStarted => Some(Failure::interrupted().parts().0),
            _ => None,
        }
    }
}

/// One environment of a command over several.
#[derive(Debug)]
pub struct EnvironmentRun<T> {
    pub environment: String,
    pub account: String,
    pub region: String,
    pub stack: String,
    pub result: RunResult<T>,
    pub seconds: f64,
}

/// The command's end: the worst exit code of `runs`, where a finished job counts by `done` (a
/// proof's mismatch, stranded users): an interruption (130) over a mismatch (6) over stranded
/// users (5) over a failed stack (4) over a refusal (3) over an error (1).
pub fn worst<T>(
    runs: &[EnvironmentRun<T>],
    done: impl Fn(&T) -> Option<Failure>,
) -> Result<(), Failure> {
    let code = runs
        .iter()
        .filter_map(|run| match &run.result {
            RunResult::Done(value) => done(value).map(|failure| failure.parts().0),
            other => other.code(),
        })
        .max();
    match code {
        Some(code) => Err(Failure::silent(code)),
        None => Ok(()),
    }
}

/// The refusal of `flag` (`--stack`, `--outputs-file`), which names one stack.
pub fn one_stack_flag(flag: &str) -> Failure {
    Failure::error(anyhow!(
        "{flag} names one stack; with several environments each uses its own default stack \
         (poolctl-<pool>-<env>); nothing was done"
    ))
}

/// The refusal of `--output markdown`, a summary of one environment.
pub fn markdown_for_one() -> Failure {
    Failure::error(anyhow!(
        "--output markdown is for one environment; use text or json with several"
    ))
}

/// The refusal of several environments by `command`, which acts on one environment only.
pub fn one_environment_only(command: &str, selector: &str) -> Failure {
    Failure::error(anyhow!(
        "{command} acts on one environment: --env takes one name here, not {selector:?}; run \
         it once per environment; nothing was done"
    ))
}

/// Runs `job` for each of `targets` within `limits`, and returns one run per target, in the
/// order given.
pub async fn for_each_environment<T, F, Fut>(
    targets: Vec<Selected>,
    limits: &SeveralArgs,
    job: F,
) -> Result<Vec<EnvironmentRun<T>>, Failure>
where
    T: Send + 'static,
    F: Fn(Selected) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<T, Failure>> + Send + 'static,
{
    let job = Arc::new(job);
    let permits = Arc::new(Semaphore::new(usize::from(limits.max_parallel)));
    let failures = Arc::new(AtomicUsize::new(0));
    let tolerance = usize::from(limits.failure_tolerance);
    let interrupted = Arc::new(AtomicBool::new(false));
    // Listening replaces Ctrl-C's default (ending the process): the running jobs finish.
    let listener = tokio::spawn({
        let interrupted = Arc::clone(&interrupted);
        async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                interrupted.store(true, Ordering::SeqCst);
                crate::ui::environments::print_interrupted();
            }
        }
    });
    let mut tasks = JoinSet::new();
    let mut runs = Vec::new();
    for (position, selected) in targets.into_iter().enumerate() {
        let run = environment_run(&selected);
        // Taken here, one target after another, so targets start in the order written (tasks
        // racing for permits would start in any order). The semaphore is never closed.
        let permit = Arc::clone(&permits).acquire_owned().await.ok();
        if interrupted.load(Ordering::SeqCst) {
            runs.push((position, run(RunResult::NotStarted, 0.0)));
            continue;
        }
        if failures.load(Ordering::SeqCst) > tolerance {
            runs.push((position, run(RunResult::Skipped, 0.0)));
            continue;
        }
        let (failures, job) = (Arc::clone(&failures), Arc::clone(&job));
        tasks.spawn(async move {
            let _permit = permit;
            let started = Instant::now();
            let result = match job(selected).await {
                Ok(done) => RunResult::Done(done),
                Err(failure) => {
                    failures.fetch_add(1, Ordering::SeqCst);
                    RunResult::Failed(failure)
                }
            };
            (position, run(result, started.elapsed().as_secs_f64()))
        });
    }
    while let Some(joined) = tasks.join_next().await {
        runs.push(
            joined.map_err(|e| Failure::error(anyhow!("an environment's task stopped: {e}")))?,
        );
    }
    listener.abort();
    runs.sort_by_key(|(position, _)| *position);
    Ok(runs.into_iter().map(|(_, run)| run).collect())
}

/// The run of `selected`, once its result is known.
fn environment_run<T>(selected: &Selected) -> impl FnOnce(RunResult<T>, f64) -> EnvironmentRun<T> {
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
