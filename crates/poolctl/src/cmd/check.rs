//! `poolctl check SPEC...`: validate pool specs. Diagnostics (errors and warnings) go to stderr
//! in compiler style; one summary line per file goes to stdout; exit 1 if any file has an error.

use crate::cli::CheckArgs;
use crate::exit::Failure;

pub fn run(args: &CheckArgs) -> Result<(), Failure> {
    let mut failed = 0usize;
    for path in &args.specs {
        let file = path.display();
        match spec::load(path) {
            Ok(loaded) => {
                for warning in &loaded.warnings {
                    eprintln!("{warning}");
                }
                println!("ok {file}{}", count_suffix(0, loaded.warnings.len()));
            }
            Err(error) => {
                failed += 1;
                for diagnostic in &error.diagnostics {
                    eprintln!("{diagnostic}");
                }
                println!(
                    "failed {file}{}",
                    count_suffix(error.errors().count(), error.warnings().count())
                );
            }
        }
    }
    if failed > 0 {
        return Err(Failure::silent(1));
    }
    Ok(())
}

/// ` (2 errors, 1 warning)`, or nothing when there is nothing to count.
fn count_suffix(errors: usize, warnings: usize) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut parts = Vec::new();
    if errors > 0 {
        parts.push(plural(errors, "error"));
    }
    if warnings > 0 {
        parts.push(plural(warnings, "warning"));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    }
}
