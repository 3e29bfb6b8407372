//! Several environments deployed, destroyed, read, compared, proved or audited at once: for a
//! deploy or a destroy one line per environment, for outputs each environment's outputs, for a
//! diff each environment's changes and where they differ, for a proof or an audit each
//! environment's report and then a table of them all; as text for people or JSON (one record
//! per environment) for scripts, and each failure's message on stderr.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use deploy::changes::{Difference, ResourceChange};
use explain::{Explanation, Proof};
use serde_json::{json, Map, Value};
use users::{AuditReport, Class};

use crate::cli::{OutputFormat, ReportFormat};
use crate::several::{EnvironmentRun, RunResult};
use crate::ui::changes::{mark_and_verb, render_text};
use crate::ui::explain::{print_explanation, print_leftovers, Heading};
use crate::ui::progress::environment_line;
use crate::ui::users::print_audit_result;
use crate::ui::{columns, json, print_json, seconds};

/// An environment's stack operation done: `created`, `updated` or `unchanged` and how many
/// resources changed (a deploy), or `deleted` or `absent` (a destroy).
#[derive(Debug)]
pub struct Settled {
    pub action: &'static str,
    pub changes: Option<usize>,
}

/// An environment's scenarios performed on its stack (`explain --prove`).
#[derive(Debug)]
pub struct Proved {
    pub explanation: Explanation,
    pub proof: Proof,
}

/// An environment's pool audited (`users audit`), and the findings file written, if any.
#[derive(Debug)]
pub struct Audited {
    pub report: AuditReport,
    pub elapsed: Duration,
    pub throttled: u64,
    pub findings_file: Option<PathBuf>,
}

/// An environment's proof done, as a progress line while the others run.
pub fn print_proved(environment: &str, proved: &Proved) {
    let proof = &proved.proof;
    environment_line(
        environment,
        &format!(
            "Proved pool {}: {} performed, {} mismatches",
            proof.pool_id,
            proof.performed(),
            proof.mismatches().count()
        ),
    );
}

