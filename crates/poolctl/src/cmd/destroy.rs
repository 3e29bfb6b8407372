//! `poolctl destroy --stack NAME`: confirm (unless --yes), delete, watch. Refuses while
//! termination protection or a pool's deletion protection is on, saying how to turn it off;
//! never turns either off itself. With several environments (`--spec SPEC --env all`),
//! `destroy_several`.

use std::time::Instant;

use anyhow::anyhow;
use deploy::Deployer;

use crate::cli::{DestroyArgs, GlobalArgs};
use crate::exit::Failure;
use crate::inputs::stack_target;
use crate::ui::deploy::print_destroyed;
use crate::ui::progress::{follow, EventPrinter};
use crate::ui::prompt::ask;

pub async fn run(global: &GlobalArgs, args: &DestroyArgs) -> Result<(), Failure> {
    if let (Some(spec), Some(selector)) = (
        &args.target.spec,
        args.target.env.as_deref().filter(|s| spec::is_several(s)),
    ) {
        return crate::cmd::destroy_several::run(global, args, spec, selector).await;
    }
    let started = Instant::now();
    let (aws, stack) = stack_target(global, &args.target).await?;
    let deployer = Deployer::new(aws);
    let stack = stack.as_str();
    if !args.yes {
        match ask(&format!("Delete stack {stack} and everything in it?")) {
            Ok(true) => {}
            Ok(false) => {
                return Err(Failure::error(anyhow!(
                    "not confirmed; nothing was deleted"
                )))
            }
            Err(e) => return Err(Failure::error(anyhow!("{e}; nothing was deleted"))),
        }
    }
    let watch = deployer.delete(stack).await?;
    let printer = EventPrinter::new();
    let resume = format!("poolctl outputs --stack {stack} (shows whether it still exists)");
    let outcome = follow(watch, &printer, &resume).await??;
    print_destroyed(&outcome, started.elapsed());
    Ok(())
}
