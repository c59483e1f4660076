//! Requests built by generated operations, as a real HTTP server sees them:
//! method, path, query string, headers and body.

use jumpcloud_client::runtime::FilePart;
use jumpcloud_client::types::{
    GraphActiveDirectoryAssociationsListTargetsItem as Target, GraphOperationActiveDirectory,
    GraphOperationActiveDirectoryType, GraphOperationOp,
};
use reqwest::Method;
use serde_json::json;
use wiremock::{Request, ResponseTemplate};

mod support;
use support::{API_KEY, client, client_with_org, only_request, server};

fn header_values(request: &Request, name: &str) -> Vec<String> {
    request
        .headers
        .get_all(name)
        .iter()
        .map(|v| v.to_str().expect("ASCII header").to_owned())
        .collect()
}

fn header(request: &Request, name: &str) -> Option<String> {
    let values = header_values(request, name);
    assert!(values.len() <= 1, "`{name}` sent {} times", values.len());
    values.into_iter().next()
}

fn graph_operation() -> GraphOperationActiveDirectory {
    GraphOperationActiveDirectory::new(
        "5f0c1a2b3c4d5e6f7a8b9c0d",
        GraphOperationOp::Add,
        GraphOperationActiveDirectoryType::UserGroup,
    )
}

#[tokio::test]
async fn array_query_parameters_are_comma_joined() {
    let server = server(ResponseTemplate::new(200).set_body_json(json!([]))).await;
    let connections = client(&server)
        .graph()
        .active_directory_associations_list("ad1", vec![Target::User, Target::UserGroup])
        .limit(10)
        .send()
        .await
        .expect("200 with an empty list");
    assert!(connections.is_empty());

    let request = only_request(&server).await;
    assert_eq!(request.method, Method::GET);
    assert_eq!(
        request.url.path(),
        "/api/v2/activedirectories/ad1/associations"
    );
    let pairs: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
    assert_eq!(
        pairs,
        [
            ("targets".to_owned(), "user,user_group".to_owned()),
            ("limit".to_owned(), "10".to_owned()),
        ]
    );
}

/// OpenAPI `style: form, explode: false` (RFC 6570 `{?targets}`) writes the
/// separator as a literal comma and percent-encodes commas inside values, so
/// the two stay distinguishable.
#[tokio::test]
async fn array_query_separator_is_a_literal_comma() {
    let server = server(ResponseTemplate::new(200).set_body_json(json!([]))).await;
    client(&server)
        .graph()
        .active_directory_associations_list("ad1", vec![Target::User, Target::UserGroup])
        .send()
        .await
        .expect("200 with an empty list");

    let request = only_request(&server).await;
    assert_eq!(request.url.query(), Some("targets=user,user_group"));
}

#[tokio::test]
async fn filter_fields_and_sort_are_comma_joined_and_escaped() {
    let server = server(ResponseTemplate::new(200).set_body_json(json!([]))).await;
    client(&server)
        .user_groups()
        .list_all()
        .fields(["name", "email"])
        .filter(["name:eq:Test Group", "email:search:a&b"])
        .sort(["-name", "_id"])
        .send()
        .await
        .expect("200 with an empty list");

    let request = only_request(&server).await;
    assert_eq!(request.method, Method::GET);
    assert_eq!(request.url.path(), "/api/v2/usergroups");
    let pairs: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
    assert_eq!(
        pairs,
        [
            ("fields".to_owned(), "name,email".to_owned()),
            (
                "filter".to_owned(),
                "name:eq:Test Group,email:search:a&b".to_owned()
            ),
            ("sort".to_owned(), "-name,_id".to_owned()),
        ]
    );
    // The `&` inside a value must not start a new parameter.
    assert!(
        !request.url.query().unwrap_or_default().contains("a&b"),
        "{:?}",
        request.url.query()
    );
}

#[tokio::test]
async fn path_parameters_are_percent_encoded() {
    let server = server(ResponseTemplate::new(204)).await;
    client(&server)
        .user_groups()
        .delete_group("a/b c?d#e%f")
        .send()
        .await
        .expect("204");

    let request = only_request(&server).await;
    assert_eq!(request.method, Method::DELETE);
    assert_eq!(
        request.url.path(),
        "/api/v2/usergroups/a%2Fb%20c%3Fd%23e%25f"
    );
    assert_eq!(request.url.query(), None);
}

#[tokio::test]
async fn dot_segment_path_parameters_are_refused_before_sending() {
    let server = server(ResponseTemplate::new(204)).await;
    let error = client(&server)
        .user_groups()
        .delete_group("..")
        .send()
        .await
        .expect_err("`..` would address another resource");
    assert!(
        matches!(error, jumpcloud_client::Error::InvalidRequest(_)),
        "{error:?}"
    );
    assert!(
        server
            .received_requests()
            .await
            .expect("recording")
            .is_empty()
    );
}

#[tokio::test]
async fn org_id_is_sent_per_call() {
    let server = server(ResponseTemplate::new(204)).await;
    client(&server)
        .user_groups()
        .delete_group("g1")
        .x_org_id("org-per-call")
        .send()
        .await
        .expect("204");

    let request = only_request(&server).await;
    assert_eq!(header_values(&request, "x-org-id"), ["org-per-call"]);
    assert_eq!(header(&request, "x-api-key").as_deref(), Some(API_KEY));
}

