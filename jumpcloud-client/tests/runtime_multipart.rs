//! Multipart bodies as the server receives them.

use std::time::Duration;

use jumpcloud_client::runtime::{Body, Client, FilePart, MultipartField, Request, RetryPolicy};
use reqwest::Method;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\nfake image data";

fn upload() -> Request {
    Request::new(Method::PUT, "/logos/{id}", "/logos/abc".to_owned()).with_body(Body::Multipart(
        vec![
            MultipartField::text("description", "company logo"),
            MultipartField::file(
                "file",
                FilePart::new(PNG)
                    .file_name("logo.png")
                    .content_type("image/png"),
            ),
        ],
    ))
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .api_key("k")
        .base_url(server.uri())
        .retry(
            RetryPolicy::default()
                .initial_backoff(Duration::from_millis(5))
                .jitter(false),
        )
        .build()
        .expect("client")
}

/// Splits a multipart body into (part headers, part content) using the
/// boundary from the request's content type.
fn parts(req: &wiremock::Request) -> Vec<(String, Vec<u8>)> {
    let content_type = req
        .headers
        .get("content-type")
        .expect("content type")
        .to_str()
        .expect("ascii");
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("not multipart: {content_type}"));
    let delimiter = format!("--{boundary}");
    let body = &req.body;
    let mut starts: Vec<usize> = body
        .windows(delimiter.len())
        .enumerate()
        .filter(|(_, w)| *w == delimiter.as_bytes())
        .map(|(i, _)| i)
        .collect();
    let last = starts.pop().expect("closing delimiter");
    assert_eq!(&body[last + delimiter.len()..], b"--\r\n");
    let mut ends = starts.clone();
    ends.remove(0);
    ends.push(last);
    starts
        .iter()
        .zip(ends)
        .map(|(&start, end)| {
            let part = &body[start + delimiter.len() + 2..end - 2];
            let split = part
                .windows(4)
                .position(|w| w == b"\r\n\r\n")
                .expect("header end");
            (
                String::from_utf8(part[..split].to_vec()).expect("headers"),
                part[split + 4..].to_vec(),
            )
        })
        .collect()
}

fn assert_upload(req: &wiremock::Request) {
    assert_eq!(req.method, Method::PUT);
    assert_eq!(req.url.path(), "/logos/abc");
    let parts = parts(req);
    assert_eq!(parts.len(), 2, "{parts:?}");
    let (headers, content) = &parts[0];
    assert_eq!(
        headers.to_ascii_lowercase(),
        "content-disposition: form-data; name=\"description\""
    );
    assert_eq!(content, b"company logo");
    let (headers, content) = &parts[1];
    assert_eq!(
        headers.to_ascii_lowercase(),
        "content-disposition: form-data; name=\"file\"; filename=\"logo.png\"\r\ncontent-type: image/png"
    );
    assert_eq!(content, PNG);
}

#[tokio::test]
async fn server_sees_file_part_with_name_and_content_type() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;

    let resp = client(&server).execute(upload()).await.expect("response");

    assert_eq!(resp.status(), 200);
    let seen = server.received_requests().await.expect("recording");
    assert_eq!(seen.len(), 1);
    assert_upload(&seen[0]);
}

#[tokio::test]
async fn multipart_body_is_rebuilt_for_a_retry() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;

    let resp = client(&server).execute(upload()).await.expect("response");

    assert_eq!(resp.status(), 200);
    let seen = server.received_requests().await.expect("recording");
    assert_eq!(seen.len(), 2);
    for req in &seen {
        assert_upload(req);
    }
}

#[tokio::test]
async fn invalid_part_content_type_is_rejected() {
    let server = MockServer::start().await;
    let req = Request::new(Method::POST, "/x", "/x".to_owned()).with_body(Body::Multipart(vec![
        MultipartField::file("file", FilePart::new(&b"x"[..]).content_type("not a mime")),
    ]));
    let err = client(&server).execute(req).await.expect_err("bad mime");
    assert!(
        matches!(err, jumpcloud_client::runtime::Error::InvalidRequest(_)),
        "{err:?}"
    );
    assert!(
        server
            .received_requests()
            .await
            .expect("recording")
            .is_empty()
    );
}
