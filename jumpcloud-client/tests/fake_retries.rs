//! Retry rules, against the stateful fake: what the server asks for
//! (`Retry-After`), what it can have done (429 vs 503 vs no connection) and
//! how long the caller is willing to wait.

mod fake;

use std::net::TcpListener;
use std::time::{Duration, Instant};

use fake::{Behaviour, FakeJumpCloud, GROUPS_PATH, Scripted};
use jumpcloud_client::types::SystemGroupPost;
use jumpcloud_client::{Client, Error, RetryPolicy};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .max_retries(3)
        .initial_backoff(Duration::from_millis(20))
}

#[tokio::test]
async fn retry_after_is_waited_in_full_even_beyond_max_backoff() {
    let fake = FakeJumpCloud::with_groups(3, Behaviour::default()).await;
    let client = fake.client(fast_retries().max_backoff(Duration::from_millis(500)));
    fake.script([Scripted::RateLimited(2)]);

    let page = client
        .system_groups()
        .list_all()
        .send()
        .await
        .expect("page");

    assert_eq!(page.len(), 3);
    let seen = fake.seen();
    assert_eq!(seen.len(), 2);
    let waited = seen[1].at - seen[0].at;
    assert!(waited >= Duration::from_secs(2), "retried after {waited:?}");
}

#[tokio::test]
async fn retry_after_beyond_the_ceiling_is_a_typed_error_with_the_wait() {
    let fake = FakeJumpCloud::with_groups(3, Behaviour::default()).await;
    let client = fake.client(fast_retries().max_retry_after(Duration::from_secs(5)));
    fake.script([Scripted::RateLimited(60)]);
    let started = Instant::now();

    let err = client
        .system_groups()
        .list_all()
        .send()
        .await
        .expect_err("not retried early");

    assert!(started.elapsed() < Duration::from_secs(5));
    match &err {
        Error::RetryAfterTooLong {
            requested,
            limit,
            error,
        } => {
            assert_eq!(*requested, Duration::from_secs(60));
            assert_eq!(*limit, Duration::from_secs(5));
            assert_eq!(error.status.as_u16(), 429);
        }
        other => panic!("expected RetryAfterTooLong, got {other:?}"),
    }
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    let body = String::from_utf8_lossy(err.raw_body().expect("raw body")).into_owned();
    assert!(body.contains("Too many requests"), "{body}");
    assert_eq!(fake.seen().len(), 1);
}

#[tokio::test]
async fn a_rate_limited_post_is_retried_because_it_was_not_processed() {
    let fake = FakeJumpCloud::with_groups(0, Behaviour::default()).await;
    let client = fake.client(fast_retries());
    fake.script([Scripted::RateLimited(1)]);

    let created = client
        .system_groups()
        .create_new_group()
        .body(SystemGroupPost::new("web"))
        .send()
        .await
        .expect("created on the second attempt");

    assert_eq!(created.status().as_u16(), 201);
    assert_eq!(fake.group_count(), 1);
    let statuses: Vec<u16> = fake.seen().iter().map(|s| s.status).collect();
    assert_eq!(statuses, [429, 201]);
}

#[tokio::test]
async fn a_post_answered_503_is_not_repeated() {
    let fake = FakeJumpCloud::with_groups(0, Behaviour::default()).await;
    let client = fake.client(fast_retries());
    fake.script([Scripted::Unavailable, Scripted::Unavailable]);

    let err = client
        .system_groups()
        .create_new_group()
        .body(SystemGroupPost::new("web"))
        .send()
        .await
        .expect_err("503");

    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    let body = String::from_utf8_lossy(err.raw_body().expect("raw body")).into_owned();
    assert!(body.contains("Service unavailable"), "{body}");
    assert_eq!(fake.seen().len(), 1);
    assert_eq!(fake.group_count(), 0);
}

#[tokio::test]
async fn a_get_answered_503_is_retried() {
    let fake = FakeJumpCloud::with_groups(2, Behaviour::default()).await;
    let client = fake.client(fast_retries());
    fake.script([Scripted::Unavailable]);

    let page = client
        .system_groups()
        .list_all()
        .send()
        .await
        .expect("page");

    assert_eq!(page.len(), 2);
    let statuses: Vec<u16> = fake.seen().iter().map(|s| s.status).collect();
    assert_eq!(statuses, [503, 200]);
}

