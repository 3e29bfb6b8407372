//! The review operations on AWS: up, down, gc and ls, built on the deploy driver.

use std::collections::BTreeMap;
use std::sync::Arc;

use aws::{Aws, AwsError};
use aws_sdk_s3::types::{Delete, ObjectIdentifier};
use deploy::{
    ApplyOutcome, Applying, ArtifactUpload, Confirmation, DeleteOutcome, DeployError,
    DeployRequest, Deployer, Progress, SpecDeployment, StackInfo,
};
use spec::PoolSpec;
use template::{Architecture, RenderOptions};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::express::{is_express_refused, with_express_mode};
use crate::naming::{stack_name, ReviewId};
use crate::review_spec::{environment_name, review_spec, ReviewSpecError};
use crate::tags::{
    plan_gc, GcPlan, ReviewPool, ReviewTags, KIND_REVIEW, TAG_CREATED_AT, TAG_EXPIRES_AT, TAG_KIND,
};
use crate::time::{Instant, Ttl};

/// Review artifacts live under `review/<stack>/` in the artifact bucket, one copy per review
/// pool, so that `down` can delete a pool's artifacts without asking whether another stack
/// still uses them (a shared content-addressed key would be in use by every other review pool
/// built from the same commit).
pub const ARTIFACT_PREFIX: &str = "review";

/// Why a review operation failed.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    #[error(transparent)]
    Spec(#[from] ReviewSpecError),
    #[error(
        "stack {0} exists but is not a review pool (it has no `poolctl:kind=review` tag); \
         refusing to touch it"
    )]
    NotAReviewStack(String),
    #[error(transparent)]
    Deploy(#[from] DeployError),
}

/// What `review up` deploys.
pub struct UpRequest {
    /// The spec as loaded; made into the review spec here.
    pub spec: PoolSpec,
    pub id: ReviewId,
    pub ttl: Ttl,
    pub now: Instant,
    /// The PreSignUp trigger zip, when the spec has the trigger.
    pub trigger_zip: Option<Vec<u8>>,
    /// `None` = the account's default artifact bucket (created on first use).
    pub artifact_bucket: Option<String>,
    pub arch: Architecture,
}

/// What `review up` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpReport {
    pub id: String,
    pub stack: String,
    pub outcome: ApplyOutcome,
    /// Whether the change set was sent in express mode (the service may still ignore it).
    pub express: bool,
    pub created_at: Instant,
    pub expires_at: Instant,
    pub user_pool_id: Option<String>,
    /// Client name (as in the spec) -> client id.
    pub client_ids: BTreeMap<String, String>,
    pub hosted_ui_url: Option<String>,
    /// Every stack output.
    pub outputs: BTreeMap<String, String>,
}

/// Every review pool in the account and region, oldest first.
pub async fn list(aws: &Aws) -> Result<Vec<ReviewPool>, DeployError> {
    let mut pools = Vec::new();
    let mut pages = aws.cloudformation.describe_stacks().into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| DeployError::aws("cloudformation:DescribeStacks", e))?;
        pools.extend(page.stacks().iter().filter_map(ReviewPool::from_stack));
    }
    pools.sort_by(|a, b| (a.created_at, &a.stack_name).cmp(&(b.created_at, &b.stack_name)));
    Ok(pools)
}

