//! When and how often a request is repeated.

use std::future::Future;
use std::io::ErrorKind;
use std::time::{Duration, SystemTime};

use backon::{BackoffBuilder, ExponentialBuilder};
use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use tokio::time::Instant;

use super::error::Error;
use super::governor::{Governor, PausedPastDeadline, millis};
use super::response::RawResponse;

/// Retry behaviour of a [`Client`](super::Client).
///
/// Requests are retried with bounded exponential backoff and jitter when the
/// server answers one of the [retried statuses](RetryPolicy::retry_statuses)
/// (429, 502, 503 and 504 by default), when the connection fails, is lost or
/// times out. Which failures are retried depends on what the server can have
/// done:
///
/// - **429** means the request was not processed, so it is retried for any method.
/// - A **connection that could not be opened** (nothing was written) is
///   retried for any method.
/// - **5xx**, **timeouts** and a **connection lost** before the response was
///   complete (reset, or closed by the server or a proxy, as a stale
///   keep-alive connection is) may follow a request the server already acted
///   on, so only idempotent methods (GET, HEAD, PUT, DELETE, OPTIONS) are
///   retried, unless [`retry_non_idempotent`](RetryPolicy::retry_non_idempotent)
///   is set here or on the individual request.
///
/// A `Retry-After` header (seconds or HTTP date) is always honoured in full:
/// the retry waits exactly that long, never less, and so does every other
/// request of the client to that host. A wait longer than
/// [`max_retry_after`](RetryPolicy::max_retry_after) is not attempted; the call
/// fails with [`Error::RetryAfterTooLong`], which carries the requested wait.
///
/// Retries are capped per call ([`max_retries`](RetryPolicy::max_retries)
/// after failures, [`max_throttled_retries`](RetryPolicy::max_throttled_retries)
/// after a 429, or a 503 with `Retry-After`), across the client by the
/// [`RetryBudget`], and in time by the [`deadline`](RetryPolicy::deadline)
/// of the whole call, 180 s by default.
///
/// ```
/// use std::time::Duration;
/// use jumpcloud_client::runtime::{RetryBudget, RetryPolicy};
/// use reqwest::StatusCode;
///
/// let policy = RetryPolicy::default()
///     .max_retries(5)
///     .initial_backoff(Duration::from_millis(200))
///     .max_backoff(Duration::from_secs(10))
///     .max_retry_after(Duration::from_secs(60))
///     .deadline(Duration::from_secs(120))
///     .retry_status(StatusCode::INTERNAL_SERVER_ERROR)
///     .budget(RetryBudget::new(50));
/// assert!(policy.retries_status(StatusCode::INTERNAL_SERVER_ERROR));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    max_throttled_retries: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
    deadline: Option<Duration>,
    jitter: bool,
    retry_non_idempotent: bool,
    statuses: Vec<StatusCode>,
    budget: RetryBudget,
}

/// The overall deadline of a call when the policy sets none: one full
/// attempt at the default 60 s timeout plus the longest `Retry-After` the
/// default policy waits for (120 s).
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(180);

impl Default for RetryPolicy {
    /// 3 retries after failures and 30 after throttling, 500 ms initial
    /// backoff, 30 s maximum computed backoff, `Retry-After` honoured up to
    /// 120 s, a 180 s deadline per call, jitter on, statuses 429, 502, 503
    /// and 504 retried (5xx, timeouts and lost connections for idempotent
    /// methods only), the default [`RetryBudget`].
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            max_throttled_retries: 30,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(120),
            deadline: Some(DEFAULT_DEADLINE),
            jitter: true,
            retry_non_idempotent: false,
            statuses: vec![
                StatusCode::TOO_MANY_REQUESTS,
                StatusCode::BAD_GATEWAY,
                StatusCode::SERVICE_UNAVAILABLE,
                StatusCode::GATEWAY_TIMEOUT,
            ],
            budget: RetryBudget::default(),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn disabled() -> Self {
        RetryPolicy::default().max_retries(0)
    }

