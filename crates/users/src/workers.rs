//! A fixed number of workers sharing one queue: the limiters set the pace, the workers only
//! keep enough calls in flight to use it.

use std::collections::VecDeque;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::task::JoinSet;

use crate::UsersError;

/// Runs `work` on every item with `count` workers. After the first error no new item is
/// started; the others finish what they started, and the first error is returned.
pub(crate) async fn run_all<I, T, F, Fut>(
    items: Vec<I>,
    count: usize,
    work: F,
) -> Result<Vec<T>, UsersError>
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
        workers.spawn(async move {
            let mut done = Vec::new();
            loop {
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
                first_error.get_or_insert(UsersError::Aws {
                    operation: "worker",
                    code: None,
                    message: format!("a worker stopped: {join}"),
                });
            }
        }
    }
    match first_error {
        Some(error) => Err(error),
        None => Ok(results),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_item_is_worked_once_and_an_error_stops_new_ones() {
        let mut done = run_all((0..100).collect(), 8, |n: u32| async move { Ok(n * 2) })
            .await
            .unwrap();
        done.sort_unstable();
        assert_eq!(done, (0..100).map(|n| n * 2).collect::<Vec<_>>());

        let failed = run_all((0..100).collect(), 1, |n: u32| async move {
            if n == 3 {
                Err(UsersError::Aws {
                    operation: "test",
                    code: None,
                    message: "boom".into(),
                })
            } else {
                Ok(n)
            }
        })
        .await;
        assert!(failed.unwrap_err().to_string().contains("boom"));
    }
}
