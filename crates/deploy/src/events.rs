//! Stack events: which ones belong to the operation being watched, and which one names the
//! first real cause of a failure.

pub use aws_sdk_cloudformation::primitives::{DateTime, DateTimeFormat};
pub use aws_sdk_cloudformation::types::ResourceStatus;

use crate::error::FailureCause;

/// One stack event, as the driver streams it.
#[derive(Debug, Clone, PartialEq)]
pub struct StackEvent {
    pub event_id: String,
    pub timestamp: Option<DateTime>,
    pub logical_id: String,
    pub resource_type: String,
    pub status: ResourceStatus,
    pub reason: Option<String>,
    pub client_request_token: Option<String>,
}

pub(crate) const STACK_TYPE: &str = "AWS::CloudFormation::Stack";

impl StackEvent {
    pub fn from_sdk(event: &aws_sdk_cloudformation::types::StackEvent) -> StackEvent {
        StackEvent {
            event_id: event.event_id().unwrap_or_default().to_owned(),
            timestamp: event.timestamp().copied(),
            logical_id: event.logical_resource_id().unwrap_or_default().to_owned(),
            resource_type: event.resource_type().unwrap_or_default().to_owned(),
            status: event
                .resource_status()
                .cloned()
                .unwrap_or_else(|| ResourceStatus::from("")),
            reason: event
                .resource_status_reason()
                .filter(|r| !r.is_empty())
                .map(str::to_owned),
            client_request_token: event.client_request_token().map(str::to_owned),
        }
    }

    /// An event about the stack itself rather than one of its resources.
    pub fn is_stack(&self) -> bool {
        self.resource_type == STACK_TYPE
    }

    pub fn is_failure(&self) -> bool {
        use ResourceStatus as R;
        matches!(
            &self.status,
            R::CreateFailed
                | R::DeleteFailed
                | R::ExportFailed
                | R::ExportRollbackFailed
                | R::ImportFailed
                | R::ImportRollbackFailed
                | R::RollbackFailed
                | R::UpdateFailed
                | R::UpdateRollbackFailed
        )
    }

    /// A rollback status of the stack: where CloudFormation names why it rolled back.
    fn is_rollback(&self) -> bool {
        use ResourceStatus as R;
        // The stack-only UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS has no variant, and
        // names no cause.
        matches!(
            &self.status,
            R::RollbackComplete
                | R::RollbackFailed
                | R::RollbackInProgress
                | R::UpdateRollbackComplete
                | R::UpdateRollbackFailed
                | R::UpdateRollbackInProgress
                | R::ImportRollbackComplete
                | R::ImportRollbackFailed
                | R::ImportRollbackInProgress
        )
    }
}

/// The events newer than `marker` from a newest-first listing, oldest first, and whether the
/// marker was found (if not, older pages may hold more new events).
pub(crate) fn newer_than(
    newest_first: &[StackEvent],
    marker: Option<&str>,
) -> (Vec<StackEvent>, bool) {
    let mut fresh = Vec::new();
    let mut found = false;
    for event in newest_first {
        if Some(event.event_id.as_str()) == marker {
            found = true;
            break;
        }
        fresh.push(event.clone());
    }
    fresh.reverse();
    (fresh, found)
}

/// Keeps the events of the operation started with `token`. Events without a token are kept:
/// not every path through CloudFormation stamps them.
pub(crate) fn of_operation(events: Vec<StackEvent>, token: &str) -> Vec<StackEvent> {
    events
        .into_iter()
        .filter(|e| e.client_request_token.as_deref().is_none_or(|t| t == token))
        .collect()
}

/// A reason that only says "stopped because something else failed".
fn is_consequence(reason: &str) -> bool {
    let reason = reason.to_ascii_lowercase();
    reason.contains("resource creation cancelled")
        || reason.contains("resource update cancelled")
        || reason.contains("resource deletion cancelled")
        || reason.contains("resource handler returned message: \"null\"")
        || reason.starts_with("the following resource(s) failed")
}

