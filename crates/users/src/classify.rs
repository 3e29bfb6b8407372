//! Classification: what state each user is in, why, and what fixes it. Pure: the audit feeds
//! it scanned users page by page, tests feed it constructed ones.

use std::collections::BTreeMap;
use std::future::Future;

use serde::{Deserialize, Serialize};

use crate::alias::HolderWatch;
use crate::record::{UserRecord, STATUS_EXTERNAL, STATUS_FORCE_CHANGE, STATUS_UNCONFIRMED};

const DAY: i64 = 86_400;

/// The state of one user, as far as `email_verified` is concerned. A user is in exactly one
/// class: the first that applies in the order below.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    /// Disabled: nothing else matters until an operator enables the user.
    Disabled,
    /// Signed in through an identity provider whose sign-in left `email_verified` false.
    FederatedUnverified,
    /// Signed up but never confirmed, for longer than the audit's threshold.
    UnconfirmedStale,
    /// Created by an administrator; the temporary password has expired unused.
    ForceChangeExpired,
    /// Confirmed, unverified, and another user holds the same address verified.
    DuplicateEmail,
    /// Confirmed, has an email, `email_verified` false or absent: cannot reset a password.
    Stuck,
    /// Nothing to fix.
    Ok,
}

impl Class {
    pub const ALL: [Class; 7] = [
        Class::Stuck,
        Class::DuplicateEmail,
        Class::FederatedUnverified,
        Class::UnconfirmedStale,
        Class::ForceChangeExpired,
        Class::Disabled,
        Class::Ok,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Class::Disabled => "disabled",
            Class::FederatedUnverified => "federated_unverified",
            Class::UnconfirmedStale => "unconfirmed_stale",
            Class::ForceChangeExpired => "force_change_expired",
            Class::DuplicateEmail => "duplicate_email",
            Class::Stuck => "stuck",
            Class::Ok => "ok",
        }
    }

    /// Users who can sign in but cannot recover their account by email: the classes that
    /// make an audit fail.
    pub fn is_stranded(self) -> bool {
        matches!(
            self,
            Class::Stuck | Class::DuplicateEmail | Class::FederatedUnverified
        )
    }

    /// How users get into this class.
    pub fn cause(self) -> &'static str {
        match self {
            Class::Stuck => {
                "signed up by an agent and confirmed with AdminConfirmSignUp, created by an \
                 admin without email_verified, or changed their email before \
                 keep-original-until-verified was on"
            }
            Class::DuplicateEmail => {
                "another account confirmed the same address, and the email alias stays with \
                 the account that holds it verified"
            }
            Class::FederatedUnverified => {
                "the identity provider's email_verified claim is not mapped, or the provider \
                 said false"
            }
            Class::UnconfirmedStale => "a self-service sign-up that never entered its code",
            Class::ForceChangeExpired => {
                "created by an administrator; the invitation's temporary password expired"
            }
            Class::Disabled => "disabled by an administrator",
            Class::Ok => "verified, or nothing to verify",
        }
    }

    /// What fixes it.
    pub fn fix(self) -> &'static str {
        match self {
            Class::Stuck => "poolctl users verify --class stuck (on the operator's authority)",
            Class::DuplicateEmail => {
                "decide which account keeps the address; verify moves the alias only with \
                 --move-alias, and the other account is then the stuck one"
            }
            Class::FederatedUnverified => {
                "map email_verified in the provider's attribute mapping (or trust the provider \
                 in the trigger); the next sign-in updates the user"
            }
            Class::UnconfirmedStale => {
                "resend the code (ResendConfirmationCode), or delete the sign-up"
            }
            Class::ForceChangeExpired => "re-invite: AdminCreateUser with MessageAction RESEND",
            Class::Disabled => "enable the user first if they should sign in",
            Class::Ok => "nothing",
        }
    }
}

