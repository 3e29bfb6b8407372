//! Workers sharing one queue: the limiters set the pace, the workers only keep enough calls in
//! flight to use it. How many that takes depends on the service's latency (Little's law: items
//! in flight = items a second x seconds the service spends on an item), so a run measures, as it
//! goes, the time its calls wait for answers (not for the limiters: that wait grows with the
//! workers, and would feed on itself) and adds workers until the quota is the limit.

use std::collections::VecDeque;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::Notify;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use crate::cognito::Counters;
use crate::UsersError;

/// The `counts` key for the items a stopped run never reached.
pub(crate) const NOT_STARTED: &str = "not_started";

/// Workers a run starts with, and keeps when there is no client-side limit (an emulator).
pub(crate) const START: usize = 16;
/// Workers a run never exceeds, whatever the latency: each holds a connection.
pub(crate) const MOST: usize = 256;
/// Workers over the measured need, so that a slower stretch does not starve the quota.
const SPARE: f64 = 1.25;
/// Workers wanted for `items_per_second` (the quota of the call each item ends with; `None`:
/// no limit) when the service spends `item_seconds` on an item on average.
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
/// [`START`], grown with the round trips `counters` has summed per item done, at most
/// [`MOST`]). After the first error, or once `stop` is
/// cancelled, no new item is started; the others finish what they started (an item is never
/// abandoned half-way), and the first error is returned.
pub(crate) async fn run_all<I, T, F, Fut>(
    items: Vec<I>,
    items_per_second: Option<f64>,
    counters: &Counters,
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
        items_done: std::sync::atomic::AtomicU64::new(0),
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
                    let done = shared.items_done.load(std::sync::atomic::Ordering::Relaxed);
                    if done > 0 {
                        #[allow(clippy::cast_precision_loss)]
                        let seconds = counters.round_trips().as_secs_f64() / done as f64;
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
    items_done: std::sync::atomic::AtomicU64,
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

    fn took_one(&self) {
        self.items_done
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.item_done.notify_one();
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
        done.push((shared.work)(item).await?);
        shared.took_one();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn every_item_is_worked_once_and_an_error_stops_new_ones() {
        let go = CancellationToken::new();
        let mut done = run_all(
            (0..100).collect(),
            None,
            &Counters::default(),
            &go,
            |n: u32| async move { Ok(n * 2) },
        )
        .await
        .unwrap()
        .done;
        done.sort_unstable();
        assert_eq!(done, (0..100).map(|n| n * 2).collect::<Vec<_>>());

        let failed = run_all(
            (0..100).collect(),
            None,
            &Counters::default(),
            &go,
            |n: u32| async move {
                if n == 3 {
                    Err(UsersError::Task("boom".into()))
                } else {
                    Ok(n)
                }
            },
        )
        .await;
        assert!(failed.unwrap_err().to_string().contains("boom"));
    }

    #[tokio::test]
    async fn a_stop_lets_started_items_finish_and_starts_no_more() {
        let stop = CancellationToken::new();
        let started = Arc::new(std::sync::atomic::AtomicU32::new(0));
        let worked = run_all((0..100).collect(), None, &Counters::default(), &stop, {
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

    /// An item as the run sees it: `waiting` for a limiter, then a call whose answer takes
    /// `answer` (paused time: no real waiting), counted as the Cognito client counts it.
    async fn item(
        counters: Arc<Counters>,
        in_flight: Arc<AtomicUsize>,
        most: Arc<AtomicUsize>,
        waiting: Duration,
        answer: Duration,
    ) {
        let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        most.fetch_max(now, Ordering::SeqCst);
        tokio::time::sleep(waiting).await;
        tokio::time::sleep(answer).await;
        let micros = u64::try_from(answer.as_micros()).unwrap();
        counters
            .round_trip_micros
            .fetch_add(micros, Ordering::Relaxed);
        in_flight.fetch_sub(1, Ordering::SeqCst);
    }

    /// Runs 2,000 items at `rate` items a second, each as [`item`]; the most workers at once.
    async fn peak(rate: Option<f64>, waiting: Duration, answer: Duration) -> usize {
        let counters = Arc::new(Counters::default());
        let (in_flight, most) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let worked = run_all(
            (0..2000).collect(),
            rate,
            &counters,
            &CancellationToken::new(),
            {
                let (counters, in_flight, most) =
                    (counters.clone(), in_flight.clone(), most.clone());
                move |n: u32| {
                    let run = item(
                        counters.clone(),
                        in_flight.clone(),
                        most.clone(),
                        waiting,
                        answer,
                    );
                    async move {
                        run.await;
                        Ok(n)
                    }
                }
            },
        )
        .await
        .unwrap();
        assert_eq!(worked.done.len(), 2000);
        assert_eq!(worked.peak_workers, most.load(Ordering::SeqCst));
        worked.peak_workers
    }

    /// Answers that take half a second at a quota of 100 items a second need 50 at once
    /// (Little's law), 63 with the spare: the run grows from START to that, and no further.
    #[tokio::test(start_paused = true)]
    async fn slow_answers_grow_the_workers_to_what_the_rate_needs() {
        let half_a_second = Duration::from_millis(500);
        assert_eq!(peak(Some(100.0), Duration::ZERO, half_a_second).await, 63);
    }

    /// Quick answers never need more than the start, however long the items wait for their
    /// limiter (counting that wait would add workers, who would wait longer, and so on);
    /// without a quota the start is kept.
    #[tokio::test(start_paused = true)]
    async fn quick_answers_and_no_quota_keep_the_start() {
        let (long_wait, quick) = (Duration::from_millis(400), Duration::from_millis(2));
        assert_eq!(peak(Some(50.0), long_wait, quick).await, START);
        assert_eq!(
            peak(None, Duration::ZERO, Duration::from_secs(1)).await,
            START
        );
        assert_eq!(wanted(Some(1e9), 10.0), MOST);
    }
}
