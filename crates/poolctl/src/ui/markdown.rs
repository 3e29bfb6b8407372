//! The markdown summaries of `diff`, `deploy`, `review up|down` and `explain`: what `--output
//! markdown` prints and what is appended to GitHub's step summary (`ui::github`). Tables in
//! GitHub-flavoured markdown; every cell is escaped, so a value cannot break the table.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

use deploy::changes::{Action, Replaces, ResourceChange};
use deploy::{ApplyOutcome, Plan};
use explain::{Explanation, Proof};
use review::{Removed, UpReport};

use super::explain::result;
use super::{json, seconds};

/// A table cell: pipes escaped, line breaks as `<br>`, nothing else changed.
fn cell(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace("\r\n", "<br>")
        .replace('\n', "<br>")
}

/// A value in a cell as code, so ids and URLs are shown as they are.
fn code(text: &str) -> String {
    if text.is_empty() {
        String::new()
    } else {
        // A backtick in the value would end the code span: fall back to plain text.
        if text.contains('`') {
            cell(text)
        } else {
            format!("`{}`", cell(text))
        }
    }
}

fn table(out: &mut String, header: &[&str], rows: &[Vec<String>]) {
    let _ = writeln!(out, "| {} |", header.join(" | "));
    let _ = writeln!(
        out,
        "|{}",
        header.iter().map(|_| "---|").collect::<String>()
    );
    for row in rows {
        let _ = writeln!(out, "| {} |", row.join(" | "));
    }
}

/// The change set: action, logical id, type, replacement and the properties that changed.
pub fn change_table(changes: &[ResourceChange]) -> String {
    if changes.is_empty() {
        return "No resource changes.\n".to_owned();
    }
    let rows: Vec<Vec<String>> = changes
        .iter()
        .map(|change| {
            let action = match change.action {
                Action::Add => "Add",
                Action::Modify => "Modify",
                Action::Remove => "Remove",
                Action::Import => "Import",
                Action::Other => "Other",
            };
            let replacement = match (change.action, change.replacement) {
                (Action::Modify, Replaces::Yes) => "**Yes**",
                (Action::Modify, Replaces::Conditional) => "Conditional",
                (Action::Modify, Replaces::No) => "No",
                _ => "",
            };
            let properties: Vec<String> = change
                .properties
                .iter()
                .map(|p| {
                    if change.replacing_properties.contains(p) {
                        format!("{p} (forces replacement)")
                    } else {
                        p.clone()
                    }
                })
                .collect();
            vec![
                action.to_owned(),
                code(&change.logical_id),
                cell(&change.resource_type),
                replacement.to_owned(),
                cell(&properties.join(", ")),
            ]
        })
        .collect();
    let mut out = String::new();
    table(
        &mut out,
        &["Action", "Logical ID", "Type", "Replacement", "Properties"],
        &rows,
    );
    out
}

/// Stack outputs as a two-column table.
pub fn outputs_table(outputs: &BTreeMap<String, String>) -> String {
    let rows: Vec<Vec<String>> = outputs
        .iter()
        .map(|(key, value)| vec![cell(key), code(value)])
        .collect();
    let mut out = String::new();
    table(&mut out, &["Output", "Value"], &rows);
    out
}

/// `diff`: the change set it made (and deleted).
pub fn diff(plan: &Plan, code_not_compared: Option<&str>) -> String {
    let mut out = format!(
        "### poolctl diff: stack `{}` ({})\n\n",
        cell(&plan.stack_name),
        plan.change_set_type.as_str()
    );
    out.push_str(&change_table(&plan.changes));
    note(&mut out, code_not_compared);
    out
}

/// `diff` found nothing to change.
pub fn no_diff(stack_name: &str, code_not_compared: Option<&str>) -> String {
    let mut out = format!(
        "### poolctl diff: stack `{}`\n\nNo changes.\n",
        cell(stack_name)
    );
    note(&mut out, code_not_compared);
    out
}

fn note(out: &mut String, note: Option<&str>) {
    if let Some(note) = note {
        let _ = write!(out, "\n> **Note:** {}\n", cell(note));
    }
}

/// `deploy`: what happened, the changes executed and the outputs.
pub fn deployed(outcome: &ApplyOutcome, changes: &[ResourceChange], elapsed: Duration) -> String {
    let stack = outcome.stack();
    let mut out = format!(
        "### poolctl deploy: stack `{}` {}\n\n{} in {}.\n\n",
        cell(&stack.stack_name),
        json::action(outcome),
        stack.status.as_str(),
        seconds(elapsed)
    );
    out.push_str(&change_table(changes));
    if !stack.outputs.is_empty() {
        out.push_str("\n#### Outputs\n\n");
        out.push_str(&outputs_table(&stack.outputs));
    }
    out
}

/// `review up`: the pool, its expiry and its outputs.
pub fn review_up(report: &UpReport, elapsed: Duration) -> String {
    let mut out = format!(
        "### poolctl review up: `{}` {}\n\nStack `{}`, {} in {}; expires {}.\n\n",
        cell(&report.id),
        json::action(&report.outcome),
        cell(&report.stack),
        report.outcome.stack().status.as_str(),
        seconds(elapsed),
        report.expires_at
    );
    if let Some(url) = &report.hosted_ui_url {
        let _ = writeln!(out, "Hosted UI: {}\n", cell(url));
    }
    out.push_str(&outputs_table(&report.outputs));
    out
}

