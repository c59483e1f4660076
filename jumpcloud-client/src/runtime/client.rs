//! The HTTP client every generated operation runs through.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

/// Everything but RFC 3986 unreserved characters is escaped in query keys.
const QUERY_KEY: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');
use reqwest::Url;
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, USER_AGENT};
#[cfg(feature = "multipart")]
use reqwest::multipart;
use zeroize::Zeroizing;

use super::Pending;
#[cfg(feature = "system-context")]
use super::credentials::Auth;
use super::credentials::Credentials;
use super::error::Error;
use super::governor::Governor;
use super::region::Region;
#[cfg(feature = "multipart")]
use super::request::MultipartValue;
use super::request::{Body, Request};
use super::response::{RawResponse, ResponseValue};
use super::retry::{self, RetryPolicy};
use super::servers::Servers;
#[cfg(feature = "system-context")]
use super::system_context::SystemContext;
use crate::error_bodies::ErrorBody;

const API_KEY_HEADER: &str = "x-api-key";
const ORG_ID_HEADER: &str = "x-org-id";
const JSON: &str = "application/json";
const DEFAULT_USER_AGENT: &str = concat!("jumpcloud-client-rust/", env!("CARGO_PKG_VERSION"));
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A JumpCloud API client: base URL, credentials, default headers and retry
/// policy around a [`reqwest::Client`].
///
/// Cloning is cheap and clones share one connection pool.
///
/// ```no_run
/// # fn main() -> Result<(), jumpcloud_client::runtime::Error> {
/// use jumpcloud_client::runtime::{Client, Region};
///
/// let client = Client::builder()
///     .api_key(std::env::var("JC_API_KEY").unwrap_or_default())
///     .region(Region::Eu)
///     .build()?;
/// # let _ = client;
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    http: reqwest::Client,
    base_url: String,
    /// Selects the base URL of every mounted document (`v1`, …).
    #[allow(dead_code, reason = "read only by mounted documents' operations")]
    region: Region,
    /// Whether `base_url` was given (`ClientBuilder::base_url`) rather than
    /// taken from the region: a mounted document then needs its own.
    #[allow(dead_code, reason = "read only by mounted documents' operations")]
    custom_base_url: bool,
    /// Base URLs given for mounted documents, by module.
    #[allow(dead_code, reason = "read only by mounted documents' operations")]
    document_base_urls: BTreeMap<String, String>,
    /// Kept for signing: an API key lives in the default headers.
    #[cfg(feature = "system-context")]
    auth: Auth,
    /// `Accept`, `User-Agent`, `x-org-id` and `x-api-key` as configured,
    /// in that order: the headers every request starts from.
    default_headers: HeaderMap,
    timeout: Option<Duration>,
    retry: RetryPolicy,
    /// Pauses, retry budget and caps, shared by every clone.
    governor: Governor,
}

impl Client {
    /// A builder for a client with non-default settings.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A `reqwest` client builder with this crate's TLS already set up
    /// (ring's cryptography, the platform's trusted roots), to configure
    /// proxies, pools or timeouts and hand to [`ClientBuilder::http_client`].
    ///
    /// This crate builds reqwest without a default TLS provider, so
    /// `reqwest::Client::builder()` alone panics in a program that installs
    /// none; this one does not need it.
    ///
    /// # Errors
    /// [`Error::Config`] when TLS cannot be set up, e.g. the platform's
    /// trusted roots cannot be read.
    pub fn reqwest_builder() -> Result<reqwest::ClientBuilder, Error> {
        Ok(reqwest::Client::builder().tls_backend_preconfigured(tls_config()?))
    }

    /// A client for the US region with default settings.
    ///
    /// # Errors
    /// [`Error::Config`] when the key is empty or not a valid header value.
    pub fn new(api_key: impl Into<String>) -> Result<Client, Error> {
        Client::builder().api_key(api_key).build()
    }

