//! `poolctl explain SPEC --prove --env all|dev,stage|eu-*`: each environment's scenarios
//! performed on its default stack as `explain SPEC --prove --env NAME` performs them (its role,
//! its account guard), through the several-environment runner (`crate::several`). Ends with
//! one line per environment; exit 6 when any environment's proof saw a mismatch.

use std::path::Path;

use anyhow::anyhow;
use spec::Selected;

use crate::cli::{ExplainArgs, GlobalArgs, ReportFormat};
use crate::exit::Failure;
use crate::inputs::{load_several, selected_stack};
use crate::several::{for_each_environment, markdown_for_one, one_stack_flag, worst};
use crate::ui::environments::{print_proofs, print_proved, Proved};

pub async fn run(
    global: &GlobalArgs,
    args: &ExplainArgs,
    spec: &Path,
    selector: &str,
) -> Result<(), Failure> {
    if !args.prove {
        return Err(Failure::error(anyhow!(
            "explain takes several environments with --prove, each proved on its own stack; \
             to read one environment's rows, give --env NAME"
        )));
    }
    if args.stack.is_some() {
        return Err(one_stack_flag("--stack"));
    }
    if args.output == ReportFormat::Markdown {
        return Err(markdown_for_one());
    }
    let targets = load_several(spec, selector)?;
    let global = global.clone();
    let runs = for_each_environment(targets, &args.several, move |selected| {
        let global = global.clone();
        async move { prove_one(&global, selected).await }
    })
    .await?;
    print_proofs(
        &runs,
        &format!("deployed from {}", spec.display()),
        args.output,
    );
    worst(&runs, |proved| {
        proved
            .proof
            .mismatches()
            .next()
            .is_some()
            .then(Failure::mismatch)
    })
}

/// One environment's proof, as `explain SPEC --prove --env NAME` makes it.
async fn prove_one(global: &GlobalArgs, selected: Selected) -> Result<Proved, Failure> {
    let name = selected
        .environment
        .as_ref()
        .map(|named| named.name.clone())
        .unwrap_or_default();
    let explanation = explain::explain(&selected.spec).map_err(Failure::error)?;
    let spec = selected.spec.clone();
    let (aws, stack) = selected_stack(global, selected, None).await?;
    let proof = explain::prove(&aws, &spec, &explanation, &stack)
        .await
        .map_err(Failure::error)?;
    let proved = Proved { explanation, proof };
    print_proved(&name, &proved);
    Ok(proved)
}
