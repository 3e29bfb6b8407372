//! CloudFormation's control-plane timing, which the emulator does not have: it makes a change
//! set and runs a stack operation inside the call that asks for it, while AWS takes seconds
//! for the one and minutes for the other. With a [`Settle`] model in the plan, the proxy
//! makes the emulator's answers look as AWS's would at that moment:
//!
//! - `DescribeChangeSet`: the change set is `CREATE_IN_PROGRESS` (not executable) until
//!   `change_set_ready` after its `CreateChangeSet`;
//! - `DescribeStacks`: a stack whose change set was executed reads `*_IN_PROGRESS` until
//!   `stack_operation` after the `ExecuteChangeSet`;
//! - `DescribeStackEvents`: the stack's own settled event of that operation is held back for
//!   as long; its resources' events show at once, as AWS streams them.
//!
//! Only answers that name their stack or change set are rewritten; stack deletion is not
//! modelled. A benchmark can then tell how soon a deploy notices a finished operation.

use std::collections::HashMap;
use std::time::{Duration, Instant, SystemTime};

use aws_sdk_cloudformation::primitives::{DateTime, DateTimeFormat};

use super::classify::{RequestInfo, Resource};

/// How long AWS takes, as the proxy models it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Settle {
    /// From `CreateChangeSet` to the change set being ready.
    pub change_set_ready: Duration,
    /// From `ExecuteChangeSet` to the stack operation's end.
    pub stack_operation: Duration,
}

impl Settle {
    /// Parses `change-set=MS,stack=MS` (either part may be left out).
    pub fn parse(text: &str) -> Result<Settle, String> {
        let mut settle = Settle::default();
        for part in text.split(',').filter(|p| !p.is_empty()) {
            let (name, ms) = part
                .split_once('=')
                .ok_or_else(|| format!("settle: {part:?} is not NAME=MS"))?;
            let ms: u64 = ms.parse().map_err(|e| format!("settle: {part:?}: {e}"))?;
            match name {
                "change-set" => settle.change_set_ready = Duration::from_millis(ms),
                "stack" => settle.stack_operation = Duration::from_millis(ms),
                other => {
                    return Err(format!(
                        "settle: unknown part {other:?} (change-set, stack)"
                    ))
                }
            }
        }
        Ok(settle)
    }
}

/// What the proxy remembers between calls: when each change set is ready, which stack it
/// belongs to, and when each stack's running operation ends.
#[derive(Debug, Default)]
pub(crate) struct SettleState {
    change_set_ready: HashMap<String, Instant>,
    change_set_stack: HashMap<String, String>,
    operations: HashMap<String, Operation>,
}

#[derive(Debug, Clone, Copy)]
struct Operation {
    started_wall: SystemTime,
    ends: Instant,
}

impl SettleState {
    /// Records what a successful call started and rewrites what a Describe call would not
    /// yet see on AWS. `body` is the emulator's XML answer.
    pub(crate) fn answer(
        &mut self,
        model: Settle,
        request: &RequestInfo,
        status: u16,
        body: &mut Vec<u8>,
        now: Instant,
    ) {
        if request.service != "cloudformation" || status != 200 {
            return;
        }
        let stack = request.resources.iter().find_map(|r| match r {
            Resource::Stack(s) => Some(stack_name(s)),
            _ => None,
        });
        let change_set = request.resources.iter().find_map(|r| match r {
            Resource::ChangeSet(c) => Some(change_set_name(c)),
            _ => None,
        });
        match request.operation.as_str() {
            "CreateChangeSet" => {
                if let (Some(change_set), Some(stack)) = (change_set, stack) {
                    self.change_set_ready
                        .insert(change_set.clone(), now + model.change_set_ready);
                    self.change_set_stack.insert(change_set, stack);
                }
            }
            "ExecuteChangeSet" => {
                let stack =
                    stack.or_else(|| self.change_set_stack.get(change_set.as_ref()?).cloned());
                if let Some(stack) = stack {
                    self.operations.insert(
                        stack,
                        Operation {
                            started_wall: SystemTime::now(),
                            ends: now + model.stack_operation,
                        },
                    );
                }
            }
            "DescribeChangeSet" => {
                let pending = change_set
                    .and_then(|c| self.change_set_ready.get(&c))
                    .is_some_and(|ready| now < *ready);
                if pending {
                    rewrite_change_set_pending(body);
                }
            }
            "DescribeStacks"
                if stack
                    .as_deref()
                    .and_then(|s| self.running(s, now))
                    .is_some() =>
            {
                rewrite_stack_in_progress(body);
            }
            "DescribeStackEvents" => {
                if let Some(operation) = stack.and_then(|s| self.running(&s, now)) {
                    hold_back_settled_stack_events(body, operation.started_wall);
                }
            }
            _ => {}
        }
    }

    fn running(&self, stack: &str, now: Instant) -> Option<Operation> {
        self.operations
            .get(stack)
            .filter(|operation| now < operation.ends)
            .copied()
    }
}

