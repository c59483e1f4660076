//! What every clone of a client shares about the server: when a host asked
//! to be left alone, how many retries it may still be sent, and the caps on
//! concurrency and request rate.

use std::collections::HashMap;
use std::pin::pin;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::{Notify, Semaphore, SemaphorePermit};
use tokio::time::Instant;

use super::retry::RetryBudget;

/// Shared by all clones of a [`Client`](super::Client): it lives in the
/// client's `Arc`.
#[derive(Debug)]
pub(crate) struct Governor {
    budget: RetryBudget,
    /// Requests in flight at once, when capped.
    permits: Option<Semaphore>,
    /// Time between two requests, when the rate is capped.
    spacing: Option<Duration>,
    state: Mutex<State>,
    /// Wakes retries waiting for a token when a success refills the bucket.
    refilled: Notify,
}

#[derive(Debug)]
struct State {
    /// Host (origin) → the instant before which it asked not to be sent anything.
    paused_until: HashMap<String, Instant>,
    /// The earliest instant the next request may be sent under the rate cap.
    next_slot: Instant,
    /// Retry tokens left, and when time last added to them.
    tokens: f64,
    refilled_at: Instant,
}

/// The host asked to wait beyond the instant the call must end by.
#[derive(Debug)]
pub(crate) struct PausedPastDeadline;

impl Governor {
    pub(crate) fn new(
        budget: RetryBudget,
        max_concurrency: Option<usize>,
        max_requests_per_second: Option<u32>,
    ) -> Self {
        let now = Instant::now();
        Governor {
            budget,
            permits: max_concurrency.map(Semaphore::new),
            spacing: max_requests_per_second
                .filter(|rps| *rps > 0)
                .map(|rps| Duration::from_secs(1) / rps),
            state: Mutex::new(State {
                paused_until: HashMap::new(),
                next_slot: now,
                tokens: f64::from(budget.capacity()),
                refilled_at: now,
            }),
            refilled: Notify::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves plain numbers behind: use them.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Waits until a request may be sent to `host`: no pause in force, a
    /// concurrency permit (held by the caller while the attempt runs) and a
    /// slot under the rate cap.
    ///
    /// # Errors
    /// [`PausedPastDeadline`] when the host's pause ends after `deadline`:
    /// the call cannot succeed, so it does not wait.
    pub(crate) async fn ready(
        &self,
        host: &str,
        deadline: Option<Instant>,
    ) -> Result<Option<SemaphorePermit<'_>>, PausedPastDeadline> {
        let mut permit = None;
        loop {
            let paused = self.lock().paused_until.get(host).copied();
            if let Some(until) = paused.filter(|until| *until > Instant::now()) {
                if deadline.is_some_and(|deadline| until > deadline) {
                    return Err(PausedPastDeadline);
                }
                tracing::debug!(
                    host,
                    wait_ms = millis(until - Instant::now()),
                    "waiting for the host's Retry-After"
                );
                tokio::time::sleep_until(until).await;
                continue;
            }
            if permit.is_none()
                && let Some(permits) = &self.permits
            {
                // The semaphore is never closed.
                permit = permits.acquire().await.ok();
                continue;
            }
            if let Some(spacing) = self.spacing {
                let slot = {
                    let mut state = self.lock();
                    let slot = state.next_slot.max(Instant::now());
                    state.next_slot = slot + spacing;
                    slot
                };
                tokio::time::sleep_until(slot).await;
                // The host may have asked for a pause meanwhile.
                if self.is_paused(host) {
                    continue;
                }
            }
            return Ok(permit);
        }
    }

    fn is_paused(&self, host: &str) -> bool {
        self.lock()
            .paused_until
            .get(host)
            .is_some_and(|until| *until > Instant::now())
    }

    /// Records that `host` asked not to be sent anything for `wait`.
    pub(crate) fn pause(&self, host: &str, wait: Duration) {
        let Some(until) = Instant::now().checked_add(wait) else {
            return;
        };
        let mut state = self.lock();
        let entry = state.paused_until.entry(host.to_owned()).or_insert(until);
        *entry = (*entry).max(until);
    }

    /// A response that needs no retry: the server is answering, the budget
    /// grows.
    pub(crate) fn record_success(&self) {
        let mut state = self.lock();
        self.refill(&mut state);
        state.tokens = (state.tokens + f64::from(self.budget.per_success_tokens()))
            .min(f64::from(self.budget.capacity()));
        drop(state);
        self.refilled.notify_waiters();
    }

    fn refill(&self, state: &mut State) {
        let now = Instant::now();
        let elapsed = now.saturating_duration_since(state.refilled_at);
        state.refilled_at = now;
        state.tokens = (state.tokens
            + elapsed.as_secs_f64() * f64::from(self.budget.per_second_tokens()))
        .min(f64::from(self.budget.capacity()));
    }

    /// Takes one retry token, waiting for successes or time to refill the
    /// bucket when it is empty.
    pub(crate) async fn spend_retry(&self) {
        if self.budget.is_unlimited() {
            return;
        }
        loop {
            // Registered before looking, so that a refill between the look
            // and the wait is not missed.
            let mut notified = pin!(self.refilled.notified());
            notified.as_mut().enable();
            let missing = {
                let mut state = self.lock();
                self.refill(&mut state);
                if state.tokens >= 1.0 {
                    state.tokens -= 1.0;
                    return;
                }
                1.0 - state.tokens
            };
            let per_second = self.budget.per_second_tokens();
            tracing::debug!(
                tokens_missing = missing,
                "retry budget spent: waiting for it to refill"
            );
            if per_second == 0 {
                notified.await;
            } else {
                let wait = Duration::from_secs_f64(missing / f64::from(per_second));
                let _ = tokio::time::timeout(wait, notified).await;
            }
        }
    }
}

pub(crate) fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn an_empty_budget_waits_for_time_to_refill_it() {
        let governor = Governor::new(RetryBudget::new(2).per_second(4), None, None);
        let started = Instant::now();
        for _ in 0..4 {
            governor.spend_retry().await;
        }
        // Two tokens at once, then one every 250 ms.
        assert_eq!(started.elapsed(), Duration::from_millis(500));
    }

