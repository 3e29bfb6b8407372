//! The alias trap, in one place. When email signs users in (as an alias or as the username),
//! only one user can hold an address verified: marking a second user's identical address
//! verified moves the alias to it and silently un-verifies the first, who then is stuck.
//! A remediation that strands one user to free another is refused unless asked for.

use std::collections::HashMap;
use std::future::Future;

use bloomfilter::Bloom;
use futures_util::stream::{self, StreamExt, TryStreamExt};

use crate::record::UserRecord;

/// The address `user` holds verified, lower-cased: what takes the alias.
fn held_address(user: &UserRecord) -> Option<String> {
    user.is_verified().then(|| user.address()).flatten()
}

/// Who holds each address verified, by lower-cased address.
#[derive(Debug, Default)]
pub struct AliasIndex {
    holders: HashMap<String, Vec<String>>,
}

impl AliasIndex {
    /// Indexes the verified addresses among `users`.
    pub fn build<'a>(users: impl IntoIterator<Item = &'a UserRecord>) -> AliasIndex {
        let mut holders: HashMap<String, Vec<String>> = HashMap::new();
        for user in users {
            if let Some(address) = held_address(user) {
                holders
                    .entry(address)
                    .or_default()
                    .push(user.username.clone());
            }
        }
        AliasIndex { holders }
    }

    /// The other user that holds `user`'s address verified, if any: marking `user` verified
    /// would take the alias from them.
    pub fn holder_other_than(&self, user: &UserRecord) -> Option<&str> {
        let address = user.address()?;
        self.holders
            .get(&address)?
            .iter()
            .find(|holder| **holder != user.username)
            .map(String::as_str)
    }
}

/// How many verified addresses [`HolderWatch`]'s filter is sized for: 1.2 MB whatever the
/// pool. Past it the filter answers "maybe" more often, which costs lookups, never answers.
const VERIFIED_ADDRESSES: usize = 1_000_000;
/// The share of addresses never seen verified that the filter calls maybe-seen at that size.
const FALSE_POSITIVE_RATE: f64 = 0.01;
/// Lookups in flight at once at the end of an audit (the UserList limiter sets their pace).
const LOOKUPS_AT_ONCE: usize = 16;
/// A fixed seed: the filter lives for one audit, and a collision costs only a lookup.
const SEED: [u8; 32] = *b"poolctl users audit verified adr";

/// Finds the holder of each candidate's address (a confirmed user whose address is
/// unverified) while users stream past once, in any order, without remembering every user.
///
/// A holder that comes after a candidate is recorded under the candidate's address. One that
/// came before is only in a fixed-size Bloom filter of verified addresses; when a candidate's
/// address is in it, the address is looked up at the end ([`HolderWatch::holders`]), which
/// also confirms a false positive away. Memory: the filter, plus the candidates, which are
/// findings anyway.
pub struct HolderWatch {
    verified: Bloom<str>,
    /// By lower-cased address.
    candidates: HashMap<String, Candidates>,
}

#[derive(Default)]
struct Candidates {
    usernames: Vec<String>,
    /// Holders seen after the address's first candidate.
    holders: Vec<String>,
    /// The address as the first candidate stores it, when a holder may have come before it
    /// (holders before a later candidate came after the first, so they are in `holders`).
    look_up: Option<String>,
}

impl Default for HolderWatch {
    fn default() -> HolderWatch {
        HolderWatch::sized(VERIFIED_ADDRESSES, FALSE_POSITIVE_RATE)
    }
}

impl HolderWatch {
    /// A watch whose filter is sized for `addresses` verified addresses at `false_positives`.
    fn sized(addresses: usize, false_positives: f64) -> HolderWatch {
        HolderWatch {
            verified: Bloom::new_for_fp_rate_with_seed(addresses, false_positives, &SEED)
                .expect("the size and rate are constants within range"),
            candidates: HashMap::new(),
        }
    }

    /// Notes `user` if it holds its address verified.
    pub fn see(&mut self, user: &UserRecord) {
        let Some(address) = held_address(user) else {
            return;
        };
        if let Some(candidates) = self.candidates.get_mut(&address) {
            candidates.holders.push(user.username.clone());
        }
        self.verified.set(address.as_str());
    }

    /// Notes `user` as a candidate: confirmed, with an unverified address.
    pub fn candidate(&mut self, user: &UserRecord) {
        let (Some(address), Some(email)) = (user.address(), user.email.as_deref()) else {
            return;
        };
        let maybe_before = self.verified.check(address.as_str());
        let candidates = self
            .candidates
            .entry(address)
            .or_insert_with(|| Candidates {
                look_up: maybe_before.then(|| email.to_owned()),
                ..Candidates::default()
            });
        candidates.usernames.push(user.username.clone());
    }

