//! `users audit`: scan every user, classify, count.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::classify::{classify, count_by_class, AuditRules, Class, Finding};
use crate::cognito::Cognito;
use crate::pool::Pool;
use crate::scan::{Partitioning, ScanPlan};
use crate::UsersError;

/// The audit's thresholds.
#[derive(Clone, Copy, Debug)]
pub struct AuditOptions {
    /// Now, in seconds since the Unix epoch.
    pub now: i64,
    pub unconfirmed_days: u32,
    pub partitioning: Partitioning,
}

/// What an audit found.
#[derive(Clone, Debug)]
pub struct AuditReport {
    pub pool_id: String,
    pub scanned: u64,
    /// Every class, zeros included.
    pub counts: BTreeMap<Class, u64>,
    /// Every user not `ok`, by username.
    pub findings: Vec<Finding>,
    /// How the pool was scanned.
    pub scan: ScanPlan,
}

impl AuditReport {
    /// Users who can sign in but cannot recover their account by email.
    pub fn stranded(&self) -> u64 {
        self.counts
            .iter()
            .filter(|(class, _)| class.is_stranded())
            .map(|(_, n)| n)
            .sum()
    }
}

/// Scans `pool` and classifies every user.
pub async fn audit(
    cognito: &Arc<Cognito>,
    pool: &Pool,
    options: AuditOptions,
) -> Result<AuditReport, UsersError> {
    let (users, scan) = cognito.scan(&pool.id, options.partitioning).await?;
    let rules = AuditRules {
        now: options.now,
        unconfirmed_days: options.unconfirmed_days,
        temp_password_days: pool.temp_password_days,
        email_is_sign_in: pool.email_is_sign_in,
    };
    let findings = classify(&users, &rules);
    let counts = count_by_class(&findings);
    Ok(AuditReport {
        pool_id: pool.id.clone(),
        scanned: users.len() as u64,
        counts,
        findings: findings
            .into_iter()
            .filter(|f| f.class != Class::Ok)
            .collect(),
        scan,
    })
}
