//! What `import` and `adopt` show: the settings a spec cannot hold, and the plan of an
//! adoption.

use std::path::Path;
use std::time::Duration;

use deploy::{ApplyOutcome, ChangeSetSummary, Confirmation};
use import::adopt::AdoptPlan;
use import::Gap;
use spec::PoolSpec;

use super::changes::render_text;
use super::{prompt, seconds};

/// The live settings the spec cannot express, one per line with why.
fn print_gaps(gaps: &[Gap]) {
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
fn print_follow_up(created: &[String], not_in_spec: &[String]) {
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

/// `adopt` with gaps: why it stops, or that `--allow-partial` accepts them.
pub fn print_adopt_gaps(gaps: &[Gap], allow_partial: bool) {
    print_gaps(gaps);
    if allow_partial {
        eprintln!("--allow-partial: the first deploy will show them changing.");
    } else {
        eprintln!(
            "The first deploy after the import would reset or change them (UpdateUserPool \
             resets every setting it leaves out); rerun with --allow-partial to accept that."
        );
    }
}

/// Shows the import change set and what the first deploy will add to it, then asks when it
/// needs asking and `--yes` was not given.
pub fn confirm_import(
    summary: ChangeSetSummary<'_>,
    user_pool_id: &str,
    plan: &AdoptPlan,
    yes: bool,
) -> Confirmation {
    eprintln!(
        "Import change set for stack {} (pool {user_pool_id}):",
        summary.stack_name
    );
    eprint!("{}", render_text(summary.changes));
    print_follow_up(&plan.created_by_first_deploy, &plan.not_in_spec);
    if !summary.needs_confirmation || yes {
        return Confirmation::Proceed;
    }
    prompt::confirm("Execute this import?")
}

/// The adoption is done: what the stack now holds, and the next step.
pub fn print_adopted(
    stack_name: &str,
    user_pool_id: &str,
    outcome: &ApplyOutcome,
    elapsed: Duration,
    next: &str,
) {
    eprintln!(
        "Stack {stack_name} now holds user pool {user_pool_id} ({}) in {}; no user was touched.",
        outcome.stack().status.as_str(),
        seconds(elapsed)
    );
    eprintln!(
        "Next: `{next}` applies the spec's differences from the live pool as a normal change set."
    );
}

/// `import` wrote the spec: where, what it holds, and what to run next.
pub fn print_imported(out: &Path, user_pool_id: &str, spec: &PoolSpec) {
    println!("wrote {}", out.display());
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    eprintln!(
        "Imported user pool {user_pool_id} ({} client{}, {} identity provider{}{}) as pool `{}`.",
        spec.clients.len(),
        plural(spec.clients.len()),
        spec.identity_providers.len(),
        plural(spec.identity_providers.len()),
        if spec.domain.is_some() {
            ", a domain"
        } else {
            ""
        },
        spec.name
    );
    eprintln!(
        "Next: `poolctl check {}` shows the pool's email_verified pitfalls with their fixes.",
        out.display()
    );
}

/// `import` with gaps: the settings left out, and whether `--allow-partial` accepted that.
pub fn print_import_gaps(gaps: &[Gap], allow_partial: bool) {
    print_gaps(gaps);
    if allow_partial {
        eprintln!("--allow-partial: the spec is written without them.");
    }
}
