use crate::exit::Failure;

pub fn run() -> Result<(), Failure> {
    Err(Failure::error(anyhow::anyhow!("poolctl schema is not built yet")))
}
