//! Helpers the generated code uses to build requests.

use std::collections::BTreeMap;

use jumpcloud_client::runtime::{Body, Error, FilePart, Request, encode_path_segment, join_comma};
use reqwest::Method;

#[test]
fn path_segments_escape_everything_but_unreserved() {
    assert_eq!(encode_path_segment("abcXYZ019-._~"), "abcXYZ019-._~");
    assert_eq!(encode_path_segment("a/b"), "a%2Fb");
    assert_eq!(encode_path_segment("a b?c#d%e"), "a%20b%3Fc%23d%25e");
    assert_eq!(encode_path_segment("x:y@z+&="), "x%3Ay%40z%2B%26%3D");
    assert_eq!(encode_path_segment("é"), "%C3%A9");
    assert_eq!(encode_path_segment(""), "");
}

#[test]
fn a_template_takes_its_segments_in_order_each_encoded_as_one_segment() {
    // RFC 3986 §2.3: only unreserved characters stay as they are, so a
    // value can never add a `/`, `?` or `#` to the path.
    let request = Request::templated(
        Method::DELETE,
        "/users/{user_id}/pushendpoints/{push_endpoint_id}",
        &["a/b?c#d", "é ~"],
    );
    assert_eq!(request.method, Method::DELETE);
    assert_eq!(
        request.path,
        "/users/a%2Fb%3Fc%23d/pushendpoints/%C3%A9%20~"
    );
    assert_eq!(
        request.path_template,
        "/users/{user_id}/pushendpoints/{push_endpoint_id}"
    );
    // Text after the last placeholder is kept, and a path without any is the
    // template itself.
    let request = Request::templated(Method::GET, "/systems/{id}/memberof", &["s1"]);
    assert_eq!(request.path, "/systems/s1/memberof");
    let request = Request::templated(Method::GET, "/systemusers", &[]);
    assert_eq!(request.path, "/systemusers");
    // A segment the template has no place for is not sent; a placeholder
    // without a segment is left out.
    let request = Request::templated(Method::GET, "/a/{x}", &["1", "2"]);
    assert_eq!(request.path, "/a/1");
    let request = Request::templated(Method::GET, "/a/{x}/b", &[]);
    assert_eq!(request.path, "/a//b");
}

#[test]
fn join_comma_formats_each_item() {
    assert_eq!(join_comma::<u32>(&[]), "");
    assert_eq!(join_comma(&[1]), "1");
    assert_eq!(join_comma(&["os", "hostname", "_id"]), "os,hostname,_id");
}

#[test]
fn json_body_serialises_or_reports_invalid_request() {
    let body = Body::json(&serde_json::json!({"a": [1, 2]})).expect("serialises");
    assert_eq!(
        body,
        Body::Json(bytes::Bytes::from_static(br#"{"a":[1,2]}"#))
    );

    let mut bad = BTreeMap::new();
    bad.insert(vec![1u8], "non-string keys are not JSON");
    let err = Body::json(&bad).expect_err("map key must be a string");
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
}

#[test]
fn file_part_builder() {
    let part = FilePart::new(&b"data"[..])
        .file_name("a.csv")
        .content_type("text/csv");
    assert_eq!(part.data.as_ref(), b"data");
    assert_eq!(part.file_name.as_deref(), Some("a.csv"));
    assert_eq!(part.content_type.as_deref(), Some("text/csv"));
    assert_eq!(FilePart::new(Vec::new()).file_name, None);
}