    /// Maximum number of retries after the first attempt. This caps every
    /// retry, throttled ones included; call
    /// [`max_throttled_retries`](Self::max_throttled_retries) afterwards to
    /// give throttling its own cap.
    #[must_use]
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = max_retries;
        self.max_throttled_retries = max_retries;
        self
    }

    /// Maximum number of retries after throttling: a 429, or a 503 with
    /// `Retry-After` (30 by default). Each one waits as long as the server
    /// asks, so the [`deadline`](Self::deadline) and the client's
    /// [`RetryBudget`] bound them in practice.
    #[must_use]
    pub fn max_throttled_retries(mut self, max_retries: u32) -> Self {
        self.max_throttled_retries = max_retries;
        self
    }

    /// Delay before the first retry; it doubles for each further retry.
    #[must_use]
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// Upper bound of a computed delay. It does not shorten a wait the server
    /// asked for with `Retry-After`; see [`max_retry_after`](Self::max_retry_after).
    #[must_use]
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// Longest `Retry-After` the client will wait for (120 s by default).
    /// A longer request fails the call with [`Error::RetryAfterTooLong`]
    /// instead of retrying before the server is ready.
    #[must_use]
    pub fn max_retry_after(mut self, ceiling: Duration) -> Self {
        self.max_retry_after = ceiling;
        self
    }

    /// Time allowed for a whole call: waiting for the host's `Retry-After`
    /// and for the client's caps, every attempt (reading the body included)
    /// and every wait between attempts; 180 s ([`DEFAULT_DEADLINE`]) by
    /// default. A retry whose wait would end after the deadline is not
    /// made; a call still running at the deadline fails with
    /// [`Error::DeadlineExceeded`], and so does at once a call that the
    /// host's pause would keep past it. Each attempt is also bounded by the
    /// client's [`timeout`](super::ClientBuilder::timeout).
    #[must_use]
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Randomises delays so that many clients do not retry in lockstep.
    #[must_use]
    pub fn jitter(mut self, jitter: bool) -> Self {
        self.jitter = jitter;
        self
    }

    /// Also retries POST and PATCH requests after 5xx responses, timeouts
    /// and lost connections.
    #[must_use]
    pub fn retry_non_idempotent(mut self, allow: bool) -> Self {
        self.retry_non_idempotent = allow;
        self
    }

    /// Replaces the statuses that are retried (by default 429, 502, 503 and
    /// 504). 429 is retried for any method; every other status only for
    /// idempotent methods, unless
    /// [`retry_non_idempotent`](Self::retry_non_idempotent) is set.
    #[must_use]
    pub fn retry_statuses(mut self, statuses: impl IntoIterator<Item = StatusCode>) -> Self {
        self.statuses = statuses.into_iter().collect();
        self
    }

    /// Adds one status to those retried, e.g. 500 for a server known to
    /// answer it for passing failures.
    #[must_use]
    pub fn retry_status(mut self, status: StatusCode) -> Self {
        if !self.statuses.contains(&status) {
            self.statuses.push(status);
        }
        self
    }

    /// Replaces the default [`RetryBudget`] of the client.
    #[must_use]
    pub fn budget(mut self, budget: RetryBudget) -> Self {
        self.budget = budget;
        self
    }

    /// Whether a response with this status is retried.
    pub fn retries_status(&self, status: StatusCode) -> bool {
        self.statuses.contains(&status)
    }

    /// The configured `Retry-After` ceiling.
    pub fn retry_after_ceiling(&self) -> Duration {
        self.max_retry_after
    }

    /// The configured overall deadline of a call, if any.
    pub fn call_deadline(&self) -> Option<Duration> {
        self.deadline
    }

    /// The configured retry budget.
    pub fn retry_budget(&self) -> RetryBudget {
        self.budget
    }

    fn allows(&self, method: &Method, request_opt_in: bool) -> bool {
        let idempotent = matches!(
            *method,
            Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
        );
        idempotent || self.retry_non_idempotent || request_opt_in
    }

    fn backoff(&self) -> ExponentialBuilder {
        let builder = ExponentialBuilder::default()
            .with_min_delay(self.initial_backoff)
            .with_max_delay(self.max_backoff)
            .without_max_times();
        if self.jitter {
            builder.with_jitter()
        } else {
            builder
        }
    }
}

