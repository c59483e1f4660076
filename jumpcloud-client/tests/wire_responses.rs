//! How generated operations interpret what a real HTTP server answers:
//! empty, binary, text and multi-status successes, typed and untyped error
//! bodies, undecodable bodies, the total-count header and paging.

use futures::TryStreamExt;
use jumpcloud_client::apis::systems_organization_settings::SystemsOrgSettingsSetDefaultPasswordSyncSettingsResponse as PasswordSyncResponse;
use jumpcloud_client::apis::user_groups::UserGroupsDeleteGroupResponse;
use jumpcloud_client::types::DevicesSetDefaultPasswordSyncSettingsRequest;
use jumpcloud_client::{ApiError, Error, ErrorBody};
use reqwest::Method;
use serde_json::json;
use wiremock::matchers::{any, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod support;
use support::{client, line, requests, server};

fn api_error(result: Result<impl std::fmt::Debug, Error>) -> Box<ApiError> {
    match result {
        Err(Error::Api(e)) => e,
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

#[tokio::test]
async fn no_content_is_an_empty_success() {
    let server = server(ResponseTemplate::new(204)).await;
    let response = client(&server)
        .applications()
        .delete_logo("app1")
        .send()
        .await
        .expect("204 is the documented success");
    assert_eq!(response.status(), 204);
    assert_eq!(response.into_inner(), ());
    let seen = requests(&server).await;
    assert_eq!(seen.len(), 1);
    assert_eq!(line(&seen[0]), "DELETE /api/v2/applications/app1/logo");
    assert!(seen[0].body.is_empty());
}

#[tokio::test]
async fn logo_download_keeps_the_bytes_and_accepts_images() {
    let png: Vec<u8> = vec![0x89, b'P', b'N', b'G', 0, 0xff, 0xfe];
    let server = server(
        ResponseTemplate::new(200)
            .insert_header("content-type", "image/png")
            .set_body_bytes(png.clone()),
    )
    .await;
    let logo = client(&server)
        .logos()
        .get("logo1")
        .send()
        .await
        .expect("200 with bytes");
    assert_eq!(logo.status(), 200);
    assert_eq!(logo.headers()["content-type"], "image/png");
    assert_eq!(logo.as_ref(), png.as_slice());

    let seen = requests(&server).await;
    assert_eq!(seen.len(), 1);
    assert_eq!(line(&seen[0]), "GET /api/v2/logos/logo1");
    let accept: Vec<_> = seen[0].headers.get_all("accept").iter().collect();
    assert_eq!(accept, ["image/gif, image/jpeg, image/png"]);
}

#[tokio::test]
async fn pem_download_keeps_the_text_byte_for_byte() {
    let pem = "-----BEGIN CERTIFICATE-----\r\nMIIB\r\n-----END CERTIFICATE-----\n";
    let server =
        server(ResponseTemplate::new(200).set_body_raw(pem, "application/x-pem-file")).await;
    let key = client(&server)
        .apple_mdm()
        .applemdms_depkeyget("mdm1")
        .send()
        .await
        .expect("200 with a PEM file");
    assert_eq!(key.as_ref(), pem.as_bytes());

    let seen = requests(&server).await;
    assert_eq!(line(&seen[0]), "GET /api/v2/applemdms/mdm1/depkey");
    assert_eq!(seen[0].headers["accept"], "application/x-pem-file");
}

#[tokio::test]
async fn tpm_info_decodes_json_after_the_overlay_fix() {
    // The document declares this JSON body as `text/html`; spec/overlays
    // corrects it, so the operation is typed like its siblings.
    let body = serde_json::json!([{"system_id": "s1", "activated": 1}]);
    let server = server(ResponseTemplate::new(200).set_body_json(&body)).await;
    let rows = client(&server)
        .system_insights()
        .get_tpm_info()
        .send()
        .await
        .expect("200 with JSON");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].system_id.as_deref(), Some("s1"));
    assert_eq!(
        requests(&server).await[0].headers["accept"],
        "application/json"
    );
}

#[tokio::test]
async fn each_success_status_decodes_to_its_own_variant() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::path("/api/v2/usergroups/with-body"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "g1", "name": "Ops"})))
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::path("/api/v2/usergroups/without-body"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client(&server);

    let deleted = client
        .user_groups()
        .delete_group("with-body")
        .send()
        .await
        .expect("200");
    assert_eq!(deleted.status(), 200);
    match deleted.into_inner() {
        UserGroupsDeleteGroupResponse::Ok(group) => {
            assert_eq!(group.id.as_deref(), Some("g1"));
            assert_eq!(group.name.as_deref(), Some("Ops"));
        }
        other => panic!("200 decoded as {other:?}"),
    }

    let deleted = client
        .user_groups()
        .delete_group("without-body")
        .send()
        .await
        .expect("204");
    assert_eq!(deleted.status(), 204);
    assert_eq!(
        deleted.into_inner(),
        UserGroupsDeleteGroupResponse::NoContent
    );

    let seen = requests(&server).await;
    let lines: Vec<String> = seen.iter().map(line).collect();
    assert_eq!(
        lines,
        [
            "DELETE /api/v2/usergroups/with-body",
            "DELETE /api/v2/usergroups/without-body"
        ]
    );
}

