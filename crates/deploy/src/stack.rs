//! Reading a stack and watching one of its operations to the end.

use std::collections::BTreeMap;

use aws_sdk_cloudformation::types::{StackStatus, TemplateStage};
use serde_json::Value;

use crate::error::{DeployError, FailureCause};
use crate::events::{self, StackEvent};
use crate::poll::Backoff;
use aws::Aws;

/// A stack as DescribeStacks reports it.
#[derive(Debug, Clone)]
pub struct StackState {
    pub stack_id: String,
    pub stack_name: String,
    pub status: StackStatus,
    pub status_reason: Option<String>,
    pub parameters: BTreeMap<String, String>,
    pub tags: BTreeMap<String, String>,
    pub outputs: BTreeMap<String, String>,
    pub termination_protection: bool,
}

/// A stack after an operation: what a caller reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackInfo {
    pub stack_name: String,
    pub stack_id: String,
    pub status: StackStatus,
    pub outputs: BTreeMap<String, String>,
    /// Resources that failed although the operation succeeded (e.g. an old resource that
    /// could not be deleted during cleanup): "succeeded with resource errors".
    pub resource_errors: Vec<FailureCause>,
}

impl From<StackState> for StackInfo {
    fn from(state: StackState) -> StackInfo {
        StackInfo {
            stack_name: state.stack_name,
            stack_id: state.stack_id,
            status: state.status,
            outputs: state.outputs,
            resource_errors: Vec::new(),
        }
    }
}

/// Where a stack stands, for deciding what a deploy does first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Standing {
    /// Settled and updatable.
    Healthy,
    /// A failed create rolled back: nothing inside, delete and create again.
    RolledBackCreate,
    /// REVIEW_IN_PROGRESS: made by a CREATE change set not executed (yet); holds nothing, and
    /// another CREATE change set may be made on it.
    NeverExecuted,
    /// An operation is running.
    Busy,
    /// Needs a person: the message says what to do.
    Stuck,
    Deleted,
}

pub(crate) fn standing(status: &StackStatus) -> Standing {
    use StackStatus as S;
    match status {
        S::CreateComplete
        | S::UpdateComplete
        | S::UpdateRollbackComplete
        | S::ImportComplete
        | S::ImportRollbackComplete => Standing::Healthy,
        S::RollbackComplete => Standing::RolledBackCreate,
        S::ReviewInProgress => Standing::NeverExecuted,
        S::DeleteComplete => Standing::Deleted,
        S::CreateInProgress
        | S::DeleteInProgress
        | S::ImportInProgress
        | S::ImportRollbackInProgress
        | S::RollbackInProgress
        | S::UpdateCompleteCleanupInProgress
        | S::UpdateInProgress
        | S::UpdateRollbackCompleteCleanupInProgress
        | S::UpdateRollbackInProgress => Standing::Busy,
        // A status newer than this SDK: in progress if it says so, else a person decides.
        other if other.as_str().ends_with("_IN_PROGRESS") => Standing::Busy,
        _ => Standing::Stuck,
    }
}

/// An operation is running on the stack. A stack made by a change set that was never
/// executed (REVIEW_IN_PROGRESS) is not busy: nothing runs on it.
pub fn is_busy(status: &StackStatus) -> bool {
    standing(status) == Standing::Busy
}

/// A settled status that means the operation did what was asked.
pub(crate) fn is_success(status: &StackStatus) -> bool {
    matches!(
        status,
        StackStatus::CreateComplete
            | StackStatus::UpdateComplete
            | StackStatus::ImportComplete
            | StackStatus::DeleteComplete
    )
}

/// A stack a failed create left behind: it holds nothing worth keeping.
pub fn is_failed_create(status: &StackStatus) -> bool {
    matches!(
        status,
        StackStatus::RollbackComplete
            | StackStatus::CreateFailed
            | StackStatus::RollbackFailed
            | StackStatus::ReviewInProgress
    )
}