/// Retry tokens shared by every clone of a [`Client`](super::Client) and
/// every request, stream and future made from it.
///
/// A retry takes one token; a response that needs no retry puts
/// [`per_success`](Self::per_success) back (2 by default) and time adds
/// [`per_second`](Self::per_second) (1 by default), up to the
/// [`capacity`](Self::new) (100 by default). When the bucket is empty, a
/// retry waits for a token instead of failing: under sustained throttling or
/// failure the client slows down to about two retries per success and one
/// a second, instead of multiplying its load. The defaults absorb a server
/// that refuses up to two requests in three without slowing down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryBudget {
    capacity: u32,
    per_success: u32,
    per_second: u32,
}

impl Default for RetryBudget {
    fn default() -> Self {
        RetryBudget::new(100)
    }
}

impl RetryBudget {
    /// A bucket of `capacity` tokens, full at the start, with the default
    /// refills.
    pub fn new(capacity: u32) -> Self {
        RetryBudget {
            capacity,
            per_success: 2,
            per_second: 1,
        }
    }

    /// No client-wide limit: only the policy's caps and deadline apply.
    pub fn unlimited() -> Self {
        RetryBudget {
            capacity: u32::MAX,
            per_success: u32::MAX,
            per_second: u32::MAX,
        }
    }

    /// Tokens a response that needs no retry puts back.
    #[must_use]
    pub fn per_success(mut self, tokens: u32) -> Self {
        self.per_success = tokens;
        self
    }

    /// Tokens time adds each second.
    #[must_use]
    pub fn per_second(mut self, tokens: u32) -> Self {
        self.per_second = tokens;
        self
    }

    /// Most tokens the bucket holds.
    pub fn capacity(&self) -> u32 {
        self.capacity
    }

    pub(crate) fn per_success_tokens(&self) -> u32 {
        self.per_success
    }

    pub(crate) fn per_second_tokens(&self) -> u32 {
        self.per_second
    }

    pub(crate) fn is_unlimited(&self) -> bool {
        *self == RetryBudget::unlimited()
    }
}

/// Delay requested by a `Retry-After` header, given either in seconds or as
/// an HTTP date; a date in the past means "now".
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Whether the connection went away before the response was complete: reset
/// by the peer, or closed (as a keep-alive connection a proxy or load
/// balancer closes just as it is reused). The request may have been
/// received, so only a repeatable request is retried after it.
fn connection_lost(err: &reqwest::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(current) = source {
        if let Some(err) = current.downcast_ref::<hyper::Error>()
            && (err.is_incomplete_message() || err.is_canceled() || err.is_closed())
        {
            return true;
        }
        if let Some(err) = current.downcast_ref::<std::io::Error>()
            && matches!(
                err.kind(),
                ErrorKind::ConnectionReset
                    | ErrorKind::ConnectionAborted
                    | ErrorKind::BrokenPipe
                    | ErrorKind::UnexpectedEof
            )
        {
            return true;
        }
        source = current.source();
    }
    false
}

/// How long a response tells every request to its host to wait: a 429 or
/// 503 with `Retry-After`, whatever the method and whether it is retried.
fn host_pause(outcome: &Result<RawResponse, Error>) -> Option<Duration> {
    let resp = outcome.as_ref().ok()?;
    match resp.status() {
        StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE => {
            retry_after(resp.headers(), SystemTime::now())
        }
        _ => None,
    }
}

/// Which cap a retry counts against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Retry {
    /// The server asked to slow down (429, or 503 with `Retry-After`).
    Throttled,
    /// Anything else: 5xx, lost connection, timeout.
    Failed,
}

/// Outcome of one attempt that the retry loop may act on; boxed to keep the
/// `Result` small.
enum Failure {
    Response(Box<RawResponse>),
    Error(Error),
}

impl Failure {
    fn classify(
        outcome: Result<RawResponse, Error>,
        policy: &RetryPolicy,
    ) -> Result<RawResponse, Failure> {
        match outcome {
            Ok(resp) if policy.retries_status(resp.status()) => {
                Err(Failure::Response(Box::new(resp)))
            }
            Ok(resp) => Ok(resp),
            Err(err) => Err(Failure::Error(err)),
        }
    }

