//! Which responses and failures are retried, how often, and after how long.

use std::time::{Duration, Instant, SystemTime};

use jumpcloud_client::runtime::{Client, Error, Request, RetryPolicy};
use reqwest::Method;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Fast enough for tests, deterministic because jitter is off.
fn fast_policy() -> RetryPolicy {
    RetryPolicy::default()
        .initial_backoff(Duration::from_millis(20))
        .max_backoff(Duration::from_millis(200))
        .jitter(false)
}

fn client(base: &str, policy: RetryPolicy) -> Client {
    Client::builder()
        .api_key("k")
        .base_url(format!("{base}/api/v2"))
        .retry(policy)
        .build()
        .expect("client")
}

async fn respond_once(server: &MockServer, template: ResponseTemplate) {
    Mock::given(any())
        .respond_with(template)
        .up_to_n_times(1)
        .mount(server)
        .await;
}

async fn respond_always(server: &MockServer, template: ResponseTemplate) {
    Mock::given(any())
        .respond_with(template)
        .mount(server)
        .await;
}

fn get() -> Request {
    Request::new(Method::GET, "/systems", "/systems".to_owned())
}

async fn seen(server: &MockServer) -> Vec<wiremock::Request> {
    server.received_requests().await.expect("recording")
}

#[tokio::test]
async fn honours_retry_after_seconds_then_succeeds() {
    let server = MockServer::start().await;
    respond_once(
        &server,
        ResponseTemplate::new(429).insert_header("retry-after", "1"),
    )
    .await;
    respond_always(&server, ResponseTemplate::new(200).set_body_string("[]")).await;
    let policy = RetryPolicy::default().initial_backoff(Duration::from_millis(1));

    let started = Instant::now();
    let resp = client(&server.uri(), policy)
        .execute(get())
        .await
        .expect("response");
    let elapsed = started.elapsed();

    assert_eq!(resp.status(), 200);
    assert!(elapsed >= Duration::from_millis(950), "{elapsed:?}");
    let seen = seen(&server).await;
    assert_eq!(seen.len(), 2);
    for req in &seen {
        assert_eq!(req.method, Method::GET);
        assert_eq!(req.url.path(), "/api/v2/systems");
    }
}

#[tokio::test]
async fn retry_after_http_date_beyond_the_ceiling_is_not_retried_early() {
    let server = MockServer::start().await;
    let in_an_hour = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(3600));
    respond_once(
        &server,
        ResponseTemplate::new(503).insert_header("retry-after", in_an_hour.as_str()),
    )
    .await;
    respond_always(&server, ResponseTemplate::new(200)).await;
    // Without Retry-After the delay would be 1 ms; the server asks for an
    // hour, beyond the 60 s the caller accepts.
    let policy = RetryPolicy::default()
        .initial_backoff(Duration::from_millis(1))
        .max_backoff(Duration::from_millis(300))
        .max_retry_after(Duration::from_secs(60))
        .jitter(false);

    let started = Instant::now();
    let resp = client(&server.uri(), policy)
        .execute(get())
        .await
        .expect("response");

    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(resp.status(), 503);
    assert_eq!(seen(&server).await.len(), 1);
    match resp.into_error(|_, _| None) {
        Error::RetryAfterTooLong {
            requested, limit, ..
        } => {
            assert!(requested > Duration::from_secs(3590), "{requested:?}");
            assert_eq!(limit, Duration::from_secs(60));
        }
        other => panic!("expected RetryAfterTooLong, got {other:?}"),
    }
}

#[tokio::test]
async fn retry_after_http_date_in_the_past_retries_at_once() {
    let server = MockServer::start().await;
    respond_once(
        &server,
        ResponseTemplate::new(429).insert_header("retry-after", "Tue, 01 Jan 2019 00:00:00 GMT"),
    )
    .await;
    respond_always(&server, ResponseTemplate::new(200)).await;
    let policy = RetryPolicy::default().initial_backoff(Duration::from_secs(20));

    let started = Instant::now();
    let resp = client(&server.uri(), policy)
        .execute(get())
        .await
        .expect("response");
    assert_eq!(resp.status(), 200);
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(seen(&server).await.len(), 2);
}

