//! `poolctl adopt SPEC --user-pool-id ID`: read the live pool, plan the import (refusing what
//! Cognito cannot change, through the deploy guard), make the IMPORT change set, show it,
//! execute and watch it, then say what the first deploy will do.

use std::time::Instant;

use anyhow::anyhow;
use deploy::{Applying, ChangeSetSummary, Deployer, ImportRequest, SpecDeployment};
use import::ImportError;

use crate::cli::{AdoptArgs, GlobalArgs};
use crate::exit::Failure;
use crate::inputs::{load_aws, load_spec, SpecUse};
use crate::ui::import::{confirm_import, print_adopt_gaps, print_adopted};
use crate::ui::progress::{follow, EventPrinter};
use crate::ui::prompt::declined;

/// Types whose import the resource type schemas allow but the local emulator's
/// CloudFormation does not (docs/existing-pools.md, "Adopt it into a stack").
const NOT_ON_EMULATOR: &[&str] = &[
    "AWS::Cognito::UserPoolDomain",
    "AWS::Cognito::UserPoolIdentityProvider",
];

pub async fn run(global: &GlobalArgs, args: &AdoptArgs) -> Result<(), Failure> {
    let started = Instant::now();
    // Adopting into a spec environment is not offered yet: a spec with environments is refused.
    let spec = load_spec(&args.spec, None, SpecUse::WithAws)?.spec;
    let deployment = SpecDeployment {
        stack_name: args.stack.clone(),
        ..SpecDeployment::new(spec)
    };
    let stack_name = deployment.stack_name()?;
    let aws = load_aws(global, None).await?;
    let live = import::live::read(&aws.cognito, &args.user_pool_id).await?;
    let imported = import::to_spec(&live);
    if !imported.gaps.is_empty() {
        print_adopt_gaps(&imported.gaps, args.allow_partial);
        if !args.allow_partial {
            return Err(ImportError::Gaps(imported.gaps).into());
        }
    }
    let plan = import::adopt::plan(&imported, &deployment.spec)?;
    let request = ImportRequest {
        stack_name: stack_name.clone(),
        template: plan.template.clone(),
        resources: plan.resources.clone(),
        parameters: Default::default(),
        // An import may add no tags; the first deploy tags the stack.
        tags: Default::default(),
    };
    let deployer = Deployer::new(aws);
    let emulator_only: Vec<&str> = plan
        .resources
        .iter()
        .map(|r| r.resource_type.as_str())
        .filter(|t| NOT_ON_EMULATOR.contains(t))
        .collect();
    let not_on_emulator = |error: deploy::DeployError| -> Failure {
        if emulator_only.is_empty() || !deployer.aws.custom_endpoint {
            return error.into();
        }
        Failure::error(anyhow!(
            "{error}\nThe CloudFormation at AWS_ENDPOINT_URL could not import {}: the resource \
             type schemas support importing them on AWS, but the local emulator has no \
             AWS::Cognito::UserPoolIdentityProvider and does not import domains. Nothing was \
             imported.",
            emulator_only.join(" and ")
        ))
    };
    let resume = format!(
        "poolctl deploy {} --stack {stack_name}",
        args.spec.display()
    );
    let mut confirm = |summary: ChangeSetSummary<'_>| {
        confirm_import(summary, &args.user_pool_id, &plan, args.yes)
    };
    let applied = deployer
        .apply(&request, &mut |_| {}, &mut confirm)
        .await
        .map_err(&not_on_emulator)?;
    let outcome = match applied {
        Applying::Executing { watch, .. } => {
            let printer = EventPrinter::new();
            follow(watch, &printer, &resume).await??
        }
        // An import always has something to execute; had it nothing, it ended as it is.
        Applying::Done(outcome) => outcome,
        Applying::Declined { reason, discarded } => return Err(declined(&reason, discarded)),
    };
    print_adopted(
        &stack_name,
        &args.user_pool_id,
        &outcome,
        started.elapsed(),
        &resume,
    );
    Ok(())
}
