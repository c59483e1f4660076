//! The system-context client signs its calls and reaches the v1 endpoints
//! from the server root, not under `/api/v2`.

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

#[tokio::test]
async fn v1_calls_go_to_the_server_root_and_keep_unknown_fields() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/systems/sys-123"))
        .and(header_exists("authorization"))
        .and(header_exists("date"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "_id": "sys-123", "hostname": "web-1", "agentVersion": "1.2.3"
        })))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/api/systems/sys-123"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let builder = jumpcloud_client::Client::builder()
        .base_url(format!("{}/api/v2", server.uri()))
        .retry(RetryPolicy::disabled());
    let client = SystemContextClient::from_builder(builder, context()).unwrap();

    let system = client.get_system("sys-123").await.unwrap().into_inner();
    assert_eq!(system.hostname.as_deref(), Some("web-1"));
    assert_eq!(system.other["agentVersion"], "1.2.3");
    let back = serde_json::to_value(&system).unwrap();
    assert_eq!(back["agentVersion"], "1.2.3");

    let deleted = client.delete_system("sys-123").await.unwrap();
    assert_eq!(deleted.status().as_u16(), 204);
    assert_eq!(*deleted, None, "a 204 carries no record");
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
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