fn password_sync_request() -> DevicesSetDefaultPasswordSyncSettingsRequest {
    // Models are `#[non_exhaustive]`: built from `Default` (or `new`), then set.
    let mut request = DevicesSetDefaultPasswordSyncSettingsRequest::default();
    request.enabled = Some(true);
    request
}

#[tokio::test]
async fn password_sync_200_decodes_to_the_ok_variant() {
    let server = server(ResponseTemplate::new(200).set_body_json(json!({"enabled": true}))).await;
    let response = client(&server)
        .systems_organization_settings()
        .systems_org_settings_set_default_password_sync_settings(password_sync_request())
        .send()
        .await
        .expect("200");
    match response.into_inner() {
        PasswordSyncResponse::Ok(body) => assert_eq!(body["enabled"], json!(true)),
        other => panic!("200 decoded as {other:?}"),
    }

    let seen = requests(&server).await;
    assert_eq!(seen.len(), 1);
    assert_eq!(
        line(&seen[0]),
        "PUT /api/v2/devices/settings/defaultpasswordsync"
    );
    assert_eq!(seen[0].headers["content-type"], "application/json");
    let body: serde_json::Value = serde_json::from_slice(&seen[0].body).expect("JSON body");
    assert_eq!(body, json!({"enabled": true}));
}

/// A 204 has no body by definition (RFC 9110 §15.3.5), whatever content the
/// document lists for it.
#[tokio::test]
async fn password_sync_204_without_a_body_is_the_no_content_variant() {
    let server = server(ResponseTemplate::new(204)).await;
    let response = client(&server)
        .systems_organization_settings()
        .systems_org_settings_set_default_password_sync_settings(password_sync_request())
        .send()
        .await
        .expect("204 is a documented success");
    assert_eq!(response.status(), 204);
    assert!(
        matches!(response.into_inner(), PasswordSyncResponse::NoContent),
        "204 must map to its own variant"
    );
}