#[tokio::test]
async fn per_call_org_id_overrides_the_client_default() {
    let server = server(ResponseTemplate::new(204)).await;
    let client = client_with_org(&server, Some("org-default"));
    client
        .user_groups()
        .delete_group("g1")
        .send()
        .await
        .expect("204");
    client
        .user_groups()
        .delete_group("g2")
        .x_org_id("org-per-call")
        .send()
        .await
        .expect("204");

    let seen = server.received_requests().await.expect("recording");
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].url.path(), "/api/v2/usergroups/g1");
    assert_eq!(header_values(&seen[0], "x-org-id"), ["org-default"]);
    assert_eq!(seen[1].url.path(), "/api/v2/usergroups/g2");
    // Exactly one value: the default must not be appended next to it.
    assert_eq!(header_values(&seen[1], "x-org-id"), ["org-per-call"]);
}

#[tokio::test]
async fn json_body_is_serialised_with_its_content_type() {
    let server = server(ResponseTemplate::new(204)).await;
    let mut operation = graph_operation();
    // Nullable since JumpCloud's 2026-08-21 publication (`type: [object,
    // "null"]`): `Some(None)` would send `null`.
    operation.attributes = Some(Some(
        json!({"sudo": {"enabled": true}})
            .as_object()
            .cloned()
            .expect("object"),
    ));
    let response = client(&server)
        .graph()
        .active_directory_associations_post("ad 1")
        .body(operation)
        .send()
        .await
        .expect("204");
    assert_eq!(response.status(), 204);

    let request = only_request(&server).await;
    assert_eq!(request.method, Method::POST);
    assert_eq!(
        request.url.path(),
        "/api/v2/activedirectories/ad%201/associations"
    );
    assert_eq!(
        header(&request, "content-type").as_deref(),
        Some("application/json")
    );
    let body: serde_json::Value = serde_json::from_slice(&request.body).expect("JSON body");
    assert_eq!(
        body,
        json!({
            "id": "5f0c1a2b3c4d5e6f7a8b9c0d",
            "op": "add",
            "type": "user_group",
            "attributes": {"sudo": {"enabled": true}},
        })
    );
}

#[tokio::test]
async fn optional_json_body_left_unset_sends_no_body() {
    let server = server(ResponseTemplate::new(204)).await;
    client(&server)
        .graph()
        .active_directory_associations_post("ad1")
        .send()
        .await
        .expect("204");

    let request = only_request(&server).await;
    assert!(request.body.is_empty(), "{:?}", request.body);
    assert_eq!(header(&request, "content-type"), None);
}

/// One part of a `multipart/form-data` body.
#[derive(Debug, PartialEq)]
struct Part {
    headers: Vec<String>,
    data: Vec<u8>,
}

/// Splits a multipart body on the boundary from its content type.
fn multipart_parts(content_type: &str, body: &[u8]) -> Vec<Part> {
    let boundary = content_type
        .split(';')
        .find_map(|p| p.trim().strip_prefix("boundary="))
        .expect("boundary in content type")
        .trim_matches('"');
    let delimiter = format!("--{boundary}");
    let mut parts = Vec::new();
    let mut rest = body;
    while let Some(start) = find(rest, delimiter.as_bytes()) {
        rest = &rest[start + delimiter.len()..];
        if rest.starts_with(b"--") {
            break;
        }
        let rest_after_crlf = rest.strip_prefix(b"\r\n").expect("CRLF after boundary");
        let end =
            find(rest_after_crlf, format!("\r\n{delimiter}").as_bytes()).expect("closing boundary");
        let part = &rest_after_crlf[..end];
        let split = find(part, b"\r\n\r\n").expect("blank line after part headers");
        let headers = String::from_utf8(part[..split].to_vec())
            .expect("ASCII part headers")
            .split("\r\n")
            // Header names are case-insensitive; values are compared as sent.
            .map(|line| match line.split_once(':') {
                Some((name, value)) => format!("{}:{value}", name.to_ascii_lowercase()),
                None => line.to_owned(),
            })
            .collect();
        parts.push(Part {
            headers,
            data: part[split + 4..].to_vec(),
        });
        rest = &rest_after_crlf[end + 2..];
    }
    parts
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[tokio::test]
async fn logo_upload_sends_a_file_part() {
    let server = server(ResponseTemplate::new(204)).await;
    let png = vec![0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n', 0, 0xff];
    let response = client(&server)
        .applications()
        .post_logo("app1")
        .image(
            FilePart::new(png.clone())
                .file_name("logo.png")
                .content_type("image/png"),
        )
        .send()
        .await
        .expect("204");
    assert_eq!(response.status(), 204);

    let request = only_request(&server).await;
    assert_eq!(request.method, Method::POST);
    assert_eq!(request.url.path(), "/api/v2/applications/app1/logo");
    let content_type = header(&request, "content-type").expect("content type");
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    let parts = multipart_parts(&content_type, &request.body);
    assert_eq!(
        parts,
        [Part {
            headers: vec![
                "content-disposition: form-data; name=\"image\"; filename=\"logo.png\"".to_owned(),
                "content-type: image/png".to_owned(),
            ],
            data: png,
        }]
    );
    assert_eq!(
        header(&request, "content-length"),
        Some(request.body.len().to_string())
    );
}
