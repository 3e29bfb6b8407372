//! `users verify`: set `email_verified=true` for chosen users, at the UserUpdate quota, each
//! checked against the live pool just before acting.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use aws_sdk_cognitoidentityprovider::types::AttributeType;
use serde::Serialize;
use tokio_util::sync::CancellationToken;

use crate::alias::AliasIndex;
use crate::classify::{Class, Finding};
use crate::cognito::Cognito;
use crate::journal::Journal;
use crate::pool::Pool;
use crate::record::{parse_time, UserRecord};
use crate::workers::{run_all, NOT_STARTED};
use crate::UsersError;

/// The classes verify acts on. The others have fixes of their own (`Class::fix`).
pub const VERIFIABLE: [Class; 2] = [Class::Stuck, Class::DuplicateEmail];

/// Which of the audit's findings to act on.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// Only these classes (each must be in [`VERIFIABLE`]).
    pub classes: Vec<Class>,
    /// Only addresses at these domains (lower case), if any are given.
    pub domains: Vec<String>,
    /// Only users created before this time (seconds since the epoch).
    pub created_before: Option<i64>,
}

/// Why the operator's selection cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SelectionError {
    /// The class has a fix of its own; verifying would not be it.
    #[error("verify acts on stuck and duplicate_email users; {class}: {}", class.fix())]
    NotVerifiable { class: Class },

    #[error("--created-before {text:?}: expected RFC 3339, e.g. 2026-01-31T00:00:00Z")]
    BadTime { text: String },
}

impl Selection {
    /// The selection as the operator gives it: at most one class (verifiable), email domains
    /// with or without the `@`, in any case, and a creation time as RFC 3339 (or a bare date).
    pub fn new(
        class: Option<Class>,
        domains: &[String],
        created_before: Option<&str>,
    ) -> Result<Selection, SelectionError> {
        if let Some(class) = class.filter(|c| !VERIFIABLE.contains(c)) {
            return Err(SelectionError::NotVerifiable { class });
        }
        let created_before = created_before
            .map(|text| {
                parse_time(text).ok_or_else(|| SelectionError::BadTime {
                    text: text.to_owned(),
                })
            })
            .transpose()?;
        Ok(Selection {
            classes: class.into_iter().collect(),
            domains: domains
                .iter()
                .map(|d| d.trim_start_matches('@').to_lowercase())
                .collect(),
            created_before,
        })
    }

    pub fn matches(&self, finding: &Finding) -> bool {
        VERIFIABLE.contains(&finding.class)
            && (self.classes.is_empty() || self.classes.contains(&finding.class))
            && (self.domains.is_empty()
                || finding
                    .user
                    .email_domain()
                    .is_some_and(|d| self.domains.contains(&d)))
            && self
                .created_before
                .is_none_or(|before| finding.user.created < before)
    }
}

/// What a verify run will act on, decided before anything changes.
#[derive(Clone, Debug)]
pub struct VerifyPlan {
    pub pool_id: String,
    /// The findings the selection was made from (the file's lines, or the audit's findings).
    pub listed: usize,
    /// The selected findings.
    pub targets: Vec<Finding>,
    /// Where the run journals its changes; none for a dry run, which changes nothing.
    pub journal: Option<PathBuf>,
}

impl VerifyPlan {
    /// Selects from `findings`. Unless it is a dry run, the journal is `journal`, or by default
    /// one named after the pool in the working directory, so that rerunning the same command
    /// resumes the same run.
    pub fn new(
        pool_id: &str,
        findings: Vec<Finding>,
        selection: &Selection,
        dry_run: bool,
        journal: Option<PathBuf>,
    ) -> VerifyPlan {
        let listed = findings.len();
        let targets = findings
            .into_iter()
            .filter(|f| selection.matches(f))
            .collect();
        let journal = (!dry_run).then(|| {
            journal.unwrap_or_else(|| PathBuf::from(format!("poolctl-verify-{pool_id}.journal")))
        });
        VerifyPlan {
            pool_id: pool_id.to_owned(),
            listed,
            targets,
            journal,
        }
    }

