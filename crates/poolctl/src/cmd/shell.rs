//! `poolctl completions SHELL` and `poolctl man`: generated from the command line's own
//! declaration, so they never drift from it.

use anyhow::Context;
use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};
use crate::exit::Failure;
use crate::ui::write_stdout;

pub fn completions(args: &CompletionsArgs) -> Result<(), Failure> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "poolctl", &mut script);
    write_stdout(&String::from_utf8_lossy(&script)).map_err(Failure::error)
}

pub fn man() -> Result<(), Failure> {
    let command = Cli::command().version(env!("CARGO_PKG_VERSION"));
    let mut page = Vec::new();
    clap_mangen::Man::new(command)
        .render(&mut page)
        .context("rendering the man page")
        .map_err(Failure::error)?;
    write_stdout(&String::from_utf8_lossy(&page)).map_err(Failure::error)
}
