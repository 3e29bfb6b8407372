//! The deploy state machine: [`Deployer::prepare`] settles the stack (waits, or deletes a
//! leftover that holds nothing), runs the pre-change guard, skips when nothing changed, else
//! makes a change set; [`Deployer::delete`] refuses protected stacks and deletes the rest.

use aws_sdk_cloudformation::types::{Capability, ChangeSetType, ExecutionStatus, StackStatus};

use aws::Aws;

use crate::error::{DeployError, Refusal};
use crate::events::StackEvent;
use crate::guard;
use crate::import::ImportRequest;
use crate::plan::{Applying, ChangeSetSummary, Confirmation, Plan};
use crate::request::{
    is_unchanged, resolve_parameters, sdk_parameters, sdk_tags, unique_name, DeployRequest,
    FirstReads, NAME_PREFIX,
};
use crate::stack::{self, StackInfo, StackReads, StackState, Standing};
use crate::store::{ArtifactLocation, ArtifactStore};
use crate::watch::Watch;

/// CloudFormation's limit for an inline template body.
const TEMPLATE_BODY_LIMIT: usize = 51_200;

/// Something a person should know while the driver works (printed, not an error).
#[derive(Debug, Clone, PartialEq)]
pub enum Progress {
    Notice(String),
    /// The trigger artifact was uploaded (it was not in the bucket yet).
    Uploaded(ArtifactLocation),
    Event(StackEvent),
}

/// How a deploy ended when it did not fail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApplyOutcome {
    Created(StackInfo),
    Updated(StackInfo),
    /// Existing resources were imported into a new stack (`IMPORT_COMPLETE`).
    Imported(StackInfo),
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
            | ApplyOutcome::Imported(s)
            | ApplyOutcome::NoChanges(s)
            | ApplyOutcome::Skipped(s) => s,
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

/// What [`Deployer::apply`] applies: a deploy, or an import into a new stack.
#[derive(Clone, Copy)]
pub enum ApplyRequest<'a> {
    Deploy(&'a DeployRequest),
    Import(&'a ImportRequest),
}

impl<'a> From<&'a DeployRequest> for ApplyRequest<'a> {
    fn from(request: &'a DeployRequest) -> Self {
        ApplyRequest::Deploy(request)
    }
}