/// The first real cause among the events of one operation (oldest first): the earliest failed
/// resource whose reason is not a cancellation; failing that, the earliest failure of any kind;
/// failing that, the stack's own reason for rolling back.
pub fn first_failure(events: &[StackEvent]) -> Option<FailureCause> {
    let cause = |e: &StackEvent| FailureCause {
        logical_id: e.logical_id.clone(),
        resource_type: e.resource_type.clone(),
        status: e.status.clone(),
        reason: e.reason.clone().unwrap_or_else(|| "no reason given".into()),
    };
    events
        .iter()
        .find(|e| {
            e.is_failure()
                && !e.is_stack()
                && e.reason.as_deref().is_some_and(|r| !is_consequence(r))
        })
        .or_else(|| events.iter().find(|e| e.is_failure() && !e.is_stack()))
        .or_else(|| {
            events
                .iter()
                .find(|e| e.is_stack() && (e.is_failure() || e.is_rollback()) && e.reason.is_some())
        })
        .map(cause)
}

/// Every resource failure among the events (for an operation that still succeeded).
pub fn resource_failures(events: &[StackEvent]) -> Vec<FailureCause> {
    events
        .iter()
        .filter(|e| e.is_failure() && !e.is_stack())
        .map(|e| FailureCause {
            logical_id: e.logical_id.clone(),
            resource_type: e.resource_type.clone(),
            status: e.status.clone(),
            reason: e.reason.clone().unwrap_or_else(|| "no reason given".into()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(
        id: &str,
        logical: &str,
        kind: &str,
        status: &str,
        reason: Option<&str>,
    ) -> StackEvent {
        StackEvent {
            event_id: id.into(),
            timestamp: None,
            logical_id: logical.into(),
            resource_type: kind.into(),
            status: status.into(),
            reason: reason.map(Into::into),
            client_request_token: None,
        }
    }

    /// A rollback as CloudFormation records it (oldest first): the function fails, the pool
    /// and client are cancelled, the stack rolls back.
    fn failed_create() -> Vec<StackEvent> {
        vec![
            event(
                "1",
                "demo",
                STACK_TYPE,
                "CREATE_IN_PROGRESS",
                Some("User Initiated"),
            ),
            event(
                "2",
                "UserPool",
                "AWS::Cognito::UserPool",
                "CREATE_IN_PROGRESS",
                None,
            ),
            event(
                "3",
                "PreSignUpFunction",
                "AWS::Lambda::Function",
                "CREATE_IN_PROGRESS",
                None,
            ),
            event(
                "4",
                "UserPool",
                "AWS::Cognito::UserPool",
                "CREATE_FAILED",
                Some("Resource creation cancelled"),
            ),
            event(
                "5",
                "PreSignUpFunction",
                "AWS::Lambda::Function",
                "CREATE_FAILED",
                Some("Error occurred while GetObject. S3 Error Code: NoSuchKey"),
            ),
            event(
                "6",
                "demo",
                STACK_TYPE,
                "ROLLBACK_IN_PROGRESS",
                Some("The following resource(s) failed to create: [PreSignUpFunction, UserPool]."),
            ),
            event("7", "demo", STACK_TYPE, "ROLLBACK_COMPLETE", None),
        ]
    }

    #[test]
    fn the_first_cause_is_the_failure_that_is_not_a_cancellation() {
        let cause = first_failure(&failed_create()).expect("a cause");
        assert_eq!(cause.logical_id, "PreSignUpFunction");
        assert_eq!(cause.resource_type, "AWS::Lambda::Function");
        assert_eq!(cause.status, ResourceStatus::CreateFailed);
        assert!(cause.reason.contains("NoSuchKey"), "{}", cause.reason);
    }

    #[test]
    fn with_only_cancellations_the_earliest_failure_is_named() {
        let events = vec![
            event(
                "1",
                "Client",
                "AWS::Cognito::UserPoolClient",
                "UPDATE_FAILED",
                Some("Resource update cancelled"),
            ),
            event(
                "2",
                "UserPool",
                "AWS::Cognito::UserPool",
                "UPDATE_FAILED",
                Some("Resource update cancelled"),
            ),
        ];
        assert_eq!(first_failure(&events).unwrap().logical_id, "Client");
    }

    #[test]
    fn the_stack_reason_is_the_last_resort() {
        let events = vec![event(
            "1",
            "demo",
            STACK_TYPE,
            "UPDATE_ROLLBACK_IN_PROGRESS",
            Some("Parameter validation failed"),
        )];
        let cause = first_failure(&events).unwrap();
        assert_eq!(cause.logical_id, "demo");
        assert_eq!(cause.reason, "Parameter validation failed");
    }

    #[test]
    fn a_success_with_a_failed_cleanup_lists_the_resource_error() {
        let events = vec![
            event(
                "1",
                "UserPool2",
                "AWS::Cognito::UserPool",
                "CREATE_COMPLETE",
                None,
            ),
            event(
                "2",
                "demo",
                STACK_TYPE,
                "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS",
                None,
            ),
            event(
                "3",
                "UserPool",
                "AWS::Cognito::UserPool",
                "DELETE_FAILED",
                Some("Deletion protection is active"),
            ),
            event("4", "demo", STACK_TYPE, "UPDATE_COMPLETE", None),
        ];
        let errors = resource_failures(&events);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].logical_id, "UserPool");
        assert_eq!(errors[0].status, ResourceStatus::DeleteFailed);
    }

    #[test]
    fn a_successful_operation_has_no_cause() {
        let events = vec![
            event(
                "1",
                "UserPool",
                "AWS::Cognito::UserPool",
                "UPDATE_IN_PROGRESS",
                None,
            ),
            event(
                "2",
                "UserPool",
                "AWS::Cognito::UserPool",
                "UPDATE_COMPLETE",
                None,
            ),
            event("3", "demo", STACK_TYPE, "UPDATE_COMPLETE", None),
        ];
        assert_eq!(first_failure(&events), None);
    }

    #[test]
    fn only_events_after_the_marker_are_new_and_come_oldest_first() {
        let mut newest_first = failed_create();
        newest_first.reverse();
        let (fresh, found) = newer_than(&newest_first, Some("4"));
        assert!(found);
        let ids: Vec<&str> = fresh.iter().map(|e| e.event_id.as_str()).collect();
        assert_eq!(ids, ["5", "6", "7"]);

        let (all, found) = newer_than(&newest_first, None);
        assert!(!found);
        assert_eq!(all.len(), 7);
        assert_eq!(all[0].event_id, "1");
    }

    #[test]
    fn events_of_another_operation_are_dropped() {
        let mut mine = event(
            "1",
            "UserPool",
            "AWS::Cognito::UserPool",
            "UPDATE_COMPLETE",
            None,
        );
        mine.client_request_token = Some("poolctl-1".into());
        let mut theirs = mine.clone();
        theirs.event_id = "2".into();
        theirs.client_request_token = Some("someone-else".into());
        let untagged = event("3", "demo", STACK_TYPE, "UPDATE_COMPLETE", None);
        let kept = of_operation(vec![mine, theirs, untagged], "poolctl-1");
        let ids: Vec<&str> = kept.iter().map(|e| e.event_id.as_str()).collect();
        assert_eq!(ids, ["1", "3"]);
    }

    #[test]
    fn events_convert_from_recorded_sdk_shapes() {
        use aws_sdk_cloudformation::types::{ResourceStatus, StackEvent as SdkEvent};
        let sdk = SdkEvent::builder()
            .event_id("e-1")
            .stack_id("arn:aws:cloudformation:us-east-1:000000000000:stack/demo/1")
            .stack_name("demo")
            .logical_resource_id("UserPool")
            .resource_type("AWS::Cognito::UserPool")
            .resource_status(ResourceStatus::CreateFailed)
            .resource_status_reason("Invalid UsernameAttributes")
            .timestamp(DateTime::from_millis(1_795_000_000_050))
            .client_request_token("tok")
            .build();
        let event = StackEvent::from_sdk(&sdk);
        assert_eq!(event.status, ResourceStatus::CreateFailed);
        assert_eq!(
            event.timestamp,
            Some(DateTime::from_millis(1_795_000_000_050))
        );
        assert_eq!(event.reason.as_deref(), Some("Invalid UsernameAttributes"));
        assert!(event.is_failure() && !event.is_stack());
    }
}
