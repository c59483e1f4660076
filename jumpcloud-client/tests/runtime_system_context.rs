//! System Context Authorization: signatures and the headers a server sees.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime};

use jumpcloud_client::runtime::{Client, Error, Request, SystemContext};
use reqwest::Method;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const SYSTEM_KEY: &str = "5f0c1d2e3a4b5c6d7e8f9a0b";
const TARGET: &str = "/api/v2/systems/5f0c1d2e3a4b5c6d7e8f9a0b/memberof?limit=10";
const DATE: &str = "Tue, 24 Nov 2026 10:00:00 GMT";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn context() -> SystemContext {
    SystemContext::from_files(fixture("test_key_pkcs1.pem"), fixture("jcagent.conf"))
        .expect("fixture context")
}

fn expected_signature() -> String {
    std::fs::read_to_string(fixture("expected_signature.txt"))
        .expect("expected signature")
        .trim()
        .to_owned()
}

/// Signs with the openssl CLI, or `None` when it is not installed.
fn openssl_signature(key: &Path, message: &str) -> Option<String> {
    let sign = Command::new("openssl")
        .args(["dgst", "-sha256", "-sign"])
        .arg(key)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn();
    let mut sign = match sign {
        Ok(child) => child,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return None,
        Err(err) => panic!("cannot run openssl: {err}"),
    };
    sign.stdin
        .take()
        .expect("stdin")
        .write_all(message.as_bytes())
        .expect("write message");
    let raw = sign.wait_with_output().expect("openssl dgst");
    assert!(raw.status.success(), "openssl dgst failed");

    let mut encode = Command::new("openssl")
        .args(["enc", "-e", "-A", "-a"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("openssl enc");
    encode
        .stdin
        .take()
        .expect("stdin")
        .write_all(&raw.stdout)
        .expect("write signature");
    let encoded = encode.wait_with_output().expect("openssl enc");
    assert!(encoded.status.success(), "openssl enc failed");
    Some(
        String::from_utf8(encoded.stdout)
            .expect("base64")
            .trim()
            .to_owned(),
    )
}

#[test]
fn signing_string_is_request_line_and_date() {
    assert_eq!(
        SystemContext::signing_string("GET", TARGET, DATE),
        format!("GET {TARGET} HTTP/1.1\ndate: {DATE}")
    );
}

#[test]
fn signature_matches_openssl() {
    let ours = context().sign("GET", TARGET, DATE);
    assert_eq!(ours, expected_signature());

    let message = SystemContext::signing_string("GET", TARGET, DATE);
    match openssl_signature(&fixture("test_key_pkcs1.pem"), &message) {
        Some(theirs) => assert_eq!(ours, theirs),
        None => eprintln!("openssl not installed; compared with the stored signature only"),
    }
}

#[test]
fn pkcs8_key_signs_identically() {
    let pem = std::fs::read_to_string(fixture("test_key_pkcs8.pem")).expect("pem");
    assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"));
    let context = SystemContext::new(SYSTEM_KEY, &pem).expect("pkcs8 key");
    assert_eq!(context.sign("GET", TARGET, DATE), expected_signature());
}

#[test]
fn authorization_header_format() {
    let header = context().authorization_header("GET", TARGET, DATE);
    assert_eq!(
        header,
        format!(
            "Signature keyId=\"system/{SYSTEM_KEY}\",headers=\"request-line date\",algorithm=\"rsa-sha256\",signature=\"{}\"",
            expected_signature()
        )
    );
}

#[tokio::test]
async fn client_sends_date_and_signature_instead_of_api_key() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_string("[]"))
        .mount(&server)
        .await;
    let context = context();
    let client = Client::builder()
        .system_context(context.clone())
        .base_url(format!("{}/api/v2", server.uri()))
        .build()
        .expect("client");

    let req = Request::new(
        Method::GET,
        "/systems/{system_id}/memberof",
        format!("/systems/{SYSTEM_KEY}/memberof"),
    )
    .with_query("limit", "10");
    let resp = client.execute(req).await.expect("response");
    assert_eq!(resp.status(), 200);

    let seen = server.received_requests().await.expect("recording");
    assert_eq!(seen.len(), 1);
    let req = &seen[0];
    assert_eq!(
        req.url.path(),
        format!("/api/v2/systems/{SYSTEM_KEY}/memberof")
    );
    assert_eq!(req.url.query(), Some("limit=10"));
    assert!(req.headers.get("x-api-key").is_none());

    let dates: Vec<_> = req.headers.get_all("date").iter().collect();
    assert_eq!(dates.len(), 1);
    let date = dates[0].to_str().expect("ascii date");
    let sent_at = httpdate::parse_http_date(date).expect("RFC 1123 date");
    let skew = SystemTime::now()
        .duration_since(sent_at)
        .unwrap_or_else(|e| e.duration());
    assert!(skew < Duration::from_secs(60), "{date}");
    assert!(date.ends_with(" GMT"), "{date}");

    let authorizations: Vec<_> = req.headers.get_all("authorization").iter().collect();
    assert_eq!(authorizations.len(), 1);
    assert_eq!(
        authorizations[0].to_str().expect("ascii"),
        context.authorization_header("GET", TARGET, date)
    );
}

#[test]
fn key_errors_name_the_file() {
    let missing = fixture("does-not-exist.pem");
    let err = SystemContext::from_files(&missing, fixture("jcagent.conf")).expect_err("missing");
    assert!(matches!(err, Error::Config(_)), "{err:?}");
    assert!(err.to_string().contains("does-not-exist.pem"), "{err}");

    let not_a_key = fixture("jcagent.conf");
    let err = SystemContext::from_files(&not_a_key, fixture("jcagent.conf")).expect_err("not pem");
    assert!(err.to_string().contains("jcagent.conf"), "{err}");

    let err = SystemContext::new(
        SYSTEM_KEY,
        "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n",
    )
    .expect_err("garbage key");
    assert!(matches!(err, Error::Config(_)), "{err:?}");
}

#[test]
fn config_errors_name_the_file() {
    let dir = std::env::temp_dir().join(format!("jc-runtime-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let conf = dir.join("jcagent.conf");
    std::fs::write(&conf, r#"{"agentServerHost":"x"}"#).expect("write");
    let err = SystemContext::from_files(fixture("test_key_pkcs1.pem"), &conf).expect_err("no key");
    assert!(err.to_string().contains("systemKey"), "{err}");
    assert!(err.to_string().contains(&*conf.to_string_lossy()), "{err}");

    std::fs::write(&conf, "not json").expect("write");
    let err =
        SystemContext::from_files(fixture("test_key_pkcs1.pem"), &conf).expect_err("bad json");
    assert!(err.to_string().contains(&*conf.to_string_lossy()), "{err}");
    std::fs::remove_dir_all(&dir).expect("cleanup");

    assert_eq!(context().system_key(), SYSTEM_KEY);
}
