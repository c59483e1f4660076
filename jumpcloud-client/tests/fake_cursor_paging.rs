//! Cursor paging (`paginate_cursor`, `stream_cursor_pages`) against a
//! stateful fake of Directory Insights' `POST /events`: every event arrives
//! exactly once, paging ends on the page the document calls the last
//! although it carries a cursor, a throttled or failed page in the middle is
//! fetched again, and a broken cursor is a typed error.
//!
//! Expectations come from the events the fake holds, in its own order.

mod fake;

use std::time::Duration;

use fake::Scripted;
use fake::events::{FakeInsights, InsightsBehaviour, LimitHeader};
use futures::stream::BoxStream;
use futures::{StreamExt, TryStreamExt};
use jumpcloud_client::runtime::{
    Body, CursorRule, RawResponse, Request, ResponseValue, paginate_cursor, stream_cursor_pages,
};
use jumpcloud_client::{Client, Error, RetryPolicy};
use reqwest::Method;
use serde_json::{Value, json};

/// Directory Insights' headers, as the document names them.
const EVENTS: CursorRule = CursorRule::new("X-Search_after", "X-Result-Count", "X-Limit");

/// The query of every page but its cursor.
fn query(limit: Option<u64>) -> Value {
    let mut query = json!({"service": ["all"], "start_time": "2020-01-01T00:00:00Z"});
    if let Some(limit) = limit {
        query["limit"] = json!(limit);
    }
    query
}

/// One page request: the same query again, with the cursor as `search_after`.
fn page_request(query: &Value, cursor: Option<Value>, read_only: bool) -> Result<Request, Error> {
    let mut body = query.clone();
    if let Some(cursor) = cursor {
        body["search_after"] = cursor;
    }
    Ok(Request::new(Method::POST, "/events", "/events".to_owned())
        .with_body(Body::json(&body)?)
        // The events search reads, and its cursor is data in the body: the
        // same request again answers the same page.
        .with_retry_non_idempotent(read_only))
}

fn decode(raw: RawResponse) -> Result<ResponseValue<Vec<Value>>, Error> {
    if raw.status().is_success() {
        raw.json()
    } else {
        Err(raw.into_error(|_, _| None))
    }
}

/// The events matching `query`, streamed as a generated operation would.
fn events(
    client: &Client,
    rule: CursorRule,
    query: Value,
    read_only: bool,
) -> BoxStream<'static, Result<Value, Error>> {
    let client = client.clone();
    stream_cursor_pages(
        rule,
        Box::new(move |cursor| client.send(page_request(&query, cursor, read_only), decode)),
    )
}

fn statuses(fake: &FakeInsights) -> Vec<u16> {
    fake.seen().iter().map(|seen| seen.status).collect()
}

fn rows(fake: &FakeInsights) -> Vec<usize> {
    fake.seen().iter().map(|seen| seen.rows).collect()
}

fn fast_retries() -> RetryPolicy {
    RetryPolicy::default().initial_backoff(Duration::from_millis(10))
}

#[tokio::test]
async fn every_event_arrives_once_in_order_and_each_cursor_is_the_previous_pages() {
    let fake = FakeInsights::with_events(23, InsightsBehaviour::default()).await;
    let client = fake.client(RetryPolicy::disabled());
    let stream = events(&client, EVENTS.page_size(Some(5)), query(Some(5)), true);

    // The stream is 'static and Send: it runs on another task.
    let got: Vec<Value> = tokio::spawn(stream.try_collect())
        .await
        .expect("task")
        .expect("every page");

    let held = fake.events();
    assert_eq!(got, held, "every event once, in the service's order");
    let seen = fake.seen();
    assert_eq!(seen.len(), held.len().div_ceil(5));
    assert!(
        seen[0].body.get("search_after").is_none(),
        "first page: no cursor"
    );
    for (i, pair) in seen.windows(2).enumerate() {
        let (previous, request) = (&pair[0], &pair[1]);
        let header: Value = serde_json::from_str(previous.cursor.as_deref().expect("a cursor"))
            .expect("the fake's cursor is JSON");
        assert_eq!(request.body["search_after"], header, "request {}", i + 1);
        // ... which is the sort values of the previous page's last event.
        assert_eq!(header, fake.sort_values((i + 1) * 5 - 1));
        let mut rest = request.body.clone();
        rest.as_object_mut().unwrap().remove("search_after");
        assert_eq!(rest, query(Some(5)), "the same query again");
    }
}