    /// Base URL requests are sent to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Retry policy applied to every request.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// Sends `req`, retrying according to the client's [`RetryPolicy`].
    ///
    /// Any final HTTP status, including 4xx and 5xx, is returned as a
    /// [`RawResponse`]; interpreting it is up to the caller. When the server
    /// asked for a longer `Retry-After` than the policy allows,
    /// [`RawResponse::into_error`] gives [`Error::RetryAfterTooLong`].
    ///
    /// # Errors
    /// [`Error::Transport`] when no response could be obtained,
    /// [`Error::DeadlineExceeded`] when the policy's deadline passed first and
    /// [`Error::InvalidRequest`] when the request cannot be built.
    pub async fn execute(&self, req: Request) -> Result<RawResponse, Error> {
        self.execute_at(&self.inner.base_url, req).await
    }

    /// [`execute`](Self::execute) against `base_url` instead of the
    /// client's.
    async fn execute_at(&self, base_url: &str, req: Request) -> Result<RawResponse, Error> {
        let url = self.url(base_url, &req)?;
        // An invalid header fails the call here, before any attempt; each
        // attempt then builds the map it sends.
        if req.headers.is_empty() {
            content_type(&req.body)?;
        } else {
            self.headers(&req)?;
        }
        let inner = &self.inner;
        let host = url.origin().ascii_serialization();
        let call = retry::Call {
            policy: &inner.retry,
            governor: &inner.governor,
            host: &host,
            method: &req.method,
            path_template: req.path_template,
            request_opt_in: req.retry_non_idempotent,
        };
        retry::run(&call, || self.attempt(&req, &url)).await
    }