/// `arn:aws:cloudformation:REGION:ACCOUNT:stack/NAME/ID` or `NAME` → `NAME`.
fn stack_name(value: &str) -> String {
    arn_name(value, "stack/")
}

/// `arn:...:changeSet/NAME/ID` or `NAME` → `NAME`.
fn change_set_name(value: &str) -> String {
    arn_name(value, "changeSet/")
}

fn arn_name(value: &str, marker: &str) -> String {
    match value
        .strip_prefix("arn:")
        .and_then(|_| value.split_once(marker))
    {
        Some((_, rest)) => rest.split('/').next().unwrap_or(rest).to_owned(),
        None => value.to_owned(),
    }
}

fn rewrite_change_set_pending(body: &mut Vec<u8>) {
    let mut text = String::from_utf8_lossy(body).into_owned();
    for done in ["CREATE_COMPLETE", "FAILED"] {
        text = text.replace(
            &format!("<Status>{done}</Status>"),
            "<Status>CREATE_IN_PROGRESS</Status>",
        );
    }
    text = text.replace(
        "<ExecutionStatus>AVAILABLE</ExecutionStatus>",
        "<ExecutionStatus>UNAVAILABLE</ExecutionStatus>",
    );
    *body = text.into_bytes();
}

/// The settled statuses an executed change set ends in, and what they read while running.
const SETTLED_AS_RUNNING: [(&str, &str); 4] = [
    ("CREATE_COMPLETE", "CREATE_IN_PROGRESS"),
    ("UPDATE_COMPLETE", "UPDATE_IN_PROGRESS"),
    ("ROLLBACK_COMPLETE", "ROLLBACK_IN_PROGRESS"),
    ("UPDATE_ROLLBACK_COMPLETE", "UPDATE_ROLLBACK_IN_PROGRESS"),
];

fn rewrite_stack_in_progress(body: &mut Vec<u8>) {
    let mut text = String::from_utf8_lossy(body).into_owned();
    for (settled, running) in SETTLED_AS_RUNNING {
        text = text.replace(
            &format!("<StackStatus>{settled}</StackStatus>"),
            &format!("<StackStatus>{running}</StackStatus>"),
        );
    }
    *body = text.into_bytes();
}

/// Drops the stack's own settled events (not `*_IN_PROGRESS`) stamped from the operation's
/// start on. The emulator stamps whole seconds at best, hence a second's slack: an earlier
/// operation's event within it is hidden too, which only delays it.
fn hold_back_settled_stack_events(body: &mut Vec<u8>, started: SystemTime) {
    let text = String::from_utf8_lossy(body).into_owned();
    let since = started
        .checked_sub(Duration::from_secs(1))
        .unwrap_or(started);
    let since = DateTime::from(since);
    let mut kept = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(start) = rest.find("<member>") {
        let Some(length) = rest[start..].find("</member>") else {
            break;
        };
        let end = start + length + "</member>".len();
        let member = &rest[start..end];
        kept.push_str(&rest[..start]);
        if !is_settled_stack_event_since(member, since) {
            kept.push_str(member);
        }
        rest = &rest[end..];
    }
    kept.push_str(rest);
    *body = kept.into_bytes();
}

