//! The deploy operation: [`Deployer::prepare`] decides what to do (skip, or a change set
//! checked by the guard), [`Plan::execute`] runs it and streams the stack events, ending in an
//! [`ApplyOutcome`] or a [`DeployError`] naming the first real cause of a failure.
//! [`Deployer::apply`] does both without stopping in between (for callers that do not ask).

use std::collections::BTreeMap;

use aws_sdk_cloudformation::types::{Capability, ChangeSetStatus, ChangeSetType, Parameter, Tag};
use serde::Serialize;
use serde_json::Value;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::aws::Aws;
use crate::changes::{self, ResourceChange};
use crate::error::{DeployError, FailureCause, Refusal, StackFailure};
use crate::events::{self, StackEvent};
use crate::guard;
use crate::poll::{random_u64, Backoff};
use crate::stack::{self, StackInfo, StackState, Standing};

/// CloudFormation's limit for an inline template body.
const TEMPLATE_BODY_LIMIT: usize = 51_200;

/// Renders the stack template with the user pool under a given logical ID (`None` = the
/// renderer's default), so the driver can keep a deployed pool's ID or pick a new one.
pub trait RenderTemplate: Send + Sync {
    fn render(&self, pool_logical_id: Option<&str>) -> Value;
}

impl<F: Fn(Option<&str>) -> Value + Send + Sync> RenderTemplate for F {
    fn render(&self, pool_logical_id: Option<&str>) -> Value {
        self(pool_logical_id)
    }
}

/// The renderer for a pool spec: the template crate with the pool under the given ID.
pub fn spec_template(spec: spec::PoolSpec) -> Box<dyn RenderTemplate> {
    Box::new(move |pool_logical_id: Option<&str>| {
        let options = template::RenderOptions {
            pool_logical_id: pool_logical_id.map(str::to_owned),
        };
        template::render(&spec, &options).as_value().clone()
    })
}

/// What to deploy where.
pub struct DeployRequest {
    pub stack_name: String,
    pub template: Box<dyn RenderTemplate>,
    /// Values for template parameters the driver supplies (artifact location, architecture):
    /// passed only when the template declares them.
    pub auto_parameters: BTreeMap<String, String>,
    /// Values the operator gave (`--param`): each must be a parameter of the template.
    pub parameters: BTreeMap<String, String>,
    /// Stack tags.
    pub tags: BTreeMap<String, String>,
    /// Permit losing a pool: replacement, removal, dropped deletion protection or retain.
    pub allow_pool_replacement: bool,
}

/// Something a person should know while the driver works (printed, not an error).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    Notice(String),
    Event(StackEvent),
}

/// How a deploy ended when it did not fail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApplyOutcome {
    Created(StackInfo),
    Updated(StackInfo),
    /// The service found nothing to change (the change set was deleted).
    NoChanges(StackInfo),
    /// Template, parameters, tags and artifact equal the deployed stack: no change set made.
    Skipped(StackInfo),
}

impl ApplyOutcome {
    pub fn stack(&self) -> &StackInfo {
        match self {
            ApplyOutcome::Created(s)
            | ApplyOutcome::Updated(s)
            | ApplyOutcome::NoChanges(s)
            | ApplyOutcome::Skipped(s) => s,
        }
    }

    /// `created`, `updated` or `unchanged` (the JSON output's `action`).
    pub fn action(&self) -> &'static str {
        match self {
            ApplyOutcome::Created(_) => "created",
            ApplyOutcome::Updated(_) => "updated",
            ApplyOutcome::NoChanges(_) | ApplyOutcome::Skipped(_) => "unchanged",
        }
    }
}

/// The result of [`Deployer::prepare`].
pub enum Prepared {
    /// Nothing to execute.
    Done(ApplyOutcome),
    /// A change set ready to execute (or to discard).
    Plan(Box<Plan>),
}

/// A created, guard-checked change set.
pub struct Plan {
    aws: Aws,
    pub stack_name: String,
    pub stack_id: String,
    pub change_set_id: String,
    pub change_set_type: &'static str,
    pub changes: Vec<ResourceChange>,
    /// The template that will be deployed (after logical-ID decisions).
    pub template: Value,
}

/// A running stack operation: its events as they happen, then its outcome. Dropping it stops
/// watching, never the operation.
pub struct Watch<T> {
    events: mpsc::UnboundedReceiver<StackEvent>,
    task: JoinHandle<Result<T, DeployError>>,
}

