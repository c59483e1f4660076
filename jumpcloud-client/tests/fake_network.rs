//! What real networks do, against the stateful fake behind a front that
//! misbehaves: a connection reset, closed before the response, or closed
//! just as a keep-alive connection is reused, and a response body that
//! stalls. A repeatable request (GET) is retried; a POST the server may have
//! received is not.

mod fake;

use std::time::{Duration, Instant};

use fake::front::{Fault, Outcome};
use fake::{Behaviour, FakeJumpCloud};
use futures::TryStreamExt;
use jumpcloud_client::types::SystemGroupPost;
use jumpcloud_client::{Error, RetryPolicy};

fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .max_retries(3)
        .initial_backoff(Duration::from_millis(20))
}

/// Lists every group through a front that applies `faults` first, and
/// checks that each arrives exactly once.
async fn list_through(faults: &[Fault], groups: usize) -> (FakeJumpCloud, Vec<Outcome>) {
    let fake = FakeJumpCloud::with_groups(groups, Behaviour::default()).await;
    let front = fake.front().await;
    let client = fake
        .builder(&front.uri(), fast_retries())
        .build()
        .expect("client");
    front.inject(faults.iter().copied());

    let listed: Vec<String> = client
        .system_groups()
        .list_all()
        .stream()
        .map_ok(|group| group.name.unwrap_or_default())
        .try_collect()
        .await
        .expect("every page, after the retry");

    let expected: Vec<String> = (0..groups).map(|i| format!("group-{i:03}")).collect();
    assert_eq!(listed, expected, "every group once, in order");
    (fake, front.outcomes())
}

/// Creates one group through a front that applies `faults` first.
async fn create_through(faults: &[Fault], before: usize) -> (FakeJumpCloud, Vec<Outcome>, Error) {
    let fake = FakeJumpCloud::with_groups(0, Behaviour::default()).await;
    let front = fake.front().await;
    let client = fake
        .builder(&front.uri(), fast_retries())
        .build()
        .expect("client");
    front.inject(faults.iter().copied());
    for i in 0..before {
        client
            .system_groups()
            .create_new_group()
            .body(SystemGroupPost::new(format!("before-{i}")))
            .send()
            .await
            .expect("created");
    }

    let err = client
        .system_groups()
        .create_new_group()
        .body(SystemGroupPost::new("web"))
        .send()
        .await
        .expect_err("the connection was lost after the POST was sent");

    match &err {
        Error::Transport { method, path, .. } => {
            assert_eq!(method.as_str(), "POST");
            assert_eq!(*path, "/systemgroups");
        }
        other => panic!("expected a transport error, got {other:?}"),
    }
    (fake, front.outcomes(), err)
}

#[tokio::test]
async fn a_get_whose_connection_is_reset_is_retried() {
    let (fake, outcomes) = list_through(&[Fault::Reset], 3).await;

    assert_eq!(outcomes, [Outcome::Reset, Outcome::Forwarded(200)]);
    assert_eq!(fake.seen().len(), 1, "the fake answered the retry only");
}

#[tokio::test]
async fn a_post_whose_connection_is_reset_is_not_repeated() {
    let (fake, outcomes, _) = create_through(&[Fault::Reset], 0).await;

    assert_eq!(outcomes, [Outcome::Reset]);
    assert_eq!(fake.group_count(), 0);
}

#[tokio::test]
async fn a_get_closed_before_the_response_is_retried() {
    let (fake, outcomes) = list_through(&[Fault::CloseBeforeResponse], 3).await;

    assert_eq!(outcomes, [Outcome::Closed, Outcome::Forwarded(200)]);
    assert_eq!(fake.seen().len(), 1);
}

#[tokio::test]
async fn a_post_closed_before_the_response_is_not_repeated() {
    let (fake, outcomes, err) = create_through(&[Fault::CloseBeforeResponse], 0).await;

    assert_eq!(outcomes, [Outcome::Closed]);
    assert_eq!(fake.group_count(), 0);
    assert_eq!(err.status(), None);
}

#[tokio::test]
async fn a_get_on_a_stale_keep_alive_connection_is_retried() {
    // 150 groups, 100 a page: the second page goes out on the connection
    // the first page came back on, which the front then closes.
    let (fake, outcomes) = list_through(&[Fault::StaleKeepAlive], 150).await;

    assert_eq!(
        outcomes,
        [
            Outcome::Forwarded(200),
            Outcome::ClosedStale,
            Outcome::Forwarded(200)
        ]
    );
    assert_eq!(fake.seen().len(), 2, "two pages, each answered once");
}

#[tokio::test]
async fn a_post_on_a_stale_keep_alive_connection_is_not_repeated() {
    let (fake, outcomes, _) = create_through(&[Fault::StaleKeepAlive], 1).await;

    assert_eq!(outcomes, [Outcome::Forwarded(201), Outcome::ClosedStale]);
    assert_eq!(fake.group_count(), 1, "only the first POST was created");
}

#[tokio::test]
async fn a_stale_connection_is_the_one_that_was_reused() {
    let fake = FakeJumpCloud::with_groups(150, Behaviour::default()).await;
    let front = fake.front().await;
    let client = fake
        .builder(&front.uri(), fast_retries())
        .build()
        .expect("client");
    front.inject([Fault::StaleKeepAlive]);

    let groups = client
        .system_groups()
        .list_all()
        .collect_all()
        .await
        .expect("all");

    assert_eq!(groups.len(), 150);
    let seen = front.seen();
    let places: Vec<(usize, usize)> = seen
        .iter()
        .map(|seen| (seen.connection, seen.on_connection))
        .collect();
    // First page and the closed reuse on connection 0; the retry on a new one.
    assert_eq!(places, [(0, 0), (0, 1), (1, 0)]);
}

#[tokio::test]
async fn the_deadline_bounds_a_call_whose_body_stalls() {
    let fake = FakeJumpCloud::with_groups(3, Behaviour::default()).await;
    let front = fake.front().await;
    let client = fake
        .builder(
            &front.uri(),
            fast_retries().deadline(Duration::from_millis(800)),
        )
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client");
    front.inject([Fault::StallBody]);
    let started = Instant::now();

    let err = client
        .system_groups()
        .list_all()
        .send()
        .await
        .expect_err("the body never completes");

    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    match err {
        Error::DeadlineExceeded { deadline, path, .. } => {
            assert_eq!(deadline, Duration::from_millis(800));
            assert_eq!(path, "/systemgroups");
        }
        other => panic!("expected DeadlineExceeded, got {other:?}"),
    }
    assert_eq!(front.outcomes(), [Outcome::Stalled]);
    assert!(fake.seen().is_empty());
}

#[tokio::test]
async fn a_stalled_body_counts_against_the_attempt_timeout_and_is_retried() {
    let fake = FakeJumpCloud::with_groups(3, Behaviour::default()).await;
    let front = fake.front().await;
    let client = fake
        .builder(
            &front.uri(),
            fast_retries().deadline(Duration::from_secs(10)),
        )
        .timeout(Duration::from_millis(300))
        .build()
        .expect("client");
    front.inject([Fault::StallBody, Fault::StallBody]);

    let page = client
        .system_groups()
        .list_all()
        .send()
        .await
        .expect("the third attempt completes");

    assert_eq!(page.len(), 3);
    assert_eq!(
        front.outcomes(),
        [Outcome::Stalled, Outcome::Stalled, Outcome::Forwarded(200)]
    );
    let seen = front.seen();
    let gap = seen[1].at - seen[0].at;
    assert!(
        gap >= Duration::from_millis(300),
        "second attempt after {gap:?}"
    );
}
