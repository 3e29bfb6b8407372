//! What `poolctl users` shows: progress while it scans or changes users, the audit's table,
//! the verify and create summaries, and how a stopped run goes on.

use std::io::IsTerminal;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use users::{AuditReport, Class, Counters, CreateReport, Finding, VerifyPlan, VerifyReport};

/// How often a plain progress line is printed without a terminal (CI logs).
const PLAIN_EVERY: Duration = Duration::from_secs(10);
const BAR_EVERY: Duration = Duration::from_millis(100);

/// Progress of a long run, from the library's counters: a bar with users/s and an ETA on a
/// terminal, a line every ten seconds otherwise.
pub struct Ticker {
    task: tokio::task::JoinHandle<()>,
    bar: Option<ProgressBar>,
}

impl Ticker {
    /// `total`: the number expected (the pool's estimate for an audit), if known.
    pub fn start(label: &'static str, counters: Arc<Counters>, total: Option<u64>) -> Ticker {
        let total = total.filter(|n| *n > 0);
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = total.map_or_else(ProgressBar::new_spinner, ProgressBar::new);
            let template = if total.is_some() {
                "{prefix} [{bar:30}] {pos}/{len} users  {per_sec}  eta {eta}  {msg}"
            } else {
                "{prefix} {spinner} {pos} users  {per_sec}  {msg}"
            };
            bar.set_style(
                ProgressStyle::with_template(template)
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            bar.set_prefix(label);
            bar
        });
        let shown = bar.clone();
        let started = Instant::now();
        let task = tokio::spawn(async move {
            let every = if shown.is_some() {
                BAR_EVERY
            } else {
                PLAIN_EVERY
            };
            let mut ticks = tokio::time::interval(every);
            ticks.tick().await;
            loop {
                ticks.tick().await;
                let done = Counters::get(&counters.users);
                let throttled = Counters::get(&counters.throttled);
                match &shown {
                    Some(bar) => {
                        // The estimate can be low: never let the bar run past its end.
                        if bar.length().is_some_and(|len| done > len) {
                            bar.set_length(done);
                        }
                        bar.set_position(done);
                        if throttled > 0 {
                            bar.set_message(format!("{throttled} throttled (retried)"));
                        }
                    }
                    None => eprintln!("{}", plain_line(label, done, total, throttled, started)),
                }
            }
        });
        Ticker { task, bar }
    }

    pub fn finish(self) {
        self.task.abort();
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}

fn plain_line(
    label: &str,
    done: u64,
    total: Option<u64>,
    throttled: u64,
    started: Instant,
) -> String {
    let elapsed = started.elapsed().as_secs_f64().max(0.001);
    #[allow(clippy::cast_precision_loss)]
    let rate = done as f64 / elapsed;
    let mut line = format!("{label}: {done}");
    if let Some(total) = total {
        line.push_str(&format!("/~{total}"));
    }
    line.push_str(&format!(" users, {rate:.0} users/s"));
    if let Some(total) = total.filter(|t| *t > done && rate > 0.0) {
        #[allow(clippy::cast_precision_loss)]
        let eta = (total - done) as f64 / rate;
        line.push_str(&format!(", about {eta:.0} s left"));
    }
    if throttled > 0 {
        line.push_str(&format!(", {throttled} throttled (retried)"));
    }
    line
}

/// Ctrl-C during a run: what happens to the users in flight.
pub fn print_stopping() {
    eprintln!(
        "Stopping: no more users are started; those in flight finish and are journaled \
         (Ctrl-C again to quit at once)."
    );
}

/// After a stopped run's report: how much was left, and how to go on.
pub fn print_interrupted(not_started: u64, what: &str, journal: Option<&Path>) {
    match journal {
        Some(path) => eprintln!(
            "Interrupted: {not_started} {what} not started. Run the same command again to go on; \
             {} skips what is done.",
            path.display()
        ),
        None => eprintln!("Interrupted: {not_started} {what} not started."),
    }
}

/// A journal with finished entries: the run goes on from there.
pub fn print_resuming(path: &Path, finished: usize, what: &str) {
    eprintln!(
        "Resuming from {}: {finished} {what} were done earlier.",
        path.display()
    );
}

/// The audit's result: JSON, or the table and where the findings file is.
pub fn print_audit_result(
    report: &AuditReport,
    elapsed: Duration,
    throttled: u64,
    findings_file: Option<&Path>,
    as_json: bool,
) {
    if as_json {
        super::print_json(&super::json::users_audit(report, elapsed, throttled));
        return;
    }
    print_audit(report, elapsed, throttled);
    if let Some(out) = findings_file {
        println!("Users to look at: {}", out.display());
    }
}

