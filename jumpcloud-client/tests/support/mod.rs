//! What the wire tests share: a loopback server that answers everything the
//! same way, a client pointed at it, and ways to read what it received.

// Each test file compiles this module on its own and uses a different part.
#![allow(dead_code)]

use jumpcloud_client::{Client, RetryPolicy};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

pub const API_KEY: &str = "test-key";

/// A server that answers every request with `response`.
pub async fn server(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

pub fn client(server: &MockServer) -> Client {
    client_with_org(server, None)
}

pub fn client_with_org(server: &MockServer, org_id: Option<&str>) -> Client {
    let mut builder = Client::builder()
        .api_key(API_KEY)
        .base_url(format!("{}/api/v2", server.uri()))
        .retry(RetryPolicy::disabled());
    if let Some(org_id) = org_id {
        builder = builder.org_id(org_id);
    }
    builder.build().expect("client builds")
}

pub async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("recording is on")
}

/// The only request the server saw.
pub async fn only_request(server: &MockServer) -> Request {
    let mut seen = requests(server).await;
    assert_eq!(seen.len(), 1, "requests: {seen:?}");
    seen.remove(0)
}

/// The request line, so a test states the whole exchange it relies on.
pub fn line(request: &Request) -> String {
    match request.url.query() {
        Some(query) => format!("{} {}?{query}", request.method, request.url.path()),
        None => format!("{} {}", request.method, request.url.path()),
    }
}

/// The raw document a manifest of `spec/` pins (`"manifest.toml"`,
/// `"v1/manifest.toml"`), read without the generator.
pub fn pinned_raw(manifest: &str) -> serde_json::Value {
    let workspace = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let text = std::fs::read_to_string(workspace.join("spec").join(manifest)).unwrap();
    let relative = text
        .lines()
        .skip_while(|line| line.trim() != "[document]")
        .find_map(|line| line.trim().strip_prefix("path = "))
        .unwrap_or_else(|| panic!("no document path in {manifest}"))
        .trim_matches('"')
        .to_owned();
    let document = std::fs::read_to_string(workspace.join(relative)).unwrap();
    serde_yaml::from_str(&document).unwrap()
}

/// The URL of the server whose `x-jc-region` is `code`, without a
/// trailing slash, as the raw document lists it.
pub fn raw_server(raw: &serde_json::Value, code: &str) -> Option<String> {
    raw["servers"]
        .as_array()?
        .iter()
        .find(|s| s["x-jc-region"] == code)
        .and_then(|s| s["url"].as_str())
        .map(|url| url.trim_end_matches('/').to_owned())
}
