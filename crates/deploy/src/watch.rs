//! A running stack operation: its events as they happen, then its typed outcome.

use aws_sdk_cloudformation::types::StackStatus;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use aws::Aws;

use crate::error::{DeployError, StackFailure};
use crate::events::{self, StackEvent};
use crate::stack::{StackReads, StackState};

/// A running stack operation. Dropping it stops watching, never the operation.
pub struct Watch<T> {
    events: mpsc::UnboundedReceiver<StackEvent>,
    task: JoinHandle<Result<T, DeployError>>,
}

impl<T: Send + 'static> Watch<T> {
    /// An operation that was settled before it began (nothing to do): no events, this outcome.
    pub(crate) fn settled(outcome: T) -> Self {
        let (_, events) = mpsc::unbounded_channel();
        Watch {
            events,
            task: tokio::spawn(async move { Ok(outcome) }),
        }
    }

    /// Watches the operation started with `token` on its own task, streaming its events. A
    /// stack that settles in a status `succeeded` accepts becomes `outcome(state, events)`;
    /// any other ends in a [`StackFailure`] naming the first real cause.
    pub(crate) fn spawn(
        aws: Aws,
        stack_id: String,
        stack_name: String,
        marker: Option<String>,
        token: String,
        succeeded: fn(&StackStatus) -> bool,
        outcome: impl FnOnce(StackState, &[StackEvent]) -> T + Send + 'static,
    ) -> Self {
        let (tx, events) = mpsc::unbounded_channel();
        let task = tokio::spawn(async move {
            let mut sink = |event| {
                let _ = tx.send(event);
            };
            let (settled, seen) = aws
                .watch(&stack_id, marker, Some(&token), &mut sink)
                .await
                .map_err(|cause| DeployError::LostTrack {
                    stack_name: stack_name.clone(),
                    cause: Box::new(cause),
                })?;
            if succeeded(&settled.status) {
                Ok(outcome(settled, &seen))
            } else {
                Err(DeployError::StackFailed(Box::new(StackFailure {
                    stack_name,
                    status: settled.status,
                    cause: events::first_failure(&seen),
                })))
            }
        });
        Watch { events, task }
    }
}

impl<T> Watch<T> {
    /// The next event of the operation; `None` once it has settled.
    pub async fn next_event(&mut self) -> Option<StackEvent> {
        self.events.recv().await
    }

    /// The outcome (call after `next_event` returned `None`, or to skip the events).
    pub async fn finish(self) -> Result<T, DeployError> {
        match self.task.await {
            Ok(result) => result,
            Err(e) => Err(DeployError::task_stopped("the watch task", &e)),
        }
    }
}
