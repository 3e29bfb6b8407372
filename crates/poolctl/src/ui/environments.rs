//! Several environments deployed at once: one line per environment, as a table for people or
//! a JSON array for scripts, and each failure's message on stderr.

use serde_json::json;

use crate::cli::ReportFormat;
use crate::exit::Failure;
use crate::ui::print_json;

/// How one environment's deploy ended.
#[derive(Debug)]
pub enum RunResult {
    /// `created`, `updated` or `unchanged`, and how many resources changed.
    Deployed {
        action: &'static str,
        changes: usize,
    },
    Failed(Failure),
    /// Not started: more environments had failed than `--failure-tolerance` allows.
    Skipped,
}

impl RunResult {
    /// The exit code of a failure; `None` for the rest.
    pub fn code(&self) -> Option<u8> {
        match self {
            RunResult::Failed(failure) => Some(failure.parts().0),
            _ => None,
        }
    }

    fn status(&self) -> &'static str {
        match self {
            RunResult::Deployed { action, .. } => action,
            // Exit 3 is a guard's refusal (the account guard's or the pool guard's).
            RunResult::Failed(failure) if failure.parts().0 == 3 => "refused",
            RunResult::Failed(_) => "failed",
            RunResult::Skipped => "skipped",
        }
    }
}

/// One environment of a `deploy --env` over several.
#[derive(Debug)]
pub struct EnvironmentRun {
    pub environment: String,
    pub account: String,
    pub region: String,
    pub stack: String,
    pub result: RunResult,
    pub seconds: f64,
}

/// The table (or JSON array) on stdout; each failure's message on stderr.
pub fn print_several(runs: &[EnvironmentRun], format: ReportFormat) {
    for run in runs {
        if let RunResult::Failed(failure) = &run.result {
            let (_, message) = failure.parts();
            eprintln!("error: {}: {message}", run.environment);
        }
    }
    if format == ReportFormat::Json {
        let rows: Vec<_> = runs
            .iter()
            .map(|run| {
                let (changes, error) = match &run.result {
                    RunResult::Deployed { changes, .. } => (json!(changes), json!(null)),
                    RunResult::Failed(failure) => (json!(null), json!(failure.parts().1)),
                    RunResult::Skipped => (json!(null), json!(null)),
                };
                json!({
                    "environment": run.environment,
                    "account": run.account,
                    "region": run.region,
                    "stack": run.stack,
                    "status": run.result.status(),
                    "changes": changes,
                    "error": error,
                    "seconds": run.seconds,
                })
            })
            .collect();
        print_json(&json!(rows));
        return;
    }
    let header = ["ENVIRONMENT", "ACCOUNT", "REGION", "STACK", "RESULT"];
    let rows: Vec<[String; 5]> = runs
        .iter()
        .map(|run| {
            let result = match &run.result {
                RunResult::Deployed { action, changes } => {
                    format!("{action} ({changes} changes, {:.1} s)", run.seconds)
                }
                other => other.status().to_owned(),
            };
            [
                run.environment.clone(),
                run.account.clone(),
                run.region.clone(),
                run.stack.clone(),
                result,
            ]
        })
        .collect();
    let width = |i: usize| {
        rows.iter()
            .map(|row| row[i].len())
            .chain([header[i].len()])
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = (0..4).map(width).collect();
    let line = |cells: [&str; 5]| {
        println!(
            "{:<w0$}  {:<w1$}  {:<w2$}  {:<w3$}  {}",
            cells[0],
            cells[1],
            cells[2],
            cells[3],
            cells[4],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2],
            w3 = widths[3],
        );
    };
    line(header);
    for row in &rows {
        line([&row[0], &row[1], &row[2], &row[3], &row[4]]);
    }
}
