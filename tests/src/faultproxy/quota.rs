//! Request-rate quotas: token buckets per (account, region, category), with AWS's default
//! rates.
//!
//! Cognito user pools: the rates are the "Default quota (requests per second)" of each API
//! category in the Amazon Cognito Developer Guide, "Quotas in Amazon Cognito", "Category
//! operations" (awsdocs/amazon-cognito-developer-guide, doc_source/limits.md). The page names
//! UserCreation's four operations; the operations of the other categories follow each
//! category's description there and the current quotas page (lists not exhaustive: an
//! operation missing here is not limited). The quota applies to the account in a region across
//! all its pools; the per-user limits (10 reads and 10 writes a second per user) and the
//! 5 RPS per-pool limit of some categories are not modelled, nor RespondToAuthChallenge's
//! separate 3x allowance.
//!
//! CloudFormation does not publish per-API request rates (only "Rate exceeded" and the advice
//! to back off); the figures below are conservative stand-ins, not AWS's: each API has its
//! own bucket, reads at 10/s and mutations at 5/s.
//!
//! Burst: AWS does not document burst sizes either; a bucket holds one second of its rate.

use std::collections::BTreeMap;
use std::time::Instant;

/// A request rate: `rate` tokens a second, at most `burst` saved up.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limit {
    pub rate: f64,
    pub burst: f64,
}

impl Limit {
    /// `rate` a second with a burst of one second's worth.
    pub fn per_second(rate: f64) -> Limit {
        Limit { rate, burst: rate }
    }
}

/// The quota category of an operation: `name` is what stats count under (`UserList`,
/// `cloudformation:DescribeStacks`), `class` the fallback a limit may be set for
/// (`cloudformation:read`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Category {
    pub name: String,
    pub class: String,
}

/// Limits by category name or class.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Quotas {
    limits: BTreeMap<String, Limit>,
}

/// Cognito user pool categories and their default rates (requests per second).
pub const COGNITO_DEFAULTS: &[(&str, f64)] = &[
    ("UserAuthentication", 120.0),
    ("UserCreation", 50.0),
    ("UserFederation", 25.0),
    ("UserAccountRecovery", 30.0),
    ("UserRead", 120.0),
    ("UserUpdate", 25.0),
    ("UserResourceRead", 50.0),
    ("UserResourceUpdate", 25.0),
    ("UserList", 30.0),
    ("UserPoolRead", 15.0),
    ("UserPoolUpdate", 15.0),
    ("UserPoolResourceRead", 20.0),
    ("UserPoolResourceUpdate", 15.0),
    ("UserPoolClientRead", 15.0),
    ("UserPoolClientUpdate", 15.0),
    ("UserToken", 120.0),
];

/// Stand-in CloudFormation rates (see the module documentation).
pub const CLOUDFORMATION_READ_RATE: f64 = 10.0;
pub const CLOUDFORMATION_WRITE_RATE: f64 = 5.0;

impl Quotas {
    /// No limits; add some with [`with_limit`](Quotas::with_limit).
    pub fn none() -> Quotas {
        Quotas::default()
    }

    /// Cognito's default category rates and the CloudFormation stand-ins.
    pub fn aws_defaults() -> Quotas {
        let mut quotas = Quotas::none();
        for (category, rate) in COGNITO_DEFAULTS {
            quotas = quotas.with_limit(category, Limit::per_second(*rate));
        }
        quotas
            .with_limit(
                "cloudformation:read",
                Limit::per_second(CLOUDFORMATION_READ_RATE),
            )
            .with_limit(
                "cloudformation:write",
                Limit::per_second(CLOUDFORMATION_WRITE_RATE),
            )
    }

    /// Sets the limit of a category (`UserList`, `cloudformation:DescribeStacks`) or class
    /// (`cloudformation:read`, `cloudformation:write`).
    pub fn with_limit(mut self, category: &str, limit: Limit) -> Quotas {
        self.limits.insert(category.to_owned(), limit);
        self
    }

    /// The limit for `category`: its own, else its class's.
    pub fn limit(&self, category: &Category) -> Option<Limit> {
        self.limits
            .get(&category.name)
            .or_else(|| self.limits.get(&category.class))
            .copied()
    }
}