/// How many of the listed users the selection took.
pub fn print_selected(plan: &VerifyPlan) {
    eprintln!(
        "{} of {} listed users selected in {}.",
        plan.targets.len(),
        plan.listed,
        plan.pool_id
    );
}

/// Asks before verifying (not for a dry run or with `--yes`, which the caller decides).
pub fn ask_to_verify(plan: &VerifyPlan) -> anyhow::Result<bool> {
    super::prompt::ask(&format!(
        "Set email_verified=true for up to {} users of {}?",
        plan.targets.len(),
        plan.pool_id
    ))
}

pub fn print_verify_result(report: &VerifyReport, pool_id: &str, dry_run: bool, as_json: bool) {
    if as_json {
        super::print_json(&super::json::users_verify(report, pool_id));
    } else {
        print_verify(report, pool_id, dry_run);
    }
}

pub fn print_create_result(report: &CreateReport, pool_id: &str, as_json: bool) {
    if as_json {
        super::print_json(&super::json::users_create(report, pool_id));
    } else {
        print_create(report);
    }
}

/// How the pool was scanned, and from what the plan was chosen.
fn scan_plan_line(plan: &users::ScanPlan) -> String {
    let how = match plan.partitioning {
        users::Partitioning::Sixteen => "sixteen ListUsers scans at once",
        _ => "one ListUsers scan",
    };
    match (plan.page_latency, plan.partitioned_rate) {
        (None, _) => format!("Scan: {how} (--partitions)."),
        (Some(latency), None) => format!(
            "Scan: {how} (a page took {:.0} ms).",
            latency.as_secs_f64() * 1000.0
        ),
        (Some(latency), Some(rate)) => format!(
            "Scan: {how} (a page took {:.0} ms; sixteen at once came at {rate:.0} pages/s).",
            latency.as_secs_f64() * 1000.0
        ),
    }
}

fn print_audit(report: &AuditReport, elapsed: Duration, throttled: u64) {
    println!(
        "Audited {} users of {} in {} ({throttled} throttled calls retried).",
        report.scanned,
        report.pool_id,
        super::seconds(elapsed)
    );
    println!("{}", scan_plan_line(&report.scan));
    println!();
    println!("{:<22} {:>8}  why / fix", "class", "users");
    for class in Class::ALL {
        let count = report.counts.get(&class).copied().unwrap_or(0);
        let mark = if class.is_stranded() && count > 0 {
            "!"
        } else {
            " "
        };
        println!("{mark}{:<21} {count:>8}  {}", class.as_str(), class.cause());
        if count > 0 && class != Class::Ok {
            println!("{:<31}  fix: {}", "", class.fix());
        }
    }
    let duplicates: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.class == Class::DuplicateEmail)
        .take(10)
        .collect();
    if !duplicates.is_empty() {
        println!();
        println!("Duplicate addresses (the holder keeps the alias):");
        for finding in duplicates {
            println!(
                "  {} shares its address with {}",
                finding.user.username,
                finding.holder.as_deref().unwrap_or("?")
            );
        }
    }
    println!();
    match report.stranded() {
        0 => println!("No user is stranded."),
        n => println!(
            "{n} users can sign in but cannot reset a password or get an emailed code (exit 5)."
        ),
    }
}

fn print_verify(report: &VerifyReport, pool_id: &str, dry_run: bool) {
    let verb = if dry_run { "Would change" } else { "Checked" };
    println!("{verb} {} selected users of {pool_id}:", report.before);
    for (outcome, count) in &report.counts {
        println!("  {outcome:<22} {count:>8}");
    }
    for (user, holder) in report.refused() {
        println!(
            "  refused: {user}'s address is held verified by {holder}; verifying {user} would \
             un-verify {holder} (--move-alias to do it anyway)"
        );
    }
    for user in &report.users {
        if let users::verify::Outcome::VerifiedMovingAlias { from } = &user.outcome {
            println!(
                "  moved the alias: {} now holds the address; {from} is unverified",
                user.username
            );
        }
    }
    if dry_run {
        println!("Unverified: {} (a dry run changes nothing).", report.before);
    } else {
        println!(
            "Unverified: before {}, after {}.",
            report.before, report.after
        );
    }
}

fn print_create(report: &CreateReport) {
    println!("{} rows:", report.rows);
    for (outcome, count) in &report.counts {
        println!("  {outcome:<14} {count:>8}");
    }
    for (line, username, outcome) in &report.not_created {
        println!("  line {line}: {username} not created ({})", outcome.name());
    }
}