/// Deploys `request.spec` as review pool `request.id`. Creating anew, or updating when the
/// spec or trigger changed; nothing when all is the same. A failed create is deleted rather
/// than left in ROLLBACK_COMPLETE.
pub async fn up(
    aws: &Aws,
    request: UpRequest,
    progress: &mut (dyn FnMut(Progress) + Send),
) -> Result<UpReport, ReviewError> {
    let review = review_spec(&request.spec, &request.id)?;
    let stack = stack_name(&review.name, &request.id);

    // Keep the creation time and the expiry of an existing pool, so that an unchanged pool
    // stays unchanged (tags are part of the comparison); an expired one gets a new lease.
    let existing = Deployer::new(aws.clone()).describe_stack(&stack).await?;
    let mut created_at = request.now;
    let mut expires_at = request.now.plus(request.ttl.as_duration());
    if let Some(state) = &existing {
        if state.tags.get(TAG_KIND).map(String::as_str) != Some(KIND_REVIEW) {
            return Err(ReviewError::NotAReviewStack(stack));
        }
        if let Some(created) = state
            .tags
            .get(TAG_CREATED_AT)
            .and_then(|t| t.parse::<Instant>().ok())
        {
            created_at = created;
            let lease = created.plus(request.ttl.as_duration());
            let current = state
                .tags
                .get(TAG_EXPIRES_AT)
                .and_then(|t| t.parse::<Instant>().ok());
            expires_at = if lease > request.now {
                lease
            } else {
                current.filter(|c| *c > request.now).unwrap_or(expires_at)
            };
        }
    }
    let tags = ReviewTags {
        id: request.id.as_str().to_owned(),
        pool: review.name.clone(),
        created_at,
        expires_at,
    };

    let deployer = Deployer::new(aws.clone());
    let deployment = SpecDeployment {
        stack_name: Some(stack.clone()),
        environment_name: Some(environment_name(&request.id)),
        extra_tags: tags.to_pairs().into_iter().collect(),
        arch: request.arch,
        trigger_zip: request.trigger_zip,
        artifact_bucket: request.artifact_bucket,
        // Each review pool keeps its own copy, deleted with it (see ARTIFACT_PREFIX).
        artifact_prefix: format!("{ARTIFACT_PREFIX}/{stack}"),
        template_prefix: Some(format!("{ARTIFACT_PREFIX}/{stack}")),
        // A review pool holds nothing worth keeping: a spec change that needs a new pool
        // gets one.
        allow_pool_replacement: true,
        ..SpecDeployment::new(review.clone())
    };
    let deploy_request = deployer
        .request(deployment, ArtifactUpload::Upload, progress)
        .await?;

    let (result, express) = match apply(
        &Deployer::new(with_express_mode(aws)),
        &deploy_request,
        progress,
    )
    .await
    {
        Err(error) if is_express_refused(&error) => {
            progress(Progress::Notice(format!(
                "CloudFormation refused express mode ({error}); deploying in the standard mode"
            )));
            (
                apply(&Deployer::new(aws.clone()), &deploy_request, progress).await,
                false,
            )
        }
        other => (other, true),
    };
    let outcome = match result {
        Ok(outcome) => outcome,
        Err(error) => {
            delete_failed_create(aws, &stack, progress).await;
            return Err(error.into());
        }
    };

    let info: &StackInfo = outcome.stack();
    let template = template::render(&review, &RenderOptions::default());
    let client_ids = review
        .clients
        .iter()
        .filter_map(|client| {
            let logical_id = template.client_logical_id(&client.name)?;
            let id = info.outputs.get(&format!("{logical_id}Id"))?;
            Some((client.name.clone(), id.clone()))
        })
        .collect();
    Ok(UpReport {
        id: request.id.as_str().to_owned(),
        stack: stack.clone(),
        user_pool_id: info.outputs.get(template::OUTPUT_USER_POOL_ID).cloned(),
        hosted_ui_url: info.outputs.get(template::OUTPUT_HOSTED_UI_URL).cloned(),
        outputs: info.outputs.clone(),
        outcome,
        express,
        created_at,
        expires_at,
        client_ids,
    })
}

async fn apply(
    deployer: &Deployer,
    request: &DeployRequest,
    progress: &mut (dyn FnMut(Progress) + Send),
) -> Result<ApplyOutcome, DeployError> {
    // A review pool is never asked about: it always proceeds.
    let applied = deployer
        .apply(request, progress, &mut |_| Confirmation::Proceed)
        .await?;
    let mut watch = match applied {
        Applying::Done(outcome) => return Ok(outcome),
        Applying::Executing { watch, .. } => watch,
        Applying::Declined { reason, .. } => return Err(DeployError::Unexpected(reason)),
    };
    while let Some(event) = watch.next_event().await {
        progress(Progress::Event(event));
    }
    watch.finish().await
}