#[tokio::test]
async fn typed_4xx_bodies_decode_by_status_and_keep_the_raw_response() {
    let details = json!({
        "code": 3,
        "message": "enabled must be a boolean",
        "status": "INVALID_ARGUMENT",
        "details": [{"field": "enabled"}],
    });
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(400)
                .insert_header("x-request-id", "req-123")
                .set_body_json(details.clone()),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"message": "no such org"})))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    // Not listed for the operation, so the document's `default` applies.
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(409).set_body_json(json!({"code": 6, "message": "exists"})),
        )
        .mount(&server)
        .await;
    let client = client(&server);
    let call = || {
        client
            .systems_organization_settings()
            .systems_org_settings_set_default_password_sync_settings(password_sync_request())
            .send()
    };

    let error = api_error(call().await);
    assert_eq!(error.status, 400);
    assert_eq!(error.method, Method::PUT);
    assert_eq!(error.path, "/devices/settings/defaultpasswordsync");
    assert_eq!(error.headers["x-request-id"], "req-123");
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&error.raw_body).expect("JSON"),
        details
    );
    let ErrorBody::ErrorDetails(body) = &error.body else {
        panic!("400 decoded as {:?}", error.body);
    };
    assert_eq!(body.code, Some(3));
    assert_eq!(body.message.as_deref(), Some("enabled must be a boolean"));
    assert_eq!(body.status.as_deref(), Some("INVALID_ARGUMENT"));
    assert_eq!(body.details.as_ref().map(Vec::len), Some(1));

    let error = api_error(call().await);
    assert_eq!(error.status, 404);
    let ErrorBody::Error(body) = &error.body else {
        panic!("404 decoded as {:?}", error.body);
    };
    assert_eq!(body.message.as_deref(), Some("no such org"));
    assert_eq!(error.raw_body.as_ref(), br#"{"message":"no such org"}"#);

    // JumpCloud's 2026-08-21 publication no longer declares this operation's
    // `default` response (`google.rpc.Status`), so a 409 is undocumented:
    // its body is kept as text, and raw.
    let error = api_error(call().await);
    assert_eq!(error.status, 409);
    let ErrorBody::Text(text) = &error.body else {
        panic!("409 decoded as {:?}", error.body);
    };
    assert_eq!(text, r#"{"code":6,"message":"exists"}"#);
    assert_eq!(error.raw_body.as_ref(), br#"{"code":6,"message":"exists"}"#);

    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn non_json_5xx_body_is_kept_as_text() {
    let html = "<html><body>upstream timed out</body></html>";
    let server = server(ResponseTemplate::new(500).set_body_raw(html, "text/html")).await;
    let error = api_error(client(&server).logos().get("logo1").send().await);
    assert_eq!(error.status, 500);
    assert_eq!(error.method, Method::GET);
    assert_eq!(error.path, "/logos/{id}");
    assert_eq!(error.headers["content-type"], "text/html");
    assert_eq!(error.body, ErrorBody::Text(html.to_owned()));
    assert_eq!(error.raw_body.as_ref(), html.as_bytes());
    // Displayed errors name the operation and status, and show the body.
    let shown = error.to_string();
    assert!(shown.starts_with("GET /logos/{id} returned 500"), "{shown}");
    assert!(shown.contains("upstream timed out"), "{shown}");
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn error_without_a_body_is_empty() {
    let server = server(ResponseTemplate::new(403)).await;
    let error = api_error(client(&server).logos().get("logo1").send().await);
    assert_eq!(error.status, 403);
    assert_eq!(error.body, ErrorBody::Empty);
    assert!(error.raw_body.is_empty());
}

#[tokio::test]
async fn undecodable_success_body_is_a_decode_error_with_the_raw_body() {
    let raw = br#"{"id": 42, "name": "Ops"}"#;
    let server = server(
        ResponseTemplate::new(200)
            .insert_header("content-type", "application/json")
            .set_body_bytes(raw.to_vec()),
    )
    .await;
    let result = client(&server).user_groups().get_details("g1").send().await;
    match result {
        Err(Error::Decode {
            method,
            path,
            status,
            raw_body,
            field_path,
            source,
        }) => {
            assert_eq!(method, Method::GET);
            assert_eq!(path, "/usergroups/{id}");
            assert_eq!(status, 200);
            assert_eq!(raw_body.as_ref(), raw);
            assert_eq!(field_path, "id");
            assert!(source.is_data(), "{source}");
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn truncated_success_body_is_a_decode_error() {
    let server = server(ResponseTemplate::new(200).set_body_string(r#"[{"id": "g1"#)).await;
    let error = client(&server)
        .user_groups()
        .list_all()
        .send()
        .await
        .expect_err("truncated JSON");
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(200));
    assert_eq!(
        error.raw_body().map(|b| b.as_ref()),
        Some(&br#"[{"id": "g1"#[..])
    );
}

#[tokio::test]
async fn total_count_header_is_reachable() {
    let server = server(
        ResponseTemplate::new(200)
            .insert_header("x-total-count", "42")
            .set_body_json(json!([{"id": "g1"}])),
    )
    .await;
    let page = client(&server)
        .user_groups()
        .list_all()
        .limit(1)
        .send()
        .await
        .expect("200");
    assert_eq!(page.total_count(), Some(42));
    assert_eq!(page.len(), 1);

    let seen = requests(&server).await;
    assert_eq!(line(&seen[0]), "GET /api/v2/usergroups?limit=1");
}

#[tokio::test]
async fn total_count_is_none_without_a_valid_header() {
    let server = server(
        ResponseTemplate::new(200)
            .insert_header("x-total-count", "many")
            .set_body_json(json!([])),
    )
    .await;
    let page = client(&server)
        .user_groups()
        .list_all()
        .send()
        .await
        .expect("200");
    assert_eq!(page.total_count(), None);
}

fn groups(ids: &[&str]) -> serde_json::Value {
    ids.iter().map(|id| json!({"id": id})).collect()
}

/// Mounts one page of `/usergroups` per `(skip, ids)`.
async fn paged_server(pages: &[(&str, &[&str])]) -> MockServer {
    let server = MockServer::start().await;
    for (skip, ids) in pages {
        Mock::given(query_param("skip", *skip))
            .respond_with(ResponseTemplate::new(200).set_body_json(groups(ids)))
            .mount(&server)
            .await;
    }
    server
}

#[tokio::test]
async fn stream_pages_until_a_short_page_sorting_by_id_when_unset() {
    let server = paged_server(&[("0", &["a", "b"]), ("2", &["c", "d"]), ("4", &["e"])]).await;
    let ids: Vec<String> = client(&server)
        .user_groups()
        .list_all()
        .limit(2)
        .x_org_id("org1")
        .stream()
        .map_ok(|group| group.id.unwrap_or_default())
        .try_collect()
        .await
        .expect("every page decodes");
    assert_eq!(ids, ["a", "b", "c", "d", "e"]);

    let seen = requests(&server).await;
    let lines: Vec<String> = seen.iter().map(line).collect();
    assert_eq!(
        lines,
        [
            "GET /api/v2/usergroups?limit=2&skip=0&sort=_id",
            "GET /api/v2/usergroups?limit=2&skip=2&sort=_id",
            "GET /api/v2/usergroups?limit=2&skip=4&sort=_id",
        ]
    );
    // Settings of the builder carry over to every page.
    assert!(seen.iter().all(|r| r.headers["x-org-id"] == "org1"));
}

#[tokio::test]
async fn stream_keeps_the_callers_sort_and_stops_at_the_total_count() {
    let server = MockServer::start().await;
    for (skip, ids) in [("0", ["a", "b"]), ("2", ["c", "d"])] {
        Mock::given(query_param("skip", skip))
            .respond_with(
                ResponseTemplate::new(200)
                    .insert_header("x-total-count", "4")
                    .set_body_json(groups(&ids)),
            )
            .mount(&server)
            .await;
    }
    let all = client(&server)
        .user_groups()
        .list_all()
        .limit(2)
        .sort(["-name"])
        .collect_all()
        .await
        .expect("every page decodes");
    assert_eq!(all.len(), 4);

    let lines: Vec<String> = requests(&server).await.iter().map(line).collect();
    // No third request: the header said there are four.
    assert_eq!(
        lines,
        [
            "GET /api/v2/usergroups?limit=2&skip=0&sort=-name",
            "GET /api/v2/usergroups?limit=2&skip=2&sort=-name",
        ]
    );
}

#[tokio::test]
async fn stream_ends_with_the_first_error() {
    let server = MockServer::start().await;
    Mock::given(query_param("skip", "0"))
        .respond_with(ResponseTemplate::new(200).set_body_json(groups(&["a", "b"])))
        .mount(&server)
        .await;
    Mock::given(query_param("skip", "2"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"message": "expired"})))
        .mount(&server)
        .await;
    let results: Vec<Result<_, Error>> =
        futures::StreamExt::collect(client(&server).user_groups().list_all().limit(2).stream())
            .await;
    assert_eq!(results.len(), 3);
    assert!(results[..2].iter().all(Result::is_ok));
    let Err(Error::Api(error)) = &results[2] else {
        panic!("third item: {:?}", results[2]);
    };
    assert_eq!(error.status, 401);
    assert!(matches!(&error.body, ErrorBody::Error(e) if e.message.as_deref() == Some("expired")));
    assert_eq!(requests(&server).await.len(), 2);
}