impl std::fmt::Display for Class {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Class {
    type Err = String;
    fn from_str(text: &str) -> Result<Class, String> {
        Class::ALL
            .into_iter()
            .find(|c| c.as_str() == text)
            .ok_or_else(|| {
                let names: Vec<_> = Class::ALL.iter().map(|c| c.as_str()).collect();
                format!("unknown class {text:?} (one of {})", names.join(", "))
            })
    }
}

/// The thresholds and pool facts classification depends on.
#[derive(Clone, Copy, Debug)]
pub struct AuditRules {
    /// Now, in seconds since the Unix epoch.
    pub now: i64,
    /// Unconfirmed for longer than this many days is `unconfirmed_stale`.
    pub unconfirmed_days: u32,
    /// The pool's temporary-password validity (`TemporaryPasswordValidityDays`).
    pub temp_password_days: u32,
    /// Email signs users in (an alias or the username): the alias trap applies.
    pub email_is_sign_in: bool,
}

/// One user's class, with the user that holds the address for `duplicate_email`. A line of
/// the audit's JSON Lines output.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub class: Class,
    #[serde(flatten)]
    pub user: UserRecord,
    /// For `duplicate_email`: the user that holds the address verified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holder: Option<String>,
}

/// Classifies users as they arrive, keeping the findings (every user not `ok`, each once by
/// username) and a count of the `ok` ones, but no list of every user.
///
/// A user that a concurrent write moves across a page boundary can be read twice or not at
/// all (ListUsers pages are offsets, not a snapshot). The scan drops a repeat within one
/// listing's consecutive pages; beyond that, a finding read twice is kept once, and an `ok`
/// user read twice is counted twice, so `ok` and `scanned` are off by at most the number of
/// users written during the scan.
pub struct Classifier {
    rules: AuditRules,
    ok: u64,
    findings: BTreeMap<String, Finding>,
    /// Only when email signs users in: the alias trap applies.
    holders: Option<HolderWatch>,
}

/// What a [`Classifier`] found.
#[derive(Clone, Debug)]
pub struct Classified {
    /// Users classified.
    pub scanned: u64,
    /// Every class, zeros included.
    pub counts: BTreeMap<Class, u64>,
    /// Every user not `ok`, by username.
    pub findings: Vec<Finding>,
}

impl Classifier {
    pub fn new(rules: AuditRules) -> Classifier {
        Classifier {
            rules,
            ok: 0,
            findings: BTreeMap::new(),
            holders: rules.email_is_sign_in.then(HolderWatch::default),
        }
    }

    /// Classifies one user. A `stuck` user may turn out `duplicate_email` in
    /// [`finish`](Classifier::finish), when the whole pool has been seen.
    pub fn add(&mut self, user: UserRecord) {
        let class = classify_one(&user, &self.rules);
        if let Some(holders) = &mut self.holders {
            holders.see(&user);
            if class == Class::Stuck {
                holders.candidate(&user);
            }
        }
        if class == Class::Ok {
            self.ok += 1;
            return;
        }
        let finding = Finding {
            class,
            user,
            holder: None,
        };
        self.findings.insert(finding.user.username.clone(), finding);
    }

    /// The counts and findings, once every user has been added. `look_up` gives the users
    /// whose email is an address as stored (ListUsers filtered by email in the audit): it
    /// confirms a holder that may have come before its duplicate (see [`HolderWatch`]).
    pub async fn finish<L, F, E>(self, look_up: L) -> Result<Classified, E>
    where
        L: FnMut(String) -> F,
        F: Future<Output = Result<Vec<UserRecord>, E>>,
    {
        let mut holders = match self.holders {
            Some(watch) => watch.holders(look_up).await?,
            None => Default::default(),
        };
        let findings: Vec<Finding> = self
            .findings
            .into_values()
            .map(|mut finding| {
                // Only a user still `stuck`: a later read of the same user may have put it
                // in another class.
                if let Some(holder) = holders
                    .remove(&finding.user.username)
                    .filter(|_| finding.class == Class::Stuck)
                {
                    finding.class = Class::DuplicateEmail;
                    finding.holder = Some(holder);
                }
                finding
            })
            .collect();
        let mut counts = count_by_class(&findings);
        *counts.entry(Class::Ok).or_default() += self.ok;
        Ok(Classified {
            scanned: self.ok + findings.len() as u64,
            counts,
            findings,
        })
    }
}