    /// Opens (or resumes) the plan's journal.
    pub fn open_journal(&self) -> Result<Option<Journal>, UsersError> {
        self.journal
            .as_deref()
            .map(|path| Journal::open(path, JOURNAL_COMMAND, &self.pool_id))
            .transpose()
    }
}

/// The command a verify journal belongs to (a create journal cannot be resumed as one).
const JOURNAL_COMMAND: &str = "verify";

/// What happened to one user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    Verified,
    /// Verified with `--move-alias`: `from` held the address and is now unverified.
    VerifiedMovingAlias {
        from: String,
    },
    /// A dry run: this user would be verified.
    WouldVerify,
    /// A dry run with `--move-alias`: the alias would move from `from`.
    WouldMoveAlias {
        from: String,
    },
    /// An earlier run of this journal verified the user.
    DoneEarlier,
    /// An earlier run was stopped after sending the change; the user is verified.
    Recovered,
    /// Verified since the audit by someone else (or the user).
    AlreadyVerified,
    /// The user no longer exists.
    Gone,
    /// The email changed since the audit: the audit's judgement no longer holds.
    EmailChanged,
    /// No longer confirmed (status given).
    NotConfirmed {
        status: String,
    },
    /// The alias trap: `holder` has the address verified, and verifying would take it away.
    Refused {
        holder: String,
    },
}

impl Outcome {
    /// Verified by this run or an earlier one.
    pub fn is_verified(&self) -> bool {
        matches!(
            self,
            Outcome::Verified
                | Outcome::VerifiedMovingAlias { .. }
                | Outcome::DoneEarlier
                | Outcome::Recovered
                | Outcome::AlreadyVerified
        )
    }

    pub fn name(&self) -> &'static str {
        match self {
            Outcome::Verified => "verified",
            Outcome::VerifiedMovingAlias { .. } => "verified_moving_alias",
            Outcome::WouldVerify => "would_verify",
            Outcome::WouldMoveAlias { .. } => "would_move_alias",
            Outcome::DoneEarlier => "done_earlier",
            Outcome::Recovered => "recovered",
            Outcome::AlreadyVerified => "already_verified",
            Outcome::Gone => "gone",
            Outcome::EmailChanged => "email_changed",
            Outcome::NotConfirmed { .. } => "not_confirmed",
            Outcome::Refused { .. } => "refused",
        }
    }
}

/// One user's result.
#[derive(Clone, Debug, Serialize)]
pub struct UserOutcome {
    pub username: String,
    #[serde(flatten)]
    pub outcome: Outcome,
}

#[derive(Clone, Copy, Debug, Default)]
pub struct VerifyOptions {
    pub dry_run: bool,
    /// Verify even when another user holds the address (the alias moves to this user).
    pub move_alias: bool,
}

/// What a run did.
#[derive(Clone, Debug, Serialize)]
pub struct VerifyReport {
    /// Selected users unverified when the run began.
    pub before: u64,
    /// Selected users still unverified at the end.
    pub after: u64,
    pub counts: BTreeMap<&'static str, u64>,
    pub users: Vec<UserOutcome>,
    /// Selected users the run never reached: it was stopped first (also in `counts`).
    pub not_started: u64,
    /// The most users handled at once (grown with the measured latency to reach the quota).
    pub workers: usize,
}

impl VerifyReport {
    fn new(mut users: Vec<UserOutcome>, not_started: u64, workers: usize) -> VerifyReport {
        users.sort_by(|a, b| a.username.cmp(&b.username));
        let mut counts = BTreeMap::new();
        for user in &users {
            *counts.entry(user.outcome.name()).or_default() += 1;
        }
        if not_started > 0 {
            counts.insert(NOT_STARTED, not_started);
        }
        let before = users.len() as u64 + not_started;
        let verified = users.iter().filter(|u| u.outcome.is_verified()).count() as u64;
        VerifyReport {
            before,
            after: before - verified,
            counts,
            users,
            not_started,
            workers,
        }
    }