fn is_settled_stack_event_since(member: &str, since: DateTime) -> bool {
    let field = |name: &str| {
        let open = format!("<{name}>");
        let start = member.find(&open)? + open.len();
        let length = member[start..].find(&format!("</{name}>"))?;
        Some(&member[start..start + length])
    };
    let is_stack = field("ResourceType") == Some("AWS::CloudFormation::Stack");
    let settled = field("ResourceStatus").is_some_and(|s| !s.ends_with("_IN_PROGRESS"));
    let recent = field("Timestamp")
        .and_then(|t| DateTime::from_str(t, DateTimeFormat::DateTime).ok())
        .is_some_and(|t| t >= since);
    is_stack && settled && recent
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::faultproxy::classify::Protocol;

    fn request(operation: &str, resources: Vec<Resource>) -> RequestInfo {
        RequestInfo {
            service: "cloudformation".into(),
            operation: operation.into(),
            region: "us-east-1".into(),
            access_key: "test".into(),
            protocol: Protocol::Query,
            head: false,
            resources,
        }
    }

    const MODEL: Settle = Settle {
        change_set_ready: Duration::from_secs(2),
        stack_operation: Duration::from_secs(5),
    };

    #[test]
    fn parses_both_parts_and_refuses_others() {
        assert_eq!(Settle::parse("change-set=2000,stack=5000").unwrap(), MODEL);
        assert!(Settle::parse("stack=soon").is_err());
        assert!(Settle::parse("deploy=1").is_err());
    }

    #[test]
    fn a_change_set_reads_in_progress_until_it_is_ready() {
        let mut state = SettleState::default();
        let t0 = Instant::now();
        let cs = || {
            vec![
                Resource::Stack("s".into()),
                Resource::ChangeSet("cs1".into()),
            ]
        };
        state.answer(
            MODEL,
            &request("CreateChangeSet", cs()),
            200,
            &mut Vec::new(),
            t0,
        );
        let answer = "<Status>CREATE_COMPLETE</Status><ExecutionStatus>AVAILABLE</ExecutionStatus>";
        let mut early = answer.as_bytes().to_vec();
        let arn = "arn:aws:cloudformation:us-east-1:1:changeSet/cs1/abc";
        let describe = request("DescribeChangeSet", vec![Resource::ChangeSet(arn.into())]);
        state.answer(
            MODEL,
            &describe,
            200,
            &mut early,
            t0 + Duration::from_secs(1),
        );
        let early = String::from_utf8(early).unwrap();
        assert!(early.contains("CREATE_IN_PROGRESS") && early.contains(">UNAVAILABLE<"));
        let mut late = answer.as_bytes().to_vec();
        state.answer(
            MODEL,
            &describe,
            200,
            &mut late,
            t0 + Duration::from_secs(3),
        );
        assert_eq!(late, answer.as_bytes());
    }

    #[test]
    fn an_executed_stack_reads_in_progress_and_its_settled_event_waits() {
        let mut state = SettleState::default();
        let t0 = Instant::now();
        state.answer(
            MODEL,
            &request(
                "CreateChangeSet",
                vec![
                    Resource::Stack("s".into()),
                    Resource::ChangeSet("cs1".into()),
                ],
            ),
            200,
            &mut Vec::new(),
            t0,
        );
        // ExecuteChangeSet by change set ARN alone: the stack comes from CreateChangeSet.
        state.answer(
            MODEL,
            &request(
                "ExecuteChangeSet",
                vec![Resource::ChangeSet(
                    "arn:aws:cloudformation:us-east-1:1:changeSet/cs1/x".into(),
                )],
            ),
            200,
            &mut Vec::new(),
            t0,
        );
        let stack_arn = "arn:aws:cloudformation:us-east-1:1:stack/s/id";
        let mut stacks = b"<StackStatus>UPDATE_COMPLETE</StackStatus>".to_vec();
        let describe = request("DescribeStacks", vec![Resource::Stack(stack_arn.into())]);
        state.answer(
            MODEL,
            &describe,
            200,
            &mut stacks,
            t0 + Duration::from_secs(1),
        );
        assert_eq!(stacks, b"<StackStatus>UPDATE_IN_PROGRESS</StackStatus>");

        let now = DateTime::from(SystemTime::now())
            .fmt(DateTimeFormat::DateTime)
            .unwrap();
        let events = format!(
            "<StackEvents>\
             <member><ResourceType>AWS::CloudFormation::Stack</ResourceType><ResourceStatus>UPDATE_COMPLETE</ResourceStatus><Timestamp>{now}</Timestamp></member>\
             <member><ResourceType>AWS::Cognito::UserPool</ResourceType><ResourceStatus>UPDATE_COMPLETE</ResourceStatus><Timestamp>{now}</Timestamp></member>\
             <member><ResourceType>AWS::CloudFormation::Stack</ResourceType><ResourceStatus>UPDATE_IN_PROGRESS</ResourceStatus><Timestamp>{now}</Timestamp></member>\
             <member><ResourceType>AWS::CloudFormation::Stack</ResourceType><ResourceStatus>CREATE_COMPLETE</ResourceStatus><Timestamp>2020-01-01T00:00:00Z</Timestamp></member>\
             </StackEvents>"
        );
        let describe_events = request("DescribeStackEvents", vec![Resource::Stack("s".into())]);
        let mut early = events.clone().into_bytes();
        state.answer(
            MODEL,
            &describe_events,
            200,
            &mut early,
            t0 + Duration::from_secs(1),
        );
        let early = String::from_utf8(early).unwrap();
        assert_eq!(early.matches("<member>").count(), 3, "{early}");
        assert!(
            !early.contains(
                "<ResourceType>AWS::CloudFormation::Stack</ResourceType>\
                 <ResourceStatus>UPDATE_COMPLETE</ResourceStatus>"
            ),
            "the stack's settled event waits: {early}"
        );
        assert!(early.contains("AWS::Cognito::UserPool"));
        assert!(
            early.contains("2020-01-01"),
            "an older operation's event stays"
        );

        let mut late = events.clone().into_bytes();
        state.answer(
            MODEL,
            &describe_events,
            200,
            &mut late,
            t0 + Duration::from_secs(6),
        );
        assert_eq!(String::from_utf8(late).unwrap(), events);
        let mut stacks = b"<StackStatus>UPDATE_COMPLETE</StackStatus>".to_vec();
        state.answer(
            MODEL,
            &describe,
            200,
            &mut stacks,
            t0 + Duration::from_secs(6),
        );
        assert_eq!(stacks, b"<StackStatus>UPDATE_COMPLETE</StackStatus>");
    }
}
