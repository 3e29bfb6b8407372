//! Polling cadence: the first poll at once and the next ones a few milliseconds apart (local
//! emulators and small stacks settle in milliseconds, and a deploy should notice within one
//! poll of the control plane finishing), backing off to 2 s (real stacks take minutes; a poll
//! every 2 s keeps a deploy well inside CloudFormation's request quotas), with jitter so that
//! many parallel deploys do not poll in lockstep. Throttled calls themselves are retried by
//! the SDK (see `aws::retry_config`); this only spaces the polls.

use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

pub(crate) struct Backoff {
    /// `None` before the first poll, which goes out at once.
    next: Option<Duration>,
    first: Duration,
    max: Duration,
}

impl Backoff {
    /// The cadence for change sets and stack operations: at once, then 5 ms, doubling per
    /// poll, at most 2 s (reached after about 2.5 s of waiting).
    pub(crate) fn stack() -> Backoff {
        Backoff {
            next: None,
            first: Duration::from_millis(5),
            max: Duration::from_secs(2),
        }
    }

    /// The next wait (jittered to 75%..125%) and advance.
    pub(crate) fn next_delay(&mut self) -> Duration {
        let Some(base) = self.next else {
            self.next = Some(self.first);
            return Duration::ZERO;
        };
        self.next = Some((base * 2).min(self.max));
        let factor = 0.75 + (random_u64() % 1000) as f64 / 2000.0;
        base.mul_f64(factor)
    }

    pub(crate) async fn wait(&mut self) {
        let delay = self.next_delay();
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
    }
}

/// A random number from the standard library's per-instance hash keys (no extra dependency;
/// good enough for jitter and unique names, not for secrets).
pub(crate) fn random_u64() -> u64 {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    hasher.write_u128(nanos);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_polls_at_once_then_grows_to_the_cap_and_stays_jittered_around_it() {
        let mut backoff = Backoff::stack();
        assert_eq!(backoff.next_delay(), Duration::ZERO);
        let second = backoff.next_delay();
        assert!(
            second >= Duration::from_micros(3_750) && second <= Duration::from_micros(6_250),
            "{second:?}"
        );
        let third = backoff.next_delay();
        assert!(
            third >= Duration::from_micros(7_500) && third <= Duration::from_micros(12_500),
            "{third:?}"
        );
        let mut last = third;
        for _ in 0..30 {
            last = backoff.next_delay();
        }
        assert!(
            last >= Duration::from_millis(1500) && last <= Duration::from_millis(2500),
            "{last:?}"
        );
    }

    #[test]
    fn random_numbers_differ_between_calls() {
        let values: std::collections::BTreeSet<u64> = (0..8).map(|_| random_u64()).collect();
        assert!(values.len() > 1);
    }
}
