//! The Cognito user APIs at their quotas: one client, one limiter per quota category, and the
//! retry loop every call goes through.
//!
//! The SDK's own retries are off for this client: each attempt, retries included, must take
//! a slot from its category's limiter (a retry spends quota too), and throttling must reach
//! the limiter to slow it down. A throttled call is retried until it goes through (up to
//! [`MAX_THROTTLED`] times in a row), never skipped; transient failures (5xx, resets,
//! timeouts) are retried [`MAX_TRANSIENT`] times.

use std::future::Future;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use aws_sdk_cognitoidentityprovider::config::http::HttpResponse;
use aws_sdk_cognitoidentityprovider::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_cognitoidentityprovider::Client;

use aws::AwsError;

use crate::limiter::RateLimiter;
use crate::UsersError;

/// Cognito's default request quotas (per account and region, shared by every pool), from
/// "Quotas in Amazon Cognito". Raised quotas are passed as `--rate`.
pub mod quota {
    /// ListUsers.
    pub const USER_LIST: f64 = 30.0;
    /// AdminGetUser.
    pub const USER_READ: f64 = 120.0;
    /// AdminUpdateUserAttributes.
    pub const USER_UPDATE: f64 = 25.0;
    /// AdminCreateUser.
    pub const USER_CREATION: f64 = 50.0;
    /// DescribeUserPool.
    pub const USER_POOL_READ: f64 = 15.0;
}

pub const MAX_THROTTLED: u32 = 60;
pub const MAX_TRANSIENT: u32 = 8;
const BACKOFF_START: Duration = Duration::from_millis(50);
const BACKOFF_CAP: Duration = Duration::from_secs(2);

/// The request rates a run uses, by quota category (requests a second; 0 = no limit).
#[derive(Clone, Copy, Debug)]
pub struct Rates {
    pub list: f64,
    pub read: f64,
    pub update: f64,
    pub create: f64,
}

impl Default for Rates {
    fn default() -> Rates {
        Rates {
            list: quota::USER_LIST,
            read: quota::USER_READ,
            update: quota::USER_UPDATE,
            create: quota::USER_CREATION,
        }
    }
}

/// Counts a command shows while it runs. Shared with the caller, which reads them.
#[derive(Debug, Default)]
pub struct Counters {
    /// Users scanned (audit) or handled (verify, create).
    pub users: AtomicU64,
    /// ListUsers pages.
    pub pages: AtomicU64,
    /// Throttled answers (each was retried).
    pub throttled: AtomicU64,
    /// Microseconds spent waiting for answers, summed over every call (not the waits for a
    /// limiter or between retries): how long the service takes, whatever the pace.
    pub round_trip_micros: AtomicU64,
}

impl Counters {
    pub fn get(counter: &AtomicU64) -> u64 {
        counter.load(Ordering::Relaxed)
    }

    /// The summed time calls waited for answers.
    pub fn round_trips(&self) -> Duration {
        Duration::from_micros(Self::get(&self.round_trip_micros))
    }
}

/// The client and its limiters.
#[derive(Debug)]
pub struct Cognito {
    pub(crate) client: Client,
    pub(crate) list: RateLimiter,
    pub(crate) read: RateLimiter,
    pub(crate) update: RateLimiter,
    pub(crate) create: RateLimiter,
    pub(crate) pool_read: RateLimiter,
    pub(crate) counters: Arc<Counters>,
}

impl Cognito {
    pub fn new(aws: &aws::Aws, rates: Rates, counters: Arc<Counters>) -> Cognito {
        Cognito {
            client: aws.cognito_client(aws::RetryPolicy::CallerRetries),
            list: RateLimiter::new(rates.list),
            read: RateLimiter::new(rates.read),
            update: RateLimiter::new(rates.update),
            create: RateLimiter::new(rates.create),
            pool_read: RateLimiter::new(quota::USER_POOL_READ),
            counters,
        }
    }

    /// Sends one call through `limiter`, retrying throttling and transient failures.
    pub(crate) async fn call<T, E, Fut>(
        &self,
        operation: &'static str,
        limiter: &RateLimiter,
        mut send: impl FnMut() -> Fut,
    ) -> Result<T, UsersError>
    where
        Fut: Future<Output = Result<T, SdkError<E, HttpResponse>>>,
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let mut throttled = 0;
        let mut failed = 0;
        loop {
            limiter.acquire().await;
            let sent = tokio::time::Instant::now();
            let answer = send().await;
            let waited = u64::try_from(sent.elapsed().as_micros()).unwrap_or(u64::MAX);
            self.counters
                .round_trip_micros
                .fetch_add(waited, Ordering::Relaxed);
            let error = match answer {
                Ok(output) => {
                    limiter.succeeded();
                    return Ok(output);
                }
                Err(error) => error,
            };
            match failure_kind(&error) {
                FailureKind::Throttled => {
                    limiter.throttled();
                    self.counters.throttled.fetch_add(1, Ordering::Relaxed);
                    throttled += 1;
                    if throttled >= MAX_THROTTLED {
                        return Err(UsersError::Throttled {
                            operation,
                            attempts: throttled,
                        });
                    }
                    tokio::time::sleep(backoff(throttled)).await;
                }
                FailureKind::Transient if failed + 1 < MAX_TRANSIENT => {
                    failed += 1;
                    let error = AwsError::from_sdk(operation, &error);
                    tracing::debug!(%error, "retrying");
                    tokio::time::sleep(backoff(failed)).await;
                }
                FailureKind::Transient | FailureKind::Final => {
                    return Err(AwsError::from_sdk(operation, &error).into())
                }
            }
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
enum FailureKind {
    Throttled,
    Transient,
    Final,
}

fn failure_kind<E: ProvideErrorMetadata>(error: &SdkError<E, HttpResponse>) -> FailureKind {
    match error {
        SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) | SdkError::ResponseError(_) => {
            FailureKind::Transient
        }
        SdkError::ServiceError(service) => {
            match service.err().code() {
                Some("TooManyRequestsException" | "ThrottlingException") => {
                    return FailureKind::Throttled
                }
                Some("InternalErrorException") => return FailureKind::Transient,
                _ => {}
            }
            if service.raw().status().is_server_error() {
                FailureKind::Transient
            } else {
                FailureKind::Final
            }
        }
        _ => FailureKind::Final,
    }
}

/// Exponential from 50 ms, capped at 2 s, with jitter (half to all of it) so that calls
/// throttled together do not come back together.
fn backoff(attempt: u32) -> Duration {
    let full = BACKOFF_START
        .saturating_mul(1 << attempt.min(16))
        .min(BACKOFF_CAP);
    let random = std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish();
    #[allow(clippy::cast_precision_loss)]
    let fraction = 0.5 + (random % 1000) as f64 / 2000.0;
    full.mul_f64(fraction)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_to_its_cap_with_jitter_below_it() {
        for attempt in 1..40 {
            let full = BACKOFF_START
                .saturating_mul(1 << attempt.min(16))
                .min(BACKOFF_CAP);
            let wait = backoff(attempt);
            assert!(wait >= full / 2 && wait <= full, "{attempt}: {wait:?}");
        }
        assert!(backoff(30) <= BACKOFF_CAP);
    }
}