#[tokio::test]
async fn a_post_that_could_not_connect_is_retried() {
    // Reserve a port, free it, and only start serving on it after the first
    // attempt has been refused.
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let client = Client::builder()
        .api_key("fake-key")
        .base_url(format!("http://127.0.0.1:{port}/api/v2"))
        .retry(
            RetryPolicy::default()
                .max_retries(6)
                .initial_backoff(Duration::from_millis(200))
                .jitter(false),
        )
        .build()
        .expect("client");
    let late_server = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(150)).await;
        let listener = TcpListener::bind(("127.0.0.1", port)).expect("port still free");
        let server = MockServer::builder().listener(listener).start().await;
        Mock::given(method("POST"))
            .and(path(GROUPS_PATH))
            .respond_with(ResponseTemplate::new(201).set_body_json(
                serde_json::json!({"id": "5f0c1b2e3d4a5b6c7d8e9f00", "name": "web"}),
            ))
            .mount(&server)
            .await;
        server
    });

    let created = client
        .system_groups()
        .create_new_group()
        .body(SystemGroupPost::new("web"))
        .send()
        .await
        .expect("created once the server is up");

    assert_eq!(created.status().as_u16(), 201);
    let server = late_server.await.expect("server task");
    let received = server.received_requests().await.expect("recording");
    assert_eq!(received.len(), 1, "the POST reached the server once");
}

#[tokio::test]
async fn the_deadline_bounds_a_slow_call() {
    let behaviour = Behaviour {
        delay: Duration::from_secs(5),
        ..Behaviour::default()
    };
    let fake = FakeJumpCloud::with_groups(1, behaviour).await;
    let client = fake.client(fast_retries().deadline(Duration::from_millis(300)));
    let started = Instant::now();

    let err = client
        .system_groups()
        .list_all()
        .send()
        .await
        .expect_err("deadline");

    assert!(started.elapsed() < Duration::from_secs(2));
    match err {
        Error::DeadlineExceeded { deadline, path, .. } => {
            assert_eq!(deadline, Duration::from_millis(300));
            assert_eq!(path, "/systemgroups");
        }
        other => panic!("expected DeadlineExceeded, got {other:?}"),
    }
}

#[tokio::test]
async fn no_retry_is_started_that_would_end_after_the_deadline() {
    let fake = FakeJumpCloud::with_groups(1, Behaviour::default()).await;
    let client = fake.client(fast_retries().deadline(Duration::from_secs(1)));
    fake.script([Scripted::RateLimited(2)]);
    let started = Instant::now();

    let err = client
        .system_groups()
        .list_all()
        .send()
        .await
        .expect_err("429 kept");

    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(fake.seen().len(), 1);
}

#[tokio::test]
async fn a_get_answered_500_is_final_by_default() {
    let fake = FakeJumpCloud::with_groups(2, Behaviour::default()).await;
    let client = fake.client(fast_retries());
    fake.script([Scripted::ServerError]);

    let err = client
        .system_groups()
        .list_all()
        .send()
        .await
        .expect_err("500");

    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(fake.seen().len(), 1);
}

#[tokio::test]
async fn a_get_answered_500_is_retried_when_the_policy_asks() {
    let fake = FakeJumpCloud::with_groups(2, Behaviour::default()).await;
    let client =
        fake.client(fast_retries().retry_status(reqwest::StatusCode::INTERNAL_SERVER_ERROR));
    fake.script([Scripted::ServerError, Scripted::ServerError]);

    let page = client
        .system_groups()
        .list_all()
        .send()
        .await
        .expect("page");

    assert_eq!(page.len(), 2);
    let statuses: Vec<u16> = fake.seen().iter().map(|s| s.status).collect();
    assert_eq!(statuses, [500, 500, 200]);
}

#[tokio::test]
async fn the_last_retried_500_keeps_its_status_and_body() {
    let fake = FakeJumpCloud::with_groups(2, Behaviour::default()).await;
    let policy = fast_retries()
        .max_retries(1)
        .retry_status(reqwest::StatusCode::INTERNAL_SERVER_ERROR);
    let client = fake.client(policy);
    fake.script([
        Scripted::ServerError,
        Scripted::ServerError,
        Scripted::ServerError,
    ]);

    let err = client
        .system_groups()
        .list_all()
        .send()
        .await
        .expect_err("500 after the retry");

    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    let body = String::from_utf8_lossy(err.raw_body().expect("raw body")).into_owned();
    assert!(body.contains("Internal error"), "{body}");
    assert_eq!(fake.seen().len(), 2);
}

#[tokio::test]
async fn a_post_answered_500_is_not_repeated_even_when_500_is_retried() {
    let fake = FakeJumpCloud::with_groups(0, Behaviour::default()).await;
    let client =
        fake.client(fast_retries().retry_status(reqwest::StatusCode::INTERNAL_SERVER_ERROR));
    fake.script([Scripted::ServerError]);

    let err = client
        .system_groups()
        .create_new_group()
        .body(SystemGroupPost::new("web"))
        .send()
        .await
        .expect_err("500");

    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(fake.seen().len(), 1);
}