/// One user's class, judged alone: a `stuck` user may yet be `duplicate_email`, which takes
/// the other users.
fn classify_one(user: &UserRecord, rules: &AuditRules) -> Class {
    // `>=`: with a threshold of 0 days every such user counts, whatever its age.
    let older_than = |time: i64, days: u32| rules.now - time >= i64::from(days) * DAY;
    let unverified_email = user.email.is_some() && !user.is_verified();
    if !user.enabled {
        return Class::Disabled;
    }
    if user.status == STATUS_EXTERNAL {
        let class = if unverified_email {
            Class::FederatedUnverified
        } else {
            Class::Ok
        };
        return class;
    }
    if user.status == STATUS_UNCONFIRMED {
        let class = if older_than(user.created, rules.unconfirmed_days) {
            Class::UnconfirmedStale
        } else {
            Class::Ok
        };
        return class;
    }
    if user.status == STATUS_FORCE_CHANGE {
        // The temporary password was set when the user was created or last re-invited.
        let class = if older_than(user.modified, rules.temp_password_days) {
            Class::ForceChangeExpired
        } else {
            Class::Ok
        };
        return class;
    }
    if user.is_confirmed() && unverified_email {
        return Class::Stuck;
    }
    Class::Ok
}

/// How many users are in each class (every class present, zeros included).
pub fn count_by_class(findings: &[Finding]) -> BTreeMap<Class, u64> {
    let mut counts: BTreeMap<Class, u64> = Class::ALL.into_iter().map(|c| (c, 0)).collect();
    for finding in findings {
        *counts.entry(finding.class).or_default() += 1;
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000;

    fn rules(email_is_sign_in: bool) -> AuditRules {
        AuditRules {
            now: NOW,
            unconfirmed_days: 7,
            temp_password_days: 7,
            email_is_sign_in,
        }
    }

    fn user(name: &str, status: &str, email: Option<&str>, verified: Option<bool>) -> UserRecord {
        UserRecord {
            username: name.into(),
            sub: Some(format!("sub-{name}")),
            status: status.into(),
            enabled: true,
            email: email.map(str::to_owned),
            email_verified: verified,
            created: NOW - 3600,
            modified: NOW - 3600,
            provider: None,
        }
    }

    /// Every user's finding, `ok` ones included, through the streaming [`Classifier`] with
    /// `users` themselves as the lookup by address (in any case, as ListUsers's filter).
    fn classify(users: &[UserRecord], rules: &AuditRules) -> Vec<Finding> {
        let mut classifier = Classifier::new(*rules);
        for user in users {
            classifier.add(user.clone());
        }
        let look_up = |email: String| {
            let same: Vec<UserRecord> = users
                .iter()
                .filter(|u| u.address() == Some(email.to_lowercase()))
                .cloned()
                .collect();
            async move { Ok::<_, std::convert::Infallible>(same) }
        };
        let classified = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(classifier.finish(look_up))
            .unwrap();
        assert_eq!(classified.scanned, users.len() as u64);
        users
            .iter()
            .map(|user| {
                classified
                    .findings
                    .iter()
                    .find(|f| f.user.username == user.username)
                    .cloned()
                    .unwrap_or_else(|| Finding {
                        class: Class::Ok,
                        user: user.clone(),
                        holder: None,
                    })
            })
            .collect()
    }

    fn class_of(users: &[UserRecord], name: &str, email_is_sign_in: bool) -> Class {
        classify(users, &rules(email_is_sign_in))
            .into_iter()
            .find(|f| f.user.username == name)
            .unwrap()
            .class
    }

    #[test]
    fn confirmed_with_an_unverified_or_absent_email_is_stuck() {
        let users = [
            user("absent", "CONFIRMED", Some("a@x.io"), None),
            user("false", "CONFIRMED", Some("b@x.io"), Some(false)),
            user("reset", "RESET_REQUIRED", Some("c@x.io"), None),
            user("fine", "CONFIRMED", Some("d@x.io"), Some(true)),
            user("no-email", "CONFIRMED", None, None),
        ];
        assert_eq!(class_of(&users, "absent", true), Class::Stuck);
        assert_eq!(class_of(&users, "false", true), Class::Stuck);
        assert_eq!(class_of(&users, "reset", true), Class::Stuck);
        assert_eq!(class_of(&users, "fine", true), Class::Ok);
        assert_eq!(class_of(&users, "no-email", true), Class::Ok);
    }

    #[test]
    fn a_duplicate_names_the_holder_only_when_email_signs_in() {
        let users = [
            user("holder", "CONFIRMED", Some("Dup@x.io"), Some(true)),
            user("second", "CONFIRMED", Some("dup@x.io"), None),
        ];
        let findings = classify(&users, &rules(true));
        let second = findings
            .iter()
            .find(|f| f.user.username == "second")
            .unwrap();
        assert_eq!(second.class, Class::DuplicateEmail);
        assert_eq!(second.holder.as_deref(), Some("holder"));
        assert_eq!(class_of(&users, "holder", true), Class::Ok);
        // Without email sign-in, two users may both hold the address verified: no trap.
        assert_eq!(class_of(&users, "second", false), Class::Stuck);
    }

    #[test]
    fn unconfirmed_and_temporary_passwords_age_out() {
        let mut stale = user("stale", "UNCONFIRMED", Some("s@x.io"), None);
        stale.created = NOW - 8 * DAY;
        let fresh = user("fresh", "UNCONFIRMED", Some("f@x.io"), None);
        let mut expired = user("expired", "FORCE_CHANGE_PASSWORD", Some("e@x.io"), None);
        expired.modified = NOW - 8 * DAY;
        let pending = user("pending", "FORCE_CHANGE_PASSWORD", Some("p@x.io"), None);
        let users = [stale, fresh, expired, pending];
        assert_eq!(class_of(&users, "stale", true), Class::UnconfirmedStale);
        assert_eq!(class_of(&users, "fresh", true), Class::Ok);
        assert_eq!(class_of(&users, "expired", true), Class::ForceChangeExpired);
        assert_eq!(class_of(&users, "pending", true), Class::Ok);
    }

    #[test]
    fn federated_users_are_judged_by_their_claim_and_disabled_wins() {
        let mut unmapped = user("Corp_1", "EXTERNAL_PROVIDER", Some("u@x.io"), None);
        unmapped.provider = Some("Corp".into());
        let mapped = user("Corp_2", "EXTERNAL_PROVIDER", Some("m@x.io"), Some(true));
        let mut disabled = user("off", "CONFIRMED", Some("o@x.io"), None);
        disabled.enabled = false;
        let users = [unmapped, mapped, disabled];
        assert_eq!(class_of(&users, "Corp_1", true), Class::FederatedUnverified);
        assert_eq!(class_of(&users, "Corp_2", true), Class::Ok);
        assert_eq!(class_of(&users, "off", true), Class::Disabled);
    }

    #[test]
    fn a_finding_read_twice_is_kept_once_in_username_order() {
        let stuck = user("b-stuck", "CONFIRMED", Some("b@x.io"), None);
        let mut classifier = Classifier::new(rules(true));
        for user in [stuck.clone(), user("a-off", "CONFIRMED", None, None), stuck] {
            classifier.add(user);
        }
        let mut disabled = user("a-disabled", "CONFIRMED", Some("a@x.io"), None);
        disabled.enabled = false;
        classifier.add(disabled);
        let classified = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(
                classifier
                    .finish(|_: String| async { Ok::<_, std::convert::Infallible>(Vec::new()) }),
            )
            .unwrap();
        let names: Vec<_> = classified
            .findings
            .iter()
            .map(|f| f.user.username.as_str())
            .collect();
        assert_eq!(names, ["a-disabled", "b-stuck"]);
        assert_eq!(classified.counts[&Class::Stuck], 1);
        assert_eq!(classified.counts[&Class::Ok], 1);
        assert_eq!(classified.scanned, 3);
    }

    #[test]
    fn counts_cover_every_class_and_names_round_trip() {
        let counts = count_by_class(&classify(
            &[user("a", "CONFIRMED", Some("a@x.io"), None)],
            &rules(true),
        ));
        assert_eq!(counts.len(), Class::ALL.len());
        assert_eq!(counts[&Class::Stuck], 1);
        for class in Class::ALL {
            assert_eq!(class.as_str().parse::<Class>(), Ok(class));
            let json = serde_json::to_string(&class).unwrap();
            assert_eq!(json, format!("\"{class}\""));
        }
        assert!("nope".parse::<Class>().is_err());
    }
}