    /// Users the alias trap refused.
    pub fn refused(&self) -> impl Iterator<Item = (&str, &str)> {
        self.users.iter().filter_map(|u| match &u.outcome {
            Outcome::Refused { holder } => Some((u.username.as_str(), holder.as_str())),
            _ => None,
        })
    }
}

/// Verifies `targets` (already selected) in `pool`, journaling each change unless dry.
/// Cancelling `stop` ends the run early: users already started finish and are journaled, the
/// rest are counted in [`VerifyReport::not_started`].
pub async fn verify(
    cognito: &Arc<Cognito>,
    pool: &Pool,
    targets: Vec<Finding>,
    journal: Option<Arc<Journal>>,
    options: VerifyOptions,
    stop: &CancellationToken,
) -> Result<VerifyReport, UsersError> {
    let run = Arc::new(Run {
        cognito: Arc::clone(cognito),
        pool: pool.clone(),
        journal,
        options,
        claimed: Mutex::new(HashMap::new()),
    });
    // Each user ends with one AdminUpdateUserAttributes: its quota sets the pace.
    let worked = run_all(
        targets,
        cognito.update.ceiling(),
        &cognito.counters,
        stop,
        {
            let run = Arc::clone(&run);
            move |finding| {
                let run = Arc::clone(&run);
                async move { run.work(finding).await }
            }
        },
    )
    .await;
    if let Some(journal) = &run.journal {
        journal.sync()?;
    }
    let worked = worked?;
    Ok(VerifyReport::new(
        worked.done,
        worked.not_started,
        worked.peak_workers,
    ))
}

struct Run {
    cognito: Arc<Cognito>,
    pool: Pool,
    journal: Option<Arc<Journal>>,
    options: VerifyOptions,
    /// Addresses this run is verifying, by lower-cased address: two selected users with one
    /// address would otherwise both pass the live check before either is changed.
    claimed: Mutex<HashMap<String, String>>,
}

impl Run {
    async fn work(&self, finding: Finding) -> Result<UserOutcome, UsersError> {
        let outcome = self.one(&finding).await?;
        self.cognito.counters.users.fetch_add(1, Ordering::Relaxed);
        Ok(UserOutcome {
            username: finding.user.username,
            outcome,
        })
    }

    async fn one(&self, finding: &Finding) -> Result<Outcome, UsersError> {
        let username = finding.user.username.as_str();
        if let Some(journal) = &self.journal {
            if journal.finished(username).is_some() {
                return Ok(Outcome::DoneEarlier);
            }
        }
        let Some(live) = self.read(username).await? else {
            return Ok(Outcome::Gone);
        };
        if live.address() != finding.user.address() {
            return Ok(Outcome::EmailChanged);
        }
        if live.is_verified() {
            return Ok(match &self.journal {
                Some(journal) if journal.was_started(username) => {
                    journal.finish(username, "recovered")?;
                    Outcome::Recovered
                }
                _ => Outcome::AlreadyVerified,
            });
        }
        if !live.is_confirmed() {
            return Ok(Outcome::NotConfirmed {
                status: live.status,
            });
        }
        let mut moving_from = None;
        if self.pool.email_is_sign_in {
            if let Some(holder) = self.alias_holder(&live).await? {
                if !self.options.move_alias {
                    return Ok(Outcome::Refused { holder });
                }
                moving_from = Some(holder);
            }
        }
        if self.options.dry_run {
            return Ok(match moving_from {
                Some(from) => Outcome::WouldMoveAlias { from },
                None => Outcome::WouldVerify,
            });
        }
        if let Some(journal) = &self.journal {
            journal.start(username)?;
        }
        self.cognito
            .call(
                "cognito-idp:AdminUpdateUserAttributes",
                &self.cognito.update,
                || {
                    self.cognito
                        .client
                        .admin_update_user_attributes()
                        .user_pool_id(&self.pool.id)
                        .username(username)
                        .user_attributes(verified_attribute())
                        .send()
                },
            )
            .await?;
        if let Some(journal) = &self.journal {
            journal.finish(username, "verified")?;
        }
        Ok(match moving_from {
            Some(from) => Outcome::VerifiedMovingAlias { from },
            None => Outcome::Verified,
        })
    }

