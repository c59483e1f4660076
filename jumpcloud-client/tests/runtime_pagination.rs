//! `limit`/`skip` paging against a server holding a fixed collection.

use futures::StreamExt;
use jumpcloud_client::runtime::{
    Client, DEFAULT_PAGE_SIZE, Error, Request, ResponseValue, RetryPolicy, collect_all, paginate,
};
use reqwest::Method;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Respond, ResponseTemplate};

/// Serves items `0..len` honouring `limit` and `skip`.
struct Collection {
    len: u32,
    send_total: bool,
    fail_at_skip: Option<u32>,
}

impl Respond for Collection {
    fn respond(&self, req: &wiremock::Request) -> ResponseTemplate {
        let param = |name: &str| {
            req.url
                .query_pairs()
                .find(|(k, _)| k == name)
                .and_then(|(_, v)| v.parse::<u32>().ok())
                .unwrap_or(0)
        };
        let (limit, skip) = (param("limit"), param("skip"));
        if self.fail_at_skip == Some(skip) {
            return ResponseTemplate::new(500).set_body_string("boom");
        }
        let page: Vec<u32> = (skip..self.len).take(limit as usize).collect();
        let template = ResponseTemplate::new(200).set_body_json(page);
        if self.send_total {
            template.insert_header("x-total-count", self.len.to_string().as_str())
        } else {
            template
        }
    }
}

async fn server(collection: Collection) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(collection)
        .mount(&server)
        .await;
    server
}

async fn fetch_page(
    client: &Client,
    limit: u32,
    skip: u32,
) -> Result<ResponseValue<Vec<u32>>, Error> {
    let req = Request::new(Method::GET, "/systems", "/systems".to_owned())
        .with_query("limit", limit.to_string())
        .with_query("skip", skip.to_string());
    let resp = client.execute(req).await?;
    if resp.status().is_success() {
        resp.json()
    } else {
        Err(resp.into_error(|_, _| None))
    }
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .api_key("k")
        .base_url(server.uri())
        .retry(RetryPolicy::disabled())
        .build()
        .expect("client")
}

async fn limits_and_skips(server: &MockServer) -> Vec<(String, String)> {
    server
        .received_requests()
        .await
        .expect("recording")
        .iter()
        .map(|req| {
            assert_eq!(req.url.path(), "/systems");
            let query: Vec<(String, String)> = req.url.query_pairs().into_owned().collect();
            assert_eq!(query.len(), 2, "{query:?}");
            assert_eq!(query[0].0, "limit");
            assert_eq!(query[1].0, "skip");
            (query[0].1.clone(), query[1].1.clone())
        })
        .collect()
}

fn pairs(expected: &[(u32, u32)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(l, s)| (l.to_string(), s.to_string()))
        .collect()
}

#[tokio::test]
async fn pages_through_250_items_in_three_requests() {
    let server = server(Collection {
        len: 250,
        send_total: false,
        fail_at_skip: None,
    })
    .await;
    let client = client(&server);

    let items = collect_all(paginate(DEFAULT_PAGE_SIZE, |limit, skip| {
        fetch_page(&client, limit, skip)
    }))
    .await
    .expect("items");

    assert_eq!(items, (0..250).collect::<Vec<u32>>());
    assert_eq!(
        limits_and_skips(&server).await,
        pairs(&[(100, 0), (100, 100), (100, 200)])
    );
}

#[tokio::test]
async fn total_count_avoids_fetching_an_empty_last_page() {
    let server = server(Collection {
        len: 200,
        send_total: true,
        fail_at_skip: None,
    })
    .await;
    let client = client(&server);

    let items = collect_all(paginate(100, |limit, skip| {
        fetch_page(&client, limit, skip)
    }))
    .await
    .expect("items");

    assert_eq!(items.len(), 200);
    assert_eq!(
        limits_and_skips(&server).await,
        pairs(&[(100, 0), (100, 100)])
    );
}

#[tokio::test]
async fn full_last_page_without_total_needs_one_empty_page() {
    let server = server(Collection {
        len: 4,
        send_total: false,
        fail_at_skip: None,
    })
    .await;
    let client = client(&server);

    let items = collect_all(paginate(2, |limit, skip| fetch_page(&client, limit, skip)))
        .await
        .expect("items");

    assert_eq!(items, [0, 1, 2, 3]);
    assert_eq!(
        limits_and_skips(&server).await,
        pairs(&[(2, 0), (2, 2), (2, 4)])
    );
}

#[tokio::test]
async fn empty_collection_is_one_request() {
    let server = server(Collection {
        len: 0,
        send_total: false,
        fail_at_skip: None,
    })
    .await;
    let client = client(&server);

    let items = collect_all(paginate(50, |limit, skip| fetch_page(&client, limit, skip)))
        .await
        .expect("items");

    assert!(items.is_empty());
    assert_eq!(limits_and_skips(&server).await, pairs(&[(50, 0)]));
}

#[tokio::test]
async fn an_error_is_yielded_once_and_ends_the_stream() {
    let server = server(Collection {
        len: 250,
        send_total: false,
        fail_at_skip: Some(100),
    })
    .await;
    let client = client(&server);

    let results: Vec<Result<u32, Error>> =
        paginate(100, |limit, skip| fetch_page(&client, limit, skip))
            .collect()
            .await;

    assert_eq!(results.len(), 101);
    assert!(results[..100].iter().all(Result::is_ok));
    let err = results[100].as_ref().expect_err("second page fails");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(
        limits_and_skips(&server).await,
        pairs(&[(100, 0), (100, 100)])
    );
}
