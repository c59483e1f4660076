//! Secrets never show up in `Debug` or `Display` output.

use jumpcloud_client::runtime::{Client, Request, RetryPolicy, SystemContext};
use reqwest::Method;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const API_KEY: &str = "jc-secret-api-key-5b6f0c3e";
const KEY_PEM: &str = include_str!("fixtures/test_key_pkcs1.pem");

fn assert_no_secret(text: &str) {
    assert!(!text.contains(API_KEY), "API key leaked: {text}");
    // Any line of the PEM body would be key material.
    for line in KEY_PEM.lines().filter(|l| !l.starts_with("-----")) {
        assert!(!text.contains(line), "private key leaked: {text}");
    }
}

#[test]
fn client_builder_and_context_debug_are_redacted() {
    let builder = Client::builder().api_key(API_KEY).org_id("org");
    let builder_debug = format!("{builder:?}");
    assert!(builder_debug.contains("<redacted>"), "{builder_debug}");
    assert_no_secret(&builder_debug);

    let client = builder.build().expect("client");
    let client_debug = format!("{client:?} {client:#?}");
    assert!(client_debug.contains("<redacted>"), "{client_debug}");
    assert_no_secret(&client_debug);

    let context = SystemContext::new("system-1", KEY_PEM).expect("context");
    let context_debug = format!("{context:?}");
    assert!(context_debug.contains("system-1"), "{context_debug}");
    assert!(context_debug.contains("<redacted>"), "{context_debug}");
    assert_no_secret(&context_debug);

    let system_client = Client::builder()
        .system_context(context)
        .build()
        .expect("client");
    assert_no_secret(&format!("{system_client:?}"));
}

#[tokio::test]
async fn api_error_does_not_contain_the_key() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(serde_json::json!({"message": "Unauthorized"})),
        )
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_key(API_KEY)
        .base_url(server.uri())
        .build()
        .expect("client");

    let resp = client
        .execute(Request::new(Method::GET, "/systems", "/systems".to_owned()))
        .await
        .expect("response");
    assert_no_secret(&format!("{resp:?}"));
    let err = resp.into_error(|_, _| None);

    let display = err.to_string();
    assert!(display.contains("401"), "{display}");
    assert!(display.contains("Unauthorized"), "{display}");
    assert_no_secret(&display);
    assert_no_secret(&format!("{err:?} {err:#?}"));
    // The server did get the key, so the test above is not vacuous.
    let seen = server.received_requests().await.expect("recording");
    assert_eq!(seen[0].headers.get("x-api-key").expect("key"), API_KEY);
}

#[tokio::test]
async fn transport_error_does_not_contain_the_key() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let client = Client::builder()
        .api_key(API_KEY)
        .base_url(format!("http://127.0.0.1:{port}/api/v2"))
        .retry(RetryPolicy::disabled())
        .build()
        .expect("client");

    let err = client
        .execute(Request::new(Method::GET, "/systems", "/systems".to_owned()))
        .await
        .expect_err("nothing listens");

    assert!(
        matches!(err, jumpcloud_client::runtime::Error::Transport { .. }),
        "{err:?}"
    );
    assert_no_secret(&err.to_string());
    assert_no_secret(&format!("{err:?} {err:#?}"));
}

#[test]
fn config_errors_do_not_echo_a_malformed_key() {
    let bad_key = format!("{API_KEY}\n");
    let err = Client::new(bad_key).expect_err("newline in key");
    assert_no_secret(&err.to_string());
    assert_no_secret(&format!("{err:?}"));
}