    /// The user as the pool has it now; `None` when gone.
    async fn read(&self, username: &str) -> Result<Option<UserRecord>, UsersError> {
        let answer = self
            .cognito
            .call("cognito-idp:AdminGetUser", &self.cognito.read, || {
                self.cognito
                    .client
                    .admin_get_user()
                    .user_pool_id(&self.pool.id)
                    .username(username)
                    .send()
            })
            .await;
        match answer {
            Ok(user) => Ok(Some(UserRecord::from_parts(
                user.username(),
                user.user_attributes(),
                user.user_status(),
                user.enabled(),
                user.user_create_date(),
                user.user_last_modified_date(),
            ))),
            Err(error) if error.is_code("UserNotFoundException") => Ok(None),
            Err(error) => Err(error),
        }
    }

    /// Another user holding `user`'s address verified, in the pool or in this run.
    async fn alias_holder(&self, user: &UserRecord) -> Result<Option<String>, UsersError> {
        let (Some(address), Some(email)) = (user.address(), user.email.as_deref()) else {
            return Ok(None);
        };
        {
            let mut claimed = self
                .claimed
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            match claimed.get(&address) {
                Some(other) if *other != user.username => return Ok(Some(other.clone())),
                _ => {
                    claimed.insert(address, user.username.clone());
                }
            }
        }
        let same_address = self.cognito.users_with_email(&self.pool.id, email).await?;
        Ok(AliasIndex::build(&same_address)
            .holder_other_than(user)
            .map(str::to_owned))
    }
}

