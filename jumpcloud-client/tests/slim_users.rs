//! The `users` feature alone, as a program depending on
//! `default-features = false, features = ["users"]` builds it: its
//! operations send their requests and decode their responses and typed
//! error bodies. CI runs this file with only that feature; under `full` it
//! runs as one more test of the same operations.
#![cfg(feature = "users")]

mod support;

use jumpcloud_client::{Error, ErrorBody, types};
use serde_json::json;
use support::{API_KEY, client};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn list_patch_and_a_typed_error_with_users_alone() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/users/u1/pushendpoints"))
        .and(header("x-api-key", API_KEY))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            {"id": "p1", "name": "phone", "state": "active", "enrollmentDate": "2026-11-01T10:00:00Z"},
            {"id": "p2", "name": "tablet", "state": "inactive", "extra": 1}
        ])))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/api/v2/users/u1/pushendpoints/p1"))
        .and(header("content-type", "application/json"))
        .and(body_json(
            json!({"name": "work phone", "state": "inactive"}),
        ))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"id": "p1", "name": "work phone", "state": "inactive"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/users/u1/pushendpoints/gone"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"message": "not found"})))
        .mount(&server)
        .await;
    let client = client(&server);

    let endpoints = client
        .users()
        .push_endpoints_list("u1")
        .send()
        .await
        .expect("list")
        .into_inner();
    assert_eq!(endpoints.len(), 2);
    assert_eq!(endpoints[0].name.as_deref(), Some("phone"));
    assert!(endpoints[0].enrollment_date.is_some());
    // A property the document does not describe is kept.
    assert_eq!(endpoints[1].additional_properties["extra"], json!(1));

    let mut change = types::PushEndpointsPatchRequest::default();
    change.name = Some("work phone".to_owned());
    change.state = Some(types::PushEndpointsPatchRequestState::Inactive);
    let patched = client
        .users()
        .push_endpoints_patch("u1", "p1")
        .body(change)
        .send()
        .await
        .expect("patch")
        .into_inner();
    assert_eq!(patched.state.as_deref(), Some("inactive"));

    match client.users().push_endpoints_get("u1", "gone").send().await {
        Err(Error::Api(e)) => {
            assert_eq!(e.status, 404);
            match &e.body {
                ErrorBody::Error(body) => assert_eq!(body.message.as_deref(), Some("not found")),
                other => panic!("expected the documented error body, got {other:?}"),
            }
        }
        other => panic!("expected a 404, got {other:?}"),
    }
}