#[tokio::test]
async fn the_short_page_is_the_last_although_it_carries_a_cursor() {
    let fake = FakeInsights::with_events(23, InsightsBehaviour::default()).await;
    let client = fake.client(RetryPolicy::disabled());

    let got: Vec<Value> = events(&client, EVENTS.page_size(Some(5)), query(Some(5)), true)
        .try_collect()
        .await
        .expect("every page");

    let held = fake.events();
    assert_eq!(got, held);
    // 5 + 5 + 5 + 5 + 3, and nothing after the short page.
    assert_eq!(rows(&fake), [5, 5, 5, 5, held.len() - 20]);
    let last = fake.seen().pop().expect("requests");
    let cursor = last.cursor.expect("the last page carries a cursor too");
    assert_eq!(
        serde_json::from_str::<Value>(&cursor).unwrap(),
        fake.sort_values(held.len() - 1)
    );
}

#[tokio::test]
async fn an_exact_multiple_of_the_limit_ends_after_one_empty_page() {
    let fake = FakeInsights::with_events(20, InsightsBehaviour::default()).await;
    let client = fake.client(RetryPolicy::disabled());
    // The generic pager, with a fetch of its own.
    let stream = paginate_cursor(EVENTS.page_size(Some(5)), |cursor| {
        let client = client.clone();
        async move {
            decode(
                client
                    .execute(page_request(&query(Some(5)), cursor, true)?)
                    .await?,
            )
        }
    });

    let got: Vec<Value> = stream.try_collect().await.expect("every page");

    assert_eq!(got, fake.events());
    assert_eq!(rows(&fake), [5, 5, 5, 5, 0]);
}

#[tokio::test]
async fn a_limit_above_the_services_maximum_pages_at_the_maximum() {
    // Asked for 50, the service hands out 10 a call and says so in X-Limit.
    let fake = FakeInsights::with_events(25, InsightsBehaviour::default()).await;
    let client = fake.client(RetryPolicy::disabled());

    let got: Vec<Value> = events(&client, EVENTS.page_size(Some(50)), query(Some(50)), true)
        .try_collect()
        .await
        .expect("every page");

    assert_eq!(got, fake.events());
    assert_eq!(rows(&fake), [10, 10, 5]);
}

#[tokio::test]
async fn without_a_limit_the_services_default_and_its_x_limit_decide() {
    let fake = FakeInsights::with_events(9, InsightsBehaviour::default()).await;
    let client = fake.client(RetryPolicy::disabled());

    let got: Vec<Value> = events(&client, EVENTS, query(None), true)
        .try_collect()
        .await
        .expect("every page");

    assert_eq!(got, fake.events());
    // The default is 4 a call.
    assert_eq!(rows(&fake), [4, 4, 1]);
}

#[tokio::test]
async fn an_x_limit_reporting_the_maximum_pages_by_the_requested_limit() {
    // X-Limit read as the service's maximum (10) while the query asks for 4:
    // 4 < 10 would end paging after the first page without the page size.
    let behaviour = InsightsBehaviour {
        limit_header: LimitHeader::Maximum,
        ..InsightsBehaviour::default()
    };
    let fake = FakeInsights::with_events(10, behaviour).await;
    let client = fake.client(RetryPolicy::disabled());

    let got: Vec<Value> = events(&client, EVENTS.page_size(Some(4)), query(Some(4)), true)
        .try_collect()
        .await
        .expect("every page");

    assert_eq!(got, fake.events());
    assert_eq!(rows(&fake), [4, 4, 2]);
}

#[tokio::test]
async fn a_429_in_the_middle_is_retried_after_retry_after_and_loses_nothing() {
    let fake = FakeInsights::with_events(23, InsightsBehaviour::default()).await;
    let client = fake.client(fast_retries());
    // The third page is refused once.
    fake.script_request(2, Scripted::RateLimited(1));

    let got: Vec<Value> = events(&client, EVENTS.page_size(Some(5)), query(Some(5)), true)
        .try_collect()
        .await
        .expect("every page");

    assert_eq!(got, fake.events(), "every event once, in order");
    assert_eq!(statuses(&fake), [200, 200, 429, 200, 200, 200]);
    let seen = fake.seen();
    assert_eq!(seen[3].body, seen[2].body, "the same page asked again");
    assert_eq!(seen[3].body["search_after"], fake.sort_values(9));
    let waited = seen[3].at - seen[2].at;
    assert!(waited >= Duration::from_secs(1), "retried after {waited:?}");
}

