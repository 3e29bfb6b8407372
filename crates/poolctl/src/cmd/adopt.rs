//! `poolctl adopt SPEC --user-pool-id ID`: read the live pool, plan the import (refusing what
//! Cognito cannot change, through the deploy guard), make the IMPORT change set, show it,
//! execute and watch it, then say what the first deploy will do.

use std::time::Instant;

use anyhow::anyhow;
use deploy::{changes, ApplyOutcome, Deployer, ImportRequest, SpecDeployment};
use import::ImportError;

use crate::cli::{AdoptArgs, GlobalArgs};
use crate::exit::Failure;
use crate::inputs::{load_aws, load_spec};
use crate::ui::changes::render_text;
use crate::ui::import::{print_follow_up, print_gaps};
use crate::ui::progress::{follow, EventPrinter};
use crate::ui::prompt::ask;
use crate::ui::seconds;

/// Types whose import the resource type schemas allow but the local emulator's
/// CloudFormation does not (docs/existing-pools.md, "Adopt it into a stack").
const NOT_ON_EMULATOR: &[&str] = &[
    "AWS::Cognito::UserPoolDomain",
    "AWS::Cognito::UserPoolIdentityProvider",
];

pub async fn run(global: &GlobalArgs, args: &AdoptArgs) -> Result<(), Failure> {
    let started = Instant::now();
    let spec = load_spec(&args.spec)?;
    let deployment = SpecDeployment {
        stack_name: args.stack.clone(),
        ..SpecDeployment::new(spec)
    };
    let stack_name = deployment.stack_name()?;
    let aws = load_aws(global).await?;
    let live = import::live::read(&aws.cognito, &args.user_pool_id).await?;
    let imported = import::to_spec(&live);
    if !imported.gaps.is_empty() {
        print_gaps(&imported.gaps);
        if !args.allow_partial {
            eprintln!(
                "The first deploy after the import would reset or change them (UpdateUserPool \
                 resets every setting it leaves out); rerun with --allow-partial to accept that."
            );
            return Err(ImportError::Gaps(imported.gaps).into());
        }
        eprintln!("--allow-partial: the first deploy will show them changing.");
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
    let change_set = deployer.import(&request).await.map_err(&not_on_emulator)?;
    eprintln!(
        "Import change set for stack {} (pool {}):",
        change_set.stack_name, args.user_pool_id
    );
    eprint!("{}", render_text(&change_set.changes));
    print_follow_up(&plan.created_by_first_deploy, &plan.not_in_spec);
    if changes::needs_confirmation(&change_set.changes) && !args.yes {
        let decision = ask("Execute this import?");
        if !matches!(decision, Ok(true)) {
            change_set.discard().await?;
            let why = match decision {
                Err(e) => e.to_string(),
                Ok(_) => "not confirmed".to_owned(),
            };
            return Err(Failure::error(anyhow!(
                "{why}; the change set was deleted and nothing changed"
            )));
        }
    }
    let printer = EventPrinter::new();
    let resume = format!(
        "poolctl deploy {} --stack {stack_name}",
        args.spec.display()
    );
    let watch = change_set.execute().await.map_err(&not_on_emulator)?;
    let outcome = follow(watch, &printer, &resume).await??;
    let status = match &outcome {
        ApplyOutcome::Imported(info) => info.status.as_str().to_owned(),
        other => other.stack().status.as_str().to_owned(),
    };
    eprintln!(
        "Stack {stack_name} now holds user pool {} ({status}) in {}; no user was touched.",
        args.user_pool_id,
        seconds(started.elapsed())
    );
    eprintln!(
        "Next: `{resume}` applies the spec's differences from the live pool as a normal change set."
    );
    Ok(())
}
