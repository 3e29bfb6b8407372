//! `poolctl users audit|verify|create`: stuck users, found and fixed at Cognito's quotas. With
//! several environments (`audit --spec SPEC --env all`), `users_audit_several`; `verify` and
//! `create` change users, one environment at a time.

use std::sync::Arc;
use std::time::Instant;

use anyhow::anyhow;
use tokio_util::sync::CancellationToken;
use users::{
    AuditOptions, Cognito, Counters, CreateOptions, Invitation, Partitioning, Pool, PoolRef, Rates,
    Selection, VerifyOptions, VerifyPlan,
};

use crate::cli::{
    GlobalArgs, OutputFormat, PoolArgs, StackTarget, UsersAuditArgs, UsersCreateArgs,
    UsersVerifyArgs,
};
use crate::exit::Failure;
use crate::inputs::{load_aws, stack_target};
use crate::several::one_environment_only;
use crate::ui::users::{
    ask_to_verify, print_audit_result, print_create_result, print_interrupted, print_resuming,
    print_selected, print_stopping, print_verify_result, Ticker,
};

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// The AWS context (a spec environment's, with its account guard), the client at `rates`, and
/// the pool.
async fn connect(
    global: &GlobalArgs,
    pool: &PoolArgs,
    rates: Rates,
) -> Result<(Arc<Cognito>, Arc<Counters>, Pool), Failure> {
    let source = &pool.source;
    let (aws, pool_ref) = match (&source.spec, &source.stack, &source.user_pool_id) {
        (Some(_), _, _) => {
            let target = StackTarget {
                stack: None,
                spec: source.spec.clone(),
                env: pool.env.clone(),
            };
            let (aws, stack) = stack_target(global, &target).await?;
            (aws, PoolRef::Stack(stack))
        }
        (None, _, Some(id)) => (load_aws(global, None).await?, PoolRef::Id(id.clone())),
        (None, Some(stack), None) => (load_aws(global, None).await?, PoolRef::Stack(stack.clone())),
        // clap's group makes one of them required.
        (None, None, None) => (load_aws(global, None).await?, PoolRef::Id(String::new())),
    };
    open_pool(&aws, &pool_ref, rates).await
}

/// The client at `rates`, its counters, and the pool `pool_ref` names.
pub(crate) async fn open_pool(
    aws: &aws::Aws,
    pool_ref: &PoolRef,
    rates: Rates,
) -> Result<(Arc<Cognito>, Arc<Counters>, Pool), Failure> {
    let counters = Arc::new(Counters::default());
    let cognito = Arc::new(Cognito::new(aws, rates, Arc::clone(&counters)));
    let pool = cognito.pool(aws, pool_ref).await?;
    Ok((cognito, counters, pool))
}

/// `users verify` and `create` change users: several environments are refused before
/// anything is read.
fn one_environment(pool: &PoolArgs, command: &str) -> Result<(), Failure> {
    match pool.env.as_deref().filter(|s| spec::is_several(s)) {
        Some(selector) => Err(one_environment_only(command, selector)),
        None => Ok(()),
    }
}

/// Ctrl-C stops a run between users: none is left half-done, and the journal lets the same
/// command go on later. A second Ctrl-C quits at once, which is as safe as SIGKILL (the
/// journal marks what was in flight, and the next run re-reads those users).
fn stop_on_ctrl_c() -> CancellationToken {
    let stop = CancellationToken::new();
    let token = stop.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            print_stopping();
            token.cancel();
            if tokio::signal::ctrl_c().await.is_ok() {
                std::process::exit(130);
            }
        }
    });
    stop
}

/// After a stopped run's report: exit 130, saying how to go on.
fn interrupted(not_started: u64, what: &str, journal: Option<&std::path::Path>) -> Failure {
    print_interrupted(not_started, what, journal);
    Failure::interrupted()
}

/// The rates of `users audit`.
pub(crate) fn audit_rates(args: &UsersAuditArgs) -> Rates {
    Rates {
        list: args.rate,
        ..Rates::default()
    }
}

/// The thresholds and scan plan of `users audit`.
pub(crate) fn audit_options(args: &UsersAuditArgs) -> AuditOptions {
    AuditOptions {
        now: now(),
        unconfirmed_days: args.unconfirmed_days,
        partitioning: match args.partitions {
            Some(1) => Partitioning::One,
            Some(_) => Partitioning::Sixteen,
            None => Partitioning::Auto,
        },
    }
}