#[tokio::test]
async fn post_is_not_retried_by_default() {
    let server = MockServer::start().await;
    respond_always(
        &server,
        ResponseTemplate::new(503).set_body_string("unavailable"),
    )
    .await;
    let req = Request::new(Method::POST, "/systemgroups", "/systemgroups".to_owned());

    let resp = client(&server.uri(), fast_policy())
        .execute(req)
        .await
        .expect("response");

    assert_eq!(resp.status(), 503);
    assert_eq!(resp.body().as_ref(), b"unavailable");
    let seen = seen(&server).await;
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].method, Method::POST);
}

#[tokio::test]
async fn post_is_retried_when_the_request_opts_in() {
    let server = MockServer::start().await;
    respond_once(&server, ResponseTemplate::new(503)).await;
    respond_always(&server, ResponseTemplate::new(201)).await;
    let req = Request::new(Method::POST, "/systemgroups", "/systemgroups".to_owned())
        .with_retry_non_idempotent(true);

    let resp = client(&server.uri(), fast_policy())
        .execute(req)
        .await
        .expect("response");

    assert_eq!(resp.status(), 201);
    assert_eq!(seen(&server).await.len(), 2);
}

#[tokio::test]
async fn patch_is_retried_when_the_policy_opts_in() {
    let server = MockServer::start().await;
    respond_once(&server, ResponseTemplate::new(502)).await;
    respond_always(&server, ResponseTemplate::new(200)).await;
    let req = Request::new(Method::PATCH, "/x", "/x".to_owned());

    let resp = client(&server.uri(), fast_policy().retry_non_idempotent(true))
        .execute(req)
        .await
        .expect("response");

    assert_eq!(resp.status(), 200);
    assert_eq!(seen(&server).await.len(), 2);
}

#[tokio::test]
async fn stops_at_max_retries_and_returns_last_response() {
    let server = MockServer::start().await;
    respond_once(&server, ResponseTemplate::new(502).set_body_string("first")).await;
    respond_once(
        &server,
        ResponseTemplate::new(503).set_body_string("second"),
    )
    .await;
    respond_always(&server, ResponseTemplate::new(504).set_body_string("last")).await;

    let resp = client(&server.uri(), fast_policy().max_retries(2))
        .execute(get())
        .await
        .expect("response");

    assert_eq!(resp.status(), 504);
    assert_eq!(resp.body().as_ref(), b"last");
    assert_eq!(seen(&server).await.len(), 3);
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    let server = MockServer::start().await;
    respond_always(&server, ResponseTemplate::new(500)).await;
    let resp = client(&server.uri(), fast_policy())
        .execute(get())
        .await
        .expect("response");
    assert_eq!(resp.status(), 500);
    assert_eq!(seen(&server).await.len(), 1);
}

#[tokio::test]
async fn disabled_policy_never_retries() {
    let server = MockServer::start().await;
    respond_always(&server, ResponseTemplate::new(429)).await;
    let resp = client(&server.uri(), RetryPolicy::disabled())
        .execute(get())
        .await
        .expect("response");
    assert_eq!(resp.status(), 429);
    assert_eq!(seen(&server).await.len(), 1);
}

#[tokio::test]
async fn connection_errors_are_retried_and_the_last_error_kept() {
    // A port that was just free: connecting to it is refused.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let policy = fast_policy().max_retries(2);

    let started = Instant::now();
    let err = client(&format!("http://127.0.0.1:{port}"), policy)
        .execute(get())
        .await
        .expect_err("nothing listens");
    let elapsed = started.elapsed();

    match &err {
        Error::Transport {
            method,
            path,
            source,
        } => {
            assert_eq!(method, Method::GET);
            assert_eq!(*path, "/systems");
            assert!(source.is_connect(), "{source:?}");
        }
        other => panic!("expected a transport error, got {other:?}"),
    }
    // Two sleeps of 20 ms and 40 ms prove that both retries happened.
    assert!(elapsed >= Duration::from_millis(60), "{elapsed:?}");
}