impl<T: Send + 'static> Watch<T> {
    /// An operation that was settled before it began (nothing to do): no events, this outcome.
    fn settled(outcome: T) -> Self {
        let (_, events) = mpsc::unbounded_channel();
        Watch {
            events,
            task: tokio::spawn(async move { Ok(outcome) }),
        }
    }

    /// Watches the operation started with `token` on its own task, streaming its events. A
    /// stack that settles in a status `succeeded` accepts becomes `outcome(state, events)`;
    /// any other ends in a [`StackFailure`] naming the first real cause.
    fn spawn(
        aws: Aws,
        stack_id: String,
        stack_name: String,
        marker: Option<String>,
        token: String,
        succeeded: fn(&str) -> bool,
        outcome: impl FnOnce(StackState, &[StackEvent]) -> T + Send + 'static,
    ) -> Self {
        let (tx, events) = mpsc::unbounded_channel();
        let task = tokio::spawn(async move {
            let mut sink = |event| {
                let _ = tx.send(event);
            };
            let (settled, seen) = aws
                .watch(&stack_id, marker, Some(&token), &mut sink)
                .await?;
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
            Err(e) => Err(DeployError::Unexpected(format!(
                "the watch task stopped: {e}"
            ))),
        }
    }
}

/// How `destroy` ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeleteOutcome {
    Deleted {
        stack_name: String,
        stack_id: String,
    },
    /// There was no such stack.
    Absent { stack_name: String },
}

/// The driver: an [`Aws`] context and the operations on stacks.
#[derive(Clone)]
pub struct Deployer {
    pub aws: Aws,
}

/// A name CloudFormation accepts for change sets and request tokens, unique per call (the AWS
/// CLI's epoch-second names collide when two deploys start within a second).
pub(crate) fn unique_name() -> String {
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or_default();
    format!("poolctl-{millis}-{:08x}", random_u64() as u32)
}

/// True for the service's "nothing to change" answers.
pub fn is_no_change_reason(reason: &str) -> bool {
    reason.contains("didn't contain changes") || reason.contains("No updates are to be performed")
}