pub async fn audit(global: &GlobalArgs, args: &UsersAuditArgs) -> Result<(), Failure> {
    if let (Some(spec), Some(selector)) = (
        &args.pool.source.spec,
        args.pool.env.as_deref().filter(|s| spec::is_several(s)),
    ) {
        return crate::cmd::users_audit_several::run(global, args, spec, selector).await;
    }
    let (cognito, counters, pool) = connect(global, &args.pool, audit_rates(args)).await?;
    let started = Instant::now();
    let report = audit_with_progress(&cognito, &counters, &pool, audit_options(args)).await?;
    let elapsed = started.elapsed();
    let throttled = Counters::get(&counters.throttled);
    if let Some(out) = &args.out {
        users::findings::write(out, &report).map_err(Failure::error)?;
    }
    print_audit_result(
        &report,
        elapsed,
        throttled,
        args.out.as_deref(),
        args.output == OutputFormat::Json,
    );
    if report.stranded() > 0 {
        return Err(Failure::stranded());
    }
    Ok(())
}

/// The audit, with its progress shown while it scans.
async fn audit_with_progress(
    cognito: &Arc<Cognito>,
    counters: &Arc<Counters>,
    pool: &Pool,
    options: AuditOptions,
) -> Result<users::AuditReport, Failure> {
    let ticker = Ticker::start("audit", Arc::clone(counters), Some(pool.estimated_users));
    let report = users::audit(cognito, pool, options).await;
    ticker.finish();
    Ok(report?)
}

pub async fn verify(global: &GlobalArgs, args: &UsersVerifyArgs) -> Result<(), Failure> {
    one_environment(&args.pool, "users verify")?;
    let selection = Selection::new(args.class, &args.domains, args.created_before.as_deref())
        .map_err(Failure::error)?;
    let rates = Rates {
        update: args.rate,
        ..Rates::default()
    };
    let (cognito, counters, pool) = connect(global, &args.pool, rates).await?;
    let findings = match &args.from {
        Some(path) => users::findings::read(path, &pool.id).map_err(Failure::error)?,
        None => {
            let options = AuditOptions {
                now: now(),
                unconfirmed_days: 7,
                partitioning: Partitioning::Auto,
            };
            audit_with_progress(&cognito, &counters, &pool, options)
                .await?
                .findings
        }
    };
    let plan = VerifyPlan::new(
        &pool.id,
        findings,
        &selection,
        args.dry_run,
        args.journal.clone(),
    );
    print_selected(&plan);
    if plan.targets.is_empty() {
        return Ok(());
    }
    if !args.dry_run && !args.yes && !ask_to_verify(&plan)? {
        return Err(Failure::error(anyhow!("cancelled; nothing was changed")));
    }
    let journal = plan.open_journal()?;
    if let (Some(journal), Some(path)) = (&journal, &plan.journal) {
        if journal.finished_count() > 0 {
            print_resuming(path, journal.finished_count(), "users");
        }
    }
    counters
        .users
        .store(0, std::sync::atomic::Ordering::Relaxed);
    let total = plan.targets.len() as u64;
    let stop = stop_on_ctrl_c();
    let ticker = Ticker::start("verify", Arc::clone(&counters), Some(total));
    let report = users::verify(
        &cognito,
        &pool,
        plan.targets,
        journal.map(Arc::new),
        VerifyOptions {
            dry_run: args.dry_run,
            move_alias: args.move_alias,
        },
        &stop,
    )
    .await;
    ticker.finish();
    let report = report?;
    print_verify_result(
        &report,
        &pool.id,
        args.dry_run,
        args.output == OutputFormat::Json,
    );
    if report.not_started > 0 {
        return Err(interrupted(
            report.not_started,
            "selected users were",
            plan.journal.as_deref(),
        ));
    }
    let refused = report.refused().count();
    if refused > 0 {
        return Err(Failure::refused(anyhow!(
            "{refused} users were refused: another user holds their address verified \
             (--move-alias moves it)"
        )));
    }
    Ok(())
}

pub async fn create(global: &GlobalArgs, args: &UsersCreateArgs) -> Result<(), Failure> {
    one_environment(&args.pool, "users create")?;
    // Every row is checked before any call, credentials included.
    let mut rows = users::create::read_rows(&args.from)?;
    let rates = Rates {
        create: args.rate,
        ..Rates::default()
    };
    let (cognito, counters, pool) = connect(global, &args.pool, rates).await?;
    users::create::check_against_pool(&args.from, &mut rows, &pool)?;
    let path = users::create::journal_path(&args.from, args.journal.clone());
    let journal = Arc::new(users::create::open_journal(&path, &pool.id)?);
    if journal.finished_count() > 0 {
        print_resuming(&path, journal.finished_count(), "rows");
    }
    let stop = stop_on_ctrl_c();
    let ticker = Ticker::start("create", Arc::clone(&counters), Some(rows.len() as u64));
    let report = users::create(
        &cognito,
        &pool,
        rows,
        journal,
        CreateOptions {
            verified_email: args.verified_email,
            invitation: if args.suppress {
                Invitation::Suppress
            } else {
                Invitation::Email
            },
        },
        &stop,
    )
    .await;
    ticker.finish();
    let report = report?;
    print_create_result(&report, &pool.id, args.output == OutputFormat::Json);
    if report.not_started > 0 {
        return Err(interrupted(report.not_started, "rows were", Some(&path)));
    }
    Ok(())
}
