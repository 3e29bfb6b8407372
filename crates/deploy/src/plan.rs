//! A created change set: waited for, summarised, checked by the guard, then executed or
//! discarded.

use aws_sdk_cloudformation::types::{ChangeSetStatus, ChangeSetType, ExecutionStatus};
use serde_json::Value;

use aws::Aws;

use crate::changes::{self, ResourceChange};
use crate::deployer::{ApplyOutcome, Deployer, Prepared};
use crate::error::DeployError;
use crate::events;
use crate::guard;
use crate::poll::Backoff;
use crate::request::unique_name;
use crate::stack::{self, StackInfo, StackReads};
use crate::watch::Watch;

/// A created, guard-checked change set.
pub struct Plan {
    pub(crate) aws: Aws,
    pub stack_name: String,
    pub stack_id: String,
    pub change_set_id: String,
    /// CREATE for a new stack, UPDATE for an existing one, IMPORT for adopted resources.
    pub change_set_type: ChangeSetType,
    pub changes: Vec<ResourceChange>,
    /// The template that will be deployed (after logical-ID decisions).
    pub template: Value,
    /// The stack's newest event once the change set was made: the watch reads what comes
    /// after it. Read while the change set is being made (events of other operations that
    /// come before the execution are told apart by its request token).
    pub(crate) marker: Option<String>,
}

/// What a change set will do, as whoever decides whether to execute it sees it.
#[derive(Debug, Clone, Copy)]
pub struct ChangeSetSummary<'a> {
    pub stack_name: &'a str,
    /// CREATE for a new stack, UPDATE for an existing one, IMPORT for adopted resources.
    pub change_set_type: &'a ChangeSetType,
    pub changes: &'a [ResourceChange],
    /// Some change is more than an addition (it modifies, removes, replaces or imports), so a
    /// person should agree before it is executed.
    pub needs_confirmation: bool,
}

/// The answer to a [`ChangeSetSummary`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirmation {
    Proceed,
    /// Do not execute: the change set is deleted. The reason is the caller's, for its report.
    Decline(String),
}

/// How a confirmed (or declined) change set went, when nothing failed on the way.
pub enum Applying {
    /// Nothing to execute: the stack already is as asked.
    Done(ApplyOutcome),
    /// The change set is executing; `watch` follows the operation to its end.
    Executing {
        changes: Vec<ResourceChange>,
        watch: Watch<ApplyOutcome>,
    },
    /// The confirmation declined. The change set was discarded, or `discarded` says why not.
    Declined {
        reason: String,
        discarded: Result<(), DeployError>,
    },
}

/// True for the service's "nothing to change" answers.
pub fn is_no_change_reason(reason: &str) -> bool {
    reason.contains("didn't contain changes") || reason.contains("No updates are to be performed")
}

impl Plan {
    /// Waits for the change set, reads its changes, applies guard part 1.
    pub(crate) async fn complete(
        mut self,
        allow_pool_replacement: bool,
    ) -> Result<Prepared, DeployError> {
        let marker = tokio::spawn({
            let (aws, stack_id) = (self.aws.clone(), self.stack_id.clone());
            async move { aws.newest_event_id(&stack_id).await }
        });
        let mut backoff = Backoff::stack();
        let sdk_changes = loop {
            backoff.wait().await;
            let mut pages = self
                .aws
                .cloudformation
                .describe_change_set()
                .change_set_name(&self.change_set_id)
                .stack_name(&self.stack_id)
                .into_paginator()
                .send();
            let mut status = None;
            let mut reason = String::new();
            let mut listed = Vec::new();
            while let Some(page) = pages.next().await {
                let page = match page {
                    Ok(page) => page,
                    Err(e) => {
                        let error = DeployError::aws("cloudformation:DescribeChangeSet", e);
                        return Err(if is_change_set_gone(&error) {
                            self.superseded(
                                "the change set was deleted while it was being made: another \
                                 change set was executed",
                            )
                        } else {
                            error
                        });
                    }
                };
                status = page.status().cloned();
                page.status_reason()
                    .unwrap_or_default()
                    .clone_into(&mut reason);
                listed.extend(page.changes().iter().cloned());
                // Only a complete change set has further pages worth reading.
                if status != Some(ChangeSetStatus::CreateComplete) {
                    break;
                }
            }
            match status {
                Some(ChangeSetStatus::CreateComplete) => break listed,
                Some(ChangeSetStatus::Failed) => {
                    let stack_name = self.stack_name.clone();
                    self.discard().await?;
                    if is_no_change_reason(&reason) {
                        let deployer = Deployer {
                            aws: self.aws.clone(),
                        };
                        let state = deployer.outputs(&stack_name).await?;
                        return Ok(Prepared::Done(ApplyOutcome::NoChanges(state)));
                    }
                    return Err(DeployError::Unexpected(format!(
                        "CloudFormation could not create the change set for {stack_name}: {reason}"
                    )));
                }
                _ => {}
            }
        };
        self.marker = marker.await.map_err(|e| {
            DeployError::task_stopped(&format!("reading the events of {}", self.stack_name), &e)
        })??;
        self.changes = changes::summarise(&sdk_changes);
        if !allow_pool_replacement {
            if let Err(refusal) = guard::check_change_set(&self.changes) {
                self.discard().await?;
                return Err(DeployError::Refused(refusal));
            }
        }
        Ok(Prepared::Plan(Box::new(self)))
    }

