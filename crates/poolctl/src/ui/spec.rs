//! A spec's diagnostics, in compiler style on stderr.

use spec::{Diagnostic, SpecError};

pub fn print_warnings(warnings: &[Diagnostic]) {
    for warning in warnings {
        eprintln!("{warning}");
    }
}

/// Every diagnostic of a failed load, errors and warnings, in file order.
pub fn print_load_error(error: &SpecError) {
    for diagnostic in &error.diagnostics {
        eprintln!("{diagnostic}");
    }
}
