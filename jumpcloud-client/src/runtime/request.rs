//! Transport-independent description of one API call.

use std::fmt::{self, Write as _};

use bytes::Bytes;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::Method;

use super::error::Error;

/// Everything except RFC 3986 "unreserved" characters, so that a value can
/// never introduce a `/`, `?` or `#` into the path.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A request ready to be executed by [`Client::execute`](super::Client::execute).
///
/// The generated operations fill this in; it is public so that endpoints the
/// generator does not know about can still be called through the same client
/// (authentication, retries, error handling).
#[derive(Debug, Clone)]
pub struct Request {
    /// HTTP method.
    pub method: Method,
    /// Path template from the API description, e.g.
    /// `/systems/{system_id}/associations`; used in errors and logs so that
    /// they group by operation rather than by identifier.
    pub path_template: &'static str,
    /// Path relative to the base URL, already percent-encoded, e.g.
    /// `/systems/a%2Fb/associations`.
    pub path: String,
    /// Query parameters in order (a key may repeat), values already
    /// percent-encoded (see [`encode_value`](super::encode_value) and
    /// [`encode_list`](super::encode_list)) so that the commas separating the
    /// items of an array stay apart from commas inside an item.
    /// [`Request::with_query`] encodes for you.
    pub query: Vec<(&'static str, String)>,
    /// Header parameters, e.g. `x-org-id`; these win over client defaults.
    pub headers: Vec<(&'static str, String)>,
    /// Request body.
    pub body: Body,
    /// Allows retrying this request even though its method is not idempotent
    /// (POST, PATCH). Only set this when the operation is known to be safe to repeat.
    pub retry_non_idempotent: bool,
    /// The path is absolute on the server rather than relative to the base
    /// URL: for the few v1 endpoints next to the v2 API (`/api/systems/...`).
    pub from_server_root: bool,
}

impl Request {
    /// A request without query, headers or body.
    pub fn new(method: Method, path_template: &'static str, path: String) -> Self {
        Request {
            method,
            path_template,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            body: Body::Empty,
            retry_non_idempotent: false,
            from_server_root: false,
        }
    }

    /// A request to `path_template` with its placeholders filled in order
    /// from `segments`, each percent-encoded as one path segment (see
    /// [`encode_path_segment`]).
    ///
    /// ```
    /// use jumpcloud_client::runtime::Request;
    ///
    /// let request = Request::templated(
    ///     reqwest::Method::GET,
    ///     "/users/{user_id}/pushendpoints/{id}",
    ///     &["a/b", "c d"],
    /// );
    /// assert_eq!(request.path, "/users/a%2Fb/pushendpoints/c%20d");
    /// assert_eq!(request.path_template, "/users/{user_id}/pushendpoints/{id}");
    /// ```
    ///
    /// A placeholder without a segment is left out of the path.
    pub fn templated(method: Method, path_template: &'static str, segments: &[&str]) -> Self {
        let mut path = String::with_capacity(path_template.len());
        let mut segments = segments.iter();
        let mut rest = path_template;
        while let Some(open) = rest.find('{') {
            path.push_str(&rest[..open]);
            let after = &rest[open..];
            let Some(close) = after.find('}') else {
                rest = after;
                break;
            };
            if let Some(segment) = segments.next() {
                path.extend(utf8_percent_encode(segment, PATH_SEGMENT));
            }
            rest = &after[close + 1..];
        }
        path.push_str(rest);
        Self::new(method, path_template, path)
    }

    /// Appends a query parameter from a value's text, percent-encoded here
    /// (`reserved`: RFC 6570 `allowReserved`); nothing when `value` is `None`.
    /// The generated operations add their parameters with these methods.
    pub fn push_query<T: fmt::Display + ?Sized>(
        &mut self,
        name: &'static str,
        value: Option<&T>,
        reserved: bool,
    ) {
        if let Some(value) = value {
            self.query
                .push((name, super::encode_value(value.to_string(), reserved)));
        }
    }

    /// Appends an array query parameter as one value, its items encoded one
    /// by one and joined with literal commas.
    pub fn push_query_list<T: fmt::Display>(
        &mut self,
        name: &'static str,
        items: Option<&[T]>,
        reserved: bool,
    ) {
        if let Some(items) = items {
            self.query.push((name, super::encode_list(items, reserved)));
        }
    }

    /// Appends an array query parameter as one `name=item` pair per item
    /// (`explode: true`).
    pub fn push_query_each<T: fmt::Display>(
        &mut self,
        name: &'static str,
        items: Option<&[T]>,
        reserved: bool,
    ) {
        for item in items.into_iter().flatten() {
            self.push_query(name, Some(item), reserved);
        }
    }

    /// Appends a query parameter sent as JSON text, percent-encoded.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] when the value cannot be serialised.
    pub fn push_query_json<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: Option<&T>,
        reserved: bool,
    ) -> Result<(), Error> {
        if let Some(value) = value {
            let text = json_text(value)?;
            self.query.push((name, super::encode_value(text, reserved)));
        }
        Ok(())
    }

    /// Appends a header parameter from a value's text; nothing for `None`.
    pub fn push_header<T: fmt::Display + ?Sized>(&mut self, name: &'static str, value: Option<&T>) {
        if let Some(value) = value {
            self.headers.push((name, value.to_string()));
        }
    }

    /// Appends an array header parameter: items encoded so that their
    /// commas stay apart from the separators, joined with commas.
    pub fn push_header_list<T: fmt::Display>(&mut self, name: &'static str, items: Option<&[T]>) {
        if let Some(items) = items {
            self.headers.push((name, super::encode_list(items, false)));
        }
    }

    /// Appends a header parameter sent as JSON text.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] when the value cannot be serialised.
    pub fn push_header_json<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: Option<&T>,
    ) -> Result<(), Error> {
        if let Some(value) = value {
            self.headers.push((name, json_text(value)?));
        }
        Ok(())
    }

