//! `stream()` on the operations of the mounted documents, against stateful
//! fakes that page as the services do:
//!
//! - API v1 lists answer `{"results": [...], "totalCount": n}` and cap the
//!   page size, so only the body's total tells a capped page from the last;
//! - Directory Insights' events search pages by the `X-Search_after`
//!   cursor, sent back as the query's `search_after`, and ends on the page
//!   holding fewer rows than `X-Limit`, which carries a cursor too.
//!
//! Expectations come from what the fakes hold and saw, in their own order.

#![cfg(all(feature = "v1", feature = "insights"))]

mod fake;
mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use fake::Scripted;
use fake::events::{FakeInsights, INSIGHTS_BASE, InsightsBehaviour};
use futures::TryStreamExt;
use jumpcloud_client::insights::types::{EventDistinctQueryServiceItem, EventQuery};
use jumpcloud_client::runtime::Timestamp;
use jumpcloud_client::{Client, RetryPolicy};
use serde_json::{Value, json};
use support::API_KEY;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// A v1 `GET /systemusers` holding `users`, sorted by `_id` when asked,
/// answering at most `cap` a page whatever `limit` says, and never sending
/// `X-Total-Count`: the total is in the body only.
#[derive(Clone)]
struct SystemUsers {
    users: Vec<Value>,
    cap: usize,
    seen: Arc<Mutex<Vec<(String, usize)>>>,
}

impl Respond for SystemUsers {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let query = |name: &str| {
            request
                .url
                .query_pairs()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.into_owned())
        };
        let number = |name: &str, default: usize| {
            query(name).and_then(|v| v.parse().ok()).unwrap_or(default)
        };
        let (limit, skip) = (number("limit", 10).min(self.cap), number("skip", 0));
        let mut users = self.users.clone();
        if query("sort").as_deref() == Some("_id") {
            users.sort_by(|a, b| a["_id"].as_str().cmp(&b["_id"].as_str()));
        }
        let page: Vec<Value> = users.into_iter().skip(skip).take(limit).collect();
        self.seen
            .lock()
            .unwrap()
            .push((request.url.query().unwrap_or("").to_string(), page.len()));
        ResponseTemplate::new(200)
            .set_body_json(json!({"results": page, "totalCount": self.users.len()}))
    }
}

#[tokio::test]
async fn a_v1_list_streams_every_user_once_across_capped_pages_by_the_bodys_total() {
    // Ids out of order, so only sorting by `_id` gives a stable order.
    let users: Vec<Value> = (0..23)
        .map(|i| {
            let id = format!("{:024x}", (i * 7919) % 23);
            json!({"_id": id, "username": format!("user{i}"), "email": format!("u{i}@example.com")})
        })
        .collect();
    let fake = SystemUsers {
        users: users.clone(),
        cap: 10,
        seen: Arc::default(),
    };
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/systemusers"))
        .respond_with(fake.clone())
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_key(API_KEY)
        .v1_base_url(format!("{}/api", server.uri()))
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap();

    // 25 asked, 10 served: a short page that is not the last.
    let got: Vec<_> = client
        .v1()
        .systemusers()
        .list()
        .limit(25)
        .stream()
        .try_collect()
        .await
        .expect("every page");

    let mut expected: Vec<String> = users
        .iter()
        .map(|u| u["_id"].as_str().unwrap().to_string())
        .collect();
    expected.sort();
    let ids: Vec<String> = got.iter().map(|u| u.id.clone().unwrap()).collect();
    assert_eq!(ids, expected, "every user once, in `_id` order");
    let seen = fake.seen.lock().unwrap().clone();
    assert_eq!(
        seen,
        [
            ("limit=25&skip=0&sort=_id".to_string(), 10),
            ("limit=25&skip=10&sort=_id".to_string(), 10),
            ("limit=25&skip=20&sort=_id".to_string(), 3),
        ]
    );
}

fn events_client(fake: &FakeInsights, retry: RetryPolicy) -> Client {
    Client::builder()
        .api_key(API_KEY)
        .insights_base_url(format!("{}{INSIGHTS_BASE}", fake.server.uri()))
        .retry(retry.jitter(false))
        .build()
        .unwrap()
}

fn query(limit: i64) -> EventQuery {
    let mut query = EventQuery::new(
        vec![EventDistinctQueryServiceItem::All],
        Timestamp::from_raw("2020-01-01T00:00:00Z"),
    );
    query.limit = Some(limit);
    query
}

/// Every event the query matches, streamed `limit` a page.
async fn all_events(client: &Client, limit: i64) -> Vec<Value> {
    client
        .insights()
        .event_query()
        .events_post(query(limit))
        .stream()
        .map_ok(Value::Object)
        .try_collect()
        .await
        .expect("every page")
}

#[tokio::test]
async fn an_insights_event_stream_follows_the_cursor_and_stops_on_the_short_page() {
    let fake = FakeInsights::with_events(23, InsightsBehaviour::default()).await;
    let client = events_client(&fake, RetryPolicy::disabled());

    let got = all_events(&client, 5).await;

    assert_eq!(
        got,
        fake.events(),
        "every event once, in the service's order"
    );
    let seen = fake.seen();
    // 5 + 5 + 5 + 5 + 3: nothing asked after the short page, whose cursor
    // is there all the same.
    let rows: Vec<usize> = seen.iter().map(|s| s.rows).collect();
    assert_eq!(rows, [5, 5, 5, 5, 3]);
    assert!(seen.last().unwrap().cursor.is_some());
    assert!(seen[0].body.get("search_after").is_none());
    for (i, pair) in seen.windows(2).enumerate() {
        let header: Value = serde_json::from_str(pair[0].cursor.as_deref().unwrap()).unwrap();
        assert_eq!(pair[1].body["search_after"], header, "request {}", i + 1);
        assert_eq!(header, fake.sort_values((i + 1) * 5 - 1));
    }
}

#[tokio::test]
async fn a_429_and_a_503_in_the_middle_of_an_event_stream_are_retried() {
    let fake = FakeInsights::with_events(23, InsightsBehaviour::default()).await;
    let client = events_client(
        &fake,
        RetryPolicy::default().initial_backoff(Duration::from_millis(10)),
    );
    fake.script_request(1, Scripted::RateLimited(1));
    // A POST is resent after a 503 only because the events search is marked
    // read-only in the generator's settings.
    fake.script_request(3, Scripted::Unavailable);

    let got = all_events(&client, 5).await;

    assert_eq!(got, fake.events(), "nothing lost or repeated");
    let seen = fake.seen();
    let statuses: Vec<u16> = seen.iter().map(|s| s.status).collect();
    assert_eq!(statuses, [200, 429, 200, 503, 200, 200, 200]);
    assert_eq!(seen[1].body, seen[2].body, "the throttled page asked again");
    assert_eq!(seen[3].body, seen[4].body, "the failed page asked again");
}
