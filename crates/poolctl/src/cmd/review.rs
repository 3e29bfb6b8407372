//! `poolctl review up|down|gc|ls`: short-lived review pools, one per pull request. Progress
//! and notes go to stderr; results (outputs, the table, JSON) to stdout.

use std::time::Instant as Stopwatch;

use anyhow::anyhow;
use deploy::Progress;
use review::{GcEvent, Instant, ReviewId, Ttl, UpRequest};

use crate::cli::{
    GlobalArgs, OutputFormat, ReportFormat, ReviewDownArgs, ReviewGcArgs, ReviewLsArgs,
    ReviewUpArgs, SummaryFormat,
};
use crate::exit::Failure;
use crate::inputs::{load_aws, load_spec, trigger_zip, SpecUse};
use crate::ui::github::{publish_outputs, publish_summary, wants_summary, Markdown};
use crate::ui::outputs::write_outputs_file;
use crate::ui::progress::EventPrinter;
use crate::ui::review::{
    print_down, print_gc_event, print_gc_summary, print_ls, print_up, print_up_interrupted, UpShown,
};
use crate::ui::{json, markdown};

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
    // Review pools go to the review account: a spec with environments is refused for now.
    let spec = load_spec(&args.spec, None, SpecUse::WithAws)?.spec;
    let trigger_zip = trigger_zip(&spec, &args.artifact)?;
    let aws = load_aws(global, None).await?;
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
            print_up_interrupted(&args.id);
            return Err(Failure::interrupted());
        }
    };
    printer.finish();
    let report = result?;

    let json = json::pretty(&json::review_up(&report));
    if let Some(path) = &args.outputs_file {
        write_outputs_file(path, &json)?;
    }
    let elapsed = started.elapsed();
    let shown = match args.output {
        ReportFormat::Text => UpShown::Text,
        ReportFormat::Json => UpShown::Json(&json),
        ReportFormat::Markdown => UpShown::ResultLineOnly,
    };
    print_up(&report, elapsed, shown);
    let summary = Markdown::from(args.output);
    if wants_summary(summary) {
        publish_summary(&markdown::review_up(&report, elapsed), summary)?;
    }
    publish_outputs(&report.outputs)
}

pub async fn down(global: &GlobalArgs, args: &ReviewDownArgs) -> Result<(), Failure> {
    let started = Stopwatch::now();
    let id = review_id(&args.id)?;
    let aws = load_aws(global, None).await?;
    let printer = EventPrinter::new();
    let mut progress = |p: Progress| printer.progress(p);
    let removed = review::down(&aws, &id, args.pool.as_deref(), &mut progress).await;
    printer.finish();
    let removed = removed?;
    let elapsed = started.elapsed();
    if args.output == SummaryFormat::Text {
        print_down(id.as_str(), &removed, elapsed);
    }
    let summary = Markdown::from(args.output);
    if wants_summary(summary) {
        publish_summary(
            &markdown::review_down(id.as_str(), &removed, elapsed),
            summary,
        )?;
    }
    Ok(())
}

pub async fn gc(global: &GlobalArgs, args: &ReviewGcArgs) -> Result<(), Failure> {
    let now = clock(args.now.as_deref())?;
    let aws = load_aws(global, None).await?;
    let dry_run = args.dry_run;
    let mut report = |event: GcEvent| print_gc_event(&event, dry_run);
    let summary = review::gc(
        &aws,
        now,
        usize::from(args.concurrency),
        dry_run,
        &mut report,
    )
    .await?;
    print_gc_summary(&summary, dry_run);
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
    let aws = load_aws(global, None).await?;
    let pools = review::list(&aws).await?;
    print_ls(&pools, now, args.output == OutputFormat::Json);
    Ok(())
}
