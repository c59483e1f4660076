//! A program that installs no rustls crypto provider, as most programs do
//! not: nothing in this test binary may install one. The crate's own clients
//! and [`Client::reqwest_builder`] must work all the same.

use jumpcloud_client::Client;
use rustls::crypto::CryptoProvider;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn clients_work_in_a_program_that_installs_no_tls_provider() {
    assert!(
        CryptoProvider::get_default().is_none(),
        "this binary must start without a process-wide provider"
    );
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/systemgroups/g1"))
        .and(header("x-api-key", "k"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "id": "g1",
            "name": "Laptops",
            "type": "system_group"
        })))
        .expect(2)
        .mount(&server)
        .await;
    let base_url = format!("{}/api/v2", server.uri());

    // The program's own reqwest client, with its own settings.
    let own = Client::reqwest_builder()
        .expect("TLS set up")
        .timeout(std::time::Duration::from_secs(5))
        .pool_max_idle_per_host(1)
        .build()
        .expect("a reqwest client without an installed provider");
    let through_own = Client::builder()
        .api_key("k")
        .base_url(&base_url)
        .http_client(own)
        .build()
        .expect("client");
    // And the crate's default one.
    let default = Client::builder()
        .api_key("k")
        .base_url(&base_url)
        .build()
        .expect("client");

    for client in [through_own, default] {
        let group = client
            .system_groups()
            .view_details("g1")
            .send()
            .await
            .expect("call")
            .into_inner();
        assert_eq!(group.name.as_deref(), Some("Laptops"));
    }
    // Nothing was installed behind the program's back either.
    assert!(CryptoProvider::get_default().is_none());
}
