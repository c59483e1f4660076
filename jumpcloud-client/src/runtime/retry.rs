//! When and how often a request is repeated.

use std::future::Future;
use std::time::{Duration, SystemTime};

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
/// out. A `Retry-After` header (seconds or HTTP date) replaces the computed
/// delay, capped by [`max_backoff`](RetryPolicy::max_backoff).
///
/// Only idempotent methods (GET, HEAD, PUT, DELETE, OPTIONS) are retried
/// unless [`retry_non_idempotent`](RetryPolicy::retry_non_idempotent) is set
/// here or on the individual request, because repeating a POST whose first
/// attempt reached the server may create a second object.
///
/// ```
/// use std::time::Duration;
/// use jumpcloud_client::runtime::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .max_retries(5)
///     .initial_backoff(Duration::from_millis(200))
///     .max_backoff(Duration::from_secs(10));
/// # let _ = policy;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    jitter: bool,
    retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    /// 3 retries, 500 ms initial backoff, 30 s maximum, jitter on,
    /// idempotent methods only.
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
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

    /// Upper bound of any single delay, including one asked for by `Retry-After`.
    #[must_use]
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// Randomises delays so that many clients do not retry in lockstep.
    #[must_use]
    pub fn jitter(mut self, jitter: bool) -> Self {
        self.jitter = jitter;
        self
    }

    /// Also retries POST and PATCH requests.
    #[must_use]
    pub fn retry_non_idempotent(mut self, allow: bool) -> Self {
        self.retry_non_idempotent = allow;
        self
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

/// Statuses that signal overload or a temporary upstream failure.
fn is_retryable_status(status: StatusCode) -> bool {
    matches!(
        status,
        StatusCode::TOO_MANY_REQUESTS
            | StatusCode::BAD_GATEWAY
            | StatusCode::SERVICE_UNAVAILABLE
            | StatusCode::GATEWAY_TIMEOUT
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
            Ok(resp) if is_retryable_status(resp.status()) => {
                Err(Failure::Response(Box::new(resp)))
            }
            Ok(resp) => Ok(resp),
            Err(err) => Err(Failure::Error(err)),
        }
    }

    fn is_retryable(&self) -> bool {
        match self {
            Failure::Response(_) => true,
            Failure::Error(Error::Transport { source, .. }) => {
                source.is_connect() || source.is_timeout()
            }
            Failure::Error(_) => false,
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
    let allowed = policy.allows(method, request_opt_in);
    let max_backoff = policy.max_backoff;
    let mut attempt = attempt;
    let mut retries = 0u32;
    let outcome = (|| attempt().map(Failure::classify))
        .retry(policy.backoff())
        .when(|failure| allowed && failure.is_retryable())
        .adjust(|failure, computed| {
            // `None` means backon has used up the allowed retries.
            let computed = computed?;
            let delay = match failure {
                Failure::Response(resp) => {
                    retry_after(resp.headers(), SystemTime::now()).unwrap_or(computed)
                }
                Failure::Error(_) => computed,
            };
            // Jitter may push a computed delay past the maximum, and so may Retry-After.
            Some(delay.min(max_backoff))
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
        Err(Failure::Response(resp)) => Ok(*resp),
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