    /// The holder of each candidate's address other than the candidate (the first by
    /// username, as [`AliasIndex::holder_other_than`] gives it), by candidate username.
    /// `look_up` gives the users whose email is the address as stored (ListUsers filtered by
    /// email); it is asked once per address the filter may have seen before its candidate.
    pub async fn holders<L, F, E>(mut self, mut look_up: L) -> Result<HashMap<String, String>, E>
    where
        L: FnMut(String) -> F,
        F: Future<Output = Result<Vec<UserRecord>, E>>,
    {
        // Several at once: far from the region, one at a time would not use the quota.
        let asks: Vec<(String, String)> = self
            .candidates
            .iter_mut()
            .filter_map(|(address, candidates)| Some((address.clone(), candidates.look_up.take()?)))
            .collect();
        let answers: Vec<(String, Vec<UserRecord>)> = stream::iter(asks)
            .map(|(address, email)| {
                let same = look_up(email);
                async move { Ok((address, same.await?)) }
            })
            .buffer_unordered(LOOKUPS_AT_ONCE)
            .try_collect()
            .await?;
        for (address, same) in answers {
            if let Some(candidates) = self.candidates.get_mut(&address) {
                candidates.holders.extend(
                    same.iter()
                        .filter(|user| held_address(user).as_ref() == Some(&address))
                        .map(|user| user.username.clone()),
                );
            }
        }
        let mut found = HashMap::new();
        for mut candidates in self.candidates.into_values() {
            candidates.holders.sort();
            for username in candidates.usernames {
                if let Some(holder) = candidates.holders.iter().find(|h| **h != username) {
                    found.insert(username, holder.clone());
                }
            }
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::convert::Infallible;

    use super::*;

    fn user(name: &str, email: &str, verified: Option<bool>) -> UserRecord {
        UserRecord {
            username: name.into(),
            sub: None,
            status: "CONFIRMED".into(),
            enabled: true,
            email: Some(email.into()),
            email_verified: verified,
            created: 0,
            modified: 0,
            provider: None,
        }
    }

    #[test]
    fn an_address_held_verified_by_someone_else_is_a_conflict_regardless_of_case() {
        let holder = user("old", "Pat@Example.com", Some(true));
        let newcomer = user("new", "pat@example.com", None);
        let index = AliasIndex::build([&holder, &newcomer]);
        assert_eq!(index.holder_other_than(&newcomer), Some("old"));
        // The holder itself is not in conflict with its own alias.
        assert_eq!(index.holder_other_than(&holder), None);
    }

    #[test]
    fn unverified_duplicates_hold_nothing() {
        let a = user("a", "dup@example.com", Some(false));
        let b = user("b", "dup@example.com", None);
        let index = AliasIndex::build([&a, &b]);
        assert_eq!(index.holder_other_than(&a), None);
        assert_eq!(index.holder_other_than(&b), None);
    }

    /// Streams `users` through `watch` (candidates: the unverified ones) and resolves it
    /// against `pool` as the lookup, returning the holders and the addresses looked up. The
    /// lookup matches as ListUsers's email filter does: the whole value, in any case.
    fn stream(
        mut watch: HolderWatch,
        users: &[UserRecord],
        pool: &[UserRecord],
    ) -> (HashMap<String, String>, Vec<String>) {
        for user in users {
            watch.see(user);
            if !user.is_verified() {
                watch.candidate(user);
            }
        }
        let asked = RefCell::new(Vec::new());
        let holders = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(watch.holders(|email: String| {
                let same: Vec<UserRecord> = pool
                    .iter()
                    .filter(|u| u.address() == Some(email.to_lowercase()))
                    .cloned()
                    .collect();
                asked.borrow_mut().push(email);
                async move { Ok::<_, Infallible>(same) }
            }))
            .unwrap();
        (holders, asked.into_inner())
    }

    #[test]
    fn a_holder_after_its_candidate_is_found_without_a_lookup() {
        let users = [
            user("new", "pat@example.com", None),
            user("old", "pat@example.com", Some(true)),
        ];
        let (holders, asked) = stream(HolderWatch::default(), &users, &users);
        assert_eq!(holders.get("new").map(String::as_str), Some("old"));
        assert!(asked.is_empty(), "{asked:?}");
    }

    #[test]
    fn a_holder_before_its_candidate_is_confirmed_by_one_lookup_per_address() {
        let users = [
            user("old", "pat@example.com", Some(true)),
            user("new", "pat@example.com", None),
            user("newer", "pat@example.com", Some(false)),
            user("alone", "sam@example.com", None),
        ];
        let (holders, asked) = stream(HolderWatch::default(), &users, &users);
        assert_eq!(holders.get("new").map(String::as_str), Some("old"));
        assert_eq!(holders.get("newer").map(String::as_str), Some("old"));
        assert_eq!(holders.get("alone"), None);
        assert_eq!(asked, ["pat@example.com"]);
    }

    #[test]
    fn each_address_a_holder_came_before_is_looked_up_once() {
        let users = [
            user("pat-old", "pat@example.com", Some(true)),
            user("sam-old", "sam@example.com", Some(true)),
            user("pat-new", "pat@example.com", None),
            user("sam-new", "SAM@example.com", None),
            user("sam-newer", "sam@example.com", None),
        ];
        let (holders, mut asked) = stream(HolderWatch::default(), &users, &users);
        asked.sort();
        assert_eq!(asked, ["SAM@example.com", "pat@example.com"]);
        assert_eq!(holders.get("pat-new").map(String::as_str), Some("pat-old"));
        assert_eq!(holders.get("sam-new").map(String::as_str), Some("sam-old"));
        assert_eq!(
            holders.get("sam-newer").map(String::as_str),
            Some("sam-old")
        );
    }

    #[test]
    fn the_first_holder_by_username_wins_wherever_each_came() {
        let users = [
            user("m-holder", "pat@example.com", Some(true)),
            user("new", "pat@example.com", None),
            user("a-holder", "pat@example.com", Some(true)),
        ];
        let (holders, _) = stream(HolderWatch::default(), &users, &users);
        assert_eq!(holders.get("new").map(String::as_str), Some("a-holder"));
    }

    #[test]
    fn a_false_positive_is_confirmed_away_by_the_lookup() {
        // A filter of one byte for many addresses: every check says "maybe".
        let mut users: Vec<_> = (0..50)
            .map(|i| user(&format!("v{i}"), &format!("v{i}@example.com"), Some(true)))
            .collect();
        users.push(user("lonely", "lonely@example.com", None));
        let watch = HolderWatch::sized(1, 0.99);
        let (holders, asked) = stream(watch, &users, &users);
        assert_eq!(asked, ["lonely@example.com"], "the filter gave a positive");
        assert!(holders.is_empty(), "{holders:?}");
    }
}
