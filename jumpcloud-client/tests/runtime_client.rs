//! Headers, URL and body the server sees for requests built by hand.

use jumpcloud_client::runtime::{Body, Client, Error, Region, Request, RetryPolicy};
use reqwest::Method;
use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const API_KEY: &str = "test-api-key-0123456789";

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .api_key(API_KEY)
        .org_id("org-default")
        .base_url(format!("{}/api/v2/", server.uri()))
        .retry(RetryPolicy::disabled())
        .build()
        .expect("client")
}

fn values(req: &wiremock::Request, name: &str) -> Vec<String> {
    req.headers
        .get_all(name)
        .iter()
        .map(|v| v.to_str().expect("ascii header").to_owned())
        .collect()
}

#[tokio::test]
async fn sends_api_key_default_org_and_accept() {
    let server = server().await;
    let resp = client(&server)
        .execute(Request::new(Method::GET, "/systems", "/systems".to_owned()))
        .await
        .expect("response");
    assert_eq!(resp.status(), 200);

    let seen = server.received_requests().await.expect("recording");
    assert_eq!(seen.len(), 1);
    let req = &seen[0];
    assert_eq!(req.method, Method::GET);
    assert_eq!(req.url.path(), "/api/v2/systems");
    assert_eq!(req.url.query(), None);
    assert_eq!(values(req, "x-api-key"), [API_KEY]);
    assert_eq!(values(req, "x-org-id"), ["org-default"]);
    assert_eq!(values(req, "accept"), ["application/json"]);
    assert_eq!(
        values(req, "user-agent"),
        [format!(
            "jumpcloud-client-rust/{}",
            env!("CARGO_PKG_VERSION")
        )]
    );
    assert!(values(req, "authorization").is_empty());
    assert!(req.body.is_empty());
}

#[tokio::test]
async fn per_call_org_id_and_accept_override_defaults() {
    let server = server().await;
    let req = Request::new(Method::GET, "/systems", "/systems".to_owned())
        .with_header("x-org-id", "org-override")
        .with_header("Accept", "text/plain");
    client(&server).execute(req).await.expect("response");

    let seen = server.received_requests().await.expect("recording");
    assert_eq!(seen.len(), 1);
    assert_eq!(values(&seen[0], "x-org-id"), ["org-override"]);
    assert_eq!(values(&seen[0], "accept"), ["text/plain"]);
    assert_eq!(values(&seen[0], "x-api-key"), [API_KEY]);
}

#[tokio::test]
async fn no_org_id_unless_configured() {
    let server = server().await;
    let client = Client::builder()
        .api_key(API_KEY)
        .base_url(format!("{}/api/v2", server.uri()))
        .build()
        .expect("client");
    client
        .execute(Request::new(Method::GET, "/systems", "/systems".to_owned()))
        .await
        .expect("response");
    let seen = server.received_requests().await.expect("recording");
    assert!(values(&seen[0], "x-org-id").is_empty());
}