    /// This deploy lost its change set to another operation; nothing of it was applied.
    fn superseded(&self, detail: &str) -> DeployError {
        DeployError::Superseded {
            stack_name: self.stack_name.clone(),
            detail: detail.to_owned(),
        }
    }

    /// Whether execution of the change set has started (or ended). A change set that no longer
    /// exists was not executed: CloudFormation keeps the one it executes and deletes the others.
    async fn was_executed(&self) -> Result<bool, DeployError> {
        let described = match self
            .aws
            .cloudformation
            .describe_change_set()
            .change_set_name(&self.change_set_id)
            .stack_name(&self.stack_id)
            .send()
            .await
            .map_err(|e| DeployError::aws("cloudformation:DescribeChangeSet", e))
        {
            Ok(described) => described,
            Err(error) if is_change_set_gone(&error) => return Ok(false),
            Err(error) => return Err(error),
        };
        Ok(matches!(
            described.execution_status(),
            Some(
                ExecutionStatus::ExecuteInProgress
                    | ExecutionStatus::ExecuteComplete
                    | ExecutionStatus::ExecuteFailed
            )
        ))
    }

    /// Deletes the change set (and the empty stack a CREATE or IMPORT change set made: adopting
    /// always starts a new stack).
    pub async fn discard(&self) -> Result<(), DeployError> {
        if matches!(
            self.change_set_type,
            ChangeSetType::Create | ChangeSetType::Import
        ) {
            self.aws
                .cloudformation
                .delete_stack()
                .stack_name(&self.stack_id)
                .send()
                .await
                .map_err(|e| DeployError::aws("cloudformation:DeleteStack", e))?;
        } else {
            self.aws
                .cloudformation
                .delete_change_set()
                .change_set_name(&self.change_set_id)
                .stack_name(&self.stack_id)
                .send()
                .await
                .map_err(|e| DeployError::aws("cloudformation:DeleteChangeSet", e))?;
        }
        Ok(())
    }

    /// Shows the change set to `confirm`, then executes it (and starts watching) or, when
    /// declined, discards it. The one path from a made change set to a running operation for
    /// everything that asks first.
    pub async fn confirm_and_execute(
        self,
        confirm: &mut (dyn FnMut(ChangeSetSummary<'_>) -> Confirmation + Send),
    ) -> Result<Applying, DeployError> {
        let answer = confirm(ChangeSetSummary {
            stack_name: &self.stack_name,
            change_set_type: &self.change_set_type,
            changes: &self.changes,
            needs_confirmation: changes::needs_confirmation(&self.changes),
        });
        match answer {
            Confirmation::Proceed => {
                let changes = self.changes.clone();
                let watch = self.execute().await?;
                Ok(Applying::Executing { changes, watch })
            }
            Confirmation::Decline(reason) => Ok(Applying::Declined {
                reason,
                discarded: self.discard().await,
            }),
        }
    }

    /// Executes the change set and watches the operation.
    pub async fn execute(self) -> Result<Watch<ApplyOutcome>, DeployError> {
        let token = unique_name();
        let marker = self.marker.clone();
        let executed = self
            .aws
            .cloudformation
            .execute_change_set()
            .change_set_name(&self.change_set_id)
            .stack_name(&self.stack_id)
            .client_request_token(&token)
            .send()
            .await
            .map_err(|e| DeployError::aws("cloudformation:ExecuteChangeSet", e));
        if let Err(error) = executed {
            // A retry whose first attempt was executed but never answered (a connection reset
            // after the request went out) finds the change set no longer available: that is
            // the execution this deploy asked for, so watch it rather than fail. Otherwise
            // another operation got there first: its change set was executed (which deleted
            // this one), or the stack is busy with it.
            let refused = matches!(
                error.aws_code(),
                Some("InvalidChangeSetStatus" | "ChangeSetNotFound")
            );
            if !refused {
                return Err(error);
            }
            if !self.was_executed().await? {
                // Left waiting, it could be executed later over whatever the other operation
                // did. (A CREATE change set's stack may now be another deploy's: left alone.
                // An IMPORT's stack is always new and this adoption's own: deleted.)
                if self.change_set_type != ChangeSetType::Create {
                    let _ = self.discard().await;
                }
                let detail = match error {
                    DeployError::Aws(error) => {
                        format!("ExecuteChangeSet answered {}", error.message)
                    }
                    other => other.to_string(),
                };
                return Err(self.superseded(&detail));
            }
        }
        let kind = self.change_set_type.clone();
        let (stack_id, stack_name) = (self.stack_id, self.stack_name);
        Ok(Watch::spawn(
            self.aws,
            stack_id,
            stack_name,
            marker,
            token,
            stack::is_success,
            move |settled, seen| {
                let mut info: StackInfo = settled.into();
                info.resource_errors = events::resource_failures(seen);
                match kind {
                    ChangeSetType::Create => ApplyOutcome::Created(info),
                    ChangeSetType::Import => ApplyOutcome::Imported(info),
                    _ => ApplyOutcome::Updated(info),
                }
            },
        ))
    }
}

/// The change set does not exist (any more).
fn is_change_set_gone(error: &DeployError) -> bool {
    error.aws_code() == Some("ChangeSetNotFound")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_change_answers_are_recognised() {
        assert!(is_no_change_reason(
            "The submitted information didn't contain changes. Submit different information to create a change set."
        ));
        assert!(is_no_change_reason("No updates are to be performed."));
        assert!(!is_no_change_reason("Template format error"));
    }
}
