//! `poolctl check SPEC...`: validate pool specs. Diagnostics (errors and warnings) go to stderr
//! in compiler style; one summary line per file goes to stdout; exit 1 if any file has an error.

use crate::cli::CheckArgs;
use crate::exit::Failure;
use crate::ui::check::{print_failed, print_ok};

pub fn run(args: &CheckArgs) -> Result<(), Failure> {
    let mut failed = 0usize;
    for path in &args.specs {
        match spec::load(path) {
            Ok(loaded) => print_ok(path, &loaded),
            Err(error) => {
                failed += 1;
                print_failed(path, &error);
            }
        }
    }
    if failed > 0 {
        return Err(Failure::silent(1));
    }
    Ok(())
}
