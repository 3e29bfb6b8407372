//! The full scan: ListUsers cannot filter on `email_verified`, so every user is read. Sixteen
//! disjoint `sub ^= "0"` .. `"f"` scans run at once and share the UserList limiter: a page
//! takes tens of milliseconds on AWS, so one sequential scan could not use the quota. Where a
//! page is cheap but a filtered one is not (the local emulator walks the whole pool for each
//! filtered page), one unfiltered scan is faster: [`Partitioning::One`].
//!
//! Pages are fetched by hand rather than through the SDK's paginator: a throttled page must be
//! retried with the same token (the paginator ends its stream at the first error).

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use tokio::task::JoinSet;

use crate::cognito::Cognito;
use crate::record::UserRecord;
use crate::UsersError;

/// `sub` is a UUID: its first hex digit splits a pool into sixteen disjoint parts.
pub const PARTITIONS: [char; 16] = [
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f',
];
/// How the pool is split into scans.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Partitioning {
    /// One unfiltered scan.
    One,
    /// Sixteen scans by the first hex digit of `sub`, at once.
    #[default]
    Sixteen,
}

/// The largest page ListUsers gives.
pub const PAGE_SIZE: i32 = 60;

impl Cognito {
    /// Every user of the pool, each once.
    pub async fn scan(
        self: &Arc<Self>,
        pool_id: &str,
        partitioning: Partitioning,
    ) -> Result<Vec<UserRecord>, UsersError> {
        let prefixes: Vec<Option<char>> = match partitioning {
            Partitioning::One => vec![None],
            Partitioning::Sixteen => PARTITIONS.into_iter().map(Some).collect(),
        };
        let mut scans = JoinSet::new();
        for prefix in prefixes {
            let cognito = Arc::clone(self);
            let pool_id = pool_id.to_owned();
            scans.spawn(async move { cognito.scan_partition(&pool_id, prefix).await });
        }
        // Keyed by username: a user is reported once even if a page boundary moved under us.
        let mut users = HashMap::new();
        while let Some(joined) = scans.join_next().await {
            let partition = joined
                .map_err(|e| UsersError::Task(format!("a ListUsers scan task stopped: {e}")))??;
            for user in partition {
                users.insert(user.username.clone(), user);
            }
        }
        let mut users: Vec<UserRecord> = users.into_values().collect();
        users.sort_by(|a, b| a.username.cmp(&b.username));
        Ok(users)
    }

    /// The users whose `sub` starts with `prefix` (all users for `None`).
    async fn scan_partition(
        &self,
        pool_id: &str,
        prefix: Option<char>,
    ) -> Result<Vec<UserRecord>, UsersError> {
        let filter = prefix.map(|prefix| format!("sub ^= \"{prefix}\""));
        self.list_users(pool_id, filter, Counted::Yes).await
    }

    /// The users whose email is `address` (the filter is exact; Cognito stores addresses as
    /// given).
    pub(crate) async fn users_with_email(
        &self,
        pool_id: &str,
        address: &str,
    ) -> Result<Vec<UserRecord>, UsersError> {
        let filter = format!(
            "email = \"{}\"",
            address.replace('\\', "\\\\").replace('"', "\\\"")
        );
        self.list_users(pool_id, Some(filter), Counted::No).await
    }

    /// Every page of ListUsers with `filter`, in order.
    async fn list_users(
        &self,
        pool_id: &str,
        filter: Option<String>,
        counted: Counted,
    ) -> Result<Vec<UserRecord>, UsersError> {
        let mut users = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let page = self
                .call("cognito-idp:ListUsers", &self.list, || {
                    self.client
                        .list_users()
                        .user_pool_id(pool_id)
                        .set_filter(filter.clone())
                        .limit(PAGE_SIZE)
                        .set_pagination_token(token.clone())
                        .send()
                })
                .await?;
            users.extend(page.users().iter().map(UserRecord::from_list));
            self.counters.pages.fetch_add(1, Ordering::Relaxed);
            if counted == Counted::Yes {
                self.counters
                    .users
                    .fetch_add(page.users().len() as u64, Ordering::Relaxed);
            }
            match page.pagination_token() {
                Some(next) if !next.is_empty() => token = Some(next.to_owned()),
                _ => return Ok(users),
            }
        }
    }
}

/// Whether a listing's users count as progress (the scan) or not (a lookup by address).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Counted {
    Yes,
    No,
}