#[tokio::test]
async fn encoded_path_query_and_json_body_reach_server_verbatim() {
    let server = server().await;
    let id = jumpcloud_client::runtime::encode_path_segment("a/b c");
    let req = Request::new(
        Method::PUT,
        "/systemgroups/{group_id}",
        format!("/systemgroups/{id}"),
    )
    .with_query("filter", "name:eq:x y")
    .with_query("filter", "os:eq:Mac&Linux")
    .with_query("fields", "a,b")
    .with_body(Body::json(&json!({"name": "group"})).expect("json"));
    client(&server).execute(req).await.expect("response");

    let seen = server.received_requests().await.expect("recording");
    assert_eq!(seen.len(), 1);
    let req = &seen[0];
    assert_eq!(req.method, Method::PUT);
    assert_eq!(req.url.path(), "/api/v2/systemgroups/a%2Fb%20c");
    let pairs: Vec<(String, String)> = req.url.query_pairs().into_owned().collect();
    assert_eq!(
        pairs,
        [
            ("filter".to_owned(), "name:eq:x y".to_owned()),
            ("filter".to_owned(), "os:eq:Mac&Linux".to_owned()),
            ("fields".to_owned(), "a,b".to_owned()),
        ]
    );
    assert_eq!(values(req, "content-type"), ["application/json"]);
    assert_eq!(req.body, br#"{"name":"group"}"#);
}

#[tokio::test]
async fn raw_bytes_body_uses_its_content_type() {
    let server = server().await;
    let req = Request::new(Method::POST, "/upload", "/upload".to_owned()).with_body(Body::Bytes {
        content_type: "application/octet-stream".to_owned(),
        data: bytes::Bytes::from_static(b"\x00\x01\x02"),
    });
    client(&server).execute(req).await.expect("response");
    let seen = server.received_requests().await.expect("recording");
    assert_eq!(
        values(&seen[0], "content-type"),
        ["application/octet-stream"]
    );
    assert_eq!(seen[0].body, b"\x00\x01\x02");
}

#[tokio::test]
async fn non_success_status_is_a_response_not_an_error() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(404).set_body_string("not found"))
        .mount(&server)
        .await;
    let resp = client(&server)
        .execute(Request::new(
            Method::GET,
            "/systems/{id}",
            "/systems/x".to_owned(),
        ))
        .await
        .expect("a 404 is still a response");
    assert_eq!(resp.status(), 404);
    assert_eq!(resp.body().as_ref(), b"not found");
    assert_eq!(
        server.received_requests().await.expect("recording").len(),
        1
    );
}

#[tokio::test]
async fn dot_segments_are_rejected_before_sending() {
    let server = server().await;
    for path in ["/systems/../users", "/systems/%2E%2e/users", "/systems/./x"] {
        let err = client(&server)
            .execute(Request::new(Method::GET, "/systems/{id}", path.to_owned()))
            .await
            .expect_err(path);
        assert!(matches!(err, Error::InvalidRequest(_)), "{path}: {err:?}");
    }
    assert!(
        server
            .received_requests()
            .await
            .expect("recording")
            .is_empty()
    );
}

#[tokio::test]
async fn invalid_header_value_is_invalid_request() {
    let server = server().await;
    let req = Request::new(Method::GET, "/systems", "/systems".to_owned())
        .with_header("x-org-id", "bad\nvalue");
    let err = client(&server).execute(req).await.expect_err("bad header");
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert!(
        server
            .received_requests()
            .await
            .expect("recording")
            .is_empty()
    );
}

#[test]
fn builder_defaults_and_validation() {
    let client = Client::new("k").expect("client");
    assert_eq!(client.base_url(), "https://console.jumpcloud.com/api/v2");
    let eu = Client::builder()
        .api_key("k")
        .region(Region::Eu)
        .build()
        .expect("client");
    assert_eq!(eu.base_url(), "https://console.eu.jumpcloud.com/api/v2");
    let custom = Client::builder()
        .api_key("k")
        .region(Region::Eu)
        .base_url("http://127.0.0.1:9/api/v2/")
        .build()
        .expect("client");
    assert_eq!(custom.base_url(), "http://127.0.0.1:9/api/v2");

    let missing = Client::builder().build().expect_err("no credentials");
    assert!(matches!(missing, Error::Config(_)), "{missing:?}");
    let empty = Client::new("  ").expect_err("empty key");
    assert!(matches!(empty, Error::Config(_)), "{empty:?}");
    let bad_url = Client::builder()
        .api_key("k")
        .base_url("ftp://example.invalid")
        .build()
        .expect_err("bad scheme");
    assert!(matches!(bad_url, Error::Config(_)), "{bad_url:?}");
    // A program's own reqwest client, started from the crate's TLS setup.
    let own = Client::reqwest_builder()
        .expect("TLS")
        .build()
        .expect("reqwest client");
    let conflicting = Client::builder()
        .api_key("k")
        .http_client(own)
        .connect_timeout(std::time::Duration::from_secs(1))
        .build()
        .expect_err("connect timeout on foreign client");
    assert!(matches!(conflicting, Error::Config(_)), "{conflicting:?}");
}
