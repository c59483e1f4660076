//! What the generated client costs per request over a hand-written `reqwest`
//! call: both fetch the same system group from the same loopback server and
//! decode it into [`types::SystemGroup`].
//!
//! ```sh
//! cargo bench -p jumpcloud-client --bench request_overhead
//! ```
//!
//! On a busy machine, `nice -n -19 taskset -c 1` in front keeps client and
//! server on one core ahead of other work, and the intervals tight.
//!
//! The server is a small HTTP/1.1 responder on its own thread and runtime:
//! it reads each request up to the blank line and answers with one fixed
//! keep-alive response, so both sides measure the client, not the server.

use std::hint::black_box;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use jumpcloud_client::Client;
use jumpcloud_client::types;
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, USER_AGENT};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const API_KEY: &str = "bench-api-key-0123456789abcdef";
const GROUP_ID: &str = "5f3c1e2b9a8d7c6b5a4f3e2d";
/// What the generated client sends by default.
const CLIENT_USER_AGENT: &str = concat!("jumpcloud-client-rust/", env!("CARGO_PKG_VERSION"));

/// A system group as the API returns it: every documented field, a dynamic
/// membership query, one exemption and free-form attributes.
const BODY: &str = r#"{"id":"5f3c1e2b9a8d7c6b5a4f3e2d","name":"Engineering laptops","description":"macOS and Linux laptops issued to the engineering department","email":"eng-laptops@example.com","type":"system_group","membershipMethod":"DYNAMIC_AUTOMATED","memberSuggestionsNotify":true,"attributes":{"sudo":{"enabled":true,"withoutPassword":false},"ldapGroups":[{"name":"eng-laptops"}]},"memberQuery":{"queryType":"FilterQuery","filters":[{"field":"os","operator":"eq","value":"Mac OS X"},{"field":"department","operator":"eq","value":"Engineering"}]},"memberQueryExemptions":[{"id":"63b2a1f0c4d5e6f708192a3b","type":"system"}]}"#;

fn response(status_line: &str, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status_line}\r\n\
         Content-Type: application/json; charset=utf-8\r\n\
         Content-Length: {}\r\n\
         Connection: keep-alive\r\n\
         \r\n\
         {body}",
        body.len()
    )
    .into_bytes()
}

/// Starts the loopback server on its own thread; it lives as long as the
/// benchmark process.
fn start_server() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let addr = listener.local_addr().expect("local address");
    listener
        .set_nonblocking(true)
        .expect("non-blocking listener");
    let ok = Arc::new(response("200 OK", BODY));
    let not_found = Arc::new(response("404 Not Found", r#"{"message":"Not Found"}"#));
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()
            .expect("server runtime");
        runtime.block_on(async move {
            let listener = TcpListener::from_std(listener).expect("tokio listener");
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, Arc::clone(&ok), Arc::clone(&not_found)));
            }
        });
    });
    addr
}

/// Answers every request on one connection; a request is complete at its
/// blank line (both clients send GET without a body).
async fn serve(mut stream: TcpStream, ok: Arc<Vec<u8>>, not_found: Arc<Vec<u8>>) {
    let _ = stream.set_nodelay(true);
    let expected = format!("GET /api/v2/systemgroups/{GROUP_ID} HTTP/1.1\r\n");
    let mut pending = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    loop {
        while let Some(end) = pending.windows(4).position(|w| w == b"\r\n\r\n") {
            let answer = if pending.starts_with(expected.as_bytes()) {
                &ok
            } else {
                &not_found
            };
            pending.drain(..end + 4);
            if stream.write_all(answer).await.is_err() {
                return;
            }
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => pending.extend_from_slice(&chunk[..n]),
        }
    }
}

/// The generated operation, through a client with default settings (retry
/// policy, timeouts) pointed at the loopback server.
async fn generated(client: &Client) -> types::SystemGroup {
    client
        .system_groups()
        .view_details(GROUP_ID)
        .send()
        .await
        .expect("generated call")
        .into_inner()
}

/// The same call written by hand: the headers the generated client sends
/// for a GET (no body, so no content type), a status check, and the body
/// read whole and decoded.
async fn handwritten(http: &reqwest::Client, base_url: &str) -> types::SystemGroup {
    let response = http
        .get(format!("{base_url}/systemgroups/{GROUP_ID}"))
        .header(ACCEPT, "application/json")
        .header(USER_AGENT, CLIENT_USER_AGENT)
        .header("x-api-key", API_KEY)
        .send()
        .await
        .expect("hand-written call");
    assert_eq!(response.status(), StatusCode::OK);
    response
        .json::<types::SystemGroup>()
        .await
        .expect("hand-written decode")
}

fn request_overhead(c: &mut Criterion) {
    let addr = start_server();
    let base_url = format!("http://{addr}/api/v2");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("client runtime");

    let client = Client::builder()
        .api_key(API_KEY)
        .base_url(&base_url)
        .build()
        .expect("generated client");
    // The settings the generated client gives its own reqwest client: a
    // 10 s connect timeout, a 60 s timeout on every request, and the same
    // TLS setup (reqwest is built without a default provider).
    let http = Client::reqwest_builder()
        .expect("TLS")
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(60))
        .build()
        .expect("reqwest client");

    // Same response, same decoded value.
    let (a, b) = runtime.block_on(async {
        (
            generated(&client).await,
            handwritten(&http, &base_url).await,
        )
    });
    assert_eq!(a, b, "both paths decode the same group");
    assert_eq!(a.name.as_deref(), Some("Engineering laptops"));

    let mut group = c.benchmark_group("request_overhead");
    group.bench_function("generated", |bench| {
        bench
            .to_async(&runtime)
            .iter(|| async { black_box(generated(&client).await) });
    });
    group.bench_function("reqwest", |bench| {
        bench
            .to_async(&runtime)
            .iter(|| async { black_box(handwritten(&http, &base_url).await) });
    });
    group.finish();
}

criterion_group! {
    name = benches;
    // Long enough for tight intervals on a shared 2-core machine; the
    // command line (`--measurement-time`, `--sample-size`) still wins.
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(5))
        .measurement_time(Duration::from_secs(30))
        .sample_size(200);
    targets = request_overhead
}
criterion_main!(benches);
