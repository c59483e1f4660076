//! Rate limiting across a whole client, against the stateful fake: a
//! `Retry-After` holds every request to the host, the shared retry budget
//! keeps many streams going under heavy throttling without multiplying the
//! load, and the concurrency and rate caps hold.

mod fake;

use std::time::{Duration, Instant};

use fake::{Behaviour, FakeJumpCloud, Scripted, Throttle};
use futures::TryStreamExt;
use futures::future::try_join_all;
use jumpcloud_client::runtime::RetryBudget;
use jumpcloud_client::{Client, RetryPolicy};

fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .initial_backoff(Duration::from_millis(10))
        .max_backoff(Duration::from_millis(100))
}

/// Streams every group on `streams` tasks at once, each through its own
/// clone of `client`; the names each stream received.
async fn stream_all(client: &Client, streams: usize) -> Vec<Vec<String>> {
    let tasks = (0..streams).map(|_| {
        let client = client.clone();
        tokio::spawn(async move {
            client
                .system_groups()
                .list_all()
                .stream()
                .map_ok(|group| group.name.unwrap_or_default())
                .try_collect::<Vec<_>>()
                .await
        })
    });
    try_join_all(tasks)
        .await
        .expect("tasks")
        .into_iter()
        .collect::<Result<_, _>>()
        .expect("every stream completes")
}

fn names(count: usize) -> Vec<String> {
    (0..count).map(|i| format!("group-{i:03}")).collect()
}

#[tokio::test]
async fn a_retry_after_holds_the_requests_of_other_tasks_in_flight() {
    let fake = FakeJumpCloud::with_groups(150, Behaviour::default()).await;
    let client = fake.client(fast_retries());
    // The stream's first page is held while the other call is throttled.
    fake.script([
        Scripted::Slow(Duration::from_millis(400)),
        Scripted::RateLimited(1),
    ]);
    let stream = tokio::spawn({
        let client = client.clone();
        async move { client.system_groups().list_all().collect_all().await }
    });
    while fake.seen().is_empty() {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }

    let page = client
        .system_groups()
        .list_all()
        .limit(1)
        .send()
        .await
        .expect("after the pause");
    let groups = stream.await.expect("task").expect("stream");

    assert_eq!(page.len(), 1);
    assert_eq!(groups.len(), 150);
    let seen = fake.seen();
    let statuses: Vec<u16> = seen.iter().map(|s| s.status).collect();
    assert_eq!(statuses, [200, 429, 200, 200]);
    let throttled_at = seen[1].at;
    for later in &seen[2..] {
        let after = later.at - throttled_at;
        assert!(
            after >= Duration::from_secs(1),
            "{} arrived {after:?} after the 429 asked for 1 s",
            later.raw_query
        );
    }
    assert!(
        seen[2..].iter().any(|s| s.raw_query.contains("skip=100")),
        "the stream's second page waited too"
    );
}

#[tokio::test]
async fn thirty_two_streams_at_60_percent_429_all_complete_within_the_budget() {
    let behaviour = Behaviour {
        throttle: Some(Throttle {
            percent: 60,
            retry_after: None,
            seed: 21,
        }),
        ..Behaviour::default()
    };
    let fake = FakeJumpCloud::with_groups(250, behaviour).await;
    let client = fake.client(fast_retries());
    let started = Instant::now();

    let streams = stream_all(&client, 32).await;

    let elapsed = started.elapsed();
    for received in &streams {
        assert_eq!(received, &names(250), "every item once, in order");
    }
    let seen = fake.seen();
    let ok = seen.iter().filter(|s| s.status == 200).count();
    let throttled = seen.iter().filter(|s| s.status == 429).count();
    assert_eq!(ok, 32 * 3, "each page answered once");
    assert_eq!(ok + throttled, seen.len());
    // Every 429 was retried once; the default budget allows 100 retries,
    // two more per success and one more a second.
    let budget = 100 + 2 * ok + elapsed.as_secs() as usize + 1;
    assert!(throttled <= budget, "{throttled} retries, budget {budget}");
}

#[tokio::test]
async fn a_spent_budget_slows_retries_down_instead_of_failing_streams() {
    let behaviour = Behaviour {
        throttle: Some(Throttle {
            percent: 60,
            retry_after: None,
            seed: 7,
        }),
        ..Behaviour::default()
    };
    let fake = FakeJumpCloud::with_groups(250, behaviour).await;
    // One token back per success: 60% throttling needs 1.5 retries per
    // page, so the bucket runs dry and retries wait for time to refill it.
    let budget = RetryBudget::new(10).per_success(1).per_second(20);
    let client = fake.client(fast_retries().budget(budget));
    let started = Instant::now();

    let streams = stream_all(&client, 32).await;

    let elapsed = started.elapsed();
    for received in &streams {
        assert_eq!(received, &names(250));
    }
    let seen = fake.seen();
    let ok = seen.iter().filter(|s| s.status == 200).count();
    let retries = seen.len() - ok;
    assert_eq!(ok, 32 * 3);
    let allowed = 10 + ok + (elapsed.as_secs_f64() * 20.0).ceil() as usize;
    assert!(retries <= allowed, "{retries} retries, budget {allowed}");
    // More retries than the bucket and the successes paid for: some waited.
    assert!(
        retries > 10 + ok,
        "{retries} retries: the budget never ran dry"
    );
}

#[tokio::test]
async fn the_concurrency_cap_holds_across_clones() {
    let behaviour = Behaviour {
        delay: Duration::from_millis(200),
        ..Behaviour::default()
    };
    let fake = FakeJumpCloud::with_groups(3, behaviour).await;
    let client = fake
        .builder(&fake.server.uri(), fast_retries())
        .max_concurrency(2)
        .build()
        .expect("client");

    let sends = (0..6).map(|_| client.clone().system_groups().list_all().send());
    let pages = try_join_all(sends).await.expect("pages");

    assert_eq!(pages.len(), 6);
    let arrivals: Vec<Instant> = fake.seen().iter().map(|s| s.at).collect();
    assert_eq!(arrivals.len(), 6);
    // The third request can only start when one of the first two is answered.
    for i in 2..arrivals.len() {
        let gap = arrivals[i] - arrivals[i - 2];
        assert!(gap >= Duration::from_millis(190), "request {i}: {gap:?}");
    }
}

#[tokio::test]
async fn the_rate_cap_spaces_requests() {
    let fake = FakeJumpCloud::with_groups(3, Behaviour::default()).await;
    let client = fake
        .builder(&fake.server.uri(), fast_retries())
        .max_requests_per_second(10)
        .build()
        .expect("client");

    let sends = (0..5).map(|_| client.system_groups().list_all().send());
    try_join_all(sends).await.expect("pages");

    let arrivals: Vec<Instant> = fake.seen().iter().map(|s| s.at).collect();
    assert_eq!(arrivals.len(), 5);
    let span = arrivals[4] - arrivals[0];
    assert!(span >= Duration::from_millis(380), "5 requests in {span:?}");
}