/// After a failed `up`: a stack that never got created (ROLLBACK_COMPLETE, or CREATE_FAILED /
/// ROLLBACK_FAILED) holds nothing worth keeping; delete it so that no review stack is left
/// behind. Best effort: the original failure is what the caller reports.
async fn delete_failed_create(aws: &Aws, stack: &str, progress: &mut (dyn FnMut(Progress) + Send)) {
    let Ok(Some(state)) = Deployer::new(aws.clone()).describe_stack(stack).await else {
        return;
    };
    if !deploy::stack::is_failed_create(&state.status) {
        return;
    }
    progress(Progress::Notice(format!(
        "the new review stack {stack} failed ({}); deleting it",
        state.status.as_str()
    )));
    match delete_stack_and_artifacts(aws, stack).await {
        Ok(_) => progress(Progress::Notice(format!("deleted {stack}"))),
        Err(error) => progress(Progress::Notice(format!(
            "could not delete {stack}: {error}"
        ))),
    }
}

/// What `review down` or `gc` did to one review pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removed {
    pub id: String,
    pub stack: String,
    /// Artifact objects deleted with it.
    pub artifacts_deleted: usize,
}

/// Deletes review pool `id` (of pool `pool`, or of any pool when `None`) and its artifacts.
/// Absent is success: the result is empty.
pub async fn down(
    aws: &Aws,
    id: &ReviewId,
    pool: Option<&str>,
    progress: &mut (dyn FnMut(Progress) + Send),
) -> Result<Vec<Removed>, ReviewError> {
    let stacks: Vec<String> = match pool {
        Some(pool) => {
            let stack = stack_name(pool, id);
            match Deployer::new(aws.clone()).describe_stack(&stack).await? {
                None => Vec::new(),
                Some(state)
                    if state.tags.get(TAG_KIND).map(String::as_str) == Some(KIND_REVIEW) =>
                {
                    vec![stack]
                }
                Some(_) => return Err(ReviewError::NotAReviewStack(stack)),
            }
        }
        None => list(aws)
            .await?
            .into_iter()
            .filter(|p| p.id == id.as_str())
            .map(|p| p.stack_name)
            .collect(),
    };
    let mut removed = Vec::new();
    for stack in stacks {
        progress(Progress::Notice(format!("deleting {stack}")));
        let artifacts_deleted = delete_stack_and_artifacts(aws, &stack).await?;
        removed.push(Removed {
            id: id.as_str().to_owned(),
            stack,
            artifacts_deleted,
        });
    }
    Ok(removed)
}

/// Deletes a review stack (express mode, standard when refused), waits for it, then deletes
/// its artifacts under `review/<stack>/`. Returns how many artifact objects went.
async fn delete_stack_and_artifacts(aws: &Aws, stack: &str) -> Result<usize, DeployError> {
    let bucket = Deployer::new(aws.clone())
        .describe_stack(stack)
        .await?
        .and_then(|state| {
            state
                .parameters
                .get(template::PARAM_ARTIFACT_BUCKET)
                .cloned()
        })
        .filter(|bucket| !bucket.is_empty());
    let outcome = match delete_stack(&Deployer::new(with_express_mode(aws)), stack).await {
        Err(error) if is_express_refused(&error) => {
            delete_stack(&Deployer::new(aws.clone()), stack).await
        }
        other => other,
    }?;
    if let DeleteOutcome::Absent { .. } = outcome {
        return Ok(0);
    }
    match bucket {
        Some(bucket) => {
            delete_artifacts(aws, &bucket, &format!("{ARTIFACT_PREFIX}/{stack}/")).await
        }
        None => Ok(0),
    }
}

async fn delete_stack(deployer: &Deployer, stack: &str) -> Result<DeleteOutcome, DeployError> {
    deployer.delete(stack).await?.finish().await
}

