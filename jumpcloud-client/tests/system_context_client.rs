//! The system-context client signs its calls, v2's under `/api/v2` and
//! v1's (generated from the v1 document) under v1's own base URL.

use jumpcloud_client::{RetryPolicy, SystemContext, SystemContextClient};
use wiremock::matchers::{header_exists, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn context() -> SystemContext {
    let key = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/test_key_pkcs1.pem"
    ))
    .unwrap();
    SystemContext::new("sys-123", &key).unwrap()
}

/// A system record as the v1 service sends it: fields the document names,
/// and one it does not.
fn record() -> serde_json::Value {
    serde_json::json!({
        "_id": "sys-123",
        "hostname": "web-1",
        "displayName": "web-1",
        "allowSshPasswordAuthentication": false,
        "tags": ["prod"],
        "addedInAFutureRelease": {"nested": [1, 2]}
    })
}

/// A v1 service holding `sys-123`: signed reads and writes answer the
/// record; a delete answers as to a shutdown hook, 204 and no record.
async fn system_record_server() -> MockServer {
    let server = MockServer::start().await;
    for verb in ["GET", "PUT"] {
        Mock::given(method(verb))
            .and(path("/api/systems/sys-123"))
            .and(header_exists("authorization"))
            .and(header_exists("date"))
            .respond_with(ResponseTemplate::new(200).set_body_json(record()))
            .mount(&server)
            .await;
    }
    Mock::given(method("DELETE"))
        .and(path("/api/systems/sys-123"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    server
}

/// A system-context client whose v2 and v1 calls go to `server`.
fn client_for(server: &MockServer) -> SystemContextClient {
    let builder = jumpcloud_client::Client::builder()
        .base_url(format!("{}/api/v2", server.uri()))
        .v1_base_url(format!("{}/api", server.uri()))
        .retry(RetryPolicy::disabled());
    SystemContextClient::from_builder(builder, context()).unwrap()
}

#[cfg(feature = "v1")]
#[tokio::test]
async fn v1_calls_are_signed_and_a_read_modify_write_loses_nothing() {
    use jumpcloud_client::v1::apis::systems::SystemsDeleteResponse;
    use jumpcloud_client::v1::types::Systemput;

    let server = system_record_server().await;
    let client = client_for(&server);

    // Read, change one field, write back.
    let system = client
        .v1()
        .systems_get("sys-123")
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(system.hostname.as_deref(), Some("web-1"));
    assert_eq!(
        system.additional_properties["addedInAFutureRelease"],
        record()["addedInAFutureRelease"]
    );
    let mut update: Systemput =
        serde_json::from_value(serde_json::to_value(&system).unwrap()).unwrap();
    update.display_name = Some("web-1 (draining)".to_string());
    client
        .v1()
        .systems_put("sys-123")
        .body(update)
        .send()
        .await
        .unwrap();

    let deleted = client.v1().systems_delete("sys-123").send().await.unwrap();
    assert_eq!(deleted.status().as_u16(), 204);
    assert_eq!(
        *deleted,
        SystemsDeleteResponse::NoContent,
        "a 204 carries no record"
    );

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3);
    // The record went back as it came, but for the one field changed.
    let sent: serde_json::Value = serde_json::from_slice(&requests[1].body).unwrap();
    let mut expected = record();
    expected["displayName"] = "web-1 (draining)".into();
    assert_eq!(sent, expected);
    let auth = requests[0]
        .headers
        .get("authorization")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(
        auth.starts_with("Signature keyId=\"system/sys-123\",headers=\"request-line date\""),
        "{auth}"
    );
    assert!(
        requests
            .iter()
            .all(|r| r.headers.get("x-api-key").is_none())
    );
}

/// The calls written by hand before the v1 document was generated still
/// work for one release, through the generated ones.
#[cfg(feature = "v1")]
#[allow(deprecated)]
#[tokio::test]
async fn the_deprecated_v1_calls_forward_to_the_generated_ones() {
    let server = system_record_server().await;
    let client = client_for(&server);

    let system = client.get_system("sys-123").await.unwrap().into_inner();
    assert_eq!(system.hostname.as_deref(), Some("web-1"));
    assert_eq!(
        system.other["addedInAFutureRelease"],
        record()["addedInAFutureRelease"]
    );
    let updated = client.update_system("sys-123", &system).await.unwrap();
    assert_eq!(updated.id.as_deref(), Some("sys-123"));
    let deleted = client.delete_system("sys-123").await.unwrap();
    assert_eq!(deleted.status().as_u16(), 204);
    assert_eq!(*deleted, None, "a 204 carries no record");

    let requests = server.received_requests().await.unwrap();
    let sent: serde_json::Value = serde_json::from_slice(&requests[1].body).unwrap();
    assert_eq!(sent, record(), "the record read is the record written");
}

#[tokio::test]
async fn v2_calls_are_signed_over_the_full_path() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/systems/sys-123/memberof"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([])))
        .mount(&server)
        .await;
    let builder = jumpcloud_client::Client::builder()
        .base_url(format!("{}/api/v2", server.uri()))
        .retry(RetryPolicy::disabled());
    let context = context();
    let client = SystemContextClient::from_builder(builder, context.clone()).unwrap();
    let groups = client.system_member_of("sys-123").send().await.unwrap();
    assert!(groups.is_empty());
    let request = &server.received_requests().await.unwrap()[0];
    let date = request.headers.get("date").unwrap().to_str().unwrap();
    let expected = context.authorization_header("GET", "/api/v2/systems/sys-123/memberof", date);
    assert_eq!(
        request
            .headers
            .get("authorization")
            .unwrap()
            .to_str()
            .unwrap(),
        expected
    );
}
