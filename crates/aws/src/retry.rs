//! The retry policies, by name. Each client is built with exactly one of them.

use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_sdk_cloudformation::config::retry::{RetryPartition, TokenBucket};

/// How a client retries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryPolicy {
    /// The deploy driver's, and every client's unless it says otherwise. Standard mode:
    /// throttling ("Rate exceeded") and transient errors are retried with exponential backoff
    /// and full jitter, from 25 ms up to 2 s, 30 attempts in all: about 24 s of backing off on
    /// average and 50 s at worst. With full jitter the sum is random; at 20 attempts it fell
    /// short of a ten-second throttling storm in 4% of draws, and every call a deploy starts
    /// at once (its first reads go out together) is a draw. The 2 s cap keeps a client that lost
    /// several races for a shared quota from sleeping while the quota goes unused. Not adaptive
    /// mode: its client-side rate limiter cuts the sending rate of a client that sends few
    /// requests so far that one throttled call cost a deploy tens of seconds (BENCHMARKS.md,
    /// "Under faults"). Each service has its own retry partition, in which throttled retries
    /// are free (see [`retry_partition`]).
    Standard,
    /// No SDK retries: the caller retries every attempt itself. `users` does, because each
    /// attempt must take a slot from its quota category's limiter and throttling must reach
    /// that limiter, which the SDK's retry layer does not expose.
    CallerRetries,
}

impl RetryPolicy {
    pub(crate) fn config(self) -> RetryConfig {
        match self {
            RetryPolicy::Standard => RetryConfig::standard()
                .with_max_attempts(30)
                .with_initial_backoff(Duration::from_millis(25))
                .with_max_backoff(Duration::from_secs(2)),
            RetryPolicy::CallerRetries => RetryConfig::disabled(),
        }
    }
}

/// The retry quota of one service's clients. The SDK's default charges throttled retries
/// against a bucket that only time refills, so a long run at a steady throttling rate ends
/// with "retry quota exceeded" although every call would have gone through after backing off.
/// Throttled retries are free here (the backoff is what slows them down); retries after errors
/// and timeouts still cost, which stops a storm against a failing service.
pub(crate) fn retry_partition(name: &'static str) -> RetryPartition {
    RetryPartition::custom(name)
        .token_bucket(TokenBucket::builder().throttling_retry_cost(0).build())
        .build()
}