    /// Executes a request a generated operation built (or returns the error
    /// building it gave) and decodes the response with `decode`.
    ///
    /// Every operation's `send()` ends here or in [`send_one`](Self::send_one),
    /// so the future is one generic type instead of one per operation. It
    /// owns a handle to the client and can be stored or spawned.
    pub fn send<T: Send + 'static>(
        &self,
        request: Result<Request, Error>,
        decode: fn(RawResponse) -> Result<ResponseValue<T>, Error>,
    ) -> Pending<T> {
        self.dispatch(None, request, decode)
    }

    /// Like [`send`](Self::send), for an operation with one success
    /// response, read by [`RawResponse::expect`]: the generated operations
    /// pass their status, decoder and error set instead of a decoding
    /// function of their own.
    pub fn send_one<T: Send + 'static>(
        &self,
        request: Result<Request, Error>,
        success: Option<u16>,
        decode: fn(RawResponse) -> Result<ResponseValue<T>, Error>,
        errors: fn(u16, &[u8]) -> Option<ErrorBody>,
    ) -> Pending<T> {
        self.dispatch(None, request, move |response| {
            response.expect(success, decode, errors)
        })
    }

    /// Like [`send`](Self::send), for an operation of a mounted document
    /// (`crate::v1`): the request goes to that document's base URL, the one
    /// given for it or else its server in the client's region.
    #[allow(
        dead_code,
        reason = "used by the modules of mounted documents (`v1`), which features may leave out"
    )]
    pub(crate) fn send_to<T: Send + 'static>(
        &self,
        servers: &'static Servers,
        request: Result<Request, Error>,
        decode: fn(RawResponse) -> Result<ResponseValue<T>, Error>,
    ) -> Pending<T> {
        self.dispatch(Some(servers), request, decode)
    }

    /// [`send_one`](Self::send_one) for an operation of a mounted document,
    /// as [`send_to`](Self::send_to) is.
    #[allow(
        dead_code,
        reason = "used by the modules of mounted documents (`v1`), which features may leave out"
    )]
    pub(crate) fn send_one_to<T: Send + 'static>(
        &self,
        servers: &'static Servers,
        request: Result<Request, Error>,
        success: Option<u16>,
        decode: fn(RawResponse) -> Result<ResponseValue<T>, Error>,
        errors: fn(u16, &[u8]) -> Option<ErrorBody>,
    ) -> Pending<T> {
        self.dispatch(Some(servers), request, move |response| {
            response.expect(success, decode, errors)
        })
    }

    /// The future of every `send` above: executes `request` at the base URL
    /// of `servers`' document (the main document's when `None`) and reads
    /// the response with `read`.
    fn dispatch<T, F>(
        &self,
        servers: Option<&'static Servers>,
        request: Result<Request, Error>,
        read: F,
    ) -> Pending<T>
    where
        T: Send + 'static,
        F: FnOnce(RawResponse) -> Result<ResponseValue<T>, Error> + Send + 'static,
    {
        let client = self.clone();
        Box::pin(async move {
            let request = request?;
            let response = match servers {
                None => client.execute(request).await?,
                Some(servers) => {
                    let base_url = client.base_url_of(servers)?;
                    client.execute_at(&base_url, request).await?
                }
            };
            read(response)
        })
    }

    /// The base URL of a mounted document's operations.
    fn base_url_of(&self, servers: &Servers) -> Result<String, Error> {
        let inner = &self.inner;
        if let Some(url) = inner.document_base_urls.get(servers.document) {
            return Ok(url.clone());
        }
        if inner.custom_base_url {
            // A test or proxy base URL must not send the other APIs' calls
            // to the real servers.
            return Err(Error::InvalidRequest(format!(
                "the client has a custom base URL, but none for the `{}` API: \
                 set it with ClientBuilder::{}",
                servers.document, servers.setter
            )));
        }
        let url = servers.url(inner.region).ok_or_else(|| {
            Error::InvalidRequest(format!(
                "the `{}` API lists no server for region {:?}: set one with ClientBuilder::{}",
                servers.document, inner.region, servers.setter
            ))
        })?;
        normalise_base_url(url)
            .map_err(|err| Error::InvalidRequest(format!("`{}` API: {err}", servers.document)))
    }

    fn url(&self, base_url: &str, req: &Request) -> Result<Url, Error> {
        // Url parsing resolves `.` and `..` segments, which would silently
        // send the request to a different endpoint. A segment longer than
        // `%2e%2e` cannot decode to one of them.
        let dot_segment = req.path.split('/').any(|segment| {
            segment.len() <= "%2e%2e".len() && {
                let decoded = percent_decode_str(segment).decode_utf8_lossy();
                decoded == "." || decoded == ".."
            }
        });
        if dot_segment {
            return Err(Error::InvalidRequest(format!(
                "path of {} {} contains a `.` or `..` segment",
                req.method, req.path_template
            )));
        }
        let separator = if req.path.starts_with('/') { "" } else { "/" };
        let root;
        let base = if req.from_server_root {
            let url = Url::parse(base_url)
                .map_err(|err| Error::InvalidRequest(format!("invalid base URL: {err}")))?;
            root = url.origin().ascii_serialization();
            &root
        } else {
            base_url
        };
        let joined = [base, separator, &req.path].concat();
        let mut url = Url::parse(&joined).map_err(|err| {
            Error::InvalidRequest(format!(
                "invalid URL for {} {}: {err}",
                req.method, req.path_template
            ))
        })?;
        if !req.query.is_empty() {
            // Values arrive encoded: only the encoder of a parameter knows
            // which commas separate items and which belong to an item.
            let query = req
                .query
                .iter()
                .map(|(k, v)| format!("{}={v}", utf8_percent_encode(k, QUERY_KEY)))
                .collect::<Vec<_>>()
                .join("&");
            url.set_query(Some(&query));
        }
        Ok(url)
    }

    /// Headers that stay the same across attempts. The request's own headers
    /// win over client defaults of the same name.
    fn headers(&self, req: &Request) -> Result<HeaderMap, Error> {
        let inner = &self.inner;
        if req.headers.is_empty() {
            // Nothing to override: the defaults as they are, in their order.
            let mut headers = inner.default_headers.clone();
            if let Some(content_type) = content_type(&req.body)? {
                headers.insert(CONTENT_TYPE, content_type);
            }
            return Ok(headers);
        }
        let mut headers = HeaderMap::new();
        for (name, value) in &req.headers {
            let header = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::InvalidRequest(format!("invalid header name `{name}`")))?;
            // The value is not quoted: header parameters may carry secrets.
            let value = HeaderValue::from_str(value)
                .map_err(|_| Error::InvalidRequest(format!("invalid value for header `{name}`")))?;
            headers.append(header, value);
        }

        let content_type = content_type(&req.body)?.map(|value| (CONTENT_TYPE, value));
        let defaults = inner
            .default_headers
            .iter()
            .map(|(name, value)| (name.clone(), value.clone()))
            .chain(content_type);
        for (name, value) in defaults {
            if !headers.contains_key(&name) {
                headers.insert(name, value);
            }
        }
        Ok(headers)
    }

    async fn attempt(&self, req: &Request, url: &Url) -> Result<RawResponse, Error> {
        let inner = &self.inner;
        let headers = self.headers(req)?;
        // Signed per attempt: the server rejects stale dates, and a retry
        // may happen long after the first attempt.
        #[cfg(feature = "system-context")]
        let headers = match inner.auth.system_context() {
            Some(context) => sign(context, req, url, headers)?,
            None => headers,
        };
        let mut builder = inner
            .http
            .request(req.method.clone(), url.clone())
            .headers(headers.clone());
        if let Some(timeout) = inner.timeout {
            builder = builder.timeout(timeout);
        }
        builder = match &req.body {
            Body::Empty => builder,
            Body::Json(data) | Body::Bytes { data, .. } => builder.body(data.clone()),
            #[cfg(feature = "multipart")]
            Body::Multipart(fields) => builder.multipart(multipart_form(fields)?),
            // The body types stay in every build, so that enabling the
            // feature elsewhere in a dependency graph adds no variant.
            #[cfg(not(feature = "multipart"))]
            Body::Multipart(_) => {
                return Err(Error::InvalidRequest(
                    "a multipart body needs the crate's `multipart` feature".to_owned(),
                ));
            }
        };

        let transport = |source| Error::Transport {
            method: req.method.clone(),
            path: req.path_template,
            source,
        };
        let mut response = builder.send().await.map_err(transport)?;
        let status = response.status();
        // Reading the body does not look at the headers: take them, not a copy.
        let response_headers = std::mem::take(response.headers_mut());
        let body = response.bytes().await.map_err(transport)?;
        tracing::debug!(
            method = %req.method,
            path = req.path_template,
            status = status.as_u16(),
            "JumpCloud API response",
        );
        Ok(RawResponse::new(
            status,
            response_headers,
            body,
            req.method.clone(),
            req.path_template,
        ))
    }
}

