//! `poolctl review up|down|gc|ls`: short-lived review pools, one per pull request. Progress
//! and notes go to stderr; results (outputs, the table, JSON) to stdout.

use std::time::Instant as Stopwatch;

use anyhow::anyhow;
use deploy::Progress;
use review::{GcEvent, Instant, ReviewId, Ttl, UpReport, UpRequest};

use crate::cli::{
    GlobalArgs, OutputFormat, ReviewDownArgs, ReviewGcArgs, ReviewLsArgs, ReviewUpArgs,
};
use crate::exit::Failure;
use crate::inputs::{load_aws, load_spec, trigger_zip};
use crate::ui::outputs::write_outputs_file;
use crate::ui::progress::EventPrinter;
use crate::ui::review_table::render_table;
use crate::ui::{json, seconds};

fn review_id(raw: &str) -> Result<ReviewId, Failure> {
    ReviewId::parse(raw).map_err(|e| Failure::error(anyhow!("invalid --id: {e}")))
}

fn clock(now: Option<&str>) -> Result<Instant, Failure> {
    Instant::now_or(now).map_err(|e| Failure::error(anyhow!("invalid --now / POOLCTL_NOW: {e}")))
}

pub async fn up(global: &GlobalArgs, args: &ReviewUpArgs) -> Result<(), Failure> {
    let started = Stopwatch::now();
    // Everything the user typed is checked before AWS is touched: a bad id creates nothing.
    let id = review_id(&args.id)?;
    let ttl: Ttl = args
        .ttl
        .parse()
        .map_err(|e| Failure::error(anyhow!("invalid --ttl: {e}")))?;
    let now = clock(args.now.as_deref())?;
    let spec = load_spec(&args.spec)?;
    let trigger_zip = trigger_zip(&spec, &args.artifact)?;
    let aws = load_aws(global).await?;
    let request = UpRequest {
        spec,
        id,
        ttl,
        now,
        trigger_zip,
        artifact_bucket: args.artifact.artifact_bucket.clone(),
        arch: args.artifact.arch,
    };

    let printer = EventPrinter::new();
    let mut progress = |p: Progress| printer.progress(p);
    let result = tokio::select! {
        result = review::up(&aws, request, &mut progress) => result,
        _ = tokio::signal::ctrl_c() => {
            printer.finish();
            eprintln!(
                "Stopped; any stack operation continues in CloudFormation. The review pool is tagged, \
                 so `poolctl review down --id {}` or `poolctl review gc` removes it.",
                args.id
            );
            return Err(Failure::interrupted());
        }
    };
    printer.finish();
    let report = result?;

    let json = json::pretty(&json::review_up(&report));
    if let Some(path) = &args.outputs_file {
        write_outputs_file(path, &json)?;
    }
    eprintln!(
        "Review pool {} {} (stack {}, {}) in {}; expires {}.{}",
        report.id,
        json::action(&report.outcome),
        report.stack,
        report.outcome.stack().status.as_str(),
        seconds(started.elapsed()),
        report.expires_at,
        if report.express {
            ""
        } else {
            " Standard deployment mode (express refused)."
        }
    );
    match args.output {
        OutputFormat::Json => println!("{json}"),
        OutputFormat::Text => print_report(&report),
    }
    Ok(())
}

/// What a test job needs, as aligned `key  value` lines.
fn print_report(report: &UpReport) {
    let mut lines: Vec<(String, String)> = vec![
        ("id".into(), report.id.clone()),
        ("stack".into(), report.stack.clone()),
    ];
    if let Some(pool) = &report.user_pool_id {
        lines.push(("user_pool_id".into(), pool.clone()));
    }
    for (name, client) in &report.client_ids {
        lines.push((format!("client_id.{name}"), client.clone()));
    }
    if let Some(url) = &report.hosted_ui_url {
        lines.push(("hosted_ui_url".into(), url.clone()));
    }
    lines.push(("expires_at".into(), report.expires_at.to_string()));
    let width = lines.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    for (key, value) in lines {
        println!("{key:<width$}  {value}");
    }
}

pub async fn down(global: &GlobalArgs, args: &ReviewDownArgs) -> Result<(), Failure> {
    let started = Stopwatch::now();
    let id = review_id(&args.id)?;
    let aws = load_aws(global).await?;
    let printer = EventPrinter::new();
    let mut progress = |p: Progress| printer.progress(p);
    let removed = review::down(&aws, &id, args.pool.as_deref(), &mut progress).await;
    printer.finish();
    let removed = removed?;
    if removed.is_empty() {
        println!("No review pool {id}; nothing to delete.");
    }
    for pool in removed {
        println!(
            "Deleted review pool {} (stack {}, {} artifact object(s)) in {}.",
            pool.id,
            pool.stack,
            pool.artifacts_deleted,
            seconds(started.elapsed())
        );
    }
    Ok(())
}

pub async fn gc(global: &GlobalArgs, args: &ReviewGcArgs) -> Result<(), Failure> {
    let now = clock(args.now.as_deref())?;
    let aws = load_aws(global).await?;
    let dry_run = args.dry_run;
    let mut report = |event: GcEvent| match event {
        GcEvent::Expired(pool) => {
            let verb = if dry_run { "would delete" } else { "deleting" };
            let expiry = pool.expires_at.map(|t| t.to_string()).unwrap_or_default();
            println!(
                "{verb:<12}  {}  {}  (expired {expiry})",
                pool.id, pool.stack_name
            );
        }
        GcEvent::Busy(pool) => {
            println!(
                "{:<12}  {}  {}  ({}: left for the next run)",
                "busy",
                pool.id,
                pool.stack_name,
                pool.status.as_str()
            );
        }
        GcEvent::Deleted(pool, removed) => {
            println!(
                "{:<12}  {}  {}  ({} artifact object(s))",
                "deleted", pool.id, pool.stack_name, removed.artifacts_deleted
            );
        }
        GcEvent::Failed(pool, error) => {
            println!(
                "{:<12}  {}  {}  {error}",
                "failed", pool.id, pool.stack_name
            );
        }
    };
    let summary = review::gc(
        &aws,
        now,
        usize::from(args.concurrency),
        dry_run,
        &mut report,
    )
    .await?;
    if dry_run {
        eprintln!(
            "gc (dry run): {} expired, {} kept, {} busy; nothing deleted.",
            summary.would_delete, summary.kept, summary.busy
        );
    } else {
        eprintln!(
            "gc: {} deleted, {} failed, {} kept, {} busy.",
            summary.deleted, summary.failed, summary.kept, summary.busy
        );
    }
    if summary.failed > 0 {
        return Err(Failure::error(anyhow!(
            "{} review pool(s) could not be deleted",
            summary.failed
        )));
    }
    Ok(())
}

pub async fn ls(global: &GlobalArgs, args: &ReviewLsArgs) -> Result<(), Failure> {
    let now = clock(args.now.as_deref())?;
    let aws = load_aws(global).await?;
    let pools = review::list(&aws).await?;
    match args.output {
        OutputFormat::Json => {
            let rows: Vec<_> = pools.iter().map(|p| json::review_pool(p, now)).collect();
            println!("{}", json::pretty(&serde_json::Value::Array(rows)));
        }
        OutputFormat::Text if pools.is_empty() => eprintln!("No review pools."),
        OutputFormat::Text => print!("{}", render_table(&pools, now)),
    }
    Ok(())
}
