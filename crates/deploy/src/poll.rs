//! Polling cadence: quick at first (local emulators and small stacks settle in milliseconds),
//! backing off to a few seconds (real stacks take minutes), with jitter so that many parallel
//! deploys do not poll in lockstep. Throttled calls themselves are retried by the SDK
//! (see `aws::retry_config`); this only spaces the polls.

use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

pub(crate) struct Backoff {
    next: Duration,
    max: Duration,
}

impl Backoff {
    /// The cadence for change sets and stack operations: 25 ms, x1.5 per poll, at most 5 s.
    pub(crate) fn stack() -> Backoff {
        Backoff {
            next: Duration::from_millis(25),
            max: Duration::from_secs(5),
        }
    }

    /// The next wait (jittered to 75%..125%) and advance.
    pub(crate) fn next_delay(&mut self) -> Duration {
        let base = self.next;
        self.next = (self.next.mul_f64(1.5)).min(self.max);
        let factor = 0.75 + (random_u64() % 1000) as f64 / 2000.0;
        base.mul_f64(factor)
    }

    pub(crate) async fn wait(&mut self) {
        tokio::time::sleep(self.next_delay()).await;
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
    fn backoff_grows_to_the_cap_and_stays_jittered_around_it() {
        let mut backoff = Backoff::stack();
        let first = backoff.next_delay();
        assert!(first >= Duration::from_micros(18_750) && first <= Duration::from_micros(31_250));
        let mut last = first;
        for _ in 0..30 {
            last = backoff.next_delay();
        }
        assert!(
            last >= Duration::from_millis(3750) && last <= Duration::from_millis(6250),
            "{last:?}"
        );
    }

    #[test]
    fn random_numbers_differ_between_calls() {
        let values: std::collections::BTreeSet<u64> = (0..8).map(|_| random_u64()).collect();
        assert!(values.len() > 1);
    }
}
