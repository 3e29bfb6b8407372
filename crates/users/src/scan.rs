//! The full scan: ListUsers cannot filter on `email_verified`, so every user is read, either by
//! one unfiltered scan or by sixteen disjoint `sub ^= "0"` .. `"f"` scans at once, which share
//! the UserList limiter. Which is faster depends on the service: on AWS a page takes tens of
//! milliseconds, so one sequential scan cannot use the quota; on the local emulator a page is
//! cheap but a filtered one walks the whole pool. [`Partitioning::Auto`] measures instead of
//! assuming (see [`choose`]): the first unfiltered page's round trip, and only when one scan
//! may not reach the quota, the second unfiltered page together with the sixteen filtered
//! first pages. A first page so slow that one scan is far below the quota is not waited for:
//! the sixteen scans start while it is out. The plan not taken costs its probe pages; no
//! other page is read twice.
//!
//! Pages are fetched by hand rather than through the SDK's paginator: a throttled page must be
//! retried with the same token (the paginator ends its stream at the first error). Each page
//! is sent on as it comes ([`Pages`]), so nothing here holds more than a page per scan.

use std::collections::HashSet;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::mpsc;
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
    Sixteen,
    /// Whichever of the two reaches the quota sooner, measured as the scan starts.
    #[default]
    Auto,
}

/// The plan a scan ran with, and what it was chosen from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScanPlan {
    /// [`Partitioning::One`] or [`Partitioning::Sixteen`].
    pub partitioning: Partitioning,
    /// The first unfiltered page's round trip, when it was measured.
    pub page_latency: Option<Duration>,
    /// Pages a second at which the sixteen filtered first pages came, when they were probed.
    pub partitioned_rate: Option<f64>,
}

/// One scan is kept when it reaches this share of the quota on its own.
const ONE_SCAN_REACHES: f64 = 0.95;
/// One scan is not even probed against sixteen when its first page is slower than one at this
/// share of the quota (at Cognito's 30 a second, 133 ms): sixteen start while it is still out.
const ONE_SCAN_FAR_BELOW: f64 = 0.25;
/// Sixteen scans are chosen only when they are this much faster than one: the probes cost
/// sixteen pages, and a close call is not worth the filtered pages' extra work.
const PARTITIONS_WIN_BY: f64 = 1.2;

/// The scan plan from measurements: `one_scan_rate` pages a second for one sequential scan
/// (the inverse of a page's round trip), `partitioned_rate` for sixteen at once (`None`: not
/// probed), each limited by `quota` (`None`: no client-side limit).
pub fn choose(
    one_scan_rate: f64,
    partitioned_rate: Option<f64>,
    quota: Option<f64>,
) -> Partitioning {
    let within_quota = |rate: f64| quota.map_or(rate, |quota| rate.min(quota));
    if one_scan_reaches(one_scan_rate, quota) {
        return Partitioning::One;
    }
    match partitioned_rate {
        Some(partitioned)
            if within_quota(partitioned) > within_quota(one_scan_rate) * PARTITIONS_WIN_BY =>
        {
            Partitioning::Sixteen
        }
        _ => Partitioning::One,
    }
}

/// One scan alone uses the quota (never true without one: then more is always possible).
fn one_scan_reaches(one_scan_rate: f64, quota: Option<f64>) -> bool {
    quota.is_some_and(|quota| one_scan_rate >= quota * ONE_SCAN_REACHES)
}

/// Where a listing stands: the users read and not yet sent on, and the next page's token.
struct Listing {
    users: Vec<UserRecord>,
    next: Option<String>,
}

/// The largest page ListUsers gives.
pub const PAGE_SIZE: i32 = 60;

/// Where a scan sends its pages, each as it comes (from several scans, interleaved). Bounded,
/// so a reader that falls behind slows the scans rather than piling pages up.
pub type Pages = mpsc::Sender<Vec<UserRecord>>;

impl Cognito {
    /// Sends every user of the pool to `pages`, page by page, and returns the plan the scan ran
    /// with. A user is sent once unless a concurrent write moves it across a page boundary
    /// other than the one just read (see [`Classifier`](crate::classify::Classifier)).
    pub async fn scan(
        self: &Arc<Self>,
        pool_id: &str,
        partitioning: Partitioning,
        pages: Pages,
    ) -> Result<ScanPlan, UsersError> {
        let fixed = |partitioning| ScanPlan {
            partitioning,
            page_latency: None,
            partitioned_rate: None,
        };
        match partitioning {
            Partitioning::One => self.finish(pool_id, None, None, &pages).await?,
            Partitioning::Sixteen => {
                let starts = PARTITIONS.into_iter().map(|prefix| (Some(prefix), None));
                self.continue_scans(pool_id, starts.collect(), &pages)
                    .await?;
            }
            Partitioning::Auto => return self.scan_measured(pool_id, &pages).await,
        }
        Ok(fixed(partitioning))
    }