/// What to do about a stack that needs a person.
pub(crate) fn stuck_help(stack: &str, status: &StackStatus) -> String {
    match status {
        StackStatus::UpdateRollbackFailed => format!(
            "stack {stack} is UPDATE_ROLLBACK_FAILED: CloudFormation could not roll back the last \
             update. Continue the rollback with `aws cloudformation continue-update-rollback \
             --stack-name {stack}` (add `--resources-to-skip <LogicalId>` for a resource that \
             cannot go back), wait for UPDATE_ROLLBACK_COMPLETE, then deploy again"
        ),
        StackStatus::RollbackFailed => format!(
            "stack {stack} is ROLLBACK_FAILED: a failed create could not clean up. Delete it with \
             `poolctl destroy --stack {stack}` (resources it cannot delete are listed in its \
             events), then deploy again"
        ),
        StackStatus::DeleteFailed => format!(
            "stack {stack} is DELETE_FAILED: a previous delete stopped half way. Look at its events \
             for the resource that could not be deleted, fix that, and run `poolctl destroy --stack {stack}`"
        ),
        StackStatus::CreateFailed => format!(
            "stack {stack} is CREATE_FAILED (created with rollback disabled). Delete it with \
             `poolctl destroy --stack {stack}`, then deploy again"
        ),
        other => format!(
            "stack {stack} is {}, which this driver does not deploy over",
            other.as_str()
        ),
    }
}

/// The driver's reads of a stack, on the AWS context's CloudFormation client.
pub(crate) trait StackReads {
    async fn describe_stack(&self, stack: &str) -> Result<Option<StackState>, DeployError>;
    async fn deployed_template(&self, stack: &str) -> Result<Option<Value>, DeployError>;
    async fn newest_event_id(&self, stack: &str) -> Result<Option<String>, DeployError>;
    async fn events_since(
        &self,
        stack: &str,
        marker: Option<&str>,
    ) -> Result<Vec<StackEvent>, DeployError>;
    async fn watch(
        &self,
        stack_id: &str,
        marker: Option<String>,
        token: Option<&str>,
        sink: &mut (dyn FnMut(StackEvent) + Send),
    ) -> Result<(StackState, Vec<StackEvent>), DeployError>;
}

impl StackReads for Aws {
    /// DescribeStacks for one stack; `None` when it does not exist.
    async fn describe_stack(&self, stack: &str) -> Result<Option<StackState>, DeployError> {
        let Some(found) = self.find_stack(stack).await? else {
            return Ok(None);
        };
        let pairs = |items: Vec<(Option<&str>, Option<&str>)>| -> BTreeMap<String, String> {
            items
                .into_iter()
                .filter_map(|(k, v)| Some((k?.to_owned(), v.unwrap_or_default().to_owned())))
                .collect()
        };
        Ok(Some(StackState {
            stack_id: found.stack_id().unwrap_or(stack).to_owned(),
            stack_name: found.stack_name().unwrap_or(stack).to_owned(),
            status: found
                .stack_status()
                .cloned()
                .unwrap_or_else(|| StackStatus::from("")),
            status_reason: found.stack_status_reason().map(str::to_owned),
            parameters: pairs(
                found
                    .parameters()
                    .iter()
                    .map(|p| {
                        (
                            p.parameter_key(),
                            p.resolved_value().or(p.parameter_value()),
                        )
                    })
                    .collect(),
            ),
            tags: pairs(found.tags().iter().map(|t| (t.key(), t.value())).collect()),
            outputs: pairs(
                found
                    .outputs()
                    .iter()
                    .map(|o| (o.output_key(), o.output_value()))
                    .collect(),
            ),
            termination_protection: found.enable_termination_protection().unwrap_or(false),
        }))
    }

    /// The template the stack was last deployed with, parsed; `None` if it is not JSON (a
    /// stack deployed from YAML by another tool).
    async fn deployed_template(&self, stack: &str) -> Result<Option<Value>, DeployError> {
        let answer = self
            .cloudformation
            .get_template()
            .stack_name(stack)
            .template_stage(TemplateStage::Original)
            .send()
            .await
            .map_err(|e| DeployError::aws("cloudformation:GetTemplate", e))?;
        Ok(answer
            .template_body()
            .and_then(|body| serde_json::from_str(body).ok()))
    }

    /// The id of the newest event of a stack: events up to it are history.
    async fn newest_event_id(&self, stack: &str) -> Result<Option<String>, DeployError> {
        let page = self
            .cloudformation
            .describe_stack_events()
            .stack_name(stack)
            .send()
            .await
            .map_err(|e| DeployError::aws("cloudformation:DescribeStackEvents", e))?;
        Ok(page
            .stack_events()
            .first()
            .and_then(|e| e.event_id())
            .map(str::to_owned))
    }

