//! The `--output json` shapes: stable keys that scripts read. Built here from the libraries'
//! typed values; the libraries know nothing of them.

use std::collections::BTreeMap;

use deploy::changes::{Action, Replaces, ResourceChange};
use deploy::{ApplyOutcome, DeployError, FailureCause, StackInfo};
use review::{Instant, ReviewPool, UpReport};
use serde_json::{json, Value};

/// `created`, `updated` or `unchanged`.
pub fn action(outcome: &ApplyOutcome) -> &'static str {
    match outcome {
        ApplyOutcome::Created(_) => "created",
        ApplyOutcome::Updated(_) => "updated",
        ApplyOutcome::Imported(_) => "imported",
        ApplyOutcome::NoChanges(_) | ApplyOutcome::Skipped(_) => "unchanged",
    }
}

pub fn change(change: &ResourceChange) -> Value {
    let action = match change.action {
        Action::Add => "add",
        Action::Modify => "modify",
        Action::Remove => "remove",
        Action::Import => "import",
        Action::Other => "other",
    };
    let replacement = match change.replacement {
        Replaces::No => "no",
        Replaces::Conditional => "conditional",
        Replaces::Yes => "yes",
    };
    json!({
        "action": action,
        "logical_id": change.logical_id,
        "type": change.resource_type,
        "replacement": replacement,
        "properties": change.properties,
        "replacing_properties": change.replacing_properties,
    })
}

fn cause(cause: &FailureCause) -> Value {
    json!({
        "logical_id": cause.logical_id,
        "type": cause.resource_type,
        "status": cause.status.as_str(),
        "reason": cause.reason,
    })
}

/// `diff --output json` for one stack: what its change set would change (empty: nothing).
pub fn diff(stack: &str, changes: &[ResourceChange]) -> Value {
    json!({
        "stack": stack,
        "changes": changes.iter().map(change).collect::<Vec<_>>(),
    })
}

/// The report of a deploy that succeeded (or had nothing to do).
pub fn deploy_success(outcome: &ApplyOutcome, changes: &[ResourceChange]) -> Value {
    let stack: &StackInfo = outcome.stack();
    json!({
        "stack": stack.stack_name,
        "status": stack.status.as_str(),
        "action": action(outcome),
        "changes": changes.iter().map(change).collect::<Vec<_>>(),
        "outputs": stack.outputs,
        "failure": null,
        "resource_errors": stack.resource_errors.iter().map(cause).collect::<Vec<_>>(),
    })
}

/// The report of a deploy that was refused or failed.
pub fn deploy_failure(stack: &str, changes: &[ResourceChange], error: &DeployError) -> Value {
    let (action, status, failure) = match error {
        DeployError::Refused(refusal) => (
            "refused",
            None,
            json!({ "reason": refusal.reason, "help": refusal.help }),
        ),
        DeployError::StackFailed(failed) => (
            "failed",
            Some(failed.status.as_str()),
            match &failed.cause {
                Some(found) => cause(found),
                None => json!({
                    "logical_id": null,
                    "type": null,
                    "status": failed.status.as_str(),
                    "reason": null,
                }),
            },
        ),
        other => ("failed", None, json!({ "reason": other.to_string() })),
    };
    json!({
        "stack": stack,
        "status": status,
        "action": action,
        "changes": changes.iter().map(change).collect::<Vec<_>>(),
        "outputs": BTreeMap::<String, String>::new(),
        "failure": failure,
        "resource_errors": [],
    })
}

/// `review up --output json` (and its `--outputs-file`).
pub fn review_up(report: &UpReport) -> Value {
    json!({
        "id": report.id,
        "stack": report.stack,
        "action": action(&report.outcome),
        "status": report.outcome.stack().status.as_str(),
        "express": report.express,
        "created_at": report.created_at.to_string(),
        "expires_at": report.expires_at.to_string(),
        "user_pool_id": report.user_pool_id,
        "client_ids": report.client_ids,
        "hosted_ui_url": report.hosted_ui_url,
        "outputs": report.outputs,
    })
}

