//! Bringing existing resources under a new stack: a CloudFormation IMPORT change set
//! (`ResourcesToImport`), made, summarised and guarded like any other change set, then
//! executed and watched by [`Plan`] to `IMPORT_COMPLETE`.

use std::collections::BTreeMap;

use aws_sdk_cloudformation::types::{ChangeSetType, ResourceToImport};
use serde_json::Value;

use crate::deployer::{Deployer, Prepared};
use crate::error::{DeployError, Refusal};
use crate::plan::Plan;
use crate::request::{resolve_parameters, sdk_parameters, sdk_tags, unique_name};
use crate::stack::StackReads;

/// One existing resource to import: its logical ID in the template and the identifier
/// properties its resource type schema declares as primary (`UserPoolId`, `ClientId`, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportResource {
    pub resource_type: String,
    pub logical_id: String,
    pub identifier: BTreeMap<String, String>,
}

/// What to import into which new stack.
#[derive(Debug, Clone)]
pub struct ImportRequest {
    pub stack_name: String,
    /// The import template: the imported resources only, each with `DeletionPolicy: Retain`.
    pub template: Value,
    pub resources: Vec<ImportResource>,
    /// Parameter values; each must be a parameter of the template.
    pub parameters: BTreeMap<String, String>,
    pub tags: BTreeMap<String, String>,
}

impl Deployer {
    /// Makes the IMPORT change set for a stack that does not exist yet and waits for it: a
    /// [`Plan`] to show, then execute (it ends `IMPORT_COMPLETE`) or discard (which deletes the
    /// empty stack the change set made). Refuses when the stack already exists: adopting
    /// starts a stack, it never adds to one.
    pub async fn import(&self, request: &ImportRequest) -> Result<Plan, DeployError> {
        let stack_name = request.stack_name.as_str();
        if let Some(state) = self.aws.describe_stack(stack_name).await? {
            return Err(DeployError::Refused(Refusal {
                reason: format!(
                    "stack {stack_name} already exists ({}); adopting a pool creates a new stack",
                    state.status.as_str()
                ),
                help: "choose another name with --stack, or delete that stack first".into(),
            }));
        }
        let parameters =
            resolve_parameters(&request.template, &BTreeMap::new(), &request.parameters)?;
        let body = serde_json::to_string(&request.template)
            .map_err(|e| DeployError::Unexpected(format!("serialise the template: {e}")))?;
        let resources = request
            .resources
            .iter()
            .map(|r| {
                ResourceToImport::builder()
                    .resource_type(&r.resource_type)
                    .logical_resource_id(&r.logical_id)
                    .set_resource_identifier(Some(r.identifier.clone().into_iter().collect()))
                    .build()
            })
            .collect();
        let created = self
            .aws
            .cloudformation
            .create_change_set()
            .stack_name(stack_name)
            .change_set_name(unique_name())
            .change_set_type(ChangeSetType::Import)
            .description("poolctl adopt")
            .template_body(body)
            .set_resources_to_import(Some(resources))
            .set_parameters(Some(sdk_parameters(&parameters)))
            .set_tags(Some(sdk_tags(&request.tags)))
            .send()
            .await
            .map_err(|e| DeployError::aws("cloudformation:CreateChangeSet", e))?;
        let change_set_id = created
            .id()
            .map(str::to_owned)
            .ok_or_else(|| DeployError::Unexpected("CreateChangeSet returned no id".into()))?;
        let plan = Plan {
            aws: self.aws.clone(),
            stack_name: stack_name.to_owned(),
            stack_id: created.stack_id().unwrap_or(stack_name).to_owned(),
            change_set_id,
            change_set_type: ChangeSetType::Import,
            changes: Vec::new(),
            template: request.template.clone(),
            marker: None,
        };
        match plan.complete(false).await? {
            Prepared::Plan(plan) => Ok(*plan),
            // An import always changes something: CloudFormation answering "no changes" means
            // it imported nothing, which is not what was asked.
            Prepared::Done(_) => Err(DeployError::Unexpected(format!(
                "CloudFormation found nothing to import into {stack_name}"
            ))),
        }
    }
}