/// Deletes every object under `prefix` in `bucket`, a page (up to 1,000 keys) per request.
async fn delete_artifacts(aws: &Aws, bucket: &str, prefix: &str) -> Result<usize, DeployError> {
    let mut deleted = 0;
    let mut pages = aws
        .s3
        .list_objects_v2()
        .bucket(bucket)
        .prefix(prefix)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| DeployError::aws("s3:ListObjectsV2", e))?;
        let objects: Vec<ObjectIdentifier> = page
            .contents()
            .iter()
            .filter_map(|object| object.key())
            .filter_map(|key| ObjectIdentifier::builder().key(key).build().ok())
            .collect();
        if objects.is_empty() {
            continue;
        }
        let count = objects.len();
        let batch = Delete::builder()
            .set_objects(Some(objects))
            .quiet(true)
            .build()
            .map_err(|e| DeployError::Unexpected(format!("s3:DeleteObjects request: {e}")))?;
        let answer = aws
            .s3
            .delete_objects()
            .bucket(bucket)
            .delete(batch)
            .send()
            .await
            .map_err(|e| DeployError::aws("s3:DeleteObjects", e))?;
        // Quiet mode lists only the keys that could not be deleted.
        if let Some(failed) = answer.errors().first() {
            return Err(DeployError::Aws(AwsError {
                operation: "s3:DeleteObjects",
                code: failed.code().map(str::to_owned),
                message: format!(
                    "{} of {count} artifact object(s) under {prefix} were not deleted; first: {} ({})",
                    answer.errors().len(),
                    failed.key().unwrap_or_default(),
                    failed.message().unwrap_or_default()
                ),
            }));
        }
        deleted += count;
    }
    Ok(deleted)
}

/// One pool's fate in a gc run, reported as it happens.
#[derive(Debug)]
pub enum GcEvent {
    /// Expired, about to be deleted (or, in a dry run, would be).
    Expired(ReviewPool),
    /// Expired but an operation is running on it: left for the next run.
    Busy(ReviewPool),
    Deleted(ReviewPool, Removed),
    Failed(ReviewPool, DeployError),
}

/// What a gc run found and did.
#[derive(Debug, Default)]
pub struct GcSummary {
    pub kept: usize,
    pub busy: usize,
    pub deleted: usize,
    pub failed: usize,
    /// Expired pools found in a dry run (nothing deleted).
    pub would_delete: usize,
}

/// Deletes the review pools expired at `now`, at most `concurrency` at once, reporting each.
pub async fn gc(
    aws: &Aws,
    now: Instant,
    concurrency: usize,
    dry_run: bool,
    report: &mut (dyn FnMut(GcEvent) + Send),
) -> Result<GcSummary, DeployError> {
    let GcPlan { delete, busy, keep } = plan_gc(list(aws).await?, now);
    let mut summary = GcSummary {
        kept: keep.len(),
        busy: busy.len(),
        ..GcSummary::default()
    };
    for pool in busy {
        report(GcEvent::Busy(pool));
    }
    for pool in &delete {
        report(GcEvent::Expired(pool.clone()));
    }
    if dry_run {
        summary.would_delete = delete.len();
        return Ok(summary);
    }
    let permits = Arc::new(Semaphore::new(concurrency.max(1)));
    let mut running = JoinSet::new();
    for pool in delete {
        let aws = aws.clone();
        let permits = Arc::clone(&permits);
        running.spawn(async move {
            let _permit = permits.acquire_owned().await;
            let result = delete_stack_and_artifacts(&aws, &pool.stack_name).await;
            (pool, result)
        });
    }
    while let Some(joined) = running.join_next().await {
        match joined {
            Ok((pool, Ok(artifacts_deleted))) => {
                summary.deleted += 1;
                let removed = Removed {
                    id: pool.id.clone(),
                    stack: pool.stack_name.clone(),
                    artifacts_deleted,
                };
                report(GcEvent::Deleted(pool, removed));
            }
            Ok((pool, Err(error))) => {
                summary.failed += 1;
                report(GcEvent::Failed(pool, error));
            }
            Err(join_error) => {
                summary.failed += 1;
                tracing::error!("a gc deletion task stopped: {join_error}");
            }
        }
    }
    Ok(summary)
}
