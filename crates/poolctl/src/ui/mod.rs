//! Everything a person or a script sees: progress on stderr, change-set summaries, tables,
//! prompts and the `--output json` shapes. Commands call these; the libraries never print.

pub mod changes;
pub mod explain;
pub mod import;
pub mod json;
pub mod outputs;
pub mod progress;
pub mod prompt;
pub mod review_table;
pub mod users;

use std::time::Duration;

/// Elapsed time as people read it in a result line: `1.23 s`.
pub fn seconds(elapsed: Duration) -> String {
    format!("{:.2} s", elapsed.as_secs_f64())
}