#[tokio::test]
async fn a_503_in_the_middle_is_retried_because_the_query_is_marked_read_only() {
    let fake = FakeInsights::with_events(23, InsightsBehaviour::default()).await;
    let client = fake.client(fast_retries());
    fake.script_request(2, Scripted::Unavailable);

    let got: Vec<Value> = events(&client, EVENTS.page_size(Some(5)), query(Some(5)), true)
        .try_collect()
        .await
        .expect("every page");

    assert_eq!(got, fake.events());
    assert_eq!(statuses(&fake), [200, 200, 503, 200, 200, 200]);
}

#[tokio::test]
async fn unmarked_a_503_in_the_middle_ends_the_stream_with_the_error() {
    // A POST the server may have acted on is not repeated unless marked.
    let fake = FakeInsights::with_events(23, InsightsBehaviour::default()).await;
    let client = fake.client(fast_retries());
    fake.script_request(2, Scripted::Unavailable);

    let results: Vec<Result<Value, Error>> =
        events(&client, EVENTS.page_size(Some(5)), query(Some(5)), false)
            .collect()
            .await;

    let held = fake.events();
    assert_eq!(results.len(), 11, "two pages, then the error");
    let first: Vec<Value> = results[..10]
        .iter()
        .map(|r| r.as_ref().unwrap().clone())
        .collect();
    assert_eq!(first, held[..10]);
    assert_eq!(
        results[10]
            .as_ref()
            .unwrap_err()
            .status()
            .map(|s| s.as_u16()),
        Some(503)
    );
    assert_eq!(statuses(&fake), [200, 200, 503]);
}

#[tokio::test]
async fn a_cursor_that_is_not_json_is_a_typed_error_with_the_raw_value() {
    let broken = r#"[1786000000000,"k3Jd"#;
    let behaviour = InsightsBehaviour {
        cursor_override: Some(broken.to_owned()),
        ..InsightsBehaviour::default()
    };
    let fake = FakeInsights::with_events(23, behaviour).await;
    let client = fake.client(RetryPolicy::disabled());

    let results: Vec<Result<Value, Error>> =
        events(&client, EVENTS.page_size(Some(5)), query(Some(5)), true)
            .collect()
            .await;

    let held = fake.events();
    assert_eq!(results.len(), 6, "the first page, then the error");
    let first: Vec<Value> = results[..5]
        .iter()
        .map(|r| r.as_ref().unwrap().clone())
        .collect();
    assert_eq!(first, held[..5]);
    match &results[5] {
        Err(err @ Error::InvalidCursor { header, value, .. }) => {
            assert_eq!(*header, "X-Search_after");
            assert_eq!(value, broken);
            assert!(err.to_string().contains(broken), "{err}");
        }
        other => panic!("expected InvalidCursor, got {other:?}"),
    }
    assert_eq!(fake.seen().len(), 1, "no request without a cursor");
}

#[tokio::test]
async fn a_server_ignoring_the_cursor_is_an_error_not_a_loop() {
    let behaviour = InsightsBehaviour {
        ignore_search_after: true,
        ..InsightsBehaviour::default()
    };
    let fake = FakeInsights::with_events(23, behaviour).await;
    let client = fake.client(RetryPolicy::disabled());

    let results: Vec<Result<Value, Error>> =
        events(&client, EVENTS.page_size(Some(5)), query(Some(5)), true)
            .collect()
            .await;

    let held = fake.events();
    assert_eq!(results.len(), 6, "the first page once, then the error");
    let first: Vec<Value> = results[..5]
        .iter()
        .map(|r| r.as_ref().unwrap().clone())
        .collect();
    assert_eq!(first, held[..5]);
    match &results[5] {
        Err(Error::CursorRepeated { cursor, items }) => {
            assert_eq!(*cursor, fake.sort_values(4));
            assert_eq!(*items, 5);
        }
        other => panic!("expected CursorRepeated, got {other:?}"),
    }
    assert_eq!(fake.seen().len(), 2);
}