    /// [`Partitioning::Auto`]: measures, chooses, and carries on from the pages read.
    async fn scan_measured(
        self: &Arc<Self>,
        pool_id: &str,
        pages: &Pages,
    ) -> Result<ScanPlan, UsersError> {
        let quota = self.list.rate();
        let rate_of = |latency: Duration| 1.0 / latency.as_secs_f64().max(1e-6);
        let started = Instant::now();
        let first_page = async {
            let page = self.list_page(pool_id, None, None).await?;
            Ok::<_, UsersError>((page, started.elapsed()))
        };
        tokio::pin!(first_page);
        // A first page not back by then means one scan gets under a share of the quota that
        // probing could not change: the sixteen scans start at once, the page still out.
        let answered = match quota {
            Some(quota) => tokio::select! {
                answered = &mut first_page => Some(answered?),
                () = tokio::time::sleep(Duration::from_secs_f64(1.0 / (quota * ONE_SCAN_FAR_BELOW))) => None,
            },
            None => Some((&mut first_page).await?),
        };
        let Some((mut first, mut page_latency)) = answered else {
            let starts = PARTITIONS.into_iter().map(|prefix| (Some(prefix), None));
            let (first, scans) = tokio::join!(
                first_page,
                self.continue_scans(pool_id, starts.collect(), pages)
            );
            scans?;
            // Its users are the partitions' users too: only its round trip is kept.
            let (_, page_latency) = first?;
            return Ok(ScanPlan {
                partitioning: Partitioning::Sixteen,
                page_latency: Some(page_latency),
                partitioned_rate: None,
            });
        };
        let mut plan = ScanPlan {
            partitioning: Partitioning::One,
            page_latency: Some(page_latency),
            partitioned_rate: None,
        };
        let Some(token) = first
            .next
            .take_if(|_| !one_scan_reaches(rate_of(page_latency), quota))
        else {
            self.finish(pool_id, None, Some(first), pages).await?;
            return Ok(plan);
        };

        // One scan may not reach the quota. At once: the one scan's second page (the quicker
        // of two round trips is the service's, the slower may be a stall) and the sixteen
        // partitions' first pages, to see how fast they come together.
        let second = async {
            let started = Instant::now();
            let page = self.list_page(pool_id, None, Some(token)).await?;
            Ok::<_, UsersError>((page, started.elapsed()))
        };
        let probes = async {
            let started = Instant::now();
            let mut probes = JoinSet::new();
            for prefix in PARTITIONS {
                let cognito = Arc::clone(self);
                let pool_id = pool_id.to_owned();
                probes.spawn(async move {
                    let filter = partition_filter(Some(prefix));
                    let page = cognito.list_page(&pool_id, filter, None).await?;
                    Ok::<_, UsersError>((prefix, page))
                });
            }
            let mut firsts = Vec::new();
            while let Some(joined) = probes.join_next().await {
                firsts.push(joined.map_err(|e| task_stopped(&e))??);
            }
            Ok::<_, UsersError>((firsts, started.elapsed()))
        };
        let (second, probes) = tokio::join!(second, probes);
        let ((second, second_latency), (firsts, probes_took)) = (second?, probes?);
        page_latency = page_latency.min(second_latency);
        first.users.extend(second.users);
        first.next = second.next;
        let partitioned_rate = PARTITIONS.len() as f64 / probes_took.as_secs_f64().max(1e-6);
        plan.page_latency = Some(page_latency);
        plan.partitioned_rate = Some(partitioned_rate);
        plan.partitioning = choose(rate_of(page_latency), Some(partitioned_rate), quota);
        if plan.partitioning == Partitioning::One {
            self.finish(pool_id, None, Some(first), pages).await?;
            return Ok(plan);
        }
        let starts = firsts
            .into_iter()
            .map(|(prefix, page)| (Some(prefix), Some(page)))
            .collect();
        self.continue_scans(pool_id, starts, pages).await?;
        Ok(plan)
    }