fn verified_attribute() -> AttributeType {
    AttributeType::builder()
        .name("email_verified")
        .value("true")
        .build()
        .expect("name is set")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(class: Class, email: &str, created: i64) -> Finding {
        Finding {
            class,
            user: UserRecord {
                username: "u".into(),
                sub: None,
                status: "CONFIRMED".into(),
                enabled: true,
                email: Some(email.into()),
                email_verified: None,
                created,
                modified: created,
                provider: None,
            },
            holder: None,
        }
    }

    #[test]
    fn selection_takes_only_verifiable_classes_and_applies_every_filter() {
        let all = Selection::default();
        assert!(all.matches(&finding(Class::Stuck, "a@x.io", 10)));
        assert!(all.matches(&finding(Class::DuplicateEmail, "a@x.io", 10)));
        assert!(!all.matches(&finding(Class::FederatedUnverified, "a@x.io", 10)));
        assert!(!all.matches(&finding(Class::Disabled, "a@x.io", 10)));

        let narrow = Selection {
            classes: vec![Class::Stuck],
            domains: vec!["x.io".into()],
            created_before: Some(100),
        };
        assert!(narrow.matches(&finding(Class::Stuck, "A@X.io", 10)));
        assert!(!narrow.matches(&finding(Class::DuplicateEmail, "a@x.io", 10)));
        assert!(!narrow.matches(&finding(Class::Stuck, "a@y.io", 10)));
        assert!(!narrow.matches(&finding(Class::Stuck, "a@x.io", 100)));
    }

    #[test]
    fn a_selection_is_read_as_the_operator_writes_it() {
        let selection = Selection::new(
            Some(Class::Stuck),
            &["@Example.COM".into(), "x.io".into()],
            Some("2026-01-31"),
        )
        .unwrap();
        assert_eq!(selection.classes, vec![Class::Stuck]);
        assert_eq!(selection.domains, vec!["example.com", "x.io"]);
        assert_eq!(selection.created_before, parse_time("2026-01-31T00:00:00Z"));
        assert!(selection.matches(&finding(Class::Stuck, "a@example.com", 10)));

        let none = Selection::new(None, &[], None).unwrap();
        assert!(none.classes.is_empty() && none.domains.is_empty());
        assert_eq!(none.created_before, None);
    }

    #[test]
    fn a_selection_refuses_classes_verify_cannot_fix_and_unreadable_times() {
        let error = Selection::new(Some(Class::FederatedUnverified), &[], None).unwrap_err();
        assert!(matches!(
            error,
            SelectionError::NotVerifiable {
                class: Class::FederatedUnverified
            }
        ));
        assert_eq!(
            error.to_string(),
            format!(
                "verify acts on stuck and duplicate_email users; federated_unverified: {}",
                Class::FederatedUnverified.fix()
            )
        );
        let error = Selection::new(None, &[], Some("yesterday")).unwrap_err();
        assert_eq!(
            error.to_string(),
            "--created-before \"yesterday\": expected RFC 3339, e.g. 2026-01-31T00:00:00Z"
        );
    }

    #[test]
    fn a_plan_selects_and_journals_by_pool_unless_a_dry_run() {
        let findings = vec![
            finding(Class::Stuck, "a@x.io", 10),
            finding(Class::Disabled, "b@x.io", 10),
            finding(Class::DuplicateEmail, "c@y.io", 10),
        ];
        let selection = Selection::new(None, &["x.io".into()], None).unwrap();
        let plan = VerifyPlan::new("eu-west-1_A", findings.clone(), &selection, false, None);
        assert_eq!(plan.listed, 3);
        assert_eq!(plan.targets, vec![findings[0].clone()]);
        assert_eq!(
            plan.journal,
            Some(PathBuf::from("poolctl-verify-eu-west-1_A.journal"))
        );

        let chosen = PathBuf::from("/tmp/mine.journal");
        let plan = VerifyPlan::new(
            "p",
            findings.clone(),
            &selection,
            false,
            Some(chosen.clone()),
        );
        assert_eq!(plan.journal, Some(chosen.clone()));

        let dry = VerifyPlan::new("p", findings, &selection, true, Some(chosen));
        assert_eq!(dry.journal, None);
        assert!(dry.open_journal().unwrap().is_none());
    }

    #[test]
    fn a_plans_journal_is_a_verify_journal_of_its_pool() {
        let dir = std::env::temp_dir().join(format!("users-plan-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("verify.journal");
        let _ = std::fs::remove_file(&path);
        let plan = VerifyPlan::new(
            "pool-1",
            Vec::new(),
            &Selection::default(),
            false,
            Some(path.clone()),
        );
        let journal = plan.open_journal().unwrap().unwrap();
        journal.start("alice").unwrap();
        journal.finish("alice", "verified").unwrap();
        drop(journal);
        // The same file cannot be resumed for another pool, nor by `create`.
        let other = VerifyPlan::new(
            "pool-2",
            Vec::new(),
            &Selection::default(),
            false,
            Some(path.clone()),
        );
        assert!(matches!(
            other.open_journal(),
            Err(UsersError::JournalMismatch { .. })
        ));
        assert!(matches!(
            crate::create::open_journal(&path, "pool-1"),
            Err(UsersError::JournalMismatch { .. })
        ));
        assert_eq!(plan.open_journal().unwrap().unwrap().finished_count(), 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn before_and_after_count_what_is_still_unverified() {
        let users = || {
            vec![
                UserOutcome {
                    username: "b".into(),
                    outcome: Outcome::Verified,
                },
                UserOutcome {
                    username: "a".into(),
                    outcome: Outcome::Refused { holder: "h".into() },
                },
                UserOutcome {
                    username: "c".into(),
                    outcome: Outcome::Recovered,
                },
            ]
        };
        let report = VerifyReport::new(users(), 0, 16);
        assert_eq!((report.before, report.after), (3, 1));
        assert_eq!(report.refused().collect::<Vec<_>>(), vec![("a", "h")]);
        assert_eq!(report.users[0].username, "a");
        assert_eq!(report.counts["verified"], 1);
        assert!(!report.counts.contains_key(NOT_STARTED));

        // A stopped run: the users it never reached are still unverified.
        let stopped = VerifyReport::new(users(), 4, 16);
        assert_eq!((stopped.before, stopped.after), (7, 5));
        assert_eq!(stopped.counts[NOT_STARTED], 4);
    }
}
