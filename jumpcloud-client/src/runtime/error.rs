//! The single error type returned by every operation of this crate.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};

use crate::error_bodies::ErrorBody;

/// How many bytes of a response body an error's `Display` shows; bodies can be
/// large and `Display` usually ends up in a single log line.
const DISPLAY_BODY_LIMIT: usize = 256;

/// Everything that can go wrong when calling the JumpCloud API.
///
/// Neither `Display` nor `Debug` ever contains the API key or private key
/// material: request headers are never stored in an error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with a non-success status.
    #[error("{0}")]
    Api(Box<ApiError>),

    /// The request could not be sent or the response could not be read
    /// (connection refused, timeout, TLS failure, ...).
    #[error("{method} {path}: transport error: {source}")]
    Transport {
        /// HTTP method of the failed request.
        method: Method,
        /// Path template of the operation, e.g. `/systems/{system_id}`.
        path: &'static str,
        /// The underlying HTTP client error.
        #[source]
        source: reqwest::Error,
    },

    /// The server answered with a success status but the body did not match
    /// the expected shape.
    #[error("{method} {path}: could not decode {status} response body at `{field_path}`: {source}")]
    Decode {
        /// HTTP method of the request.
        method: Method,
        /// Path template of the operation.
        path: &'static str,
        /// Status of the response whose body failed to decode.
        status: StatusCode,
        /// The body exactly as received.
        raw_body: Bytes,
        /// Path of the offending field inside the body (e.g. `results[3].id`),
        /// `.` when the failure is at the top level.
        field_path: String,
        /// The decoder's own error.
        #[source]
        source: serde_json::Error,
    },

    /// The request could not be built, e.g. the body failed to serialise or a
    /// header value contained invalid characters.
    #[error("invalid request: {0}")]
    InvalidRequest(String),

    /// The client was misconfigured or credentials could not be loaded.
    #[error("configuration error: {0}")]
    Config(String),

    /// The server asked to wait longer (`Retry-After`) than the client's
    /// [`RetryPolicy::max_retry_after`](super::RetryPolicy::max_retry_after)
    /// allows; the request was not retried early.
    #[error("server asked to retry after {requested:?}, more than the allowed {limit:?}: {error}")]
    RetryAfterTooLong {
        /// The wait the server asked for.
        requested: Duration,
        /// The ceiling configured on the client.
        limit: Duration,
        /// The response that asked for the wait, with status and raw body.
        error: Box<ApiError>,
    },

    /// The call, including every retry and wait, did not finish within
    /// [`RetryPolicy::deadline`](super::RetryPolicy::deadline).
    #[error("{method} {path}: no final response within {deadline:?}")]
    DeadlineExceeded {
        /// HTTP method of the request.
        method: Method,
        /// Path template of the operation.
        path: &'static str,
        /// The configured deadline.
        deadline: Duration,
    },

    /// While paging, the server answered a request for the next page with
    /// the same items again: it ignores `skip`. Paging stops here instead of
    /// repeating items forever.
    #[error("paging stalled: the page at skip {skip} repeats the previous {items} items")]
    PageRepeated {
        /// The `skip` of the request whose page repeated the previous one.
        skip: u32,
        /// How many items the repeated page had.
        items: usize,
    },

    /// While cursor paging, a response carried a cursor header whose value
    /// is not JSON, so the next page cannot be asked for. The items of that
    /// page were yielded before this error.
    #[error(
        "paging stopped: the `{header}` header is not a JSON cursor ({source}): {}",
        display_header(value)
    )]
    InvalidCursor {
        /// Name of the header, as the paging rule spells it.
        header: &'static str,
        /// The header's value exactly as received.
        value: Bytes,
        /// The JSON parser's error.
        #[source]
        source: serde_json::Error,
    },

    /// While cursor paging, the server answered a page with the same cursor
    /// it was sent: it ignores the cursor, so the next request would bring
    /// the same page again. Paging stops here instead of repeating items
    /// forever; that page's items are not yielded.
    #[error(
        "paging stalled: the server sent back the cursor it was given ({cursor}) with {items} items"
    )]
    CursorRepeated {
        /// The cursor sent and received again.
        cursor: serde_json::Value,
        /// How many items the page that repeated the cursor had.
        items: usize,
    },
}

/// A header value for `Display`: as text, cut like a body.
fn display_header(value: &Bytes) -> String {
    let text = String::from_utf8_lossy(value);
    match text.char_indices().nth(DISPLAY_BODY_LIMIT) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.into_owned(),
    }
}

impl Error {
    /// The HTTP status of the response that caused this error, if there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(api) => Some(api.status),
            Error::Decode { status, .. } => Some(*status),
            Error::Transport { source, .. } => source.status(),
            Error::RetryAfterTooLong { error, .. } => Some(error.status),
            Error::InvalidRequest(_)
            | Error::Config(_)
            | Error::DeadlineExceeded { .. }
            | Error::PageRepeated { .. }
            | Error::InvalidCursor { .. }
            | Error::CursorRepeated { .. } => None,
        }
    }

    /// The raw response body that caused this error, if there was one.
    pub fn raw_body(&self) -> Option<&Bytes> {
        match self {
            Error::Api(api) => Some(&api.raw_body),
            Error::Decode { raw_body, .. } => Some(raw_body),
            Error::RetryAfterTooLong { error, .. } => Some(&error.raw_body),
            Error::Transport { .. }
            | Error::InvalidRequest(_)
            | Error::Config(_)
            | Error::DeadlineExceeded { .. }
            | Error::PageRepeated { .. }
            | Error::InvalidCursor { .. }
            | Error::CursorRepeated { .. } => None,
        }
    }

    /// The API error details, when the server answered with a non-success status.
    pub fn as_api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(api) | Error::RetryAfterTooLong { error: api, .. } => Some(api),
            _ => None,
        }
    }
}

impl From<ApiError> for Error {
    fn from(err: ApiError) -> Self {
        Error::Api(Box::new(err))
    }
}

/// A non-success response from the API.
#[derive(Debug)]
#[non_exhaustive]
pub struct ApiError {
    /// Status the server answered with.
    pub status: StatusCode,
    /// HTTP method of the request.
    pub method: Method,
    /// Path template of the operation, e.g. `/systems/{system_id}`.
    pub path: &'static str,
    /// Response headers (useful for `x-request-id`, rate-limit headers, ...).
    pub headers: HeaderMap,
    /// The body parsed into the operation's documented error schema, or
    /// [`ErrorBody::Text`]/[`ErrorBody::Empty`] when it did not parse.
    pub body: ErrorBody,
    /// The body exactly as received.
    pub raw_body: Bytes,
}

impl ApiError {
    /// Builds an API error; fields are public but the struct is
    /// `#[non_exhaustive]` so that fields can be added later.
    pub fn new(
        status: StatusCode,
        method: Method,
        path: &'static str,
        headers: HeaderMap,
        body: ErrorBody,
        raw_body: Bytes,
    ) -> Self {
        ApiError {
            status,
            method,
            path,
            headers,
            body,
            raw_body,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} returned {}", self.method, self.path, self.status)?;
        if self.raw_body.is_empty() {
            return Ok(());
        }
        let text = String::from_utf8_lossy(&self.raw_body);
        let text = text.trim();
        match text.char_indices().nth(DISPLAY_BODY_LIMIT) {
            Some((cut, _)) => write!(f, ": {}…", &text[..cut]),
            None => write!(f, ": {text}"),
        }
    }
}

impl std::error::Error for ApiError {}