/// The `Content-Type` a body is sent with, unless the request sets its own.
fn content_type(body: &Body) -> Result<Option<HeaderValue>, Error> {
    match body {
        Body::Json(_) => Ok(Some(HeaderValue::from_static(JSON))),
        Body::Bytes { content_type, .. } => HeaderValue::from_str(content_type)
            .map(Some)
            .map_err(|_| Error::InvalidRequest(format!("invalid content type `{content_type}`"))),
        // reqwest sets the multipart content type, including the boundary.
        Body::Empty | Body::Multipart(_) => Ok(None),
    }
}

#[cfg(feature = "system-context")]
fn sign(
    context: &SystemContext,
    req: &Request,
    url: &Url,
    mut headers: HeaderMap,
) -> Result<HeaderMap, Error> {
    use reqwest::header::{AUTHORIZATION, DATE};
    use std::time::SystemTime;

    let date = httpdate::fmt_http_date(SystemTime::now());
    let target = match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_owned(),
    };
    let authorization = context.try_authorization_header(req.method.as_str(), &target, &date)?;
    let date = HeaderValue::from_str(&date)
        .map_err(|_| Error::InvalidRequest("cannot format Date header".to_owned()))?;
    let mut authorization = HeaderValue::from_str(&authorization)
        .map_err(|_| Error::InvalidRequest("system key is not a valid header value".to_owned()))?;
    authorization.set_sensitive(true);
    headers.insert(DATE, date);
    headers.insert(AUTHORIZATION, authorization);
    Ok(headers)
}

#[cfg(feature = "multipart")]
fn multipart_form(fields: &[super::request::MultipartField]) -> Result<multipart::Form, Error> {
    let mut form = multipart::Form::new();
    for field in fields {
        let part = match &field.value {
            MultipartValue::Text(text) => multipart::Part::text(text.clone()),
            MultipartValue::File(file) => {
                let length = u64::try_from(file.data.len()).unwrap_or(u64::MAX);
                let mut part = multipart::Part::stream_with_length(file.data.clone(), length);
                if let Some(name) = &file.file_name {
                    part = part.file_name(name.clone());
                }
                if let Some(content_type) = &file.content_type {
                    part = part.mime_str(content_type).map_err(|_| {
                        Error::InvalidRequest(format!(
                            "invalid content type `{content_type}` for multipart field `{}`",
                            field.name
                        ))
                    })?;
                }
                part
            }
        };
        form = form.part(field.name.clone(), part);
    }
    Ok(form)
}

