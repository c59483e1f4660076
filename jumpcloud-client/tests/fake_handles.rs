//! Request futures and paging streams own their client handle: they can be
//! stored, spawned and outlive the `Client` binding they came from.

mod fake;

use fake::{Behaviour, FakeJumpCloud};
use futures::TryStreamExt;
use futures::stream::BoxStream;
use jumpcloud_client::types::SystemGroup;
use jumpcloud_client::{Error, RetryPolicy};

/// A struct keeping a stream, as a long-lived consumer would.
struct GroupFeed {
    groups: BoxStream<'static, Result<SystemGroup, Error>>,
}

#[tokio::test]
async fn a_stream_can_be_stored_and_spawned_after_the_client_is_dropped() {
    let fake = FakeJumpCloud::with_groups(150, Behaviour::default()).await;
    let feed = {
        let client = fake.client(RetryPolicy::disabled());
        GroupFeed {
            groups: client.system_groups().list_all().stream(),
        }
    };

    let groups = tokio::spawn(async move { feed.groups.try_collect::<Vec<_>>().await })
        .await
        .expect("task")
        .expect("groups");

    assert_eq!(groups.len(), 150);
    assert_eq!(fake.seen().len(), 2);
}

#[tokio::test]
async fn a_send_future_can_be_spawned() {
    let fake = FakeJumpCloud::with_groups(3, Behaviour::default()).await;
    let request = {
        let client = fake.client(RetryPolicy::disabled());
        client.system_groups().list_all().limit(2).send()
    };

    let page = tokio::spawn(request).await.expect("task").expect("page");

    assert_eq!(page.len(), 2);
    assert_eq!(page.total_count(), Some(3));
}
