//! Paging rules, against the stateful fake: every item arrives exactly once
//! however the server caps, counts or misbehaves.

mod fake;

use fake::{Behaviour, FakeJumpCloud, Scripted};
use futures::StreamExt;
use jumpcloud_client::{Error, RetryPolicy};
use std::time::Duration;

/// (limit, skip) of every list request, as sent.
fn limits_and_skips(fake: &FakeJumpCloud) -> Vec<(String, String)> {
    fake.seen()
        .iter()
        .map(|seen| {
            let pairs: Vec<(String, String)> = url_pairs(&seen.raw_query);
            let get = |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default()
            };
            (get("limit"), get("skip"))
        })
        .collect()
}

fn url_pairs(raw: &str) -> Vec<(String, String)> {
    raw.split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

fn pairs(expected: &[(u32, u32)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(l, s)| (l.to_string(), s.to_string()))
        .collect()
}

fn names(range: std::ops::Range<usize>) -> Vec<Option<String>> {
    range.map(|i| Some(format!("group-{i:03}"))).collect()
}

#[tokio::test]
async fn capped_limit_with_total_keeps_paging_after_a_short_page() {
    // Asked for 500, the server hands out 100 at a time and says 250 exist.
    let fake = FakeJumpCloud::with_groups(250, Behaviour::default()).await;
    let client = fake.client(RetryPolicy::disabled());

    let groups = client
        .system_groups()
        .list_all()
        .limit(500)
        .collect_all()
        .await
        .expect("all pages");

    let got: Vec<Option<String>> = groups.into_iter().map(|g| g.name).collect();
    assert_eq!(got, names(0..250));
    assert_eq!(
        limits_and_skips(&fake),
        pairs(&[(500, 0), (500, 100), (500, 200)])
    );
}

#[tokio::test]
async fn without_total_a_short_page_is_the_last() {
    let behaviour = Behaviour {
        send_total: false,
        ..Behaviour::default()
    };
    let fake = FakeJumpCloud::with_groups(130, behaviour).await;
    let client = fake.client(RetryPolicy::disabled());

    let groups = client
        .system_groups()
        .list_all()
        .limit(100)
        .collect_all()
        .await
        .expect("all pages");

    assert_eq!(groups.len(), 130);
    assert_eq!(limits_and_skips(&fake), pairs(&[(100, 0), (100, 100)]));
}

#[tokio::test]
async fn an_empty_page_ends_the_stream_even_when_the_total_says_more() {
    // A stale count: 300 reported, 150 held.
    let behaviour = Behaviour {
        total_override: Some(300),
        ..Behaviour::default()
    };
    let fake = FakeJumpCloud::with_groups(150, behaviour).await;
    let client = fake.client(RetryPolicy::disabled());

    let groups = client
        .system_groups()
        .list_all()
        .collect_all()
        .await
        .expect("all pages");

    assert_eq!(groups.len(), 150);
    assert_eq!(
        limits_and_skips(&fake),
        pairs(&[(100, 0), (100, 100), (100, 150)])
    );
}

#[tokio::test]
async fn a_server_ignoring_skip_is_an_error_not_a_loop() {
    let behaviour = Behaviour {
        ignore_skip: true,
        ..Behaviour::default()
    };
    let fake = FakeJumpCloud::with_groups(250, behaviour).await;
    let client = fake.client(RetryPolicy::disabled());

    let results: Vec<_> = client.system_groups().list_all().stream().collect().await;

    assert_eq!(results.len(), 101, "one page, then the error");
    assert!(results[..100].iter().all(Result::is_ok));
    match &results[100] {
        Err(Error::PageRepeated { skip, items }) => {
            assert_eq!((*skip, *items), (100, 100));
        }
        other => panic!("expected PageRepeated, got {other:?}"),
    }
    assert_eq!(fake.seen().len(), 2);
}

#[tokio::test]
async fn the_callers_skip_is_where_paging_starts() {
    let fake = FakeJumpCloud::with_groups(250, Behaviour::default()).await;
    let client = fake.client(RetryPolicy::disabled());

    let groups = client
        .system_groups()
        .list_all()
        .skip(120)
        .collect_all()
        .await
        .expect("all pages");

    let got: Vec<Option<String>> = groups.into_iter().map(|g| g.name).collect();
    assert_eq!(got, names(120..250));
    assert_eq!(limits_and_skips(&fake), pairs(&[(100, 120), (100, 220)]));
}

#[tokio::test]
async fn a_rate_limited_page_is_fetched_again_without_losing_items() {
    let fake = FakeJumpCloud::with_groups(250, Behaviour::default()).await;
    let client = fake.client(RetryPolicy::default().initial_backoff(Duration::from_millis(10)));
    // The first page is served, the second is refused once.
    let first = client
        .system_groups()
        .list_all()
        .limit(100)
        .send()
        .await
        .expect("first page");
    assert_eq!(first.len(), 100);
    fake.script([Scripted::RateLimited(0)]);

    let groups = client
        .system_groups()
        .list_all()
        .skip(100)
        .collect_all()
        .await
        .expect("rest");

    let got: Vec<Option<String>> = groups.into_iter().map(|g| g.name).collect();
    assert_eq!(got, names(100..250));
    let statuses: Vec<u16> = fake.seen().iter().map(|s| s.status).collect();
    assert_eq!(statuses, [200, 429, 200, 200]);
}
