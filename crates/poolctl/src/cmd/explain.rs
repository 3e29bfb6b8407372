//! `poolctl explain [SPEC] [--stack NAME | --user-pool-id ID] [--prove]`: what each way into
//! the pool does to `email_verified`, and, with `--prove`, the same scenarios performed on the
//! deployed stack.
//! Without SPEC, a stack's pool is explained as deployed (`import::stack_spec`), or a live
//! pool as it is (`--user-pool-id`, `import::pool_spec`). With several environments
//! (`SPEC --prove --env all`), `explain_several`.

use anyhow::anyhow;
use deploy::SpecDeployment;

use crate::cli::{ExplainArgs, GlobalArgs, ReportFormat};
use crate::exit::Failure;
use crate::inputs::{load_aws, load_spec, SpecUse};
use crate::ui::explain::{print_explanation, print_gap_notes, print_leftovers, Heading};
use crate::ui::github::{publish_summary, wants_summary, Markdown};
use crate::ui::{json, markdown, print_json};

pub async fn run(global: &GlobalArgs, args: &ExplainArgs) -> Result<(), Failure> {
    if let (Some(spec), Some(selector)) = (
        &args.spec,
        args.env.as_deref().filter(|s| spec::is_several(s)),
    ) {
        return crate::cmd::explain_several::run(global, args, spec, selector).await;
    }
    let mut aws = None;
    let mut environment = None;
    let (spec, source) = if let Some(path) = &args.spec {
        // Without a stack to read or prove, explain only reads the spec.
        let using = if args.stack.is_some() || args.prove {
            SpecUse::WithAws
        } else {
            SpecUse::Offline
        };
        let selected = load_spec(path, args.env.as_deref(), using)?;
        environment = selected.environment;
        (selected.spec, format!("deployed from {}", path.display()))
    } else {
        if args.stack.is_none() && args.user_pool_id.is_none() {
            return Err(Failure::error(anyhow!(
                "explain needs a SPEC, --stack NAME (a poolctl stack as deployed) or \
                 --user-pool-id ID (a live pool as it is)"
            )));
        }
        let connected = load_aws(global, None).await?;
        let (imported, source) = match (&args.stack, &args.user_pool_id) {
            (Some(stack), _) => (
                import::stack_spec(&connected, stack).await?,
                "read from the live pool and the stack's template".to_owned(),
            ),
            (None, pool_id) => {
                let pool_id = pool_id.as_deref().unwrap_or_default();
                (
                    import::pool_spec(&connected, pool_id).await?,
                    format!("Pool {pool_id}, read as it is live."),
                )
            }
        };
        aws = Some(connected);
        print_gap_notes(&imported.gaps);
        (imported.spec, source)
    };
    let explanation = explain::explain(&spec).map_err(Failure::error)?;
    let stack = if args.stack.is_some() || args.prove {
        let deployment = SpecDeployment {
            stack_name: args.stack.clone(),
            spec_environment: environment.as_ref().map(|named| named.name.clone()),
            ..SpecDeployment::new(spec.clone())
        };
        Some(deployment.stack_name()?)
    } else {
        None
    };
    let mut proof = None;
    let mut pool_id = None;
    if let Some(stack) = &stack {
        let aws = match aws {
            Some(aws) => aws,
            None => load_aws(global, environment.as_ref()).await?,
        };
        if args.prove {
            let proved = explain::prove(&aws, &spec, &explanation, stack).await;
            proof = Some(proved.map_err(Failure::error)?);
        } else {
            pool_id = match aws.user_pool_id(stack).await {
                Ok(id) => Some(id),
                // The stack is shown without a pool id, as before the lookup had one home.
                Err(aws::Error::NoPoolOutput { .. }) => None,
                Err(error) => return Err(Failure::error(error)),
            };
        }
    }
    let summary = Markdown::from(args.output);
    if wants_summary(summary) {
        let text = markdown::explain(&explanation, stack.as_deref(), proof.as_ref());
        publish_summary(&text, summary)?;
    }
    match args.output {
        ReportFormat::Markdown => {}
        ReportFormat::Json => print_json(&json::explain(
            &explanation,
            stack.as_deref(),
            proof.as_ref(),
        )),
        ReportFormat::Text => {
            // The pool's id: as proved, or from the stack's outputs.
            let pool = proof
                .as_ref()
                .map(|p| p.pool_id.as_str())
                .or(pool_id.as_deref());
            let heading = Heading {
                source: &source,
                live_pool: args.user_pool_id.is_some(),
                stack: stack.as_deref().map(|stack| (stack, pool)),
            };
            print_explanation(&heading, &explanation, proof.as_ref());
        }
    }
    if let Some(proof) = &proof {
        print_leftovers(proof);
        if proof.mismatches().next().is_some() {
            return Err(Failure::mismatch());
        }
    }
    Ok(())
}
