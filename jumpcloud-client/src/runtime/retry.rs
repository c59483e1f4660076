//! When and how often a request is repeated.

use std::future::Future;
use std::time::{Duration, Instant, SystemTime};

use backon::{ExponentialBuilder, Retryable};
use futures::FutureExt;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};

use super::error::Error;
use super::response::RawResponse;

/// Retry behaviour of a [`Client`](super::Client).
///
/// Requests are retried with bounded exponential backoff and jitter when the
/// server answers 429, 502, 503 or 504, or when the connection fails or times
/// out. Which failures are retried depends on what the server can have done:
///
/// - **429** means the request was not processed, so it is retried for any method.
/// - A **connection error** (nothing was written) is retried for any method.
/// - **502/503/504** and **timeouts** may follow a request the server already
///   acted on, so only idempotent methods (GET, HEAD, PUT, DELETE, OPTIONS)
///   are retried, unless [`retry_non_idempotent`](RetryPolicy::retry_non_idempotent)
///   is set here or on the individual request.
///
/// A `Retry-After` header (seconds or HTTP date) is always honoured in full:
/// the retry waits exactly that long, never less. A wait longer than
/// [`max_retry_after`](RetryPolicy::max_retry_after) is not attempted; the call
/// fails with [`Error::RetryAfterTooLong`], which carries the requested wait.
/// [`deadline`](RetryPolicy::deadline) bounds a whole call, retries and waits
/// included.
///
/// ```
/// use std::time::Duration;
/// use jumpcloud_client::runtime::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .max_retries(5)
///     .initial_backoff(Duration::from_millis(200))
///     .max_backoff(Duration::from_secs(10))
///     .max_retry_after(Duration::from_secs(60))
///     .deadline(Duration::from_secs(120));
/// # let _ = policy;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
    deadline: Option<Duration>,
    jitter: bool,
    retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    /// 3 retries, 500 ms initial backoff, 30 s maximum computed backoff,
    /// `Retry-After` honoured up to 120 s, no overall deadline, jitter on,
    /// 5xx and timeouts retried for idempotent methods only.
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(120),
            deadline: None,
            jitter: true,
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn disabled() -> Self {
        RetryPolicy::default().max_retries(0)
    }

    /// Maximum number of retries after the first attempt.
    #[must_use]
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = max_retries;
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

    /// Time allowed for a whole call: every attempt and every wait between
    /// attempts. A retry whose wait would end after the deadline is not
    /// made; a call still running at the deadline fails with
    /// [`Error::DeadlineExceeded`]. No deadline by default.
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

    /// Also retries POST and PATCH requests after 5xx responses and timeouts.
    #[must_use]
    pub fn retry_non_idempotent(mut self, allow: bool) -> Self {
        self.retry_non_idempotent = allow;
        self
    }

    /// The configured `Retry-After` ceiling.
    pub fn retry_after_ceiling(&self) -> Duration {
        self.max_retry_after
    }

    /// The configured overall deadline of a call, if any.
    pub fn call_deadline(&self) -> Option<Duration> {
        self.deadline
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
            .with_max_times(usize::try_from(self.max_retries).unwrap_or(usize::MAX));
        if self.jitter {
            builder.with_jitter()
        } else {
            builder
        }
    }
}