/// An environment's audit done, as a progress line while the others run.
pub fn print_audited(environment: &str, audited: &Audited) {
    let report = &audited.report;
    environment_line(
        environment,
        &format!(
            "Audited {} users of {} in {}: {} stranded",
            report.scanned,
            report.pool_id,
            seconds(audited.elapsed),
            report.stranded()
        ),
    );
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

/// Where a run ran, as a heading: `dev (111111111111 us-east-1) poolctl-shop-dev`.
fn place<T>(run: &EnvironmentRun<T>) -> String {
    format!(
        "{} ({} {}) {}",
        run.environment, run.account, run.region, run.stack
    )
}

/// Every environment's JSON record: what [`record`] holds, then what `fill` adds for the run
/// from its result (`None` for a run that did not finish).
fn records<T>(
    runs: &[EnvironmentRun<T>],
    done: impl Fn(&T) -> &'static str,
    fill: impl Fn(&EnvironmentRun<T>, Option<&T>, &mut Map<String, Value>),
) -> Vec<Value> {
    runs.iter()
        .map(|run| {
            let mut record = record(run, &done);
            let value = match &run.result {
                RunResult::Done(value) => Some(value),
                _ => None,
            };
            fill(run, value, &mut record);
            Value::Object(record)
        })
        .collect()
}

/// What every environment's JSON record holds; a finished run's status is `done`'s word for
/// its result.
fn record<T>(run: &EnvironmentRun<T>, done: impl Fn(&T) -> &'static str) -> Map<String, Value> {
    let (status, error) = match &run.result {
        RunResult::Done(value) => (done(value), Value::Null),
        RunResult::Failed(failure) => (status(&run.result), json!(failure.parts().1)),
        other => (status(other), Value::Null),
    };
    let mut record = Map::new();
    record.insert("environment".into(), json!(run.environment));
    record.insert("account".into(), json!(run.account));
    record.insert("region".into(), json!(run.region));
    record.insert("stack".into(), json!(run.stack));
    record.insert("status".into(), json!(status));
    record.insert("error".into(), error);
    record.insert("seconds".into(), json!(run.seconds));
    record
}

/// One line per environment (`ENVIRONMENT ACCOUNT REGION STACK RESULT`), a finished run's
/// result written by `done`.
fn print_results<T>(runs: &[EnvironmentRun<T>], done: impl Fn(&T, f64) -> String) {
    let mut lines = vec![["ENVIRONMENT", "ACCOUNT", "REGION", "STACK", "RESULT"]
        .map(str::to_owned)
        .to_vec()];
    lines.extend(runs.iter().map(|run| {
        let result = match &run.result {
            RunResult::Done(value) => done(value, run.seconds),
            other => status(other).to_owned(),
        };
        vec![
            run.environment.clone(),
            run.account.clone(),
            run.region.clone(),
            run.stack.clone(),
            result,
        ]
    }));
    for line in columns(&lines) {
        println!("{line}");
    }
}

/// The table (or JSON array) on stdout; each failure's message on stderr.
pub fn print_several(runs: &[EnvironmentRun<Settled>], format: ReportFormat) {
    print_failures(runs);
    if format == ReportFormat::Json {
        let rows = records(
            runs,
            |settled| settled.action,
            |_, settled, record| {
                record.insert("changes".into(), json!(settled.map(|s| s.changes)));
            },
        );
        print_json(&json!(rows));
        return;
    }
    print_results(runs, |settled, seconds| match settled.changes {
        Some(changes) => format!("{} ({changes} changes, {seconds:.1} s)", settled.action),
        None => format!("{} ({seconds:.1} s)", settled.action),
    });
}

/// `outputs --env` over several: each environment's outputs, or why there are none.
pub fn print_several_outputs(
    runs: &[EnvironmentRun<BTreeMap<String, String>>],
    format: OutputFormat,
) {
    print_failures(runs);
    if format == OutputFormat::Json {
        let rows = records(
            runs,
            |_| "found",
            |_, outputs, record| {
                record.insert("outputs".into(), json!(outputs));
            },
        );
        print_json(&json!(rows));
        return;
    }
    for run in runs {
        let place = place(run);
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
        let environments = records(
            runs,
            |_| "compared",
            |_, changes, record| {
                let changes = changes.map(|c| c.iter().map(json::change).collect::<Vec<_>>());
                record.insert("changes".into(), json!(changes));
            },
        );
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
        let place = place(run);
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

/// `explain --prove --env` over several: each environment's rows and proof headed by where it
/// ran, then one line per environment (or a JSON array, one record per environment with
/// `explain --output json`'s fields).
pub fn print_proofs(runs: &[EnvironmentRun<Proved>], source: &str, format: ReportFormat) {
    print_failures(runs);
    for run in runs {
        if let RunResult::Done(proved) = &run.result {
            print_leftovers(&proved.proof);
        }
    }
    let verdict = |proved: &Proved| {
        if proved.proof.mismatches().next().is_some() {
            "mismatch"
        } else {
            "proved"
        }
    };
    if format == ReportFormat::Json {
        let rows = records(runs, verdict, |run, proved, record| {
            let Some(proved) = proved else { return };
            let explained =
                json::explain(&proved.explanation, Some(&run.stack), Some(&proved.proof));
            if let Value::Object(fields) = explained {
                record.extend(fields);
            }
        });
        print_json(&json!(rows));
        return;
    }
    for run in runs {
        match &run.result {
            RunResult::Done(proved) => {
                println!("== {}", place(run));
                let heading = Heading {
                    source,
                    live_pool: false,
                    stack: Some((&run.stack, Some(&proved.proof.pool_id))),
                };
                print_explanation(&heading, &proved.explanation, Some(&proved.proof));
                println!();
            }
            other => println!("== {}: {}", place(run), status(other)),
        }
    }
    print_results(runs, |proved, seconds| {
        let proof = &proved.proof;
        format!(
            "{} ({} performed, {} mismatches, {seconds:.1} s)",
            verdict(proved),
            proof.performed(),
            proof.mismatches().count()
        )
    });
}

/// `users audit --env` over several: each environment's audit headed by where it ran, then a
/// table of users by class and environment (or a JSON array, one record per environment with
/// `users audit --output json`'s fields and the findings file).
pub fn print_audits(runs: &[EnvironmentRun<Audited>], format: OutputFormat) {
    print_failures(runs);
    let verdict = |audited: &Audited| {
        if audited.report.stranded() > 0 {
            "stranded"
        } else {
            "audited"
        }
    };
    if format == OutputFormat::Json {
        let rows = records(runs, verdict, |_, audited, record| {
            let Some(audited) = audited else { return };
            let report = json::users_audit(&audited.report, audited.elapsed, audited.throttled);
            if let Value::Object(fields) = report {
                record.extend(fields);
            }
            record.insert("findings_file".into(), json!(audited.findings_file));
        });
        print_json(&json!(rows));
        return;
    }
    for run in runs {
        match &run.result {
            RunResult::Done(audited) => {
                println!("== {}", place(run));
                print_audit_result(
                    &audited.report,
                    audited.elapsed,
                    audited.throttled,
                    audited.findings_file.as_deref(),
                    false,
                );
                println!();
            }
            other => println!("== {}: {}", place(run), status(other)),
        }
    }
    let mut header = vec!["ENVIRONMENT".to_owned(), "USERS".to_owned()];
    header.extend(Class::ALL.map(|class| class.as_str().to_uppercase()));
    header.push("RESULT".to_owned());
    let mut lines = vec![header];
    lines.extend(runs.iter().map(|run| {
        let mut line = vec![run.environment.clone()];
        match &run.result {
            RunResult::Done(audited) => {
                let report = &audited.report;
                line.push(report.scanned.to_string());
                line.extend(
                    Class::ALL
                        .map(|class| report.counts.get(&class).copied().unwrap_or(0).to_string()),
                );
                line.push(verdict(audited).to_owned());
            }
            other => {
                line.extend(std::iter::repeat_n("-".to_owned(), Class::ALL.len() + 1));
                line.push(status(other).to_owned());
            }
        }
        line
    }));
    for line in columns(&lines) {
        println!("{line}");
    }
}
