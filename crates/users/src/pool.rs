//! Which pool a command works on, and the pool facts the audit and the fixes depend on.

use aws_sdk_cognitoidentityprovider::types::{AliasAttributeType, UsernameAttributeType};

use crate::cognito::Cognito;
use crate::UsersError;

/// `--stack NAME` or `--user-pool-id ID`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PoolRef {
    /// A poolctl stack: the pool is its `UserPoolId` output.
    Stack(String),
    Id(String),
}

/// What DescribeUserPool says that matters here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pool {
    pub id: String,
    /// Email is an alias or the username: the alias trap applies.
    pub email_is_sign_in: bool,
    /// Email is the username (`UsernameAttributes`): new users are created under their email.
    pub email_is_username: bool,
    /// `TemporaryPasswordValidityDays` (Cognito's default is 7).
    pub temp_password_days: u32,
    /// Cognito's estimate, for progress; not exact.
    pub estimated_users: u64,
}

const DEFAULT_TEMP_PASSWORD_DAYS: u32 = 7;

impl Cognito {
    /// Resolves the pool id (through the stack's outputs for [`PoolRef::Stack`]) and reads
    /// the pool.
    pub async fn pool(&self, aws: &aws::Aws, pool: &PoolRef) -> Result<Pool, UsersError> {
        let id = match pool {
            PoolRef::Id(id) => id.clone(),
            PoolRef::Stack(stack) => aws.user_pool_id(stack).await?,
        };
        let output = self
            .call("cognito-idp:DescribeUserPool", &self.pool_read, || {
                self.client.describe_user_pool().user_pool_id(&id).send()
            })
            .await?;
        let Some(described) = output.user_pool() else {
            return Err(UsersError::Aws(aws::AwsError::unexpected(
                "cognito-idp:DescribeUserPool",
                format!("no pool in the answer for {id}"),
            )));
        };
        let email_is_username = described
            .username_attributes()
            .contains(&UsernameAttributeType::Email);
        let email_is_alias = described
            .alias_attributes()
            .contains(&AliasAttributeType::Email);
        let temp_password_days = described
            .policies()
            .and_then(|p| p.password_policy())
            .and_then(|p| u32::try_from(p.temporary_password_validity_days()).ok())
            .filter(|days| *days > 0)
            .unwrap_or(DEFAULT_TEMP_PASSWORD_DAYS);
        Ok(Pool {
            id,
            email_is_sign_in: email_is_username || email_is_alias,
            email_is_username,
            temp_password_days,
            estimated_users: u64::try_from(described.estimated_number_of_users()).unwrap_or(0),
        })
    }
}