/// One row of `review ls --output json`.
pub fn review_pool(pool: &ReviewPool, now: Instant) -> Value {
    json!({
        "id": pool.id,
        "pool": pool.pool,
        "stack": pool.stack_name,
        "status": pool.status.as_str(),
        "created_at": pool.created_at.map(|t| t.to_string()),
        "expires_at": pool.expires_at.map(|t| t.to_string()),
        "age_seconds": pool.created_at.map(|t| now.seconds_since(t)),
        "expired": pool.is_expired(now),
    })
}

/// Pretty JSON text of a report.
pub fn pretty(value: &Value) -> String {
    // A `Value` always serialises.
    serde_json::to_string_pretty(value).unwrap_or_default()
}

/// `users audit --output json`.
pub fn users_audit(
    report: &users::AuditReport,
    elapsed: std::time::Duration,
    throttled: u64,
) -> Value {
    let counts: BTreeMap<&str, u64> = report
        .counts
        .iter()
        .map(|(class, n)| (class.as_str(), *n))
        .collect();
    json!({
        "pool": report.pool_id,
        "scanned": report.scanned,
        "stranded": report.stranded(),
        "counts": counts,
        "throttled": throttled,
        "elapsed_ms": u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX),
        "scan": scan_plan(&report.scan),
    })
}

/// How an audit scanned: the plan and, when it measured, what it measured.
fn scan_plan(plan: &users::ScanPlan) -> Value {
    json!({
        "partitions": match plan.partitioning {
            users::Partitioning::Sixteen => 16,
            _ => 1,
        },
        "page_latency_ms": plan.page_latency.map(|d| d.as_secs_f64() * 1000.0),
        "partitioned_pages_per_second": plan.partitioned_rate,
    })
}

/// `users verify --output json`.
pub fn users_verify(report: &users::VerifyReport, pool: &str) -> Value {
    let users: Vec<Value> = report
        .users
        .iter()
        .map(|u| serde_json::to_value(u).unwrap_or(Value::Null))
        .collect();
    json!({
        "pool": pool,
        "before": report.before,
        "after": report.after,
        "counts": report.counts,
        "users": users,
        "workers": report.workers,
    })
}

/// `users create --output json`.
pub fn users_create(report: &users::CreateReport, pool: &str) -> Value {
    let not_created: Vec<Value> = report
        .not_created
        .iter()
        .map(|(line, username, outcome)| {
            json!({ "line": line, "username": username, "outcome": outcome.name() })
        })
        .collect();
    json!({
        "pool": pool,
        "rows": report.rows,
        "counts": report.counts,
        "not_created": not_created,
        "workers": report.workers,
    })
}

