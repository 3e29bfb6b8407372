//! `poolctl explain SPEC [--stack NAME] [--prove]`: what each way into the pool does to
//! `email_verified`, and, with `--prove`, the same scenarios performed on the deployed stack.

use anyhow::anyhow;
use deploy::{Deployer, SpecDeployment};

use crate::cli::{ExplainArgs, GlobalArgs, OutputFormat};
use crate::exit::Failure;
use crate::inputs::{load_aws, load_spec};
use crate::ui::{explain as table, json};

pub async fn run(global: &GlobalArgs, args: &ExplainArgs) -> Result<(), Failure> {
    let Some(path) = &args.spec else {
        return Err(Failure::error(anyhow!(
            "explain needs the spec: a stack holds none. Run `poolctl explain SPEC --stack NAME` \
             with the spec the stack was deployed from (`poolctl diff SPEC --stack NAME` shows \
             whether they still agree)"
        )));
    };
    let spec = load_spec(path)?;
    let explanation = explain::explain(&spec).map_err(Failure::error)?;
    let stack = if args.stack.is_some() || args.prove {
        let deployment = SpecDeployment {
            stack_name: args.stack.clone(),
            ..SpecDeployment::new(spec.clone())
        };
        Some(deployment.stack_name()?)
    } else {
        None
    };
    let mut proof = None;
    let mut pool_id = None;
    if let Some(stack) = &stack {
        let aws = load_aws(global).await?;
        if args.prove {
            let proved = explain::prove(&aws, &spec, &explanation, stack).await;
            proof = Some(proved.map_err(Failure::error)?);
        } else {
            let info = Deployer::new(aws).outputs(stack).await?;
            pool_id = info.outputs.get(template::OUTPUT_USER_POOL_ID).cloned();
        }
    }
    match args.output {
        OutputFormat::Json => println!(
            "{}",
            json::pretty(&json::explain(
                &explanation,
                stack.as_deref(),
                proof.as_ref()
            ))
        ),
        OutputFormat::Text => {
            if let Some(stack) = &stack {
                let pool = proof
                    .as_ref()
                    .map(|p| p.pool_id.as_str())
                    .or(pool_id.as_deref())
                    .unwrap_or("?");
                println!(
                    "Stack {stack} (pool {pool}), deployed from {}.",
                    path.display()
                );
            }
            print!("{}", table::render_rows(&explanation));
            if let Some(proof) = &proof {
                println!();
                print!("{}", table::render_proof(&explanation, proof));
            }
        }
    }
    if let Some(proof) = &proof {
        for (user, error) in &proof.leftovers {
            eprintln!("warning: could not delete test user {user}: {error}");
        }
        if proof.mismatches().next().is_some() {
            return Err(Failure::mismatch());
        }
    }
    Ok(())
}
