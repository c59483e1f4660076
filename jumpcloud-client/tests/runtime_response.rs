//! Turning raw responses into values and errors.

use bytes::Bytes;
use jumpcloud_client::error_bodies::ErrorBody;
use jumpcloud_client::runtime::{Client, Error, RawResponse, Request};
use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode};
use serde::Deserialize;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[derive(Debug, Deserialize, PartialEq)]
struct Page {
    results: Vec<Item>,
}

#[derive(Debug, Deserialize, PartialEq)]
struct Item {
    id: String,
}

fn raw(status: u16, headers: HeaderMap, body: &'static [u8]) -> RawResponse {
    RawResponse::new(
        StatusCode::from_u16(status).expect("status"),
        headers,
        Bytes::from_static(body),
        Method::GET,
        "/systems/{system_id}",
    )
}

#[tokio::test]
async fn decode_error_keeps_raw_body_and_field_path() {
    let body = r#"{"results":[{"id":"a"},{"id":5}]}"#;
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/systems"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_key("k")
        .base_url(server.uri())
        .build()
        .expect("client");

    let resp = client
        .execute(Request::new(Method::GET, "/systems", "/systems".to_owned()))
        .await
        .expect("response");
    let err = resp.json::<Page>().expect_err("id 5 is not a string");

    match &err {
        Error::Decode {
            method,
            path,
            status,
            raw_body,
            field_path,
            source,
        } => {
            assert_eq!(method, Method::GET);
            assert_eq!(*path, "/systems");
            assert_eq!(*status, StatusCode::OK);
            assert_eq!(raw_body.as_ref(), body.as_bytes());
            assert_eq!(field_path, "results[1].id");
            assert!(source.is_data(), "{source:?}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert_eq!(err.status(), Some(StatusCode::OK));
    assert_eq!(err.raw_body().map(Bytes::as_ref), Some(body.as_bytes()));
    assert!(err.to_string().contains("results[1].id"), "{err}");
    let seen = server.received_requests().await.expect("recording");
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].url.path(), "/systems");
}

#[test]
fn json_decodes_and_keeps_status_and_headers() {
    let mut headers = HeaderMap::new();
    headers.insert("x-total-count", HeaderValue::from_static("42"));
    let value = raw(200, headers, br#"{"results":[{"id":"a"}]}"#)
        .json::<Page>()
        .expect("decodes");
    assert_eq!(value.status(), StatusCode::OK);
    assert_eq!(value.total_count(), Some(42));
    assert_eq!(value.results.len(), 1);
    let ids = value.map(|page| page.results.into_iter().map(|i| i.id).collect::<Vec<_>>());
    assert_eq!(ids.total_count(), Some(42));
    assert_eq!(ids.into_inner(), ["a"]);
}

#[test]
fn trailing_garbage_and_syntax_errors_are_decode_errors() {
    for body in [&b"{\"results\":[]} x"[..], b"{\"results\":", b"<html>"] {
        let resp = RawResponse::new(
            StatusCode::OK,
            HeaderMap::new(),
            Bytes::copy_from_slice(body),
            Method::GET,
            "/x",
        );
        let err = resp.decode::<Page>().expect_err("malformed");
        assert!(matches!(err, Error::Decode { .. }), "{err:?}");
        assert_eq!(err.raw_body().map(Bytes::as_ref), Some(body));
    }
}

#[test]
fn into_error_keeps_status_headers_and_raw_body() {
    let mut headers = HeaderMap::new();
    headers.insert("x-request-id", HeaderValue::from_static("req-123"));
    let err = raw(404, headers, b"no such system").into_error(|_, _| None);

    let api = err.as_api().expect("api error");
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert_eq!(api.method, Method::GET);
    assert_eq!(api.path, "/systems/{system_id}");
    assert_eq!(api.headers.get("x-request-id").expect("header"), "req-123");
    assert_eq!(api.raw_body.as_ref(), b"no such system");
    assert_eq!(api.body, ErrorBody::Text("no such system".to_owned()));
    assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
    assert_eq!(
        err.raw_body().map(Bytes::as_ref),
        Some(&b"no such system"[..])
    );
    assert_eq!(
        err.to_string(),
        "GET /systems/{system_id} returned 404 Not Found: no such system"
    );
}

#[test]
fn into_error_uses_parser_and_falls_back_to_empty() {
    fn parse(status: u16, body: &[u8]) -> Option<ErrorBody> {
        (status == 400).then(|| ErrorBody::Text(format!("parsed {} bytes", body.len())))
    }
    let parsed = raw(400, HeaderMap::new(), b"{}").into_error(parse);
    assert_eq!(
        parsed.as_api().expect("api").body,
        ErrorBody::Text("parsed 2 bytes".to_owned())
    );
    let empty = raw(500, HeaderMap::new(), b"").into_error(parse);
    assert_eq!(empty.as_api().expect("api").body, ErrorBody::Empty);
    let lossy = raw(500, HeaderMap::new(), b"bad \xff byte").into_error(parse);
    assert_eq!(
        lossy.as_api().expect("api").body,
        ErrorBody::Text("bad \u{fffd} byte".to_owned())
    );
}

#[test]
fn text_bytes_and_empty() {
    let text = raw(200, HeaderMap::new(), b"hello").text().expect("utf-8");
    assert_eq!(&*text, "hello");
    let bytes = raw(200, HeaderMap::new(), b"\x00\x01").bytes();
    assert_eq!(bytes.as_ref(), b"\x00\x01");
    let empty = raw(204, HeaderMap::new(), b"").empty();
    assert_eq!(empty.status(), StatusCode::NO_CONTENT);

    let err = raw(200, HeaderMap::new(), b"\xff\xfe")
        .text()
        .expect_err("not utf-8");
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    assert_eq!(err.raw_body().map(Bytes::as_ref), Some(&b"\xff\xfe"[..]));
}

#[test]
fn decode_does_not_consume_and_map_wraps() {
    let resp = raw(200, HeaderMap::new(), br#"{"id":"x"}"#);
    let item: Item = resp.decode().expect("decodes");
    let wrapped = resp.map(item);
    assert_eq!(wrapped.id, "x");
    assert_eq!(wrapped.total_count(), None);
}

/// An error set that reads every body as text tagged with its status, so a
/// test sees which status it was handed.
fn tagged(status: u16, body: &[u8]) -> Option<ErrorBody> {
    Some(ErrorBody::Text(format!(
        "{status}: {}",
        String::from_utf8_lossy(body)
    )))
}

#[test]
fn expect_decodes_only_the_documented_success_status() {
    let ok = raw(200, HeaderMap::new(), br#"{"results":[{"id":"a"}]}"#)
        .expect(Some(200), RawResponse::json::<Page>, tagged)
        .expect("200 is the documented success");
    assert_eq!(ok.status(), StatusCode::OK);
    assert_eq!(ok.results, vec![Item { id: "a".into() }]);

    // Another 2xx than the documented one is not a success of this
    // operation: its body is not decoded as the success type, and it is kept.
    let err = raw(201, HeaderMap::new(), b"created elsewhere")
        .expect(Some(200), RawResponse::json::<Page>, tagged)
        .expect_err("201 is not the documented status");
    let api = err.as_api().expect("an API error");
    assert_eq!(api.status, StatusCode::CREATED);
    assert_eq!(api.body, ErrorBody::Text("201: created elsewhere".into()));
    assert_eq!(&api.raw_body[..], b"created elsewhere");
}

#[test]
fn expect_without_a_status_takes_any_2xx_and_reads_errors_with_the_set() {
    // RFC 9110 §15.3: every 2xx status is a success.
    for status in [200, 202, 204, 299] {
        let ok = raw(status, HeaderMap::new(), b"")
            .expect(None, RawResponse::no_content, tagged)
            .unwrap_or_else(|e| panic!("{status} is a success: {e}"));
        assert_eq!(ok.status().as_u16(), status);
    }
    for status in [199, 300, 404, 500] {
        let err = raw(status, HeaderMap::new(), b"{\"message\":\"no\"}")
            .expect(None, RawResponse::no_content, tagged)
            .expect_err("not a 2xx");
        let api = err.as_api().expect("an API error");
        assert_eq!(api.status.as_u16(), status);
        assert_eq!(
            api.body,
            ErrorBody::Text(format!("{status}: {{\"message\":\"no\"}}")),
            "the error set is handed the status and the body"
        );
        assert_eq!(&api.raw_body[..], b"{\"message\":\"no\"}");
    }
}
