//! A client-side rate limiter per Cognito quota category, adaptive on throttling.
//!
//! Requests are spaced evenly at the current rate (no bursts, so a server-side token bucket
//! at the same rate never runs dry). A throttled answer means someone else shares the quota
//! (it is per account and region): the rate drops by a quarter; each success wins back a
//! little, up to the configured ceiling. Ours, not the SDK's adaptive mode, because every
//! attempt of every call (retries included) must pass here, and the SDK's limiter starts low
//! and learns the rate only from throttling.

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// Requests a second; `None` sends as fast as answers come (an emulator with no quota).
#[derive(Debug)]
pub struct RateLimiter {
    ceiling: Option<f64>,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    rate: f64,
    next: Option<Instant>,
}

/// The floor the rate never drops below, as a fraction of the ceiling.
const FLOOR: f64 = 0.1;
/// On throttling, the rate is multiplied by this.
const DECREASE: f64 = 0.75;
/// On success, the rate grows by this fraction of the ceiling.
const INCREASE: f64 = 0.01;

impl RateLimiter {
    /// `rate` requests a second; `rate <= 0` means no limit.
    pub fn new(rate: f64) -> RateLimiter {
        let ceiling = (rate > 0.0 && rate.is_finite()).then_some(rate);
        RateLimiter {
            ceiling,
            state: Mutex::new(State {
                rate: ceiling.unwrap_or(0.0),
                next: None,
            }),
        }
    }

    /// Waits for this request's slot.
    pub async fn acquire(&self) {
        let Some(slot) = self.reserve() else { return };
        tokio::time::sleep_until(slot).await;
    }

    fn reserve(&self) -> Option<Instant> {
        self.ceiling?;
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let now = Instant::now();
        let slot = state.next.map_or(now, |next| next.max(now));
        state.next = Some(slot + Duration::from_secs_f64(1.0 / state.rate));
        Some(slot)
    }

    /// The quota said no: slow down.
    pub fn throttled(&self) {
        let Some(ceiling) = self.ceiling else { return };
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        state.rate = (state.rate * DECREASE).max(ceiling * FLOOR);
    }

    /// A call went through: win back some rate.
    pub fn succeeded(&self) {
        let Some(ceiling) = self.ceiling else { return };
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        state.rate = (state.rate + ceiling * INCREASE).min(ceiling);
    }

    /// The configured rate, which the current one never exceeds (`None`: no limit).
    pub fn ceiling(&self) -> Option<f64> {
        self.ceiling
    }

    /// The current rate (requests a second), `None` when unlimited.
    pub fn rate(&self) -> Option<f64> {
        self.ceiling?;
        Some(
            self.state
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .rate,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The clock is tokio's paused test clock: time only moves when every task waits, so
    // these measure the schedule, not the machine.
    #[tokio::test(start_paused = true)]
    async fn spaces_requests_evenly_at_the_rate() {
        let limiter = RateLimiter::new(30.0);
        let start = Instant::now();
        for _ in 0..31 {
            limiter.acquire().await;
        }
        // 31 requests at 30/s: the last one goes out one second after the first.
        assert_eq!(Instant::now() - start, Duration::from_secs_f64(30.0 / 30.0));
    }

    #[tokio::test(start_paused = true)]
    async fn throttling_slows_down_and_success_recovers_to_the_ceiling() {
        let limiter = RateLimiter::new(20.0);
        limiter.throttled();
        assert_eq!(limiter.rate(), Some(15.0));
        for _ in 0..100 {
            limiter.throttled();
        }
        assert_eq!(limiter.rate(), Some(2.0), "never below the floor");
        for _ in 0..1000 {
            limiter.succeeded();
        }
        assert_eq!(limiter.rate(), Some(20.0), "never above the ceiling");
    }

    #[tokio::test(start_paused = true)]
    async fn zero_means_no_limit() {
        let limiter = RateLimiter::new(0.0);
        let start = Instant::now();
        for _ in 0..1000 {
            limiter.acquire().await;
        }
        assert_eq!(Instant::now(), start);
        assert_eq!(limiter.rate(), None);
    }
}
