//! API v1 in the same crate: `Client::v1()` reaches the operations of the
//! v1 document, which go to v1's base URL (its server in the client's
//! region, or the one given for tests), with the client's credentials, and
//! its error bodies arrive typed inside the crate's `ErrorBody`. The
//! servers and paths are read from the raw pinned v1 document.

#![cfg(feature = "v1")]

use jumpcloud_client::v1::types::Systemuserputpost;
use jumpcloud_client::{Client, Error, ErrorBody, Region, RetryPolicy};
use reqwest::Method;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod support;
use support::{API_KEY, line, pinned_raw, raw_server, requests};

fn raw_v1() -> serde_json::Value {
    pinned_raw("v1/manifest.toml")
}

/// A client whose v2 and v1 calls both go to `server`, as a test sets it up.
fn client(server: &MockServer) -> Client {
    Client::builder()
        .api_key(API_KEY)
        .base_url(format!("{}/api/v2", server.uri()))
        .v1_base_url(format!("{}/api", server.uri()))
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap()
}

#[test]
fn every_region_has_the_v1_server_the_document_names() {
    let raw = raw_v1();
    let servers = raw["servers"].as_array().expect("v1 lists servers");
    assert_eq!(servers.len(), 3, "US, EU and India: {servers:?}");
    for region in Region::ALL {
        let code = region.code().expect("every region has a code");
        let expected = raw_server(&raw, code);
        assert_eq!(
            jumpcloud_client::v1::base_url(*region),
            expected.as_deref(),
            "{code}"
        );
    }
}

#[tokio::test]
async fn v1_calls_go_to_the_v1_base_url_with_the_clients_credentials() {
    let raw = raw_v1();
    assert!(raw["paths"]["/systemusers"]["post"].is_object());
    assert!(raw["paths"]["/systemusers/{id}"]["get"].is_object());
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/systemusers"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "_id": "5f0c1a2b3c4d5e6f7a8b9c0d",
            "email": "ada@example.com",
            "username": "ada",
            "activated": false
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/systemusers/5f0c1a2b3c4d5e6f7a8b9c0d"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "_id": "5f0c1a2b3c4d5e6f7a8b9c0d",
            "email": "ada@example.com",
            "username": "ada",
            "activated": true
        })))
        .mount(&server)
        .await;
    let client = client(&server);
    let created = client
        .v1()
        .systemusers()
        .post()
        .body(Systemuserputpost::new("ada@example.com", "ada"))
        .send()
        .await
        .expect("created")
        .into_inner();
    let id = created.id.expect("the new user's id");
    let fetched = client
        .v1()
        .systemusers()
        .get(&id)
        .send()
        .await
        .expect("fetched")
        .into_inner();
    assert_eq!(fetched.activated, Some(true));

    let seen = requests(&server).await;
    let lines: Vec<String> = seen.iter().map(line).collect();
    assert_eq!(
        lines,
        [
            "POST /api/systemusers",
            "GET /api/systemusers/5f0c1a2b3c4d5e6f7a8b9c0d"
        ]
    );
    assert!(
        seen.iter()
            .all(|r| r.headers.get("x-api-key").unwrap() == API_KEY)
    );
    let body: serde_json::Value = serde_json::from_slice(&seen[0].body).unwrap();
    assert_eq!(body, json!({"email": "ada@example.com", "username": "ada"}));
    assert_eq!(seen[0].method, Method::POST);
}

/// A client given a test server for v2 but none for v1 must not send v1
/// calls to JumpCloud's real servers.
#[tokio::test]
async fn a_custom_base_url_without_a_v1_one_sends_nothing() {
    let server = MockServer::start().await;
    let client = Client::builder()
        .api_key(API_KEY)
        .base_url(format!("{}/api/v2", server.uri()))
        .build()
        .unwrap();
    let err = client
        .v1()
        .systemusers()
        .get("x")
        .send()
        .await
        .expect_err("no v1 base URL");
    match err {
        Error::InvalidRequest(message) => {
            assert!(message.contains("v1_base_url"), "{message}")
        }
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
    assert!(requests(&server).await.is_empty());
}

/// An error body the v1 document declares arrives typed, inside the
/// crate's one `ErrorBody`, with the status and raw body kept.
#[tokio::test]
async fn a_documented_v1_error_body_is_typed() {
    let raw = raw_v1();
    let declared = &raw["paths"]["/systemusers"]["post"]["responses"]["400"]["content"]["application/json"]
        ["schema"]["$ref"];
    assert_eq!(declared, "#/components/schemas/ErrorDetails");
    let server = MockServer::start().await;
    let body =
        json!({"code": 400, "message": "Password validation fail", "status": "INVALID_ARGUMENT"});
    Mock::given(method("POST"))
        .and(path("/api/systemusers"))
        .respond_with(ResponseTemplate::new(400).set_body_json(&body))
        .mount(&server)
        .await;
    let err = client(&server)
        .v1()
        .systemusers()
        .post()
        .body(Systemuserputpost::new("ada@example.com", "ada"))
        .send()
        .await
        .expect_err("400");
    let Error::Api(api) = err else {
        panic!("expected an API error, got {err:?}");
    };
    assert_eq!(api.status.as_u16(), 400);
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&api.raw_body).unwrap(),
        body
    );
    match api.body {
        ErrorBody::V1(jumpcloud_client::v1::ErrorBody::ErrorDetails(details)) => {
            assert_eq!(details.message.as_deref(), Some("Password validation fail"));
            assert_eq!(details.code, Some(400));
        }
        other => panic!("expected the v1 `ErrorDetails` body, got {other:?}"),
    }
}
