//! `users audit`: scan every user, classifying each as its page arrives, and count.

use std::collections::BTreeMap;
use std::sync::Arc;

use tokio::sync::mpsc;

use crate::classify::{AuditRules, Class, Classifier, Finding};
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

/// Pages the scans may have sent ahead of classification: a little slack for sixteen scans.
const PAGES_AHEAD: usize = 32;

/// Scans `pool` and classifies every user, holding the findings and counts but never the
/// whole pool.
pub async fn audit(
    cognito: &Arc<Cognito>,
    pool: &Pool,
    options: AuditOptions,
) -> Result<AuditReport, UsersError> {
    let mut classifier = Classifier::new(AuditRules {
        now: options.now,
        unconfirmed_days: options.unconfirmed_days,
        temp_password_days: pool.temp_password_days,
        email_is_sign_in: pool.email_is_sign_in,
    });
    let (pages, mut arriving) = mpsc::channel(PAGES_AHEAD);
    let scan = cognito.scan(&pool.id, options.partitioning, pages);
    let classify = async {
        while let Some(page) = arriving.recv().await {
            for user in page {
                classifier.add(user);
            }
        }
    };
    let (scan, ()) = tokio::join!(scan, classify);
    let scan = scan?;
    let pool_id = pool.id.as_str();
    let classified = classifier
        .finish(|email: String| async move { cognito.users_with_email(pool_id, &email).await })
        .await?;
    Ok(AuditReport {
        pool_id: pool.id.clone(),
        scanned: classified.scanned,
        counts: classified.counts,
        findings: classified.findings,
        scan,
    })
}
