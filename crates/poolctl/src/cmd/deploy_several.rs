//! `poolctl deploy SPEC --env all|dev,stage|eu-*`: each environment deployed as `--env NAME`
//! would, through the several-environment runner (`crate::several`), without prompts (the pool
//! guard still refuses). Ends with one line per environment.

use std::collections::HashMap;
use std::sync::Arc;

use anyhow::anyhow;
use deploy::{Applying, ArtifactUpload, ChangeSetSummary, Confirmation, Deployer, Progress};
use spec::Selected;
use tokio::sync::Mutex;

use crate::cli::{DeployArgs, GlobalArgs, ReportFormat};
use crate::exit::Failure;
use crate::inputs::{deployment, load_aws, load_several, trigger_zip};
use crate::several::{for_each_environment, markdown_for_one, one_stack_flag, worst};
use crate::ui::environments::{print_several, Settled};
use crate::ui::json::action;
use crate::ui::progress::environment_progress;

pub async fn run(global: &GlobalArgs, args: &DeployArgs, selector: &str) -> Result<(), Failure> {
    if !args.yes {
        return Err(Failure::error(anyhow!(
            "deploying several environments needs --yes: their change sets are executed \
             without a prompt (the pool guard still refuses); nothing was deployed"
        )));
    }
    if args.stack.stack.is_some() {
        return Err(one_stack_flag("--stack"));
    }
    if args.outputs_file.is_some() {
        return Err(one_stack_flag("--outputs-file"));
    }
    if args.output == ReportFormat::Markdown {
        return Err(markdown_for_one());
    }
    let targets = load_several(&args.spec, selector)?;
    // Environments of one account and region share the artifact bucket and key: each holds
    // its place's lock while it uploads, so the first puts the zip and the rest find it with
    // HeadObject instead of all putting it at once.
    let uploads: Arc<HashMap<Place, Arc<Mutex<()>>>> = Arc::new(
        targets
            .iter()
            .map(|target| (place(target), Arc::new(Mutex::new(()))))
            .collect(),
    );
    let (global, shared_args) = (global.clone(), args.clone());
    let runs = for_each_environment(targets, &args.several, move |selected| {
        let (global, args) = (global.clone(), shared_args.clone());
        let upload = uploads.get(&place(&selected)).map(Arc::clone);
        async move { deploy_one(&global, &args, selected, upload).await }
    })
    .await?;
    print_several(&runs, args.output);
    worst(&runs, |_| None)
}

/// An environment's account and region.
type Place = (String, String);

fn place(selected: &Selected) -> Place {
    selected
        .environment
        .as_ref()
        .map(|named| {
            (
                named.environment.account.clone(),
                named.environment.region.clone(),
            )
        })
        .unwrap_or_default()
}

/// One environment's deploy, as `deploy --env NAME --yes` makes it, its progress lines named
/// by the environment; `upload` is held while the request (with the artifact's upload) is made.
async fn deploy_one(
    global: &GlobalArgs,
    args: &DeployArgs,
    selected: Selected,
    upload: Option<Arc<Mutex<()>>>,
) -> Result<Settled, Failure> {
    let environment = selected.environment.clone();
    let name = environment
        .as_ref()
        .map(|named| named.name.clone())
        .unwrap_or_default();
    let mut deployment = deployment(selected, &args.stack)?;
    deployment.trigger_zip = trigger_zip(&deployment.spec, &args.stack.artifact)?;
    deployment.allow_pool_replacement = args.allow_pool_replacement;
    let deployer = Deployer::new(load_aws(global, environment.as_ref()).await?);
    let mut progress = |progress: Progress| environment_progress(&name, progress);
    let uploading = match &upload {
        Some(lock) => Some(lock.lock().await),
        None => None,
    };
    let request = deployer
        .request(deployment, ArtifactUpload::Upload, &mut progress)
        .await?;
    drop(uploading);
    let mut confirm = |_: ChangeSetSummary<'_>| Confirmation::Proceed;
    match deployer
        .apply(&request, &mut progress, &mut confirm)
        .await?
    {
        Applying::Done(outcome) => Ok(Settled {
            action: action(&outcome),
            changes: Some(0),
        }),
        Applying::Declined { reason, .. } => Err(Failure::error(anyhow!(reason))),
        Applying::Executing { changes, mut watch } => {
            while let Some(event) = watch.next_event().await {
                environment_progress(&name, Progress::Event(event));
            }
            let outcome = watch.finish().await?;
            Ok(Settled {
                action: action(&outcome),
                changes: Some(changes.len()),
            })
        }
    }
}
