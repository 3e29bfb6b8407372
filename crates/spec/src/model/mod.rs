//! The pool spec as typed Rust: what `infra/pools/<pool>.yaml` may say.
//!
//! Doc comments in this module become the descriptions of the JSON Schema (`poolctl schema`)
//! and of the spec reference (docs/spec-reference.md), so they are written for the person
//! editing a spec.
//! Every struct rejects unknown keys: a misspelt key is an error, never silently ignored.
//!
//! The pool, its attributes, its identity providers (with their written form and
//! `email_verified` policy) and its app clients each have a file; everything is re-exported
//! here, so the types are `spec::model::X` and `spec::X`.

mod attributes;
mod client;
mod email_verified;
mod environment;
mod features;
mod pool;
mod provider;
mod provider_doc;
mod sms;
mod triggers;

pub use attributes::*;
pub use client::*;
pub use email_verified::*;
pub use environment::*;
pub use features::*;
pub use pool::*;
pub use provider::*;
pub use provider_doc::*;
pub use sms::*;
pub use triggers::*;

pub use policy::PreSignUpPolicy;

/// Serde's default for flags that are on unless the spec says otherwise.
fn yes() -> bool {
    true
}

/// Serde's test for leaving such a flag out when it is on.
#[allow(clippy::trivially_copy_pass_by_ref)] // serde passes a reference
fn is_true(value: &bool) -> bool {
    *value
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}