/// The quota category of an operation, if it has one.
pub fn category(service: &str, operation: &str) -> Option<Category> {
    match service {
        "cognito-idp" => cognito_category(operation).map(|name| Category {
            name: name.to_owned(),
            class: name.to_owned(),
        }),
        "cloudformation" => {
            let read = ["Describe", "List", "Get", "Validate", "Estimate", "Detect"]
                .iter()
                .any(|prefix| operation.starts_with(prefix));
            Some(Category {
                name: format!("cloudformation:{operation}"),
                class: if read {
                    "cloudformation:read"
                } else {
                    "cloudformation:write"
                }
                .to_owned(),
            })
        }
        _ => None,
    }
}

fn cognito_category(operation: &str) -> Option<&'static str> {
    Some(match operation {
        "InitiateAuth"
        | "AdminInitiateAuth"
        | "RespondToAuthChallenge"
        | "AdminRespondToAuthChallenge" => "UserAuthentication",
        "SignUp" | "ConfirmSignUp" | "AdminCreateUser" | "AdminConfirmSignUp" => "UserCreation",
        "ForgotPassword"
        | "ConfirmForgotPassword"
        | "ChangePassword"
        | "AdminResetUserPassword"
        | "AdminSetUserPassword"
        | "ResendConfirmationCode" => "UserAccountRecovery",
        "AdminGetUser" | "GetUser" => "UserRead",
        "AdminUpdateUserAttributes"
        | "UpdateUserAttributes"
        | "AdminDeleteUserAttributes"
        | "DeleteUserAttributes"
        | "AdminEnableUser"
        | "AdminDisableUser"
        | "AdminDeleteUser"
        | "DeleteUser"
        | "AdminUserGlobalSignOut"
        | "GlobalSignOut"
        | "AdminSetUserSettings"
        | "SetUserSettings"
        | "AdminSetUserMFAPreference"
        | "SetUserMFAPreference"
        | "AdminLinkProviderForUser"
        | "AdminDisableProviderForUser"
        | "GetUserAttributeVerificationCode"
        | "VerifyUserAttribute" => "UserUpdate",
        "AdminListGroupsForUser"
        | "AdminGetDevice"
        | "AdminListDevices"
        | "GetDevice"
        | "ListDevices"
        | "AdminListUserAuthEvents" => "UserResourceRead",
        "AdminAddUserToGroup"
        | "AdminRemoveUserFromGroup"
        | "AdminForgetDevice"
        | "AdminUpdateDeviceStatus"
        | "ConfirmDevice"
        | "ForgetDevice"
        | "UpdateDeviceStatus"
        | "AdminUpdateAuthEventFeedback"
        | "UpdateAuthEventFeedback" => "UserResourceUpdate",
        "ListUsers" | "ListUsersInGroup" => "UserList",
        "DescribeUserPool" | "ListUserPools" | "GetUserPoolMfaConfig" => "UserPoolRead",
        "CreateUserPool"
        | "UpdateUserPool"
        | "DeleteUserPool"
        | "SetUserPoolMfaConfig"
        | "AddCustomAttributes" => "UserPoolUpdate",
        "DescribeUserPoolDomain"
        | "GetGroup"
        | "ListGroups"
        | "DescribeIdentityProvider"
        | "ListIdentityProviders"
        | "GetIdentityProviderByIdentifier"
        | "DescribeResourceServer"
        | "ListResourceServers"
        | "GetUICustomization"
        | "GetSigningCertificate"
        | "DescribeRiskConfiguration"
        | "GetCSVHeader"
        | "DescribeUserImportJob"
        | "ListUserImportJobs"
        | "ListTagsForResource"
        | "GetLogDeliveryConfiguration" => "UserPoolResourceRead",
        "CreateUserPoolDomain"
        | "UpdateUserPoolDomain"
        | "DeleteUserPoolDomain"
        | "CreateGroup"
        | "UpdateGroup"
        | "DeleteGroup"
        | "CreateIdentityProvider"
        | "UpdateIdentityProvider"
        | "DeleteIdentityProvider"
        | "CreateResourceServer"
        | "UpdateResourceServer"
        | "DeleteResourceServer"
        | "SetUICustomization"
        | "SetRiskConfiguration"
        | "CreateUserImportJob"
        | "StartUserImportJob"
        | "StopUserImportJob"
        | "TagResource"
        | "UntagResource"
        | "SetLogDeliveryConfiguration" => "UserPoolResourceUpdate",
        "DescribeUserPoolClient" | "ListUserPoolClients" => "UserPoolClientRead",
        "CreateUserPoolClient" | "UpdateUserPoolClient" | "DeleteUserPoolClient" => {
            "UserPoolClientUpdate"
        }
        "RevokeToken" | "GetTokensFromRefreshToken" => "UserToken",
        _ => return None,
    })
}

