//! `poolctl users audit --spec SPEC --env all|dev,stage|eu-*`: each environment's pool audited
//! as `users audit --spec SPEC --env NAME` audits it (its role, its account guard, its default
//! stack), through the several-environment runner (`crate::several`). `--out` writes one
//! findings file per environment (a findings file holds one pool). Ends with a table of users
//! by class and environment; exit 5 when any environment has stranded users.

use std::path::Path;
use std::time::Instant;

use users::{Counters, PoolRef};

use crate::cli::{GlobalArgs, UsersAuditArgs};
use crate::cmd::users::{audit_options, audit_rates, open_pool};
use crate::exit::Failure;
use crate::inputs::{load_several, selected_stack};
use crate::several::{for_each_environment, worst};
use crate::ui::environments::{print_audited, print_audits, Audited};

pub async fn run(
    global: &GlobalArgs,
    args: &UsersAuditArgs,
    spec: &Path,
    selector: &str,
) -> Result<(), Failure> {
    let targets = load_several(spec, selector)?;
    let (global, rates, options) = (global.clone(), audit_rates(args), audit_options(args));
    let out = args.out.clone();
    let runs = for_each_environment(targets, &args.several, move |selected| {
        let (global, out) = (global.clone(), out.clone());
        async move {
            let name = selected
                .environment
                .as_ref()
                .map(|named| named.name.clone())
                .unwrap_or_default();
            let (aws, stack) = selected_stack(&global, selected, None).await?;
            let (cognito, counters, pool) = open_pool(&aws, &PoolRef::Stack(stack), rates).await?;
            // No progress bar (one cannot show several scans at once): a line once audited.
            let started = Instant::now();
            let report = users::audit(&cognito, &pool, options).await?;
            let elapsed = started.elapsed();
            let findings_file = out.map(|path| users::findings::environment_path(&path, &name));
            if let Some(path) = &findings_file {
                users::findings::write(path, &report).map_err(Failure::error)?;
            }
            let audited = Audited {
                report,
                elapsed,
                throttled: Counters::get(&counters.throttled),
                findings_file,
            };
            print_audited(&name, &audited);
            Ok::<Audited, Failure>(audited)
        }
    })
    .await?;
    print_audits(&runs, args.output);
    worst(&runs, |audited| {
        (audited.report.stranded() > 0).then(Failure::stranded)
    })
}
