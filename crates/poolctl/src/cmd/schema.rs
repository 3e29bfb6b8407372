//! `poolctl schema`: the JSON Schema of the pool spec on stdout (the committed copy is
//! schema/poolspec.schema.json, which editors use through the specs' modeline).

use std::io::Write;

use anyhow::Context;

use crate::exit::Failure;

pub fn run() -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(spec::json_schema_pretty().as_bytes())
        .context("writing to stdout")?;
    stdout.flush().context("writing to stdout")?;
    Ok(())
}