    /// Runs the scans of `starts` at once, each from its first page when it has one.
    async fn continue_scans(
        self: &Arc<Self>,
        pool_id: &str,
        starts: Vec<(Option<char>, Option<Listing>)>,
        pages: &Pages,
    ) -> Result<(), UsersError> {
        let mut scans = JoinSet::new();
        for (prefix, first) in starts {
            let cognito = Arc::clone(self);
            let pool_id = pool_id.to_owned();
            let pages = pages.clone();
            scans.spawn(async move {
                cognito
                    .finish(&pool_id, partition_filter(prefix), first, &pages)
                    .await
            });
        }
        while let Some(joined) = scans.join_next().await {
            joined.map_err(|e| task_stopped(&e))??;
        }
        Ok(())
    }

    /// Sends `first` (else the first page with `filter`) and every page after it to `pages`.
    async fn finish(
        &self,
        pool_id: &str,
        filter: Option<String>,
        first: Option<Listing>,
        pages: &Pages,
    ) -> Result<(), UsersError> {
        let mut listing = match first {
            Some(listing) => listing,
            None => self.list_page(pool_id, filter.clone(), None).await?,
        };
        // The usernames of the page sent last: a user created before them moves them on, and
        // the last of them come again at the top of the next page.
        let mut previous = HashSet::new();
        loop {
            listing
                .users
                .retain(|user| !previous.contains(&user.username));
            previous = listing.users.iter().map(|u| u.username.clone()).collect();
            self.count(listing.users.len());
            pages
                .send(listing.users)
                .await
                .map_err(|_| UsersError::Task("the audit stopped reading the scan".into()))?;
            let Some(token) = listing.next else {
                return Ok(());
            };
            listing = self.list_page(pool_id, filter.clone(), Some(token)).await?;
        }
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
        let mut users = Vec::new();
        let mut token = None;
        loop {
            let page = self.list_page(pool_id, Some(filter.clone()), token).await?;
            users.extend(page.users);
            match page.next {
                Some(next) => token = Some(next),
                None => return Ok(users),
            }
        }
    }

    /// One page of ListUsers.
    async fn list_page(
        &self,
        pool_id: &str,
        filter: Option<String>,
        token: Option<String>,
    ) -> Result<Listing, UsersError> {
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
        self.counters.pages.fetch_add(1, Ordering::Relaxed);
        Ok(Listing {
            users: page.users().iter().map(UserRecord::from_list).collect(),
            next: page
                .pagination_token()
                .filter(|next| !next.is_empty())
                .map(str::to_owned),
        })
    }

    /// Users read by the scan, for progress.
    fn count(&self, users: usize) {
        self.counters
            .users
            .fetch_add(users as u64, Ordering::Relaxed);
    }
}

fn partition_filter(prefix: Option<char>) -> Option<String> {
    prefix.map(|prefix| format!("sub ^= \"{prefix}\""))
}

fn task_stopped(error: &tokio::task::JoinError) -> UsersError {
    UsersError::Task(format!("a ListUsers scan task stopped: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const QUOTA: Option<f64> = Some(30.0);

    #[test]
    fn one_scan_when_it_reaches_the_quota_alone() {
        // 5 ms pages (the bare emulator): 200 pages a second, well over 30.
        assert_eq!(choose(200.0, None, QUOTA), Partitioning::One);
        assert_eq!(choose(200.0, Some(1000.0), QUOTA), Partitioning::One);
        assert_eq!(
            choose(29.0, None, QUOTA),
            Partitioning::One,
            "95% of it is enough"
        );
    }

    #[test]
    fn sixteen_scans_when_pages_are_slow_and_parallel_pages_are_not() {
        // 200 ms pages (AWS far away): one scan gets 5 a second; sixteen at once get 80.
        assert_eq!(choose(5.0, Some(80.0), QUOTA), Partitioning::Sixteen);
        // Sixteen at once that come no faster than one (a service answering one at a time).
        assert_eq!(choose(5.0, Some(5.5), QUOTA), Partitioning::One);
        // Not probed: keep the one scan.
        assert_eq!(choose(5.0, None, QUOTA), Partitioning::One);
    }

    #[test]
    fn without_a_quota_the_faster_one_wins() {
        // The emulator's filtered pages walk the pool: sixteen at once come slower than one.
        assert_eq!(choose(200.0, Some(40.0), None), Partitioning::One);
        assert_eq!(choose(20.0, Some(300.0), None), Partitioning::Sixteen);
    }

    #[test]
    fn a_partitioned_rate_over_the_quota_counts_as_the_quota() {
        // One scan at 20, sixteen at 1000 but held to 30: 30 > 20 x 1.2, so sixteen.
        assert_eq!(choose(20.0, Some(1000.0), QUOTA), Partitioning::Sixteen);
        // One scan at 26: 30 < 26 x 1.2, not worth the filtered pages.
        assert_eq!(choose(26.0, Some(1000.0), QUOTA), Partitioning::One);
    }
}