    #[tokio::test(start_paused = true)]
    async fn a_success_wakes_a_waiting_retry() {
        let governor = std::sync::Arc::new(Governor::new(
            RetryBudget::new(1).per_second(0).per_success(1),
            None,
            None,
        ));
        governor.spend_retry().await;
        let waiter = tokio::spawn({
            let governor = governor.clone();
            async move {
                governor.spend_retry().await;
                Instant::now()
            }
        });
        tokio::time::sleep(Duration::from_secs(3)).await;
        let succeeded_at = Instant::now();
        governor.record_success();
        assert_eq!(waiter.await.expect("waiter"), succeeded_at);
    }

    #[tokio::test(start_paused = true)]
    async fn a_pause_holds_every_request_to_that_host_only() {
        let governor = Governor::new(RetryBudget::default(), None, None);
        let started = Instant::now();
        governor.pause("http://a", Duration::from_secs(2));
        governor.ready("http://b", None).await.expect("other host");
        assert_eq!(started.elapsed(), Duration::ZERO);
        governor
            .ready("http://a", None)
            .await
            .expect("after the pause");
        assert_eq!(started.elapsed(), Duration::from_secs(2));
        governor.pause("http://a", Duration::from_secs(5));
        let deadline = Instant::now() + Duration::from_secs(4);
        assert!(governor.ready("http://a", Some(deadline)).await.is_err());
    }

    #[tokio::test(start_paused = true)]
    async fn the_rate_cap_spaces_requests() {
        let governor = Governor::new(RetryBudget::default(), None, Some(4));
        let started = Instant::now();
        for _ in 0..5 {
            let _ = governor.ready("http://a", None).await;
        }
        assert_eq!(started.elapsed(), Duration::from_secs(1));
    }
}
