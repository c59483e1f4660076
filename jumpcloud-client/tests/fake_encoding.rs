//! Encoding on the wire, against the stateful fake, which reads a
//! `style: form, explode: false` array the way RFC 6570 writes it: split on
//! the literal commas, then percent-decode each item.

mod fake;

use fake::{Behaviour, FakeJumpCloud};
use jumpcloud_client::RetryPolicy;

#[tokio::test]
async fn a_filter_containing_a_comma_is_one_filter() {
    let names = ["Smith, J", "Smith", " J"].map(str::to_owned);
    let fake = FakeJumpCloud::with_named_groups(&names, Behaviour::default()).await;
    let client = fake.client(RetryPolicy::disabled());

    let found = client
        .system_groups()
        .list_all()
        .filter(["name:eq:Smith, J"])
        .send()
        .await
        .expect("page");

    let found: Vec<Option<String>> = found.into_inner().into_iter().map(|g| g.name).collect();
    assert_eq!(found, [Some("Smith, J".to_owned())]);
    let query = &fake.seen()[0].raw_query;
    assert!(
        query.contains("filter=name%3Aeq%3ASmith%2C%20J&")
            || query.ends_with("filter=name%3Aeq%3ASmith%2C%20J"),
        "{query}"
    );
}

#[tokio::test]
async fn several_filters_are_separated_by_literal_commas() {
    let names = ["a", "b"].map(str::to_owned);
    let fake = FakeJumpCloud::with_named_groups(&names, Behaviour::default()).await;
    let client = fake.client(RetryPolicy::disabled());

    let found = client
        .system_groups()
        .list_all()
        .filter(["name:eq:a", "name:eq:b"])
        .send()
        .await
        .expect("page");

    // Both filters apply (AND), and no group has two names.
    assert!(found.is_empty());
    let query = &fake.seen()[0].raw_query;
    assert!(
        query.contains("filter=name%3Aeq%3Aa,name%3Aeq%3Ab"),
        "{query}"
    );
}

#[tokio::test]
async fn exploded_arrays_repeat_the_name_and_escape_each_value() {
    // RFC 6570 3.2.8 `{?list*}` -> `?list=red&list=green&list=blue`; a `&`
    // or `,` inside a value must not start another pair or item.
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::any())
        .respond_with(wiremock::ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
        .mount(&server)
        .await;
    let client = jumpcloud_client::Client::builder()
        .api_key("k")
        .base_url(format!("{}/api/v2", server.uri()))
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap();

    let _ = client
        .password_manager()
        .device_service_list_devices()
        .fields(["red", "a&b", "c,d"])
        .send()
        .await;

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].url.query(),
        Some("fields=red&fields=a%26b&fields=c%2Cd")
    );
}
