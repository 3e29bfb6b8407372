//! `poolctl schema`: the JSON Schema of the pool spec on stdout (the committed copy is
//! schema/poolspec.schema.json, which editors use through the specs' modeline).

use crate::exit::Failure;
use crate::ui::write_stdout;

pub fn run() -> Result<(), Failure> {
    write_stdout(&spec::json_schema_pretty())?;
    Ok(())
}
