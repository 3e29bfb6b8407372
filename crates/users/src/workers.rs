//! Workers sharing one queue: the limiters set the pace, the workers only keep enough calls in
//! flight to use it. How many that takes depends on the service's latency (Little's law: items
//! in flight = items a second x seconds an item takes), so a run measures the time an item takes
//! as it goes and adds workers until the quota, not the round trips, is the limit.

use std::collections::VecDeque;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::Notify;
use tokio::task::JoinSet;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use crate::UsersError;

/// The `counts` key for the items a stopped run never reached.
pub(crate) const NOT_STARTED: &str = "not_started";

/// Workers a run starts with, and keeps when there is no client-side limit (an emulator).
pub(crate) const START: usize = 16;
/// Workers a run never exceeds, whatever the latency: each holds a connection.
pub(crate) const MOST: usize = 256;
/// Workers over the measured need, so that a slower stretch does not starve the quota.
const SPARE: f64 = 1.25;
/// Weight of the newest item's time in the running mean.
const NEWEST_WEIGHT: f64 = 0.2;

/// Workers wanted for `items_per_second` (the quota of the call each item ends with; `None`:
/// no limit) when an item takes `item_seconds` on average.
fn wanted(items_per_second: Option<f64>, item_seconds: f64) -> usize {
    let Some(rate) = items_per_second else {
        return START;
    };
    // `as` saturates; the clamp keeps it in START..=MOST.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let need = (rate * item_seconds * SPARE).ceil() as usize;
    need.clamp(START, MOST)
}

/// What the workers did: every result, how many items were never started because `stop` was
/// cancelled, and the most workers that ran at once.
#[derive(Debug)]
pub(crate) struct Worked<T> {
    pub done: Vec<T>,
    pub not_started: u64,
    pub peak_workers: usize,
}

/// Runs `work` on every item, with enough workers for `items_per_second` (starting at
/// [`START`], grown with the measured time an item takes, at most [`MOST`]). After the first error, or once `stop` is
/// cancelled, no new item is started; the others finish what they started (an item is never
/// abandoned half-way), and the first error is returned.
pub(crate) async fn run_all<I, T, F, Fut>(
    items: Vec<I>,
    items_per_second: Option<f64>,
    stop: &CancellationToken,
    work: F,
) -> Result<Worked<T>, UsersError>
where
    I: Send + 'static,
    T: Send + 'static,
    F: Fn(I) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<T, UsersError>> + Send + 'static,
{
    let shared = Arc::new(Shared {
        queue: Mutex::new(items.into_iter().collect::<VecDeque<I>>()),
        item_seconds: Mutex::new(None),
        item_done: Notify::new(),
        work,
    });
    let mut running = JoinSet::new();
    let mut peak_workers = 0;
    let mut results = Vec::new();
    let mut first_error = None;
    let add = |running: &mut JoinSet<_>, peak: &mut usize, want: usize| {
        while running.len() < want && !shared.queue_is_empty() {
            running.spawn(worker(Arc::clone(&shared), stop.clone()));
        }
        *peak = (*peak).max(running.len());
    };
    add(&mut running, &mut peak_workers, START);
    loop {
        tokio::select! {
            joined = running.join_next() => match joined {
                None => break,
                Some(Ok(Ok(done))) => results.extend(done),
                Some(Ok(Err(error))) => {
                    shared.clear();
                    first_error.get_or_insert(error);
                }
                Some(Err(join)) => {
                    shared.clear();
                    first_error
                        .get_or_insert(UsersError::Task(format!("a worker stopped: {join}")));
                }
            },
            () = shared.item_done.notified() => {
                if first_error.is_none() && !stop.is_cancelled() {
                    if let Some(seconds) = shared.mean_item_seconds() {
                        add(&mut running, &mut peak_workers, wanted(items_per_second, seconds));
                    }
                }
            }
        }
    }
    let not_started = shared.len() as u64;
    match first_error {
        Some(error) => Err(error),
        None => Ok(Worked {
            done: results,
            not_started,
            peak_workers,
        }),
    }
}

struct Shared<I, F> {
    queue: Mutex<VecDeque<I>>,
    /// The running mean of the time an item takes, in seconds.
    item_seconds: Mutex<Option<f64>>,
    /// Told after each item, so the run can grow.
    item_done: Notify,
    work: F,
}

impl<I, F> Shared<I, F> {
    fn next(&self) -> Option<I> {
        self.queue
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop_front()
    }

