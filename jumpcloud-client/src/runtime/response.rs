//! Responses: the raw form every call produces, and the decoded form callers see.

use std::ops::{Deref, DerefMut};
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;

use super::error::{ApiError, Error};
use crate::error_bodies::ErrorBody;

/// Header JumpCloud uses to report the size of a paged collection.
const TOTAL_COUNT_HEADER: &str = "x-total-count";

/// A fully read response, before its body is interpreted.
///
/// [`Client::execute`](super::Client::execute) returns one for every final
/// HTTP status; the caller decides whether it is a success.
#[derive(Debug, Clone)]
pub struct RawResponse {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    method: Method,
    path_template: &'static str,
    /// Set when the server asked for a longer wait than the retry policy
    /// allows: (requested, ceiling). Turns the error into
    /// [`Error::RetryAfterTooLong`] so the caller learns why it was not retried.
    retry_refused: Option<(Duration, Duration)>,
}

impl RawResponse {
    /// Assembles a response; mostly useful for tests and custom transports.
    pub fn new(
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
        method: Method,
        path_template: &'static str,
    ) -> Self {
        RawResponse {
            status,
            headers,
            body,
            method,
            path_template,
            retry_refused: None,
        }
    }

    pub(crate) fn refuse_retry(&mut self, requested: Duration, limit: Duration) {
        self.retry_refused = Some((requested, limit));
    }

    /// Response status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// Response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// Response body as received.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// Method of the request that produced this response.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// Path template of the operation that produced this response.
    pub fn path_template(&self) -> &'static str {
        self.path_template
    }

    /// Decodes the JSON body.
    ///
    /// # Errors
    /// [`Error::Decode`] with the raw body and the path of the failing field.
    pub fn json<T: DeserializeOwned>(self) -> Result<ResponseValue<T>, Error> {
        let body = self.decode()?;
        Ok(self.map(body))
    }

    /// Decodes the JSON body without consuming the response, so that the
    /// caller can still wrap the result with [`RawResponse::map`].
    ///
    /// # Errors
    /// [`Error::Decode`] with the raw body and the path of the failing field.
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, Error> {
        // Tracking the field path roughly doubles the cost of decoding, and
        // only a failure needs it: decode plainly first, and on failure decode
        // again with tracking (the same input fails the same way).
        let mut de = serde_json::Deserializer::from_slice(&self.body);
        if let Ok(value) = T::deserialize(&mut de).and_then(|value| de.end().map(|()| value)) {
            return Ok(value);
        }
        let mut de = serde_json::Deserializer::from_slice(&self.body);
        let value = serde_path_to_error::deserialize(&mut de).map_err(|err| {
            let field_path = err.path().to_string();
            self.decode_error(field_path, err.into_inner())
        })?;
        // Trailing garbage after a valid document is still a malformed body.
        de.end()
            .map_err(|err| self.decode_error(".".to_owned(), err))?;
        Ok(value)
    }

    /// Discards the body.
    pub fn empty(self) -> ResponseValue<()> {
        self.map(())
    }

    /// Discards the body, as a decoder for [`expect`](Self::expect).
    ///
    /// # Errors
    /// Never; the `Result` is the decoder's signature.
    pub fn no_content(self) -> Result<ResponseValue<()>, Error> {
        Ok(self.map(()))
    }

    /// Reads the response of an operation with one success response: with
    /// the `success` status (any 2xx when `None`) the body is decoded with
    /// `decode`; any other status is an error whose body `errors` reads (see
    /// [`into_error`](Self::into_error)).
    ///
    /// # Errors
    /// [`Error::Api`] for another status, or the decoder's error.
    pub fn expect<T>(
        self,
        success: Option<u16>,
        decode: fn(RawResponse) -> Result<ResponseValue<T>, Error>,
        errors: fn(u16, &[u8]) -> Option<ErrorBody>,
    ) -> Result<ResponseValue<T>, Error> {
        let expected = match success {
            Some(status) => self.status.as_u16() == status,
            None => self.status.is_success(),
        };
        if expected {
            decode(self)
        } else {
            Err(self.into_error(errors))
        }
    }

    /// Keeps the body as bytes.
    pub fn bytes(self) -> ResponseValue<Bytes> {
        let body = self.body.clone();
        self.map(body)
    }

    /// Interprets the body as UTF-8 text.
    ///
    /// # Errors
    /// [`Error::Decode`] when the body is not valid UTF-8.
    pub fn text(self) -> Result<ResponseValue<String>, Error> {
        match std::str::from_utf8(&self.body) {
            Ok(text) => {
                let text = text.to_owned();
                Ok(self.map(text))
            }
            Err(err) => {
                let source = <serde_json::Error as serde::de::Error>::custom(format_args!(
                    "response body is not valid UTF-8: {err}"
                ));
                Err(self.decode_error(".".to_owned(), source))
            }
        }
    }

    /// Wraps an already decoded body together with this response's status and headers.
    pub fn map<T>(self, body: T) -> ResponseValue<T> {
        ResponseValue::new(self.status, self.headers, body)
    }

    /// Turns a non-success response into [`Error::Api`], or into
    /// [`Error::RetryAfterTooLong`] when the client declined to wait as long
    /// as the response asked.
    ///
    /// `parse` maps status and body to the operation's documented error
    /// schema; when it returns `None` the body is kept as text (or
    /// [`ErrorBody::Empty`] when there is none).
    pub fn into_error(self, parse: fn(u16, &[u8]) -> Option<ErrorBody>) -> Error {
        let body = parse(self.status.as_u16(), &self.body).unwrap_or_else(|| {
            if self.body.is_empty() {
                ErrorBody::Empty
            } else {
                ErrorBody::Text(String::from_utf8_lossy(&self.body).into_owned())
            }
        });
        let error = ApiError::new(
            self.status,
            self.method,
            self.path_template,
            self.headers,
            body,
            self.body,
        );
        match self.retry_refused {
            Some((requested, limit)) => Error::RetryAfterTooLong {
                requested,
                limit,
                error: Box::new(error),
            },
            None => Error::from(error),
        }
    }

    fn decode_error(&self, field_path: String, source: serde_json::Error) -> Error {
        Error::Decode {
            method: self.method.clone(),
            path: self.path_template,
            status: self.status,
            raw_body: self.body.clone(),
            field_path,
            source,
        }
    }
}

/// A decoded response body together with the response's status and headers.
///
/// Dereferences to the body, so `resp.len()` works on a `ResponseValue<Vec<_>>`.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseValue<T> {
    status: StatusCode,
    headers: HeaderMap,
    body: T,
}

impl<T> ResponseValue<T> {
    /// Assembles a response value; mostly useful for tests.
    pub fn new(status: StatusCode, headers: HeaderMap, body: T) -> Self {
        ResponseValue {
            status,
            headers,
            body,
        }
    }

    /// Response status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// Response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The decoded body.
    pub fn into_inner(self) -> T {
        self.body
    }

    /// Total size of the collection as reported by the `x-total-count`
    /// header, when the server sent a valid one.
    pub fn total_count(&self) -> Option<u64> {
        self.headers
            .get(TOTAL_COUNT_HEADER)?
            .to_str()
            .ok()?
            .trim()
            .parse()
            .ok()
    }

    /// Transforms the body, keeping status and headers.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> ResponseValue<U> {
        ResponseValue {
            status: self.status,
            headers: self.headers,
            body: f(self.body),
        }
    }
}

impl<T> Deref for ResponseValue<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.body
    }
}

impl<T> DerefMut for ResponseValue<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.body
    }
}