/// The parameters to pass: auto values the template declares, then the operator's, each of
/// which must be declared.
pub(crate) fn resolve_parameters(
    template: &Value,
    auto: &BTreeMap<String, String>,
    given: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, String>, DeployError> {
    let declared = template.get("Parameters").and_then(Value::as_object);
    let is_declared = |key: &str| declared.is_some_and(|d| d.contains_key(key));
    let mut resolved: BTreeMap<String, String> = auto
        .iter()
        .filter(|(k, _)| is_declared(k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for (key, value) in given {
        if !is_declared(key) {
            let names: Vec<&str> = declared
                .map(|d| d.keys().map(String::as_str).collect())
                .unwrap_or_default();
            return Err(DeployError::Parameter(format!(
                "{key} is not a parameter of the template (its parameters: {})",
                if names.is_empty() {
                    "none".to_owned()
                } else {
                    names.join(", ")
                }
            )));
        }
        resolved.insert(key.clone(), value.clone());
    }
    Ok(resolved)
}

/// Each declared parameter's effective value: the given one, else the template default.
fn effective_parameters(
    template: &Value,
    given: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    let Some(declared) = template.get("Parameters").and_then(Value::as_object) else {
        return BTreeMap::new();
    };
    declared
        .iter()
        .map(|(key, spec)| {
            let value = given
                .get(key)
                .cloned()
                .unwrap_or_else(|| match spec.get("Default") {
                    Some(Value::String(s)) => s.clone(),
                    Some(Value::Null) | None => String::new(),
                    Some(other) => other.to_string(),
                });
            (key.clone(), value)
        })
        .collect()
}

/// The skip rule: same template, same effective parameters, same tags, stack settled and not
/// failed. After UPDATE_ROLLBACK_COMPLETE the deployed template is the old one, so comparing
/// against it stays correct.
pub(crate) fn is_unchanged(
    state: &StackState,
    deployed: Option<&Value>,
    proposed: &Value,
    parameters: &BTreeMap<String, String>,
    tags: &BTreeMap<String, String>,
) -> bool {
    let Some(deployed) = deployed else {
        return false;
    };
    stack::standing(&state.status) == Standing::Healthy
        && deployed == proposed
        && effective_parameters(proposed, parameters)
            == effective_parameters(deployed, &state.parameters)
        && &state.tags == tags
}

impl Deployer {
    pub fn new(aws: Aws) -> Deployer {
        Deployer { aws }
    }

    /// Stack outputs (and status) of an existing stack.
    pub async fn outputs(&self, stack_name: &str) -> Result<StackInfo, DeployError> {
        match self.aws.describe_stack(stack_name).await? {
            Some(state) => Ok(state.into()),
            None => Err(DeployError::StackNotFound(stack_name.to_owned())),
        }
    }

    /// Prepare and execute without asking anyone (review pools, scripts).
    pub async fn apply(
        &self,
        request: &DeployRequest,
        progress: &mut (dyn FnMut(Progress) + Send),
    ) -> Result<(Option<Vec<ResourceChange>>, Watch<ApplyOutcome>), DeployError> {
        match self.prepare(request, progress).await? {
            Prepared::Done(outcome) => Ok((None, Watch::settled(outcome))),
            Prepared::Plan(plan) => {
                let changes = plan.changes.clone();
                Ok((Some(changes), plan.execute().await?))
            }
        }
    }

    /// Settles the stack (cleans up, waits), applies the guard, skips when unchanged, else
    /// creates a change set and summarises it.
    pub async fn prepare(
        &self,
        request: &DeployRequest,
        progress: &mut (dyn FnMut(Progress) + Send),
    ) -> Result<Prepared, DeployError> {
        let stack_name = request.stack_name.as_str();
        let state = self.settle(stack_name, progress).await?;

        let deployed = match &state {
            Some(_) => {
                let deployed = self.aws.deployed_template(stack_name).await?;
                if deployed.is_none() {
                    progress(Progress::Notice(format!(
                        "the template deployed in {stack_name} is not JSON; the pre-change checks \
                         are skipped (the change-set guard still applies)"
                    )));
                }
                deployed
            }
            None => None,
        };

        // Guard part 3: keep the deployed pool's logical ID.
        let deployed_pool = deployed.as_ref().and_then(guard::pool_logical_id);
        let mut template = request.template.render(deployed_pool.as_deref());

        // Guard part 2: what Cognito cannot change, and protection being dropped.
        if let (Some(deployed), Some(pool)) = (&deployed, &deployed_pool) {
            let found = guard::compare_pools(deployed, &template, pool);
            if let Some(first) = found.first() {
                if !request.allow_pool_replacement {
                    return Err(DeployError::Refused(first.refusal(pool)));
                }
                if found.iter().any(guard::PoolChange::needs_new_pool) {
                    let new_id = guard::next_free_logical_id(deployed, pool);
                    progress(Progress::Notice(format!(
                        "--allow-pool-replacement: the pool is rendered as {new_id}, so CloudFormation \
                         creates a new, empty pool and removes {pool} (kept if its policy is Retain)"
                    )));
                    template = request.template.render(Some(&new_id));
                    guard::check_domain_kept_across_replacement(deployed, &template)
                        .map_err(DeployError::Refused)?;
                }
            }
        }

        let parameters =
            resolve_parameters(&template, &request.auto_parameters, &request.parameters)?;
        if let Some(state) = &state {
            if is_unchanged(
                state,
                deployed.as_ref(),
                &template,
                &parameters,
                &request.tags,
            ) {
                return Ok(Prepared::Done(ApplyOutcome::Skipped(state.clone().into())));
            }
        }

        let body = serde_json::to_string(&template)
            .map_err(|e| DeployError::Unexpected(format!("serialise the template: {e}")))?;
        if body.len() > TEMPLATE_BODY_LIMIT {
            return Err(DeployError::Unexpected(format!(
                "the template is {} bytes, over CloudFormation's inline limit of {TEMPLATE_BODY_LIMIT}",
                body.len()
            )));
        }
        let change_set_type = if state.is_some() {
            ChangeSetType::Update
        } else {
            ChangeSetType::Create
        };
        let created = self
            .aws
            .cloudformation
            .create_change_set()
            .stack_name(stack_name)
            .change_set_name(unique_name())
            .change_set_type(change_set_type.clone())
            .description("poolctl deploy")
            .template_body(body)
            .set_parameters(Some(
                parameters
                    .iter()
                    .map(|(k, v)| {
                        Parameter::builder()
                            .parameter_key(k)
                            .parameter_value(v)
                            .build()
                    })
                    .collect(),
            ))
            .set_tags(Some(
                request
                    .tags
                    .iter()
                    .map(|(k, v)| Tag::builder().key(k).value(v).build())
                    .collect(),
            ))
            .capabilities(Capability::CapabilityIam)
            .capabilities(Capability::CapabilityNamedIam)
            .send()
            .await
            .map_err(|e| DeployError::aws("cloudformation:CreateChangeSet", e))?;
        let change_set_id = created
            .id()
            .ok_or_else(|| DeployError::Unexpected("CreateChangeSet returned no id".into()))?
            .to_owned();
        let stack_id = created.stack_id().unwrap_or(stack_name).to_owned();
        let plan = Plan {
            aws: self.aws.clone(),
            stack_name: stack_name.to_owned(),
            stack_id,
            change_set_id,
            change_set_type: if state.is_some() { "UPDATE" } else { "CREATE" },
            changes: Vec::new(),
            template,
        };
        plan.complete(request.allow_pool_replacement).await
    }

    /// Brings the stack to a state a change set can start from: waits for a running operation,
    /// deletes a rolled-back create or a never-executed review stack, refuses stuck states.
    async fn settle(
        &self,
        stack_name: &str,
        progress: &mut (dyn FnMut(Progress) + Send),
    ) -> Result<Option<StackState>, DeployError> {
        // Bounded: each round either returns or waits for one operation to end.
        for _ in 0..5 {
            let Some(state) = self.aws.describe_stack(stack_name).await? else {
                return Ok(None);
            };
            match stack::standing(&state.status) {
                Standing::Healthy => return Ok(Some(state)),
                Standing::Deleted => return Ok(None),
                Standing::Stuck => {
                    return Err(DeployError::StackState(stack::stuck_help(
                        stack_name,
                        &state.status,
                    )))
                }
                Standing::Busy => {
                    progress(Progress::Notice(format!(
                        "stack {stack_name} is {}: waiting for that operation to finish",
                        state.status
                    )));
                    let marker = self.aws.newest_event_id(&state.stack_id).await?;
                    let mut sink = |event| progress(Progress::Event(event));
                    self.aws
                        .watch(&state.stack_id, marker, None, &mut sink)
                        .await?;
                }
                Standing::RolledBackCreate | Standing::Review => {
                    let why = if state.status == "ROLLBACK_COMPLETE" {
                        "was left in ROLLBACK_COMPLETE by a failed create (it holds no resources)"
                    } else {
                        "is REVIEW_IN_PROGRESS, left by a change set that was never executed"
                    };
                    progress(Progress::Notice(format!(
                        "stack {stack_name} {why}: deleting it and creating it again"
                    )));
                    self.delete_and_wait(&state, progress).await?;
                    return Ok(None);
                }
            }
        }
        Err(DeployError::StackState(format!(
            "stack {stack_name} kept starting new operations while this deploy waited; try again later"
        )))
    }

    async fn delete_and_wait(
        &self,
        state: &StackState,
        progress: &mut (dyn FnMut(Progress) + Send),
    ) -> Result<(), DeployError> {
        let token = unique_name();
        let marker = self.aws.newest_event_id(&state.stack_id).await?;
        self.aws
            .cloudformation
            .delete_stack()
            .stack_name(&state.stack_id)
            .client_request_token(&token)
            .send()
            .await
            .map_err(|e| DeployError::aws("cloudformation:DeleteStack", e))?;
        let mut sink = |event| progress(Progress::Event(event));
        let (settled, events) = self
            .aws
            .watch(&state.stack_id, marker, Some(&token), &mut sink)
            .await?;
        if settled.status != "DELETE_COMPLETE" {
            return Err(DeployError::StackFailed(Box::new(StackFailure {
                stack_name: state.stack_name.clone(),
                status: settled.status,
                cause: events::first_failure(&events),
            })));
        }
        Ok(())
    }

    /// Deletes a stack. Refuses while termination protection is on (never turned off here) or
    /// while a pool in it has deletion protection ACTIVE, saying how to turn it off.
    pub async fn delete(&self, stack_name: &str) -> Result<Watch<DeleteOutcome>, DeployError> {
        let Some(state) = self.aws.describe_stack(stack_name).await? else {
            return Ok(Watch::settled(DeleteOutcome::Absent {
                stack_name: stack_name.to_owned(),
            }));
        };
        if state.termination_protection {
            return Err(DeployError::Refused(Refusal {
                reason: format!("stack {stack_name} has termination protection on"),
                help: format!(
                    "if deleting it is intended, turn it off yourself: `aws cloudformation \
                     update-termination-protection --no-enable-termination-protection --stack-name {stack_name}`"
                ),
            }));
        }
        if stack::standing(&state.status) == Standing::Busy {
            return Err(DeployError::StackState(format!(
                "stack {stack_name} is {}: wait for that operation to finish, then destroy",
                state.status
            )));
        }
        if let Some(deployed) = self.aws.deployed_template(stack_name).await? {
            for pool in guard::pool_logical_ids(&deployed) {
                let protected = deployed["Resources"][&pool]["Properties"]["DeletionProtection"]
                    .as_str()
                    == Some("ACTIVE");
                if protected {
                    return Err(DeployError::Refused(Refusal {
                        reason: format!(
                            "user pool {pool} in stack {stack_name} has deletion protection ACTIVE, \
                             so CloudFormation cannot delete it"
                        ),
                        help: "set `protection: { deletion: inactive }` in the spec and deploy it \
                               with --allow-pool-replacement, then destroy"
                            .into(),
                    }));
                }
            }
        }
        let token = unique_name();
        let marker = self.aws.newest_event_id(&state.stack_id).await?;
        self.aws
            .cloudformation
            .delete_stack()
            .stack_name(&state.stack_id)
            .client_request_token(&token)
            .send()
            .await
            .map_err(|e| DeployError::aws("cloudformation:DeleteStack", e))?;
        Ok(Watch::spawn(
            self.aws.clone(),
            state.stack_id,
            state.stack_name,
            marker,
            token,
            |status| status == "DELETE_COMPLETE",
            |settled, _| DeleteOutcome::Deleted {
                stack_name: settled.stack_name,
                stack_id: settled.stack_id,
            },
        ))
    }
}

impl Plan {
    /// Waits for the change set, reads its changes, applies guard part 1.
    async fn complete(mut self, allow_pool_replacement: bool) -> Result<Prepared, DeployError> {
        let mut backoff = Backoff::stack();
        let mut changes = Vec::new();
        loop {
            backoff.wait().await;
            let mut token: Option<String> = None;
            changes.clear();
            let mut status;
            let mut reason;
            loop {
                let page = self
                    .aws
                    .cloudformation
                    .describe_change_set()
                    .change_set_name(&self.change_set_id)
                    .stack_name(&self.stack_id)
                    .set_next_token(token.take())
                    .send()
                    .await
                    .map_err(|e| DeployError::aws("cloudformation:DescribeChangeSet", e))?;
                status = page.status().cloned();
                reason = page.status_reason().unwrap_or_default().to_owned();
                changes.extend(page.changes().iter().cloned());
                match page.next_token() {
                    Some(next) if status == Some(ChangeSetStatus::CreateComplete) => {
                        token = Some(next.to_owned())
                    }
                    _ => break,
                }
            }
            match status {
                Some(ChangeSetStatus::CreateComplete) => break,
                Some(ChangeSetStatus::Failed) => {
                    let stack_name = self.stack_name.clone();
                    self.discard().await?;
                    if is_no_change_reason(&reason) {
                        let aws_state = Deployer {
                            aws: self.aws.clone(),
                        }
                        .outputs(&stack_name)
                        .await?;
                        return Ok(Prepared::Done(ApplyOutcome::NoChanges(aws_state)));
                    }
                    return Err(DeployError::Unexpected(format!(
                        "CloudFormation could not create the change set for {stack_name}: {reason}"
                    )));
                }
                _ => continue,
            }
        }
        self.changes = changes::summarise(&changes);
        if !allow_pool_replacement {
            if let Err(refusal) = guard::check_change_set(&self.changes) {
                self.discard().await?;
                return Err(DeployError::Refused(refusal));
            }
        }
        Ok(Prepared::Plan(Box::new(self)))
    }

    /// Deletes the change set (and the empty stack a CREATE change set made).
    pub async fn discard(&self) -> Result<(), DeployError> {
        if self.change_set_type == "CREATE" {
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

    /// Executes the change set and watches the operation.
    pub async fn execute(self) -> Result<Watch<ApplyOutcome>, DeployError> {
        let token = unique_name();
        let marker = self.aws.newest_event_id(&self.stack_id).await?;
        self.aws
            .cloudformation
            .execute_change_set()
            .change_set_name(&self.change_set_id)
            .stack_name(&self.stack_id)
            .client_request_token(&token)
            .send()
            .await
            .map_err(|e| DeployError::aws("cloudformation:ExecuteChangeSet", e))?;
        let created = self.change_set_type == "CREATE";
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
                if created {
                    ApplyOutcome::Created(info)
                } else {
                    ApplyOutcome::Updated(info)
                }
            },
        ))
    }
}

/// The `--output json` shape of a deploy (stable keys).
#[derive(Debug, Serialize)]
pub struct DeployReport<'a> {
    pub stack: &'a str,
    pub status: Option<&'a str>,
    /// created | updated | unchanged | refused | failed
    pub action: &'a str,
    pub changes: &'a [ResourceChange],
    pub outputs: BTreeMap<String, String>,
    pub failure: Option<serde_json::Value>,
    /// Resource failures of an operation that still succeeded (e.g. a failed cleanup).
    pub resource_errors: &'a [FailureCause],
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn template() -> Value {
        json!({
            "Parameters": {
                "ArtifactBucket": { "Type": "String" },
                "ArtifactKey": { "Type": "String" },
                "TriggerArchitecture": { "Type": "String", "Default": "arm64" }
            },
            "Resources": {}
        })
    }

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn auto_parameters_are_passed_only_when_declared() {
        let auto = map(&[("ArtifactKey", "k"), ("EnvironmentName", "dev")]);
        let resolved = resolve_parameters(
            &template(),
            &auto,
            &map(&[("TriggerArchitecture", "x86_64")]),
        )
        .unwrap();
        assert_eq!(
            resolved,
            map(&[("ArtifactKey", "k"), ("TriggerArchitecture", "x86_64")])
        );
    }

    #[test]
    fn an_unknown_operator_parameter_is_an_error_naming_the_known_ones() {
        let error =
            resolve_parameters(&template(), &BTreeMap::new(), &map(&[("Artifactkey", "k")]))
                .unwrap_err();
        let text = error.to_string();
        assert!(text.contains("Artifactkey is not a parameter"), "{text}");
        assert!(
            text.contains("ArtifactBucket, ArtifactKey, TriggerArchitecture"),
            "{text}"
        );
    }

    fn state(status: &str, parameters: &[(&str, &str)]) -> StackState {
        StackState {
            stack_id: "id".into(),
            stack_name: "demo".into(),
            status: status.into(),
            status_reason: None,
            parameters: map(parameters),
            tags: map(&[("poolctl:pool", "demo")]),
            outputs: BTreeMap::new(),
            termination_protection: false,
        }
    }

    #[test]
    fn skip_needs_same_template_parameters_tags_and_a_healthy_stack() {
        let tags = map(&[("poolctl:pool", "demo")]);
        let given = map(&[("ArtifactBucket", "b"), ("ArtifactKey", "k")]);
        // The deployed stack lists defaults explicitly.
        let deployed = state(
            "UPDATE_COMPLETE",
            &[
                ("ArtifactBucket", "b"),
                ("ArtifactKey", "k"),
                ("TriggerArchitecture", "arm64"),
            ],
        );
        assert!(is_unchanged(
            &deployed,
            Some(&template()),
            &template(),
            &given,
            &tags
        ));

        let new_key = map(&[("ArtifactBucket", "b"), ("ArtifactKey", "k2")]);
        assert!(!is_unchanged(
            &deployed,
            Some(&template()),
            &template(),
            &new_key,
            &tags
        ));
        let mut other_template = template();
        other_template["Resources"]["X"] = json!({ "Type": "AWS::SNS::Topic" });
        assert!(!is_unchanged(
            &deployed,
            Some(&template()),
            &other_template,
            &given,
            &tags
        ));
        assert!(!is_unchanged(
            &deployed,
            Some(&template()),
            &template(),
            &given,
            &BTreeMap::new()
        ));
        assert!(!is_unchanged(&deployed, None, &template(), &given, &tags));
        let rolling = state(
            "UPDATE_ROLLBACK_FAILED",
            &[("ArtifactBucket", "b"), ("ArtifactKey", "k")],
        );
        assert!(!is_unchanged(
            &rolling,
            Some(&template()),
            &template(),
            &given,
            &tags
        ));
    }

    #[test]
    fn change_set_names_are_unique_and_valid() {
        let a = unique_name();
        let b = unique_name();
        assert_ne!(a, b);
        assert!(a.len() <= 128 && a.starts_with("poolctl-"));
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    }

    #[test]
    fn no_change_answers_are_recognised() {
        assert!(is_no_change_reason(
            "The submitted information didn't contain changes. Submit different information to create a change set."
        ));
        assert!(is_no_change_reason("No updates are to be performed."));
        assert!(!is_no_change_reason("Template format error"));
    }
}
