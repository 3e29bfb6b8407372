//! A user as the audit sees it: only what classification and the fixes need. Names, phone
//! numbers and every other attribute are dropped as soon as a page arrives.

use aws_sdk_cognitoidentityprovider::primitives::DateTime;
use aws_sdk_cognitoidentityprovider::types::{AttributeType, UserStatusType, UserType};
use serde::{Deserialize, Serialize};

/// One user of a pool, reduced to the fields the audit and the fixes read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRecord {
    pub username: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub: Option<String>,
    /// Cognito's status as it names it: `CONFIRMED`, `UNCONFIRMED`, `EXTERNAL_PROVIDER`,
    /// `FORCE_CHANGE_PASSWORD`, `RESET_REQUIRED`, ...
    pub status: String,
    pub enabled: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// `None` when the attribute is absent (what SignUp + AdminConfirmSignUp leaves).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_verified: Option<bool>,
    /// Seconds since the Unix epoch.
    pub created: i64,
    pub modified: i64,
    /// The identity provider of a federated user (`identities`, else the username prefix).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
}

pub(crate) const STATUS_CONFIRMED: &str = "CONFIRMED";
pub(crate) const STATUS_UNCONFIRMED: &str = "UNCONFIRMED";
pub(crate) const STATUS_EXTERNAL: &str = "EXTERNAL_PROVIDER";
pub(crate) const STATUS_FORCE_CHANGE: &str = "FORCE_CHANGE_PASSWORD";
pub(crate) const STATUS_RESET_REQUIRED: &str = "RESET_REQUIRED";

impl UserRecord {
    /// From a ListUsers entry.
    pub fn from_list(user: &UserType) -> UserRecord {
        UserRecord::from_parts(
            user.username().unwrap_or_default(),
            user.attributes(),
            user.user_status(),
            user.enabled(),
            user.user_create_date(),
            user.user_last_modified_date(),
        )
    }

    /// From the fields AdminGetUser and ListUsers both return.
    pub fn from_parts(
        username: &str,
        attributes: &[AttributeType],
        status: Option<&UserStatusType>,
        enabled: bool,
        created: Option<&DateTime>,
        modified: Option<&DateTime>,
    ) -> UserRecord {
        let attribute = |name: &str| {
            attributes
                .iter()
                .find(|a| a.name() == name)
                .and_then(AttributeType::value)
        };
        let status = status.map_or("UNKNOWN", UserStatusType::as_str).to_owned();
        let provider = (status == STATUS_EXTERNAL)
            .then(|| provider_of(username, attribute("identities")))
            .flatten();
        UserRecord {
            username: username.to_owned(),
            sub: attribute("sub").map(str::to_owned),
            status,
            enabled,
            email: attribute("email")
                .filter(|e| !e.is_empty())
                .map(str::to_owned),
            email_verified: attribute("email_verified").map(policy::is_true_attribute),
            created: created.map_or(0, DateTime::secs),
            modified: modified.map_or(0, DateTime::secs),
            provider,
        }
    }

    /// Confirmed users are the ones who could sign in and then need a verified address to
    /// reset a password.
    pub fn is_confirmed(&self) -> bool {
        self.status == STATUS_CONFIRMED || self.status == STATUS_RESET_REQUIRED
    }

    pub fn is_verified(&self) -> bool {
        self.email_verified == Some(true)
    }

    /// The address compared between users: Cognito matches email aliases without regard to
    /// case.
    pub fn address(&self) -> Option<String> {
        self.email.as_deref().map(str::to_lowercase)
    }

    /// The part after `@`, lower-cased.
    pub fn email_domain(&self) -> Option<String> {
        self.address()
            .and_then(|a| a.rsplit_once('@').map(|(_, d)| d.to_owned()))
    }
}

/// An RFC 3339 time (or a bare `YYYY-MM-DD`, midnight UTC) in seconds since the epoch.
pub fn parse_time(text: &str) -> Option<i64> {
    if text.len() == 10 {
        aws::time::parse_rfc3339(&format!("{text}T00:00:00Z"))
    } else {
        aws::time::parse_rfc3339(text)
    }
}

/// `identities` is a JSON array of `{ "providerName": ... }`; federated usernames are also
/// `<Provider>_<id>`.
fn provider_of(username: &str, identities: Option<&str>) -> Option<String> {
    let from_identities = identities
        .and_then(|json| serde_json::from_str::<serde_json::Value>(json).ok())
        .and_then(|value| {
            value.as_array()?.first()?["providerName"]
                .as_str()
                .map(str::to_owned)
        });
    from_identities.or_else(|| username.split_once('_').map(|(p, _)| p.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attr(name: &str, value: &str) -> AttributeType {
        AttributeType::builder()
            .name(name)
            .value(value)
            .build()
            .unwrap()
    }

    #[test]
    fn keeps_only_what_the_fix_needs_and_reads_the_provider() {
        let user = UserType::builder()
            .username("Corp_alice")
            .attributes(attr("sub", "0abc"))
            .attributes(attr("email", "Alice@Example.com"))
            .attributes(attr("email_verified", "True"))
            .attributes(attr("phone_number", "+15550100"))
            .attributes(attr("name", "Alice"))
            .attributes(attr(
                "identities",
                r#"[{"providerName":"CorpSaml","userId":"alice"}]"#,
            ))
            .user_status(UserStatusType::ExternalProvider)
            .enabled(true)
            .build();
        let record = UserRecord::from_list(&user);
        assert_eq!(record.provider.as_deref(), Some("CorpSaml"));
        assert_eq!(record.email_verified, Some(true));
        assert_eq!(record.address().as_deref(), Some("alice@example.com"));
        assert_eq!(record.email_domain().as_deref(), Some("example.com"));
        let json = serde_json::to_string(&record).unwrap();
        assert!(
            !json.contains("+1555") && !json.contains("\"Alice\""),
            "{json}"
        );
    }

    #[test]
    fn times_are_rfc_3339_or_a_date() {
        assert_eq!(parse_time("1970-01-02T00:00:00Z"), Some(86_400));
        assert_eq!(parse_time("1970-01-02"), Some(86_400));
        assert_eq!(parse_time("yesterday"), None);
    }

    /// The same reading as the trigger gives a provider's claim: both follow the one table.
    #[test]
    fn stored_email_verified_reads_as_the_policy_reads_attributes() {
        for &(value, expected) in policy::TRUE_ATTRIBUTE_READINGS {
            let record = UserRecord::from_parts(
                "alice",
                &[attr("email_verified", value)],
                Some(&UserStatusType::Confirmed),
                true,
                None,
                None,
            );
            assert_eq!(record.email_verified, Some(expected), "{value:?}");
        }
    }

    #[test]
    fn absent_email_verified_is_none_and_provider_falls_back_to_the_username() {
        let record = UserRecord::from_parts(
            "Google_123",
            &[attr("email", "x@y.z")],
            Some(&UserStatusType::ExternalProvider),
            true,
            None,
            None,
        );
        assert_eq!(record.email_verified, None);
        assert_eq!(record.provider.as_deref(), Some("Google"));
    }
}