    /// Whether repeating the request is safe after this failure, and which
    /// cap it counts against. `method_allowed` says whether the method may be
    /// repeated even when the server may have acted on the first attempt.
    fn retry(&self, method_allowed: bool) -> Option<Retry> {
        match self {
            // Not processed: safe for any method (RFC 6585, section 4).
            Failure::Response(resp) if resp.status() == StatusCode::TOO_MANY_REQUESTS => {
                Some(Retry::Throttled)
            }
            Failure::Response(_) if !method_allowed => None,
            Failure::Response(resp)
                if resp.status() == StatusCode::SERVICE_UNAVAILABLE
                    && self.requested_wait().is_some() =>
            {
                Some(Retry::Throttled)
            }
            Failure::Response(_) => Some(Retry::Failed),
            Failure::Error(Error::Transport { source, .. }) => {
                // A connect error means nothing was written; a timeout or a
                // lost connection may come after the server received the
                // whole request.
                let retry = source.is_connect()
                    || (method_allowed && (source.is_timeout() || connection_lost(source)));
                retry.then_some(Retry::Failed)
            }
            Failure::Error(_) => None,
        }
    }

    /// The wait the server asked for, if this is a response that asked.
    fn requested_wait(&self) -> Option<Duration> {
        match self {
            Failure::Response(resp) => retry_after(resp.headers(), SystemTime::now()),
            Failure::Error(_) => None,
        }
    }

    fn reason(&self) -> String {
        match self {
            Failure::Response(resp) => format!("status {}", resp.status()),
            Failure::Error(Error::Transport { source, .. }) => {
                format!("transport error: {source}")
            }
            Failure::Error(err) => err.to_string(),
        }
    }

    /// The final outcome when no retry follows: the last response (whatever
    /// its status) or the last error, so callers see exactly what the server
    /// said last.
    fn finish(self, retryable: bool, ceiling: Duration) -> Result<RawResponse, Error> {
        match self {
            Failure::Response(mut resp) => {
                // Tell the caller when the only reason for not retrying was
                // a wait beyond the ceiling.
                let requested = retry_after(resp.headers(), SystemTime::now());
                if let Some(requested) = requested.filter(|wait| retryable && *wait > ceiling) {
                    resp.refuse_retry(requested, ceiling);
                }
                Ok(*resp)
            }
            Failure::Error(err) => Err(err),
        }
    }
}

/// One call as the retry loop sees it.
pub(crate) struct Call<'a> {
    pub(crate) policy: &'a RetryPolicy,
    pub(crate) governor: &'a Governor,
    /// Origin of the URL: what a `Retry-After` pauses.
    pub(crate) host: &'a str,
    pub(crate) method: &'a Method,
    pub(crate) path_template: &'static str,
    pub(crate) request_opt_in: bool,
}