    /// Events newer than `marker`, oldest first, reading older pages until the marker shows.
    async fn events_since(
        &self,
        stack: &str,
        marker: Option<&str>,
    ) -> Result<Vec<StackEvent>, DeployError> {
        let mut fresh_newest_first: Vec<StackEvent> = Vec::new();
        let mut pages = self
            .cloudformation
            .describe_stack_events()
            .stack_name(stack)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page =
                page.map_err(|e| DeployError::aws("cloudformation:DescribeStackEvents", e))?;
            let listed: Vec<StackEvent> = page
                .stack_events()
                .iter()
                .map(StackEvent::from_sdk)
                .collect();
            let (mut fresh, found) = events::newer_than(&listed, marker);
            fresh.reverse();
            fresh_newest_first.extend(fresh);
            // Older pages hold only history once the marker shows; without a marker, the
            // first page is all a new watch needs.
            if found || marker.is_none() {
                break;
            }
        }
        fresh_newest_first.reverse();
        Ok(fresh_newest_first)
    }

    /// Follows an operation on `stack_id` until the stack settles, giving each new event to
    /// `sink` as it appears. `token` keeps only that operation's events. Returns the settled
    /// state and the operation's events.
    async fn watch(
        &self,
        stack_id: &str,
        mut marker: Option<String>,
        token: Option<&str>,
        sink: &mut (dyn FnMut(StackEvent) + Send),
    ) -> Result<(StackState, Vec<StackEvent>), DeployError> {
        let mut backoff = Backoff::stack();
        let mut seen = Vec::new();
        let mut polls_since_describe = 0u32;
        loop {
            backoff.wait().await;
            // The events stream says when the stack itself reaches a settled status, so most
            // polls cost one call. The status is read only then (and every few polls, in case
            // a stack event is late or missing). The stack's own settled event is the last of
            // its operation; a status read without it is followed by the events once more, so
            // every event up to the settled status is read.
            let mut fresh = self.events_since(stack_id, marker.as_deref()).await?;
            let stack_settled = fresh.iter().any(|event| {
                event.is_stack() && !is_busy(&StackStatus::from(event.status.as_str()))
            });
            polls_since_describe += 1;
            let described = if stack_settled || polls_since_describe >= DESCRIBE_EVERY_POLLS {
                polls_since_describe = 0;
                let state = self.describe_stack(stack_id).await?;
                if !stack_settled {
                    let read = fresh
                        .last()
                        .map(|e| e.event_id.clone())
                        .or_else(|| marker.clone());
                    fresh.extend(self.events_since(stack_id, read.as_deref()).await?);
                }
                Some(state)
            } else {
                None
            };
            if let Some(last) = fresh.last() {
                marker = Some(last.event_id.clone());
            }
            let fresh = match token {
                Some(token) => events::of_operation(fresh, token),
                None => fresh,
            };
            for event in fresh {
                sink(event.clone());
                seen.push(event);
            }
            let Some(state) = described else {
                continue;
            };
            let Some(state) = state else {
                return Err(DeployError::StackNotFound(stack_id.to_owned()));
            };
            // After ExecuteChangeSet a new stack can still read REVIEW_IN_PROGRESS for a moment.
            if !matches!(
                standing(&state.status),
                Standing::Busy | Standing::NeverExecuted
            ) {
                return Ok((state, seen));
            }
        }
    }
}

/// Polls between two reads of the stack's status when its events say nothing settled.
const DESCRIBE_EVERY_POLLS: u32 = 4;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_to_what_a_deploy_does_first() {
        let status = |s: &str| StackStatus::from(s);
        assert_eq!(
            standing(&status("UPDATE_ROLLBACK_COMPLETE")),
            Standing::Healthy
        );
        assert_eq!(
            standing(&status("ROLLBACK_COMPLETE")),
            Standing::RolledBackCreate
        );
        assert_eq!(
            standing(&status("REVIEW_IN_PROGRESS")),
            Standing::NeverExecuted
        );
        assert_eq!(
            standing(&status("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS")),
            Standing::Busy
        );
        assert_eq!(standing(&status("SOME_NEW_IN_PROGRESS")), Standing::Busy);
        assert_eq!(standing(&status("UPDATE_ROLLBACK_FAILED")), Standing::Stuck);
        assert!(stuck_help("demo", &status("UPDATE_ROLLBACK_FAILED"))
            .contains("continue-update-rollback --stack-name demo"));
        assert!(
            is_success(&status("UPDATE_COMPLETE"))
                && !is_success(&status("UPDATE_ROLLBACK_COMPLETE"))
        );
    }
}
