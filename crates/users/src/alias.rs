//! The alias trap, in one place. When email signs users in (as an alias or as the username),
//! only one user can hold an address verified: marking a second user's identical address
//! verified moves the alias to it and silently un-verifies the first, who then is stuck.
//! A remediation that strands one user to free another is refused unless asked for.

use std::collections::HashMap;

use crate::record::UserRecord;

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
            if let (true, Some(address)) = (user.is_verified(), user.address()) {
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

#[cfg(test)]
mod tests {
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
}