/// `review down`: each pool removed, or that there was none.
pub fn review_down(id: &str, removed: &[Removed], elapsed: Duration) -> String {
    let mut out = format!("### poolctl review down: `{}`\n\n", cell(id));
    if removed.is_empty() {
        out.push_str("No review pool; nothing to delete.\n");
    }
    for pool in removed {
        let _ = writeln!(
            out,
            "- Deleted stack `{}` and {} artifact object(s) in {}.",
            cell(&pool.stack),
            pool.artifacts_deleted,
            seconds(elapsed)
        );
    }
    out
}

fn yes_no(value: Option<bool>) -> &'static str {
    match value {
        Some(true) => "yes",
        Some(false) => "no",
        None => "n/a",
    }
}

/// `explain`: the rows (risky ones marked, their problem and fix listed under the table) and,
/// with `--prove`, predicted against observed.
pub fn explain(explanation: &Explanation, stack: Option<&str>, proof: Option<&Proof>) -> String {
    let mut out = format!("### poolctl explain: pool `{}`", cell(&explanation.pool));
    if let Some(stack) = stack {
        let _ = write!(out, " (stack `{}`)", cell(stack));
    }
    let _ = write!(
        out,
        "\n\nWhat each way in does to `email_verified` (sample address {}{}).\n\n",
        code(&explanation.sample_email),
        if explanation.has_trigger {
            ""
        } else {
            "; no PreSignUp trigger"
        }
    );
    let rows: Vec<Vec<String>> = explanation
        .rows
        .iter()
        .map(|row| {
            vec![
                if row.is_risky() { "⚠️" } else { "" }.to_owned(),
                cell(&row.scenario.title()),
                row.email_verified.as_str().to_owned(),
                yes_no(row.can_reset_password).to_owned(),
                yes_no(Some(row.can_receive_email)).to_owned(),
                cell(&row.why),
            ]
        })
        .collect();
    table(
        &mut out,
        &["", "Scenario", "email_verified", "Reset", "Email", "Why"],
        &rows,
    );
    let risky: Vec<_> = explanation
        .rows
        .iter()
        .filter_map(|row| row.risk.as_ref().map(|risk| (row, risk)))
        .collect();
    if !risky.is_empty() {
        out.push_str("\n#### Risky rows\n\n");
        for (row, risk) in risky {
            let fix = match &risk.fix.path {
                Some(path) => format!("`{path}`: {}", risk.fix.change),
                None => risk.fix.change.clone(),
            };
            let _ = writeln!(
                out,
                "- **{}**: {} Fix: {}",
                cell(&row.scenario.title()),
                cell(&risk.problem),
                cell(&fix)
            );
        }
    }
    if let Some(proof) = proof {
        let _ = write!(
            out,
            "\n#### Proved on stack `{}` (pool `{}`)\n\n",
            cell(&proof.stack),
            cell(&proof.pool_id)
        );
        let rows: Vec<Vec<String>> = proof
            .checks
            .iter()
            .map(|check| {
                let title = explanation
                    .rows
                    .get(check.row)
                    .map(|row| row.scenario.title())
                    .unwrap_or_default();
                let observed = match &check.observed {
                    explain::Observed::Verdict(verdict) => verdict.as_str(),
                    _ => "",
                };
                let (word, detail) = result(check);
                vec![
                    cell(&title),
                    check.predicted.as_str().to_owned(),
                    observed.to_owned(),
                    word.to_owned(),
                    cell(&detail),
                ]
            })
            .collect();
        table(
            &mut out,
            &["Scenario", "Predicted", "Observed", "Result", "Note"],
            &rows,
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::changes::tests::recorded;

    #[test]
    fn the_change_table_has_one_row_per_change_with_replacement() {
        let text = change_table(&recorded());
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "| Action | Logical ID | Type | Replacement | Properties |"
        );
        assert_eq!(lines[1], "|---|---|---|---|---|");
        assert_eq!(lines.len(), 2 + recorded().len(), "{text}");
        assert_eq!(
            lines[2],
            "| Modify | `UserPool` | AWS::Cognito::UserPool | No | VerificationMessageTemplate, EmailVerificationSubject |"
        );
        assert!(lines[3].starts_with("| Add | `ClientMobile` |"), "{text}");
        assert!(
            lines[5].contains("| **Yes** | FunctionName (forces replacement), Code |"),
            "{text}"
        );
        assert_eq!(change_table(&[]), "No resource changes.\n");
    }

    #[test]
    fn cells_cannot_break_the_table() {
        let outputs = BTreeMap::from([
            ("A".to_owned(), "x|y".to_owned()),
            ("B".to_owned(), "line 1\nline 2".to_owned()),
        ]);
        let text = outputs_table(&outputs);
        assert!(text.contains("| A | `x\\|y` |"), "{text}");
        assert!(text.contains("| B | `line 1<br>line 2` |"), "{text}");
        assert!(text.lines().all(|l| l.starts_with('|') && l.ends_with('|')));
    }

    #[test]
    fn explain_marks_risky_rows_and_lists_their_fix() {
        let yaml = "name: t\nsign_in: { username: email }\nclients:\n  - { name: agent, generate_secret: true }\n";
        let spec = spec::load_str("t.yaml", yaml).unwrap().spec;
        let explanation = explain::explain(&spec).unwrap();
        let text = explain(&explanation, Some("poolctl-t"), None);
        assert!(text.starts_with("### poolctl explain: pool `t` (stack `poolctl-t`)"));
        assert!(
            text.lines()
                .any(|l| l.starts_with("| ⚠️ | agent sign-up via agent |")),
            "{text}"
        );
        assert!(text.contains("#### Risky rows"), "{text}");
        assert!(text.contains("Fix: `triggers.pre_sign_up`: "), "{text}");
    }
}