/// A token bucket: starts full, refills at `rate` a second up to `burst`.
#[derive(Clone, Debug)]
pub(crate) struct TokenBucket {
    limit: Limit,
    tokens: f64,
    last: Instant,
}

impl TokenBucket {
    pub(crate) fn new(limit: Limit, now: Instant) -> TokenBucket {
        TokenBucket {
            limit,
            tokens: limit.burst,
            last: now,
        }
    }

    /// Takes one token at `now` if there is one.
    pub(crate) fn take(&mut self, now: Instant) -> bool {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.last = self.last.max(now);
        self.tokens = (self.tokens + elapsed * self.limit.rate).min(self.limit.burst);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_bucket_allows_its_burst_then_its_rate() {
        let start = Instant::now();
        let mut bucket = TokenBucket::new(Limit::per_second(30.0), start);
        assert_eq!((0..100).filter(|_| bucket.take(start)).count(), 30);
        // 100 ms later: 3 more tokens.
        let t = start + Duration::from_millis(100);
        assert_eq!((0..100).filter(|_| bucket.take(t)).count(), 3);
        // A long pause refills to the burst, not beyond.
        let t = start + Duration::from_secs(60);
        assert_eq!((0..100).filter(|_| bucket.take(t)).count(), 30);
    }

    #[test]
    fn categories_and_defaults() {
        let defaults = Quotas::aws_defaults();
        let rate = |service, op| {
            let category = category(service, op).unwrap();
            (
                category.name.clone(),
                defaults.limit(&category).unwrap().rate,
            )
        };
        assert_eq!(rate("cognito-idp", "ListUsers"), ("UserList".into(), 30.0));
        assert_eq!(
            rate("cognito-idp", "ListUsersInGroup"),
            ("UserList".into(), 30.0)
        );
        assert_eq!(
            rate("cognito-idp", "AdminGetUser"),
            ("UserRead".into(), 120.0)
        );
        assert_eq!(
            rate("cognito-idp", "AdminUpdateUserAttributes"),
            ("UserUpdate".into(), 25.0)
        );
        assert_eq!(
            rate("cognito-idp", "AdminCreateUser"),
            ("UserCreation".into(), 50.0)
        );
        assert_eq!(
            rate("cognito-idp", "AdminConfirmSignUp"),
            ("UserCreation".into(), 50.0)
        );
        assert_eq!(
            rate("cognito-idp", "DescribeUserPool"),
            ("UserPoolRead".into(), 15.0)
        );
        assert_eq!(
            rate("cognito-idp", "DescribeUserPoolClient"),
            ("UserPoolClientRead".into(), 15.0)
        );
        assert_eq!(
            rate("cloudformation", "DescribeStacks"),
            ("cloudformation:DescribeStacks".into(), 10.0)
        );
        assert_eq!(
            rate("cloudformation", "ExecuteChangeSet"),
            ("cloudformation:ExecuteChangeSet".into(), 5.0)
        );
        assert_eq!(category("s3", "PutObject"), None);
        assert_eq!(category("cognito-idp", "NotAnOperation"), None);
        // An operation's own limit wins over its class's.
        let custom = Quotas::aws_defaults()
            .with_limit("cloudformation:DescribeStacks", Limit::per_second(2.0));
        let describe = category("cloudformation", "DescribeStacks").unwrap();
        assert_eq!(custom.limit(&describe).unwrap().rate, 2.0);
    }
}
