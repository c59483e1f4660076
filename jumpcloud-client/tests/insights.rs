//! Directory Insights in the same crate: `Client::insights()` reaches the
//! operations of its own document, served from another host per region,
//! with the client's credentials. Servers and paths come from the raw
//! pinned document.

#![cfg(feature = "insights")]

use jumpcloud_client::insights::types::{EventDistinctQueryServiceItem, EventQuery};
use jumpcloud_client::runtime::Timestamp;
use jumpcloud_client::{Client, Region, RetryPolicy};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod support;
use support::{API_KEY, line, pinned_raw, raw_server, requests};

fn raw_insights() -> serde_json::Value {
    pinned_raw("insights/manifest.toml")
}

#[test]
fn every_region_has_the_insights_server_the_document_names() {
    let raw = raw_insights();
    let servers = raw["servers"].as_array().expect("Insights lists servers");
    assert_eq!(servers.len(), 3, "US, EU and India: {servers:?}");
    for region in Region::ALL {
        let code = region.code().expect("every region has a code");
        let expected = raw_server(&raw, code);
        assert_eq!(
            jumpcloud_client::insights::base_url(*region),
            expected.as_deref(),
            "{code}"
        );
        // Not the v2 host: Insights has servers of its own.
        assert_ne!(expected.as_deref(), Some(region.base_url()));
    }
}

#[tokio::test]
async fn an_event_query_goes_to_the_insights_base_url() {
    let raw = raw_insights();
    assert!(raw["paths"]["/events"]["post"].is_object());
    let server = MockServer::start().await;
    let events = json!([
        {"id": "e1", "event_type": "admin_login_attempt", "timestamp": "2026-12-07T10:00:00Z"},
        {"id": "e2", "event_type": "user_login_attempt", "timestamp": "2026-12-07T10:05:00Z"}
    ]);
    Mock::given(method("POST"))
        .and(path("/insights/directory/v1/events"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(&events)
                .insert_header("X-Result-Count", "2")
                .insert_header("X-Limit", "1000"),
        )
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_key(API_KEY)
        .base_url(format!("{}/api/v2", server.uri()))
        .insights_base_url(format!("{}/insights/directory/v1", server.uri()))
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap();
    let query = EventQuery::new(
        vec![EventDistinctQueryServiceItem::Directory],
        Timestamp::from_raw("2026-12-07T09:00:00Z"),
    );
    let response = client
        .insights()
        .event_query()
        .events_post(query)
        .send()
        .await
        .expect("200");
    assert_eq!(
        response.headers().get("x-result-count").unwrap(),
        "2",
        "the paging headers reach the caller"
    );
    let got = response.into_inner();
    assert_eq!(got.len(), 2);
    assert_eq!(got[0]["id"], "e1");

    let seen = requests(&server).await;
    assert_eq!(
        seen.iter().map(line).collect::<Vec<_>>(),
        ["POST /insights/directory/v1/events"]
    );
    assert_eq!(seen[0].headers.get("x-api-key").unwrap(), API_KEY);
    let body: serde_json::Value = serde_json::from_slice(&seen[0].body).unwrap();
    assert_eq!(
        body,
        json!({"service": ["directory"], "start_time": "2026-12-07T09:00:00Z"})
    );
}