/// Runs `attempt` until it yields a final outcome under the call's policy,
/// within its deadline.
pub(crate) async fn run<F, Fut>(call: &Call<'_>, attempt: F) -> Result<RawResponse, Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<RawResponse, Error>>,
{
    let started = Instant::now();
    let deadline = call
        .policy
        .deadline
        .and_then(|deadline| Some((deadline, started.checked_add(deadline)?)));
    let exceeded = |deadline| Error::DeadlineExceeded {
        method: call.method.clone(),
        path: call.path_template,
        deadline,
    };
    let retries = retry_loop(call, deadline.map(|(_, at)| at), attempt);
    match deadline {
        None => retries.await,
        Some((deadline, at)) => tokio::time::timeout_at(at, retries)
            .await
            .unwrap_or_else(|_| Err(exceeded(deadline)))
            .map_err(|err| match err {
                // The host's pause outlasts the deadline.
                Error::DeadlineExceeded { .. } => exceeded(deadline),
                err => err,
            }),
    }
}

async fn retry_loop<F, Fut>(
    call: &Call<'_>,
    deadline: Option<Instant>,
    mut attempt: F,
) -> Result<RawResponse, Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<RawResponse, Error>>,
{
    let policy = call.policy;
    let governor = call.governor;
    let method_allowed = policy.allows(call.method, call.request_opt_in);
    let ceiling = policy.max_retry_after;
    let mut delays = policy.backoff().build();
    let (mut failed, mut throttled) = (0u32, 0u32);
    loop {
        let outcome = {
            let _permit =
                governor
                    .ready(call.host, deadline)
                    .await
                    .map_err(|PausedPastDeadline| Error::DeadlineExceeded {
                        method: call.method.clone(),
                        path: call.path_template,
                        deadline: Duration::ZERO,
                    })?;
            attempt().await
        };
        if let Some(wait) = host_pause(&outcome) {
            governor.pause(call.host, wait);
        }
        let failure = match Failure::classify(outcome, policy) {
            Ok(resp) => {
                // Only an answering server refills the budget.
                if !resp.status().is_server_error()
                    && resp.status() != StatusCode::TOO_MANY_REQUESTS
                {
                    governor.record_success();
                }
                return Ok(resp);
            }
            Err(failure) => failure,
        };
        let retryable = failure.retry(method_allowed);
        let within_cap = match retryable {
            Some(Retry::Throttled) => throttled < policy.max_throttled_retries,
            Some(Retry::Failed) => failed < policy.max_retries,
            None => false,
        };
        let requested = failure.requested_wait();
        if !within_cap || requested.is_some_and(|wait| wait > ceiling) {
            return failure.finish(retryable.is_some(), ceiling);
        }
        // The server's own wait wins over the computed one in full:
        // retrying earlier would only be refused again.
        let computed = delays.next().unwrap_or(policy.max_backoff);
        let delay = requested.unwrap_or_else(|| computed.min(policy.max_backoff));
        // A retry that cannot happen before the deadline is not made.
        if deadline.is_some_and(|deadline| Instant::now() + delay >= deadline) {
            return failure.finish(true, ceiling);
        }
        match retryable {
            Some(Retry::Throttled) => throttled += 1,
            _ => failed += 1,
        }
        tracing::warn!(
            method = %call.method,
            path = call.path_template,
            attempt = failed + throttled,
            delay_ms = millis(delay),
            reason = %failure.reason(),
            "retrying JumpCloud API request",
        );
        tokio::time::sleep(delay).await;
        governor.spend_retry().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(value: &'static str) -> HeaderMap {
        let mut map = HeaderMap::new();
        map.insert(RETRY_AFTER, HeaderValue::from_static(value));
        map
    }

    #[test]
    fn retry_after_seconds() {
        let now = SystemTime::now();
        assert_eq!(
            retry_after(&headers("7"), now),
            Some(Duration::from_secs(7))
        );
    }

    #[test]
    fn retry_after_http_date() {
        let now = httpdate::parse_http_date("Tue, 24 Nov 2026 10:00:00 GMT").unwrap();
        assert_eq!(
            retry_after(&headers("Tue, 24 Nov 2026 10:00:05 GMT"), now),
            Some(Duration::from_secs(5))
        );
        assert_eq!(
            retry_after(&headers("Tue, 24 Nov 2026 09:00:00 GMT"), now),
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn retry_after_garbage_is_ignored() {
        assert_eq!(retry_after(&headers("soon"), SystemTime::now()), None);
        assert_eq!(retry_after(&HeaderMap::new(), SystemTime::now()), None);
    }

    #[test]
    fn only_idempotent_methods_by_default() {
        let policy = RetryPolicy::default();
        for method in [Method::GET, Method::HEAD, Method::PUT, Method::DELETE] {
            assert!(policy.allows(&method, false), "{method}");
        }
        assert!(!policy.allows(&Method::POST, false));
        assert_eq!(policy.retry_after_ceiling(), Duration::from_secs(120));
        assert_eq!(policy.call_deadline(), Some(DEFAULT_DEADLINE));
        assert!(!policy.allows(&Method::PATCH, false));
        assert!(policy.allows(&Method::POST, true));
        assert!(
            policy
                .clone()
                .retry_non_idempotent(true)
                .allows(&Method::PATCH, false)
        );
    }
}