/// Configures a [`Client`].
///
/// Exactly one kind of credentials is needed: [`api_key`](Self::api_key) or
/// `system_context` (with the `system-context` feature); the last one set
/// wins.
#[derive(Debug, Default)]
pub struct ClientBuilder {
    credentials: Option<Credentials>,
    base_url: Option<String>,
    region: Region,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    user_agent: Option<String>,
    org_id: Option<String>,
    http_client: Option<reqwest::Client>,
    retry: RetryPolicy,
    max_concurrency: Option<usize>,
    max_requests_per_second: Option<u32>,
    document_base_urls: BTreeMap<String, String>,
}

impl ClientBuilder {
    /// Overrides the base URL of a mounted document's operations; each
    /// document's module generates a named method for it (`v1_base_url`).
    #[allow(
        dead_code,
        reason = "used by the modules of mounted documents (`v1`), which features may leave out"
    )]
    pub(crate) fn document_base_url(mut self, document: &str, base_url: String) -> Self {
        self.document_base_urls
            .insert(document.to_owned(), base_url);
        self
    }

    /// Authenticates with an administrator API key (`x-api-key` header).
    #[must_use]
    pub fn api_key(mut self, api_key: impl Into<String>) -> Self {
        self.credentials = Some(Credentials::ApiKey(Zeroizing::new(api_key.into())));
        self
    }

    /// Authenticates as a managed system with System Context Authorization.
    #[cfg(feature = "system-context")]
    #[must_use]
    pub fn system_context(mut self, context: SystemContext) -> Self {
        self.credentials = Some(Credentials::SystemContext(context));
        self
    }

    /// Overrides the base URL, e.g. for a proxy or a test server; wins over
    /// [`region`](Self::region). Include the API base path, e.g.
    /// `https://console.jumpcloud.com/api/v2`.
    #[must_use]
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// Selects the region's base URL (US by default).
    #[must_use]
    pub fn region(mut self, region: Region) -> Self {
        self.region = region;
        self
    }

    /// Total time allowed for one attempt, including reading the body
    /// (60 s by default).
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Time allowed to establish a connection (10 s by default). Cannot be
    /// combined with [`http_client`](Self::http_client); configure that
    /// client instead.
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Overrides the `User-Agent` header (default `jumpcloud-client-rust/<version>`).
    #[must_use]
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Organisation sent as `x-org-id` on every request that does not set
    /// its own; needed by multi-tenant (MTP) administrators.
    #[must_use]
    pub fn org_id(mut self, org_id: impl Into<String>) -> Self {
        self.org_id = Some(org_id.into());
        self
    }

    /// Uses an existing `reqwest` client, e.g. to share its connection pool
    /// or to configure proxies and TLS.
    ///
    /// Start from [`Client::reqwest_builder`]: this crate builds reqwest
    /// without a default TLS crypto provider (it gives its own clients ring
    /// directly), so a `reqwest::Client::builder()` of the program's own
    /// panics unless the program depends on reqwest with its default
    /// features or installs a rustls provider first.
    #[must_use]
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Replaces the default [`RetryPolicy`].
    #[must_use]
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Most requests the client (all its clones, streams and futures
    /// together) has in flight at once; the others wait their turn, within
    /// their [deadline](RetryPolicy::deadline). No cap by default.
    #[must_use]
    pub fn max_concurrency(mut self, requests: usize) -> Self {
        self.max_concurrency = Some(requests);
        self
    }

    /// Most requests the client (all its clones, streams and futures
    /// together) starts per second, evenly spaced; retries count. No cap by
    /// default.
    #[must_use]
    pub fn max_requests_per_second(mut self, requests: u32) -> Self {
        self.max_requests_per_second = Some(requests);
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    /// [`Error::Config`] when credentials are missing or invalid, the base
    /// URL is not an absolute http(s) URL, a header value is invalid, a cap
    /// is zero, or the HTTP client cannot be created.
    pub fn build(self) -> Result<Client, Error> {
        if self.max_concurrency == Some(0) || self.max_requests_per_second == Some(0) {
            return Err(Error::Config(
                "max_concurrency and max_requests_per_second must be at least 1".to_owned(),
            ));
        }
        let auth = self
            .credentials
            .ok_or_else(|| {
                Error::Config(
                    "no credentials: call api_key() or system_context() on the builder".to_owned(),
                )
            })?
            .into_auth()?;
        let base_url = normalise_base_url(
            self.base_url
                .as_deref()
                .unwrap_or_else(|| self.region.base_url()),
        )?;
        let document_base_urls = self
            .document_base_urls
            .into_iter()
            .map(|(document, url)| Ok((document, normalise_base_url(&url)?)))
            .collect::<Result<BTreeMap<_, _>, Error>>()?;
        let user_agent = self.user_agent.as_deref().unwrap_or(DEFAULT_USER_AGENT);
        let user_agent = HeaderValue::from_str(user_agent)
            .map_err(|_| Error::Config(format!("invalid user agent `{user_agent}`")))?;
        let org_id = self
            .org_id
            .map(|org_id| {
                HeaderValue::from_str(&org_id)
                    .map_err(|_| Error::Config(format!("invalid organisation id `{org_id}`")))
            })
            .transpose()?;
        let http = match self.http_client {
            Some(_) if self.connect_timeout.is_some() => {
                return Err(Error::Config(
                    "connect_timeout cannot be applied to a caller-supplied http_client; \
                     configure it on that reqwest::Client"
                        .to_owned(),
                ));
            }
            Some(http) => http,
            None => Client::reqwest_builder()?
                .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                .build()
                .map_err(|err| Error::Config(format!("cannot create HTTP client: {err}")))?,
        };
        let mut default_headers = HeaderMap::new();
        default_headers.insert(ACCEPT, HeaderValue::from_static(JSON));
        default_headers.insert(USER_AGENT, user_agent);
        if let Some(org_id) = org_id {
            default_headers.insert(HeaderName::from_static(ORG_ID_HEADER), org_id);
        }
        if let Some(key) = auth.api_key() {
            default_headers.insert(HeaderName::from_static(API_KEY_HEADER), key.clone());
        }
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                region: self.region,
                custom_base_url: self.base_url.is_some(),
                document_base_urls,
                #[cfg(feature = "system-context")]
                auth,
                default_headers,
                timeout: Some(self.timeout.unwrap_or(DEFAULT_TIMEOUT)),
                governor: Governor::new(
                    self.retry.retry_budget(),
                    self.max_concurrency,
                    self.max_requests_per_second,
                ),
                retry: self.retry,
            }),
        })
    }
}

/// TLS 1.2 and 1.3 with ring's cryptography and the platform's trusted
/// roots. Given to reqwest ready-made, so that no process-wide crypto
/// provider is installed behind the program's back.
fn tls_config() -> Result<rustls::ClientConfig, Error> {
    use rustls_platform_verifier::BuilderVerifierExt as _;

    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let tls_error = |err: rustls::Error| Error::Config(format!("cannot set up TLS: {err}"));
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(tls_error)?
        .with_platform_verifier()
        .map_err(tls_error)?
        .with_no_client_auth();
    // The client speaks HTTP/1.1 only (reqwest's http2 feature is off).
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

fn normalise_base_url(raw: &str) -> Result<String, Error> {
    let trimmed = raw.trim().trim_end_matches('/');
    let url = Url::parse(trimmed)
        .map_err(|err| Error::Config(format!("invalid base URL `{raw}`: {err}")))?;
    if !matches!(url.scheme(), "http" | "https") || url.cannot_be_a_base() {
        return Err(Error::Config(format!(
            "base URL `{raw}` must be an absolute http or https URL"
        )));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::Config(format!(
            "base URL `{raw}` must not have a query or fragment"
        )));
    }
    Ok(trimmed.to_owned())
}
