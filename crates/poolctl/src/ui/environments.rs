//! Several environments deployed, destroyed, read or compared at once: for a deploy or a
//! destroy one line per environment, for outputs each environment's outputs, for a diff each
//! environment's changes and where they differ; as text for people or JSON for scripts, and
//! each failure's message on stderr.

use std::collections::BTreeMap;

use deploy::changes::{Difference, ResourceChange};
use serde_json::{json, Map, Value};

use crate::cli::{OutputFormat, ReportFormat};
use crate::several::{EnvironmentRun, RunResult};
use crate::ui::changes::{mark_and_verb, render_text};
use crate::ui::{json, print_json};

/// An environment's stack operation done: `created`, `updated` or `unchanged` and how many
/// resources changed (a deploy), or `deleted` or `absent` (a destroy).
#[derive(Debug)]
pub struct Settled {
    pub action: &'static str,
    pub changes: Option<usize>,
}

/// The status word of a run that did not finish its job.
fn status<T>(result: &RunResult<T>) -> &'static str {
    match result {
        RunResult::Done(_) => "done",
        // Exit 3 is a guard's refusal (the account guard's or the pool guard's).
        RunResult::Failed(failure) if failure.parts().0 == 3 => "refused",
        RunResult::Failed(_) => "failed",
        RunResult::Skipped => "skipped",
        RunResult::NotStarted => "not started",
    }
}

/// Said at Ctrl-C during a run over several environments.
pub fn print_interrupted() {
    eprintln!("Interrupted: the running environments finish; the rest are not started.");
}

/// Each failure's message on stderr, named by its environment.
fn print_failures<T>(runs: &[EnvironmentRun<T>]) {
    for run in runs {
        if let RunResult::Failed(failure) = &run.result {
            let (_, message) = failure.parts();
            eprintln!("error: {}: {message}", run.environment);
        }
    }
}

/// The table (or JSON array) on stdout; each failure's message on stderr.
pub fn print_several(runs: &[EnvironmentRun<Settled>], format: ReportFormat) {
    print_failures(runs);
    if format == ReportFormat::Json {
        let rows: Vec<_> = runs
            .iter()
            .map(|run| {
                let (changes, error) = match &run.result {
                    RunResult::Done(settled) => (json!(settled.changes), json!(null)),
                    RunResult::Failed(failure) => (json!(null), json!(failure.parts().1)),
                    RunResult::Skipped | RunResult::NotStarted => (json!(null), json!(null)),
                };
                json!({
                    "environment": run.environment,
                    "account": run.account,
                    "region": run.region,
                    "stack": run.stack,
                    "status": match &run.result {
                        RunResult::Done(settled) => settled.action,
                        other => status(other),
                    },
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
                RunResult::Done(Settled {
                    action,
                    changes: Some(changes),
                }) => format!("{action} ({changes} changes, {:.1} s)", run.seconds),
                RunResult::Done(Settled { action, .. }) => {
                    format!("{action} ({:.1} s)", run.seconds)
                }
                other => status(other).to_owned(),
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

/// `outputs --env` over several: each environment's outputs, or why there are none.
pub fn print_several_outputs(
    runs: &[EnvironmentRun<BTreeMap<String, String>>],
    format: OutputFormat,
) {
    print_failures(runs);
    if format == OutputFormat::Json {
        let rows: Vec<Value> = runs
            .iter()
            .map(|run| {
                let (status, outputs, error) = match &run.result {
                    RunResult::Done(outputs) => ("found", json!(outputs), json!(null)),
                    RunResult::Failed(failure) => {
                        (status(&run.result), json!(null), json!(failure.parts().1))
                    }
                    other => (status(other), json!(null), json!(null)),
                };
                json!({
                    "environment": run.environment,
                    "account": run.account,
                    "region": run.region,
                    "stack": run.stack,
                    "status": status,
                    "outputs": outputs,
                    "error": error,
                })
            })
            .collect();
        print_json(&json!(rows));
        return;
    }
    for run in runs {
        let place = format!(
            "{} ({} {}) {}",
            run.environment, run.account, run.region, run.stack
        );
        match &run.result {
            RunResult::Done(outputs) => {
                println!("{place}:");
                let width = outputs.keys().map(String::len).max().unwrap_or(0);
                for (key, value) in outputs {
                    println!("  {key:<width$}  {value}");
                }
            }
            other => println!("{place}: {}", status(other)),
        }
    }
}

/// `diff --env` over several: each environment's change set, then the resources whose change
/// differs between the environments compared (`compared` names them, in `differences`' order).
pub fn print_diffs(
    runs: &[EnvironmentRun<Vec<ResourceChange>>],
    compared: &[&str],
    differences: &[Difference<'_>],
    format: ReportFormat,
) {
    print_failures(runs);
    if format == ReportFormat::Json {
        let environments: Vec<Value> = runs
            .iter()
            .map(|run| {
                let (status, changes, error) = match &run.result {
                    RunResult::Done(changes) => (
                        "compared",
                        json!(changes.iter().map(json::change).collect::<Vec<_>>()),
                        json!(null),
                    ),
                    RunResult::Failed(failure) => {
                        (status(&run.result), json!(null), json!(failure.parts().1))
                    }
                    RunResult::Skipped | RunResult::NotStarted => {
                        (status(&run.result), json!(null), json!(null))
                    }
                };
                json!({
                    "environment": run.environment,
                    "account": run.account,
                    "region": run.region,
                    "stack": run.stack,
                    "status": status,
                    "changes": changes,
                    "error": error,
                    "seconds": run.seconds,
                })
            })
            .collect();
        let differences: Vec<Value> = differences
            .iter()
            .map(|difference| {
                let by_environment: Map<String, Value> = compared
                    .iter()
                    .zip(&difference.changes)
                    .map(|(name, change)| {
                        ((*name).to_owned(), change.map_or(json!(null), json::change))
                    })
                    .collect();
                json!({
                    "logical_id": difference.logical_id,
                    "type": difference.resource_type,
                    "changes": by_environment,
                })
            })
            .collect();
        print_json(&json!({ "environments": environments, "differences": differences }));
        return;
    }
    for run in runs {
        let place = format!(
            "{} ({} {}) {}",
            run.environment, run.account, run.region, run.stack
        );
        match &run.result {
            RunResult::Done(changes) if changes.is_empty() => println!("{place}: no changes"),
            RunResult::Done(changes) => {
                println!("{place}:");
                print!("{}", render_text(changes));
            }
            other => println!("{place}: {}", status(other)),
        }
    }
    if compared.len() < 2 {
        return;
    }
    println!();
    if differences.is_empty() {
        println!("The changes are alike in {}.", compared.join(", "));
        return;
    }
    println!("Where they differ ({}):", compared.join(", "));
    for difference in differences {
        let each: Vec<String> = compared
            .iter()
            .zip(&difference.changes)
            .map(|(name, change)| match change {
                None => format!("{name}: unchanged"),
                Some(change) if change.properties.is_empty() => {
                    format!("{name}: {}", mark_and_verb(change).1)
                }
                Some(change) => format!(
                    "{name}: {} {}",
                    mark_and_verb(change).1,
                    change.properties.join(", ")
                ),
            })
            .collect();
        println!(
            "  {}  {}  {}",
            difference.logical_id,
            difference.resource_type,
            each.join("; ")
        );
    }
}
