use crate::cli::RenderArgs;
use crate::exit::Failure;

pub fn run(_args: &RenderArgs) -> Result<(), Failure> {
    Err(Failure::error(anyhow::anyhow!("poolctl render is not built yet")))
}
