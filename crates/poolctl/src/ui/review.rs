//! What `review up|down|gc|ls` show: progress notes and summaries on stderr; results (the
//! pool's ids, the table, JSON) on stdout.

use std::time::Duration;

use review::{human_duration, GcEvent, GcSummary, Instant, Removed, ReviewPool, UpReport};

use super::{json, print_json, seconds};

/// After Ctrl-C during `up`: what goes on, and how to remove it.
pub fn print_up_interrupted(id: &str) {
    eprintln!(
        "Stopped; any stack operation continues in CloudFormation. The review pool is tagged, \
         so `poolctl review down --id {id}` or `poolctl review gc` removes it."
    );
}

/// What `up` prints on stdout after its result line.
#[derive(Debug, Clone, Copy)]
pub enum UpShown<'a> {
    /// Aligned `key  value` lines.
    Text,
    /// The report, already rendered.
    Json(&'a str),
    /// Nothing: the markdown summary is the result (`ui::markdown::review_up`).
    ResultLineOnly,
}

/// `up` is done: the result line on stderr, then the report on stdout.
pub fn print_up(report: &UpReport, elapsed: Duration, shown: UpShown<'_>) {
    eprintln!(
        "Review pool {} {} (stack {}, {}) in {}; expires {}.{}",
        report.id,
        json::action(&report.outcome),
        report.stack,
        report.outcome.stack().status.as_str(),
        seconds(elapsed),
        report.expires_at,
        if report.express {
            ""
        } else {
            " Standard deployment mode (express refused)."
        }
    );
    match shown {
        UpShown::Json(json) => println!("{json}"),
        UpShown::Text => print_report(report),
        UpShown::ResultLineOnly => {}
    }
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

/// `down`: each pool removed, or that there was none.
pub fn print_down(id: &str, removed: &[Removed], elapsed: Duration) {
    if removed.is_empty() {
        println!("No review pool {id}; nothing to delete.");
    }
    for pool in removed {
        println!(
            "Deleted review pool {} (stack {}, {} artifact object(s)) in {}.",
            pool.id,
            pool.stack,
            pool.artifacts_deleted,
            seconds(elapsed)
        );
    }
}

/// One line of `gc` as it goes.
pub fn print_gc_event(event: &GcEvent, dry_run: bool) {
    match event {
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
    }
}

pub fn print_gc_summary(summary: &GcSummary, dry_run: bool) {
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
}

/// `ls`: the pools as JSON, or as a table (or a note that there are none).
pub fn print_ls(pools: &[ReviewPool], now: Instant, as_json: bool) {
    if as_json {
        let rows: Vec<_> = pools.iter().map(|p| json::review_pool(p, now)).collect();
        print_json(&serde_json::Value::Array(rows));
    } else if pools.is_empty() {
        eprintln!("No review pools.");
    } else {
        print!("{}", render_table(pools, now));
    }
}

/// The table, in the order given (the library lists oldest first).
fn render_table(pools: &[ReviewPool], now: Instant) -> String {
    let header = ["ID", "POOL", "STATUS", "AGE", "EXPIRES", "STACK"].map(str::to_owned);
    let rows: Vec<[String; 6]> = pools
        .iter()
        .map(|pool| {
            let age = pool
                .created_at
                .map(|t| human_duration(now.seconds_since(t)))
                .unwrap_or_else(|| "?".into());
            let expires = match pool.expires_at {
                None => "never (no expiry tag)".to_owned(),
                Some(t) if t <= now => {
                    format!("expired {} ago", human_duration(now.seconds_since(t)))
                }
                Some(t) => format!("in {}", human_duration(t.seconds_since(now))),
            };
            [
                pool.id.clone(),
                pool.pool.clone(),
                pool.status.as_str().to_owned(),
                age,
                expires,
                pool.stack_name.clone(),
            ]
        })
        .collect();
    let mut widths = header.clone().map(|h| h.len());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        let line: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::json;

    fn at(text: &str) -> Instant {
        text.parse().unwrap()
    }

    fn pool(id: &str, stack: &str, created: &str, expires: &str) -> ReviewPool {
        ReviewPool {
            stack_name: stack.into(),
            stack_id: format!("arn:aws:cloudformation:us-east-1:000000000000:stack/{stack}/1"),
            id: id.into(),
            pool: "review".into(),
            status: "CREATE_COMPLETE".into(),
            created_at: Some(at(created)),
            expires_at: Some(at(expires)),
        }
    }

    #[test]
    fn the_table_shows_age_and_expiry_relative_to_now() {
        let now = at("2026-11-23T12:00:00Z");
        let pools = [
            pool(
                "pr-1",
                "poolctl-review-review-pr-1",
                "2026-11-23T10:00:00Z",
                "2026-11-26T10:00:00Z",
            ),
            pool(
                "feature/login",
                "poolctl-review-review-feature-login-0a1b2c3d",
                "2026-11-20T10:00:00Z",
                "2026-11-23T10:00:00Z",
            ),
        ];
        let table = render_table(&pools, now);
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[0].starts_with("ID "), "{table}");
        assert!(
            lines[1].starts_with("pr-1 ")
                && lines[1].contains("2h")
                && lines[1].contains("in 2d22h"),
            "{table}"
        );
        assert!(
            lines[2].contains("3d2h") && lines[2].contains("expired 2h ago"),
            "{table}"
        );
        // Columns line up: every row has the STATUS column at the same offset.
        let column = lines[0].find("STATUS").unwrap();
        assert!(
            lines[1..]
                .iter()
                .all(|l| l[column..].starts_with("CREATE_COMPLETE")),
            "{table}"
        );

        let row = json::review_pool(&pools[1], now);
        assert_eq!(row["expired"], true);
        assert_eq!(row["age_seconds"], 3 * 86_400 + 2 * 3600);
        assert_eq!(row["expires_at"], "2026-11-23T10:00:00Z");
        assert_eq!(row["id"], "feature/login");
    }
}
