//! What `import` and `adopt` show: the settings a spec cannot hold, and the plan of an
//! adoption.

use import::Gap;

/// The live settings the spec cannot express, one per line with why.
pub fn print_gaps(gaps: &[Gap]) {
    eprintln!(
        "{} live setting{} the spec cannot express:",
        gaps.len(),
        if gaps.len() == 1 { "" } else { "s" }
    );
    for gap in gaps {
        eprintln!("  {} = {}", gap.setting, gap.live_value);
        eprintln!("    {}", gap.why);
    }
}

/// What the first deploy after the import will do beyond the spec's own differences.
pub fn print_follow_up(created: &[String], not_in_spec: &[String]) {
    if !created.is_empty() {
        eprintln!("Not imported, created by the first deploy:");
        for resource in created {
            eprintln!("  + {resource}");
        }
    }
    if !not_in_spec.is_empty() {
        eprintln!(
            "Imported but not in the spec: the first deploy shows them as removals and asks \
             first (they are retained, so the live resources stay):"
        );
        for resource in not_in_spec {
            eprintln!("  - {resource}");
        }
    }
}