    /// Appends a query parameter; `value` is the plain text, percent-encoded here.
    #[must_use]
    pub fn with_query(mut self, name: &'static str, value: impl AsRef<str>) -> Self {
        self.query.push((name, super::encode_value(value, false)));
        self
    }

    /// Appends a header parameter.
    #[must_use]
    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// Sets the body.
    #[must_use]
    pub fn with_body(mut self, body: Body) -> Self {
        self.body = body;
        self
    }

    /// Sets [`Request::retry_non_idempotent`].
    #[must_use]
    pub fn with_retry_non_idempotent(mut self, allow: bool) -> Self {
        self.retry_non_idempotent = allow;
        self
    }
}

fn json_text<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    serde_json::to_string(value).map_err(|e| Error::InvalidRequest(e.to_string()))
}

/// A request body.
///
/// Bodies are owned descriptions rather than `reqwest` types because a body
/// has to be rebuilt for every retry attempt and a multipart form cannot be cloned.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// No body.
    Empty,
    /// A serialised JSON document, sent as `application/json`.
    Json(Bytes),
    /// Raw bytes with an explicit content type.
    Bytes {
        /// Value of the `Content-Type` header.
        content_type: String,
        /// The bytes to send.
        data: Bytes,
    },
    /// A `multipart/form-data` body.
    Multipart(Vec<MultipartField>),
}

impl Body {
    /// Serialises `value` to JSON.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] when the value cannot be serialised (e.g. a
    /// map with non-string keys).
    pub fn json<T: serde::Serialize + ?Sized>(value: &T) -> Result<Body, Error> {
        serde_json::to_vec(value)
            .map(|data| Body::Json(Bytes::from(data)))
            .map_err(|err| Error::InvalidRequest(format!("could not serialise JSON body: {err}")))
    }
}

/// One field of a multipart body.
#[derive(Debug, Clone, PartialEq)]
pub struct MultipartField {
    /// Form field name.
    pub name: String,
    /// Field content.
    pub value: MultipartValue,
}

impl MultipartField {
    /// A plain text field.
    pub fn text(name: impl Into<String>, value: impl Into<String>) -> Self {
        MultipartField {
            name: name.into(),
            value: MultipartValue::Text(value.into()),
        }
    }

    /// A file field.
    pub fn file(name: impl Into<String>, file: FilePart) -> Self {
        MultipartField {
            name: name.into(),
            value: MultipartValue::File(file),
        }
    }
}

/// Content of a multipart field.
#[derive(Debug, Clone, PartialEq)]
pub enum MultipartValue {
    /// A plain text value.
    Text(String),
    /// A file upload.
    File(FilePart),
}

/// A file to upload in a multipart body.
///
/// ```
/// use jumpcloud_client::runtime::FilePart;
///
/// let logo = FilePart::new(vec![0x89, b'P', b'N', b'G'])
///     .file_name("logo.png")
///     .content_type("image/png");
/// assert_eq!(logo.file_name.as_deref(), Some("logo.png"));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct FilePart {
    /// File content.
    pub data: Bytes,
    /// File name reported to the server, if any.
    pub file_name: Option<String>,
    /// MIME type of the content; the server's default applies when `None`.
    pub content_type: Option<String>,
}

impl FilePart {
    /// A file part without name or content type.
    pub fn new(data: impl Into<Bytes>) -> Self {
        FilePart {
            data: data.into(),
            file_name: None,
            content_type: None,
        }
    }

    /// Sets the file name.
    #[must_use]
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// Sets the MIME type, e.g. `image/png`.
    #[must_use]
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }
}

/// Percent-encodes one path segment: everything except RFC 3986 unreserved
/// characters (`A-Z a-z 0-9 - . _ ~`) is escaped.
///
/// ```
/// use jumpcloud_client::runtime::encode_path_segment;
///
/// assert_eq!(encode_path_segment("a/b c"), "a%2Fb%20c");
/// ```
pub fn encode_path_segment(s: &str) -> String {
    utf8_percent_encode(s, PATH_SEGMENT).to_string()
}

/// Joins values with commas without encoding them. A comma inside a value
/// becomes indistinguishable from a separator; request parameters use
/// [`encode_list`](super::encode_list) instead.
///
/// ```
/// use jumpcloud_client::runtime::join_comma;
///
/// assert_eq!(join_comma(&["a", "b"]), "a,b");
/// ```
pub fn join_comma<T: fmt::Display>(items: &[T]) -> String {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        // Writing into a String cannot fail.
        let _ = write!(out, "{item}");
    }
    out
}