impl<'a> From<&'a ImportRequest> for ApplyRequest<'a> {
    fn from(request: &'a ImportRequest) -> Self {
        ApplyRequest::Import(request)
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

impl Deployer {
    pub fn new(aws: Aws) -> Deployer {
        Deployer { aws }
    }

    /// The stack as DescribeStacks reports it; `None` when it does not exist.
    pub async fn describe_stack(
        &self,
        stack_name: &str,
    ) -> Result<Option<StackState>, DeployError> {
        self.aws.describe_stack(stack_name).await
    }

    /// The template the stack was last deployed with, parsed; `None` if it is not JSON (a
    /// stack deployed from YAML by another tool).
    pub async fn deployed_template(
        &self,
        stack_name: &str,
    ) -> Result<Option<serde_json::Value>, DeployError> {
        self.aws.deployed_template(stack_name).await
    }

    /// Stack outputs (and status) of an existing stack.
    pub async fn outputs(&self, stack_name: &str) -> Result<StackInfo, DeployError> {
        match self.aws.describe_stack(stack_name).await? {
            Some(state) => Ok(state.into()),
            None => Err(DeployError::StackNotFound(stack_name.to_owned())),
        }
    }

    /// Makes the change set (a deploy's after [`Deployer::prepare`], or an import's), shows
    /// its summary to `confirm`, then executes it or, when declined, deletes it. `deploy`,
    /// `adopt` and review pools all apply through here; each chooses how to confirm (ask a
    /// person, `--yes`, or always proceed). A deploy with nothing to change ends `Done`
    /// without asking.
    pub async fn apply<'r>(
        &self,
        request: impl Into<ApplyRequest<'r>>,
        progress: &mut (dyn FnMut(Progress) + Send),
        confirm: &mut (dyn FnMut(ChangeSetSummary<'_>) -> Confirmation + Send),
    ) -> Result<Applying, DeployError> {
        let plan = match request.into() {
            ApplyRequest::Deploy(request) => match self.prepare(request, progress).await? {
                Prepared::Done(outcome) => {
                    self.discard_leftover_change_sets(&request.stack_name, progress)
                        .await;
                    return Ok(Applying::Done(outcome));
                }
                Prepared::Plan(plan) => *plan,
            },
            ApplyRequest::Import(request) => self.import(request).await?,
        };
        plan.confirm_and_execute(confirm).await
    }

    /// Settles the stack (cleans up, waits), applies the guard, skips when unchanged, else
    /// creates a change set and summarises it. When another deploy's change set is executed
    /// while this one's is being made (which deletes this one), starts again on top of it.
    pub async fn prepare(
        &self,
        request: &DeployRequest,
        progress: &mut (dyn FnMut(Progress) + Send),
    ) -> Result<Prepared, DeployError> {
        // Bounded: each round that ends superseded met an operation that settle waits for.
        for _ in 0..3 {
            match self.prepare_once(request, progress).await {
                Err(DeployError::Superseded { stack_name, detail }) => {
                    progress(Progress::Notice(format!(
                        "another operation started on stack {stack_name} while this deploy's \
                         change set was being made ({detail}); waiting for it, then preparing \
                         again"
                    )));
                }
                other => return other,
            }
        }
        self.prepare_once(request, progress).await
    }

    /// The stack's status and its template: independent reads, so both go out at once.
    pub(crate) async fn first_reads(&self, stack_name: &str) -> FirstReads {
        tokio::join!(
            self.aws.describe_stack(stack_name),
            self.aws.deployed_template(stack_name)
        )
    }

    async fn prepare_once(
        &self,
        request: &DeployRequest,
        progress: &mut (dyn FnMut(Progress) + Send),
    ) -> Result<Prepared, DeployError> {
        let stack_name = request.stack_name.as_str();
        let started = request
            .first_reads
            .lock()
            .ok()
            .and_then(|mut reads| reads.take());
        let (first_state, first_template) = match started {
            Some(reads) => reads.await.map_err(|e| {
                DeployError::task_stopped(&format!("reading stack {stack_name}"), &e)
            })?,
            None => self.first_reads(stack_name).await,
        };
        let first_state = first_state?;
        let healthy_at_once = first_state
            .as_ref()
            .is_some_and(|state| stack::standing(&state.status) == Standing::Healthy);
        let state = if healthy_at_once {
            first_state
        } else {
            self.settle(stack_name, first_state, progress).await?
        };

        let deployed = match &state {
            Some(_) => {
                // Read again after settling: an operation that was running may have changed it.
                let deployed = if healthy_at_once {
                    first_template?
                } else {
                    self.aws.deployed_template(stack_name).await?
                };
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
        // Over the inline limit, the template goes to the artifact bucket, named by its hash.
        let (template_body, template_url) = if body.len() > TEMPLATE_BODY_LIMIT {
            let size = body.len();
            let key = crate::artifact::template_key(&request.template_prefix, body.as_bytes());
            let location = self
                .aws
                .upload_object(
                    body.into_bytes(),
                    "application/json",
                    &key,
                    request.template_bucket.as_deref(),
                )
                .await?;
            progress(Progress::Notice(format!(
                "the template is {size} bytes, over CloudFormation's inline limit of \
                 {TEMPLATE_BODY_LIMIT}: deploying it from s3://{}/{}",
                location.bucket, location.key
            )));
            (None, Some(location.https_url(&self.aws.region)))
        } else {
            (Some(body), None)
        };
        let change_set_type = if state.is_some() {
            ChangeSetType::Update
        } else {
            ChangeSetType::Create
        };
        let change_set_name = unique_name();
        let created = self
            .aws
            .cloudformation
            .create_change_set()
            .stack_name(stack_name)
            .change_set_name(&change_set_name)
            .change_set_type(change_set_type.clone())
            .description("poolctl deploy")
            .set_template_body(template_body)
            .set_template_url(template_url)
            .set_parameters(Some(sdk_parameters(&parameters)))
            .set_tags(Some(sdk_tags(&request.tags)))
            .capabilities(Capability::CapabilityIam)
            .capabilities(Capability::CapabilityNamedIam)
            .send()
            .await
            .map_err(|e| DeployError::aws("cloudformation:CreateChangeSet", e));
        let (change_set_id, stack_id) = match created {
            Ok(created) => (
                created.id().map(str::to_owned),
                created.stack_id().map(str::to_owned),
            ),
            // A retry whose first attempt made the change set but was never answered (a
            // connection reset after the request went out) finds its own name taken: the
            // change set is this deploy's, so carry on with it.
            Err(error)
                if error.aws_code() == Some("AlreadyExistsException")
                    && error.to_string().contains(&change_set_name) =>
            {
                let found = self
                    .aws
                    .cloudformation
                    .describe_change_set()
                    .change_set_name(&change_set_name)
                    .stack_name(stack_name)
                    .send()
                    .await
                    .map_err(|e| DeployError::aws("cloudformation:DescribeChangeSet", e))?;
                (
                    found.change_set_id().map(str::to_owned),
                    found.stack_id().map(str::to_owned),
                )
            }
            Err(error) => return Err(error),
        };
        let change_set_id = change_set_id
            .ok_or_else(|| DeployError::Unexpected("CreateChangeSet returned no id".into()))?;
        let stack_id = stack_id.unwrap_or_else(|| stack_name.to_owned());
        let plan = Plan {
            aws: self.aws.clone(),
            stack_name: stack_name.to_owned(),
            stack_id,
            change_set_id,
            change_set_type,
            changes: Vec::new(),
            template,
            marker: None,
        };
        plan.complete(request.allow_pool_replacement).await
    }

    /// Deletes the change sets of `stack_name` that poolctl made and nobody executed (left by
    /// a run that was killed or lost its connection before executing), for a deploy that found
    /// the stack already as asked: they are stale, as CloudFormation itself deletes a stack's
    /// other change sets when one is executed. Change sets of other tools, and those still
    /// being made, are left alone. Best effort: a failure is a notice, never the deploy's.
    pub async fn discard_leftover_change_sets(
        &self,
        stack_name: &str,
        progress: &mut (dyn FnMut(Progress) + Send),
    ) {
        match self.delete_leftover_change_sets(stack_name).await {
            Ok(names) if names.is_empty() => {}
            Ok(names) => progress(Progress::Notice(format!(
                "deleted {} change set{} left by an earlier poolctl run and never executed: {}",
                names.len(),
                if names.len() == 1 { "" } else { "s" },
                names.join(", ")
            ))),
            Err(error) => progress(Progress::Notice(format!(
                "could not delete change sets left by earlier poolctl runs ({error}); they \
                 change nothing, and CloudFormation deletes them when a change set is executed"
            ))),
        }
    }

    async fn delete_leftover_change_sets(
        &self,
        stack_name: &str,
    ) -> Result<Vec<String>, DeployError> {
        let mut leftovers = Vec::new();
        let mut pages = self
            .aws
            .cloudformation
            .list_change_sets()
            .stack_name(stack_name)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| DeployError::aws("cloudformation:ListChangeSets", e))?;
            leftovers.extend(
                page.summaries()
                    .iter()
                    .filter(|s| s.execution_status() == Some(&ExecutionStatus::Available))
                    .filter_map(|s| s.change_set_name())
                    .filter(|name| name.starts_with(NAME_PREFIX))
                    .map(str::to_owned),
            );
        }
        for name in &leftovers {
            self.aws
                .cloudformation
                .delete_change_set()
                .change_set_name(name)
                .stack_name(stack_name)
                .send()
                .await
                .map_err(|e| DeployError::aws("cloudformation:DeleteChangeSet", e))?;
        }
        Ok(leftovers)
    }

    /// Brings the stack to a state a change set can start from: waits for a running operation,
    /// deletes a rolled-back create, refuses stuck states. `None`: the change set creates the
    /// stack (also when it is REVIEW_IN_PROGRESS, which holds nothing yet).
    /// `first` is the stack as just described.
    async fn settle(
        &self,
        stack_name: &str,
        first: Option<StackState>,
        progress: &mut (dyn FnMut(Progress) + Send),
    ) -> Result<Option<StackState>, DeployError> {
        let mut described = Some(first);
        // Bounded: each round either returns or waits for one operation to end.
        for _ in 0..5 {
            let current = match described.take() {
                Some(state) => state,
                None => self.aws.describe_stack(stack_name).await?,
            };
            let Some(state) = current else {
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
                        state.status.as_str()
                    )));
                    let marker = self.aws.newest_event_id(&state.stack_id).await?;
                    let mut sink = |event| progress(Progress::Event(event));
                    self.aws
                        .watch(&state.stack_id, marker, None, &mut sink)
                        .await?;
                }
                Standing::RolledBackCreate => {
                    progress(Progress::Notice(format!(
                        "stack {stack_name} was left in ROLLBACK_COMPLETE by a failed create (it \
                         holds no resources): deleting it and creating it again"
                    )));
                    self.delete_and_wait(&state, progress).await?;
                    return Ok(None);
                }
                // Not deleted: the change set may be another deploy's, made a moment ago and
                // about to be executed. A CREATE change set of our own goes beside it; whichever
                // is executed first creates the stack, and CloudFormation then drops the other.
                Standing::NeverExecuted => {
                    progress(Progress::Notice(format!(
                        "stack {stack_name} is REVIEW_IN_PROGRESS: a change set that creates it \
                         was made and not executed (by an earlier run, or by a deploy running \
                         now); this deploy makes its own beside it"
                    )));
                    return Ok(None);
                }
            }
        }
        Err(DeployError::StackState(format!(
            "stack {stack_name} kept starting new operations while this deploy waited; try again later"
        )))
    }

    /// Deletes a stack that holds nothing worth keeping, streaming its events to `progress`.
    async fn delete_and_wait(
        &self,
        state: &StackState,
        progress: &mut (dyn FnMut(Progress) + Send),
    ) -> Result<(), DeployError> {
        let mut watch = self.start_delete(state.clone()).await?;
        while let Some(event) = watch.next_event().await {
            progress(Progress::Event(event));
        }
        watch.finish().await.map(|_| ())
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
                state.status.as_str()
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
        self.start_delete(state).await
    }

    /// Sends DeleteStack and watches it; anything but DELETE_COMPLETE is a [`StackFailure`].
    async fn start_delete(&self, state: StackState) -> Result<Watch<DeleteOutcome>, DeployError> {
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
            |status| *status == StackStatus::DeleteComplete,
            |settled, _| DeleteOutcome::Deleted {
                stack_name: settled.stack_name,
                stack_id: settled.stack_id,
            },
        ))
    }
}
