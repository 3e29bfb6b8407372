//! What the spec cannot express about a live pool.

use serde_json::Value;

/// A live setting the spec cannot express. Import lists every one; none is dropped silently.
#[derive(Debug, Clone, PartialEq)]
pub struct Gap {
    /// Where the setting lives, in Cognito's terms (`clients[web].PreventUserExistenceErrors`).
    pub setting: String,
    /// The live value, as Cognito reports it (never a secret).
    pub live_value: String,
    /// Why the spec cannot hold it, and what the first deploy would do to it.
    pub why: String,
    /// The CloudFormation property holding the live value, when there is one: the import
    /// template carries the live value there, so the first deploy after an adoption shows
    /// the change in its change set rather than leaving it unseen.
    pub property: Option<LiveProperty>,
}

/// A live value for one property of one resource of the import template.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveProperty {
    pub target: Target,
    /// A JSON pointer below the resource's `Properties` (`/PreventUserExistenceErrors`).
    pub pointer: String,
    /// The live value; `null` when the live resource does not have the setting at all.
    pub value: Value,
}

/// Which resource a [`LiveProperty`] belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Pool,
    /// An app client, by its name in the spec.
    Client(String),
}