/// `explain --output json`: every row, and the proof when `--prove` ran.
pub fn explain(
    explanation: &explain::Explanation,
    stack: Option<&str>,
    proof: Option<&explain::Proof>,
) -> Value {
    use explain::Scenario;
    let rows: Vec<Value> = explanation
        .rows
        .iter()
        .map(|row| {
            let (client, domain, provider, basis) = match &row.scenario {
                Scenario::AgentSignUp { client } | Scenario::SelfServiceSignUp { client } => {
                    (Some(client.as_str()), None, None, None)
                }
                Scenario::VerifyDomainSignUp { client, domain } => {
                    (Some(client.as_str()), Some(domain.as_str()), None, None)
                }
                Scenario::FederatedSignIn {
                    provider, basis, ..
                } => (None, None, Some(provider.as_str()), Some(basis.code())),
                Scenario::FederatedAddressChange { provider, .. } => {
                    (None, None, Some(provider.as_str()), None)
                }
                Scenario::AdminCreateUser { .. }
                | Scenario::EmailChange
                | Scenario::DuplicateEmail => (None, None, None, None),
            };
            let trigger = row.trigger.as_ref().map(|call| {
                let mut value = json!({
                    "source": call.source.as_str(),
                    "client": call.client,
                    "user_name": call.user_name,
                    "email": call.email,
                    "email_verified_claim": call.email_verified_claim,
                });
                match &call.outcome {
                    Ok(decision) => {
                        value["auto_confirm_user"] = json!(decision.auto_confirm_user);
                        value["auto_verify_email"] = json!(decision.auto_verify_email);
                        value["reason"] = json!(decision.reason.as_str());
                    }
                    Err(refusal) => {
                        value["refused"] = json!(refusal.reason.as_str());
                        value["message"] = json!(refusal.message);
                    }
                }
                value
            });
            json!({
                "scenario": row.scenario.code(),
                "title": row.scenario.title(),
                "client": client,
                "domain": domain,
                "provider": provider,
                "basis": basis,
                "email_verified": row.email_verified.as_str(),
                "can_reset_password": row.can_reset_password,
                "can_receive_email": row.can_receive_email,
                "why": row.why,
                "trigger": trigger,
                "risky": row.is_risky(),
                "risk": row.risk.as_ref().map(|risk| json!({
                    "problem": risk.problem,
                    "fix": { "path": risk.fix.path, "change": risk.fix.change },
                })),
            })
        })
        .collect();
    let proof = proof.map(|proof| {
        let checks: Vec<Value> = proof
            .checks
            .iter()
            .map(|check| {
                let scenario = explanation.rows.get(check.row).map(|r| r.scenario.code());
                let (observed, result, detail) = match &check.observed {
                    explain::Observed::Verdict(verdict) => (
                        Some(verdict.as_str()),
                        if check.agrees() == Some(true) { "ok" } else { "mismatch" },
                        None,
                    ),
                    explain::Observed::Failed(why) => (None, "failed", Some(why.as_str())),
                    explain::Observed::NotPerformed(why) => {
                        (None, "not_performed", Some(why.as_str()))
                    }
                };
                json!({
                    "row": check.row,
                    "scenario": scenario,
                    "user": check.user,
                    "predicted": check.predicted.as_str(),
                    "observed": observed,
                    "result": result,
                    "detail": detail,
                    "note": check.note,
                })
            })
            .collect();
        json!({
            "stack": proof.stack,
            "pool_id": proof.pool_id,
            "checks": checks,
            "performed": proof.performed(),
            "mismatches": proof.mismatches().count(),
            "leftovers": proof.leftovers.iter().map(|(user, error)| json!({"user": user, "error": error})).collect::<Vec<_>>(),
        })
    });
    json!({
        "pool": explanation.pool,
        "stack": stack,
        "trigger": explanation.has_trigger,
        "sample_email": explanation.sample_email,
        "rows": rows,
        "risky": explanation.risky().count(),
        "proof": proof,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::changes::tests::recorded;

    #[test]
    fn change_keys_are_stable() {
        assert_eq!(
            change(&recorded()[3]),
            json!({
                "action": "modify", "logical_id": "PreSignUpFunction", "type": "AWS::Lambda::Function",
                "replacement": "yes", "properties": ["FunctionName", "Code"],
                "replacing_properties": ["FunctionName"]
            })
        );
    }

    #[test]
    fn a_failed_stack_names_its_first_cause() {
        let error = DeployError::StackFailed(Box::new(deploy::StackFailure {
            stack_name: "poolctl-demo".into(),
            status: "ROLLBACK_COMPLETE".into(),
            cause: Some(FailureCause {
                logical_id: "UserPoolDomain".into(),
                resource_type: "AWS::Cognito::UserPoolDomain".into(),
                status: "CREATE_FAILED".into(),
                reason: "Domain already exists".into(),
            }),
        }));
        let report = deploy_failure("poolctl-demo", &[], &error);
        assert_eq!(report["action"], "failed");
        assert_eq!(report["status"], "ROLLBACK_COMPLETE");
        assert_eq!(report["failure"]["logical_id"], "UserPoolDomain");
        assert_eq!(report["failure"]["type"], "AWS::Cognito::UserPoolDomain");
        let keys: Vec<&String> = report.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "stack",
                "status",
                "action",
                "changes",
                "outputs",
                "failure",
                "resource_errors"
            ]
        );
    }
}
