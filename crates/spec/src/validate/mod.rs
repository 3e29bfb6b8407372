//! Validation of a deserialized spec: everything CloudFormation or Cognito would reject later
//! (minutes into a deploy), everything that would silently strand users with
//! `email_verified = false`, and warnings for the pitfalls that are legal but rarely meant.
//!
//! Every finding names a spec path (located in the file by [`crate::locate`]), says what is
//! wrong, and says how to fix it. All findings are collected, not just the first.
//!
//! One file per rule group, named like the groups of docs/check.md ("What `poolctl check` rejects"): each adds
//! its rules to the `Checker` as one entry method that [`validate`] calls in order.

mod attributes;
mod clients;
mod domain;
mod email;
mod environments;
mod groups;
mod mfa;
mod name;
mod password;
mod passwordless;
mod plan;
mod protection;
mod providers;
mod sign_in;
mod sign_up;
mod sms;
mod tags;
mod trigger_arns;
mod triggers;
mod verification;

use crate::diagnostic::Severity;
use crate::model::PoolSpec;

pub use domain::{domain_prefix_problem, MAX_DOMAIN_PREFIX, RESERVED_DOMAIN_WORDS};
pub use environments::{is_account_id, MAX_ENVIRONMENT_NAME};
pub use providers::is_dynamic_reference;
pub use tags::names_a_secret;
pub use triggers::INBOUND_FEDERATION_HELP;
pub(crate) use triggers::LOG_RETENTION_DAYS;

/// One validation finding, by spec path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    pub path: String,
    pub message: String,
    pub help: String,
    /// Point at the key rather than the value (the key itself is what is wrong).
    pub at_key: bool,
}

/// Validate a spec; the findings come in rule order (the loader sorts them by position).
pub fn validate(spec: &PoolSpec) -> Vec<Finding> {
    let mut checker = Checker {
        spec,
        findings: Vec::new(),
    };
    checker.name();
    checker.plan();
    checker.sign_in();
    checker.sign_up();
    checker.passwordless();
    checker.email();
    checker.sms();
    checker.verification();
    checker.password();
    checker.mfa();
    checker.attributes();
    checker.identity_providers();
    checker.clients();
    checker.domain();
    checker.groups();
    checker.resource_servers();
    checker.triggers();
    checker.trigger_arns();
    checker.tags();
    checker.protection();
    checker.environments();
    checker.findings
}

/// The validator context: the spec under check and the findings so far. The rule groups
/// report through [`Checker::error`], [`Checker::error_at_key`] and [`Checker::warning`].
struct Checker<'a> {
    spec: &'a PoolSpec,
    findings: Vec<Finding>,
}

impl Checker<'_> {
    fn push(
        &mut self,
        severity: Severity,
        path: String,
        message: String,
        help: String,
        at_key: bool,
    ) {
        self.findings.push(Finding {
            severity,
            path,
            message,
            help,
            at_key,
        });
    }

    fn error(
        &mut self,
        path: impl Into<String>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.push(
            Severity::Error,
            path.into(),
            message.into(),
            help.into(),
            false,
        );
    }

    fn error_at_key(
        &mut self,
        path: impl Into<String>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.push(
            Severity::Error,
            path.into(),
            message.into(),
            help.into(),
            true,
        );
    }

    fn warning(
        &mut self,
        path: impl Into<String>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.push(
            Severity::Warning,
            path.into(),
            message.into(),
            help.into(),
            false,
        );
    }
}
