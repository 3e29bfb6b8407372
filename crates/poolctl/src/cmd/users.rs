//! `poolctl users audit|verify|create`: stuck users, found and fixed at Cognito's quotas.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use anyhow::anyhow;
use tokio_util::sync::CancellationToken;
use users::{
    AuditOptions, Class, Cognito, Counters, CreateOptions, Invitation, Journal, Partitioning, Pool,
    PoolRef, Rates, Selection, VerifyOptions,
};

use crate::cli::{
    GlobalArgs, OutputFormat, PoolArgs, UsersAuditArgs, UsersCreateArgs, UsersVerifyArgs,
};
use crate::exit::Failure;
use crate::inputs::load_aws;
use crate::ui::users::{
    print_audit, print_create, print_verify, read_findings, write_findings, Ticker,
};
use crate::ui::{json, prompt};

/// The `--stack` / `--user-pool-id` pair as the library takes it.
fn pool_ref(args: &PoolArgs) -> PoolRef {
    match (&args.stack, &args.user_pool_id) {
        (_, Some(id)) => PoolRef::Id(id.clone()),
        (Some(stack), None) => PoolRef::Stack(stack.clone()),
        // clap's group makes one of them required.
        (None, None) => PoolRef::Id(String::new()),
    }
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// The AWS context, the client at `rates`, and the pool.
async fn connect(
    global: &GlobalArgs,
    pool: &PoolArgs,
    rates: Rates,
) -> Result<(Arc<Cognito>, Arc<Counters>, Pool), Failure> {
    let aws = load_aws(global).await?;
    let counters = Arc::new(Counters::default());
    let cognito = Arc::new(Cognito::new(&aws, rates, Arc::clone(&counters)));
    let pool = cognito.pool(&aws, &pool_ref(pool)).await?;
    Ok((cognito, counters, pool))
}

/// Ctrl-C stops a run between users: none is left half-done, and the journal lets the same
/// command go on later. A second Ctrl-C quits at once, which is as safe as SIGKILL (the
/// journal marks what was in flight, and the next run re-reads those users).
fn stop_on_ctrl_c() -> CancellationToken {
    let stop = CancellationToken::new();
    let token = stop.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!(
                "Stopping: no more users are started; those in flight finish and are journaled \
                 (Ctrl-C again to quit at once)."
            );
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
    match journal {
        Some(path) => eprintln!(
            "Interrupted: {not_started} {what} not started. Run the same command again to go on; \
             {} skips what is done.",
            path.display()
        ),
        None => eprintln!("Interrupted: {not_started} {what} not started."),
    }
    Failure::interrupted()
}

pub async fn audit(global: &GlobalArgs, args: &UsersAuditArgs) -> Result<(), Failure> {
    let rates = Rates {
        list: args.rate,
        ..Rates::default()
    };
    let (cognito, counters, pool) = connect(global, &args.pool, rates).await?;
    let started = Instant::now();
    let report = audit_with_progress(
        &cognito,
        &counters,
        &pool,
        AuditOptions {
            now: now(),
            unconfirmed_days: args.unconfirmed_days,
            partitioning: if args.partitions == 1 {
                Partitioning::One
            } else {
                Partitioning::Sixteen
            },
        },
    )
    .await?;
    let elapsed = started.elapsed();
    let throttled = Counters::get(&counters.throttled);
    if let Some(out) = &args.out {
        write_findings(out, &report)?;
    }
    match args.output {
        OutputFormat::Json => println!(
            "{}",
            json::pretty(&json::users_audit(&report, elapsed, throttled))
        ),
        OutputFormat::Text => {
            print_audit(&report, elapsed, throttled);
            if let Some(out) = &args.out {
                println!("Users to look at: {}", out.display());
            }
        }
    }
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
    let selection = selection(args)?;
    let rates = Rates {
        update: args.rate,
        ..Rates::default()
    };
    let (cognito, counters, pool) = connect(global, &args.pool, rates).await?;
    let findings = match &args.from {
        Some(path) => read_findings(path, &pool.id)?,
        None => {
            let options = AuditOptions {
                now: now(),
                unconfirmed_days: 7,
                partitioning: Partitioning::Sixteen,
            };
            audit_with_progress(&cognito, &counters, &pool, options)
                .await?
                .findings
        }
    };
    let found = findings.len();
    let targets: Vec<_> = findings
        .into_iter()
        .filter(|f| selection.matches(f))
        .collect();
    eprintln!(
        "{} of {found} listed users selected in {}.",
        targets.len(),
        pool.id
    );
    if targets.is_empty() {
        return Ok(());
    }
    if !args.dry_run
        && !args.yes
        && !prompt::ask(&format!(
            "Set email_verified=true for up to {} users of {}?",
            targets.len(),
            pool.id
        ))?
    {
        return Err(Failure::error(anyhow!("cancelled; nothing was changed")));
    }
    let journal_path = (!args.dry_run).then(|| {
        args.journal
            .clone()
            .unwrap_or_else(|| PathBuf::from(format!("poolctl-verify-{}.journal", pool.id)))
    });
    let journal = if let Some(path) = &journal_path {
        let journal = Journal::open(path, "verify", &pool.id)?;
        if journal.finished_count() > 0 {
            eprintln!(
                "Resuming from {}: {} users were done earlier.",
                path.display(),
                journal.finished_count()
            );
        }
        Some(Arc::new(journal))
    } else {
        None
    };
    counters
        .users
        .store(0, std::sync::atomic::Ordering::Relaxed);
    let total = targets.len() as u64;
    let stop = stop_on_ctrl_c();
    let ticker = Ticker::start("verify", Arc::clone(&counters), Some(total));
    let report = users::verify(
        &cognito,
        &pool,
        targets,
        journal,
        VerifyOptions {
            dry_run: args.dry_run,
            move_alias: args.move_alias,
        },
        &stop,
    )
    .await;
    ticker.finish();
    let report = report?;
    match args.output {
        OutputFormat::Json => println!("{}", json::pretty(&json::users_verify(&report, &pool.id))),
        OutputFormat::Text => print_verify(&report, &pool.id, args.dry_run),
    }
    if report.not_started > 0 {
        return Err(interrupted(
            report.not_started,
            "selected users were",
            journal_path.as_deref(),
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

fn selection(args: &UsersVerifyArgs) -> Result<Selection, Failure> {
    if let Some(class) = args.class {
        if !users::verify::VERIFIABLE.contains(&class) {
            return Err(Failure::error(anyhow!(
                "verify acts on stuck and duplicate_email users; {class}: {}",
                class.fix()
            )));
        }
    }
    let created_before = match &args.created_before {
        None => None,
        Some(text) => Some(users::record::parse_time(text).ok_or_else(|| {
            anyhow!("--created-before {text:?}: expected RFC 3339, e.g. 2026-01-31T00:00:00Z")
        })?),
    };
    Ok(Selection {
        classes: args.class.into_iter().collect::<Vec<Class>>(),
        domains: args
            .domains
            .iter()
            .map(|d| d.trim_start_matches('@').to_lowercase())
            .collect(),
        created_before,
    })
}

pub async fn create(global: &GlobalArgs, args: &UsersCreateArgs) -> Result<(), Failure> {
    // Every row is checked before any call, credentials included.
    let mut rows = users::create::read_rows(&args.from)?;
    let rates = Rates {
        create: args.rate,
        ..Rates::default()
    };
    let (cognito, counters, pool) = connect(global, &args.pool, rates).await?;
    users::create::check_against_pool(&args.from, &mut rows, &pool)?;
    let path = args.journal.clone().unwrap_or_else(|| {
        let mut name = args.from.clone().into_os_string();
        name.push(".journal");
        PathBuf::from(name)
    });
    let journal = Arc::new(Journal::open(&path, "create", &pool.id)?);
    if journal.finished_count() > 0 {
        eprintln!(
            "Resuming from {}: {} rows were done earlier.",
            path.display(),
            journal.finished_count()
        );
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
    match args.output {
        OutputFormat::Json => println!("{}", json::pretty(&json::users_create(&report, &pool.id))),
        OutputFormat::Text => print_create(&report),
    }
    if report.not_started > 0 {
        return Err(interrupted(report.not_started, "rows were", Some(&path)));
    }
    Ok(())
}