    fn queue_is_empty(&self) -> bool {
        self.len() == 0
    }

    fn len(&self) -> usize {
        self.queue
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    fn clear(&self) {
        self.queue
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }

    fn took(&self, seconds: f64) {
        let mut mean = self
            .item_seconds
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        *mean = Some(mean.map_or(seconds, |mean| mean + NEWEST_WEIGHT * (seconds - mean)));
        drop(mean);
        self.item_done.notify_one();
    }

    fn mean_item_seconds(&self) -> Option<f64> {
        *self
            .item_seconds
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

async fn worker<I, T, F, Fut>(
    shared: Arc<Shared<I, F>>,
    stop: CancellationToken,
) -> Result<Vec<T>, UsersError>
where
    F: Fn(I) -> Fut,
    Fut: Future<Output = Result<T, UsersError>>,
{
    let mut done = Vec::new();
    loop {
        if stop.is_cancelled() {
            return Ok(done);
        }
        let Some(item) = shared.next() else {
            return Ok(done);
        };
        let started = Instant::now();
        done.push((shared.work)(item).await?);
        shared.took(started.elapsed().as_secs_f64());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_item_is_worked_once_and_an_error_stops_new_ones() {
        let go = CancellationToken::new();
        let mut done = run_all(
            (0..100).collect(),
            None,
            &go,
            |n: u32| async move { Ok(n * 2) },
        )
        .await
        .unwrap()
        .done;
        done.sort_unstable();
        assert_eq!(done, (0..100).map(|n| n * 2).collect::<Vec<_>>());

        let failed = run_all((0..100).collect(), None, &go, |n: u32| async move {
            if n == 3 {
                Err(UsersError::Task("boom".into()))
            } else {
                Ok(n)
            }
        })
        .await;
        assert!(failed.unwrap_err().to_string().contains("boom"));
    }

    #[tokio::test]
    async fn a_stop_lets_started_items_finish_and_starts_no_more() {
        let stop = CancellationToken::new();
        let started = Arc::new(std::sync::atomic::AtomicU32::new(0));
        let worked = run_all((0..100).collect(), None, &stop, {
            let (stop, started) = (stop.clone(), Arc::clone(&started));
            move |n: u32| {
                let (stop, started) = (stop.clone(), Arc::clone(&started));
                async move {
                    started.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    if n == 10 {
                        stop.cancel();
                    }
                    // Every started item finishes even after the stop.
                    tokio::task::yield_now().await;
                    Ok(n)
                }
            }
        })
        .await
        .unwrap();
        let started = u64::from(started.load(std::sync::atomic::Ordering::SeqCst));
        assert_eq!(worked.done.len() as u64, started);
        assert!((11..100).contains(&started), "{started} started");
        assert_eq!(worked.not_started, 100 - started);
    }

    /// Items that each take half a second (paused time: no real waiting) at a quota of 100
    /// items a second need 50 at once (Little's law), 63 with the spare: the run grows from
    /// START to that, and no further.
    #[tokio::test(start_paused = true)]
    async fn slow_items_grow_the_workers_to_what_the_rate_needs() {
        let in_flight = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let most = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let worked = run_all(
            (0..2000).collect(),
            Some(100.0),
            &CancellationToken::new(),
            {
                let (in_flight, most) = (Arc::clone(&in_flight), Arc::clone(&most));
                move |n: u32| {
                    let (in_flight, most) = (Arc::clone(&in_flight), Arc::clone(&most));
                    async move {
                        let now = in_flight.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
                        most.fetch_max(now, std::sync::atomic::Ordering::SeqCst);
                        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
                        in_flight.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
                        Ok(n)
                    }
                }
            },
        )
        .await
        .unwrap();
        assert_eq!(worked.done.len(), 2000);
        assert_eq!(worked.peak_workers, 63);
        assert_eq!(most.load(std::sync::atomic::Ordering::SeqCst), 63);
    }

    /// Quick items never need more than the start; without a quota the start is kept.
    #[tokio::test(start_paused = true)]
    async fn quick_items_and_no_quota_keep_the_start() {
        for items_per_second in [Some(25.0), None] {
            let worked = run_all(
                (0..500).collect(),
                items_per_second,
                &CancellationToken::new(),
                |n: u32| async move {
                    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                    Ok(n)
                },
            )
            .await
            .unwrap();
            assert_eq!(worked.peak_workers, START, "{items_per_second:?}");
        }
        assert_eq!(wanted(Some(1e9), 10.0), MOST);
    }
}
