//! `SystemContextClient` exposes exactly the operations the documents say
//! accept System Context Authorization: those declaring its `Authorization`
//! and `Date` header parameters, 8 in API v2 and 3 in API v1 (on
//! `SystemContextClient::v1()`). The expectation is counted in the raw
//! documents, without the generator.

use std::collections::BTreeSet;

use jumpcloud_client::types::GraphSystemAssociationsListTargetsItem;
use jumpcloud_client::{Client, RetryPolicy, SystemContext, SystemContextClient};
use serde_json::Value;
use wiremock::matchers::path_regex;
use wiremock::matchers::{any, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod support;
use support::pinned_raw;

/// The pinned v2 document, as `spec/manifest.toml` names it.
fn document() -> Value {
    pinned_raw("manifest.toml")
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// A parameter, looking through a local `$ref` (to `#/components/parameters`
/// in OpenAPI 3, `#/parameters` in Swagger 2.0).
fn resolve<'a>(doc: &'a Value, parameter: &'a Value) -> &'a Value {
    match parameter.get("$ref").and_then(Value::as_str) {
        Some(reference) => doc
            .pointer(reference.trim_start_matches('#'))
            .unwrap_or_else(|| panic!("{reference} names nothing")),
        None => parameter,
    }
}

/// `(METHOD, path)` of every operation declaring both System Context headers.
fn system_context_operations(doc: &Value) -> BTreeSet<(String, String)> {
    let mut found = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        let shared = item["parameters"].as_array().cloned().unwrap_or_default();
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            let own = op["parameters"].as_array().cloned().unwrap_or_default();
            let headers: BTreeSet<String> = shared
                .iter()
                .chain(&own)
                .map(|p| resolve(doc, p))
                .filter(|p| p["in"] == "header")
                .filter_map(|p| p["name"].as_str().map(str::to_owned))
                .collect();
            if headers.contains("Authorization") && headers.contains("Date") {
                found.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    found
}

/// `(METHOD, path template)` of each request, the path below `base`: the
/// tests pass the parameter names as values, so the path reads back as
/// the template.
fn called(requests: &[wiremock::Request], base: &str) -> BTreeSet<(String, String)> {
    requests
        .iter()
        .map(|r| {
            let path = percent_encoding::percent_decode_str(r.url.path())
                .decode_utf8_lossy()
                .trim_start_matches(base)
                .to_owned();
            (r.method.to_string(), path)
        })
        .collect()
}

fn context() -> SystemContext {
    let key = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/test_key_pkcs1.pem"
    ))
    .unwrap();
    SystemContext::new("sys-1", &key).unwrap()
}

#[tokio::test]
async fn the_client_offers_exactly_the_documents_system_context_operations() {
    let expected = system_context_operations(&document());
    assert_eq!(expected.len(), 8, "{expected:?}");

    let server = MockServer::start().await;
    // The document's success answers: 204 for the POSTs, a list for the GETs.
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([])))
        .mount(&server)
        .await;
    let builder = Client::builder()
        .base_url(format!("{}/api/v2", server.uri()))
        .retry(RetryPolicy::disabled());
    let client = SystemContextClient::from_builder(builder, context()).unwrap();

    // Every System Context method of the client, called once; ids are the
    // parameter names so the template can be read back from the path.
    client.system_member_of("{system_id}").send().await.unwrap();
    client
        .system_associations_list(
            "{system_id}",
            vec![GraphSystemAssociationsListTargetsItem::User],
        )
        .send()
        .await
        .unwrap();
    client
        .system_associations_post("{system_id}")
        .send()
        .await
        .unwrap();
    client
        .system_traverse_user("{system_id}")
        .send()
        .await
        .unwrap();
    client
        .system_traverse_user_group("{system_id}")
        .send()
        .await
        .unwrap();
    client
        .system_traverse_policy_group("{system_id}")
        .send()
        .await
        .unwrap();
    client
        .system_group_members_post("{group_id}")
        .send()
        .await
        .unwrap();
    client.policy_member_of("{policy_id}").send().await.unwrap();

    let requests = server.received_requests().await.unwrap();
    assert_eq!(called(&requests, "/api/v2"), expected);
    assert!(
        requests
            .iter()
            .all(|r| r.headers.get("authorization").is_some() && r.headers.get("date").is_some()),
        "every call is signed"
    );
}

#[cfg(feature = "v1")]
#[tokio::test]
async fn the_v1_handle_offers_exactly_the_v1_documents_system_context_operations() {
    let expected = system_context_operations(&pinned_raw("v1/manifest.toml"));
    assert_eq!(expected.len(), 3, "{expected:?}");

    let server = MockServer::start().await;
    // The document's success answer: the system record.
    Mock::given(path_regex("^/api/systems/"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"_id": "sys-1"})))
        .mount(&server)
        .await;
    let builder = Client::builder()
        .base_url(format!("{}/api/v2", server.uri()))
        .v1_base_url(format!("{}/api", server.uri()))
        .retry(RetryPolicy::disabled());
    let client = SystemContextClient::from_builder(builder, context()).unwrap();

    let v1 = client.v1();
    v1.systems_get("{id}").send().await.unwrap();
    v1.systems_put("{id}").send().await.unwrap();
    v1.systems_delete("{id}").send().await.unwrap();

    let requests = server.received_requests().await.unwrap();
    assert_eq!(called(&requests, "/api"), expected);
    assert!(
        requests
            .iter()
            .all(|r| r.headers.get("authorization").is_some()
                && r.headers.get("date").is_some()
                && r.headers.get("x-api-key").is_none()),
        "every call is signed, with no API key"
    );
}