/// Statuses that signal a temporary upstream failure; the request may or may
/// not have been processed.
fn is_retryable_server_status(status: StatusCode) -> bool {
    matches!(
        status,
        StatusCode::BAD_GATEWAY | StatusCode::SERVICE_UNAVAILABLE | StatusCode::GATEWAY_TIMEOUT
    )
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

/// Outcome of one attempt that the retry loop may act on. Retryable
/// responses travel on the error side because that is what `backon` retries;
/// boxed to keep the `Result` small.
enum Failure {
    Response(Box<RawResponse>),
    Error(Error),
}

impl Failure {
    fn classify(outcome: Result<RawResponse, Error>) -> Result<RawResponse, Failure> {
        match outcome {
            Ok(resp)
                if resp.status() == StatusCode::TOO_MANY_REQUESTS
                    || is_retryable_server_status(resp.status()) =>
            {
                Err(Failure::Response(Box::new(resp)))
            }
            Ok(resp) => Ok(resp),
            Err(err) => Err(Failure::Error(err)),
        }
    }

    /// Whether repeating the request is safe after this failure.
    /// `method_allowed` says whether the method may be repeated even when the
    /// server may have acted on the first attempt.
    fn is_retryable(&self, method_allowed: bool) -> bool {
        match self {
            // Not processed: safe for any method (RFC 6585, section 4).
            Failure::Response(resp) if resp.status() == StatusCode::TOO_MANY_REQUESTS => true,
            Failure::Response(_) => method_allowed,
            Failure::Error(Error::Transport { source, .. }) => {
                // A connect error means nothing was written; a timeout may
                // come after the server received the whole request.
                source.is_connect() || (method_allowed && source.is_timeout())
            }
            Failure::Error(_) => false,
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
}

/// Runs `attempt` until it yields a final outcome under `policy`.
///
/// When retries are exhausted the last response (whatever its status) or the
/// last error is returned, so callers see exactly what the server said last.
pub(crate) async fn run<F, Fut>(
    policy: &RetryPolicy,
    method: &Method,
    path_template: &'static str,
    request_opt_in: bool,
    attempt: F,
) -> Result<RawResponse, Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<RawResponse, Error>>,
{
    let started = Instant::now();
    let retries = retry_loop(
        policy,
        method,
        path_template,
        request_opt_in,
        started,
        attempt,
    );
    match policy.deadline {
        None => retries.await,
        Some(deadline) => tokio::time::timeout_at((started + deadline).into(), retries)
            .await
            .unwrap_or_else(|_| {
                Err(Error::DeadlineExceeded {
                    method: method.clone(),
                    path: path_template,
                    deadline,
                })
            }),
    }
}

async fn retry_loop<F, Fut>(
    policy: &RetryPolicy,
    method: &Method,
    path_template: &'static str,
    request_opt_in: bool,
    started: Instant,
    attempt: F,
) -> Result<RawResponse, Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<RawResponse, Error>>,
{
    let method_allowed = policy.allows(method, request_opt_in);
    let ceiling = policy.max_retry_after;
    let max_backoff = policy.max_backoff;
    let deadline = policy.deadline;
    let mut attempt = attempt;
    let mut retries = 0u32;
    let outcome = (|| attempt().map(Failure::classify))
        .retry(policy.backoff())
        .when(|failure| {
            failure.is_retryable(method_allowed)
                && failure.requested_wait().is_none_or(|wait| wait <= ceiling)
        })
        .adjust(|failure, computed| {
            // `None` means backon has used up the allowed retries.
            let computed = computed?;
            // The server's own wait wins over the computed one in full:
            // retrying earlier would only be refused again.
            let delay = failure
                .requested_wait()
                .unwrap_or_else(|| computed.min(max_backoff));
            // A retry that cannot happen before the deadline is not made.
            match deadline {
                Some(deadline) if started.elapsed() + delay >= deadline => None,
                _ => Some(delay),
            }
        })
        .notify(|failure, delay| {
            retries += 1;
            tracing::warn!(
                method = %method,
                path = path_template,
                attempt = retries,
                delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                reason = %failure.reason(),
                "retrying JumpCloud API request",
            );
        })
        .await;
    match outcome {
        Ok(resp) => Ok(resp),
        Err(Failure::Response(mut resp)) => {
            // Tell the caller when the only reason for not retrying was a
            // wait beyond the ceiling.
            let retryable = resp.status() == StatusCode::TOO_MANY_REQUESTS || method_allowed;
            let requested = retry_after(resp.headers(), SystemTime::now());
            if let Some(requested) = requested.filter(|wait| retryable && *wait > ceiling) {
                resp.refuse_retry(requested, ceiling);
            }
            Ok(*resp)
        }
        Err(Failure::Error(err)) => Err(err),
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
        assert_eq!(policy.call_deadline(), None);
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
