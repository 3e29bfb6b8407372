//! A fixed number of workers sharing one queue: the limiters set the pace, the workers only
//! keep enough calls in flight to use it.

use std::collections::VecDeque;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use crate::UsersError;

/// The `counts` key for the items a stopped run never reached.
pub(crate) const NOT_STARTED: &str = "not_started";

/// What the workers did: every result, and how many items were never started because `stop`
/// was cancelled.
#[derive(Debug)]
pub(crate) struct Worked<T> {
    pub done: Vec<T>,
    pub not_started: u64,
}

/// Runs `work` on every item with `count` workers. After the first error, or once `stop` is
/// cancelled, no new item is started; the others finish what they started (an item is never
/// abandoned half-way), and the first error is returned.
pub(crate) async fn run_all<I, T, F, Fut>(
    items: Vec<I>,
    count: usize,
    stop: &CancellationToken,
    work: F,
) -> Result<Worked<T>, UsersError>
where
    I: Send + 'static,
    T: Send + 'static,
    F: Fn(I) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<T, UsersError>> + Send,
{
    let queue = Arc::new(Mutex::new(items.into_iter().collect::<VecDeque<I>>()));
    let work = Arc::new(work);
    let mut workers = JoinSet::new();
    for _ in 0..count {
        let queue = Arc::clone(&queue);
        let work = Arc::clone(&work);
        let stop = stop.clone();
        workers.spawn(async move {
            let mut done = Vec::new();
            loop {
                if stop.is_cancelled() {
                    return Ok(done);
                }
                let next = queue
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .pop_front();
                let Some(item) = next else { return Ok(done) };
                done.push(work(item).await?);
            }
        });
    }
    let mut results = Vec::new();
    let mut first_error = None;
    while let Some(joined) = workers.join_next().await {
        match joined {
            Ok(Ok(done)) => results.extend(done),
            Ok(Err(error)) => {
                queue.lock().unwrap_or_else(PoisonError::into_inner).clear();
                first_error.get_or_insert(error);
            }
            Err(join) => {
                first_error.get_or_insert(UsersError::Task(format!("a worker stopped: {join}")));
            }
        }
    }
    let not_started = queue.lock().unwrap_or_else(PoisonError::into_inner).len() as u64;
    match first_error {
        Some(error) => Err(error),
        None => Ok(Worked {
            done: results,
            not_started,
        }),
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
            8,
            &go,
            |n: u32| async move { Ok(n * 2) },
        )
        .await
        .unwrap()
        .done;
        done.sort_unstable();
        assert_eq!(done, (0..100).map(|n| n * 2).collect::<Vec<_>>());

        let failed = run_all((0..100).collect(), 1, &go, |n: u32| async move {
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
        let worked = run_all((0..100).collect(), 4, &stop, {
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
}
