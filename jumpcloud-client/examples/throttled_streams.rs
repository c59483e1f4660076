//! Many concurrent `.stream()`s against a rate-limited server, with the
//! client's default settings: how many requests the server saw, how long it
//! took, and whether every stream got every item exactly once.
//!
//! ```sh
//! cargo run -p jumpcloud-client --example throttled_streams -- 60 [seed]
//! ```
//!
//! The server is a mock on loopback holding 500 system groups, paged 100 at
//! a time with `x-total-count`, that answers the given percentage of requests
//! (drawn at random from the seed) with 429 and `Retry-After: 1`. 32 streams
//! list all groups at once, each through a clone of one client. It prints the
//! requests the server saw, how many of them arrived while a `Retry-After`
//! the client had received (50 ms earlier or more) was running, the wall
//! time, and how many items each stream received. It uses only
//! API that older versions of the crate have, so one version can be
//! compared with another.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::TryStreamExt;
use jumpcloud_client::Client;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const GROUPS: usize = 500;
const STREAMS: usize = 32;
const MAX_LIMIT: usize = 100;

#[derive(Default)]
struct Counts {
    ok: usize,
    throttled: usize,
    /// Requests that arrived while a `Retry-After` the client had received
    /// was running: more than [`GRACE`] after a 429 went out and less than
    /// its second.
    during_pause: usize,
    throttled_at: Vec<Instant>,
}

/// Time for a 429 to reach the client: a request that arrives sooner may
/// have been sent before the client knew.
const GRACE: Duration = Duration::from_millis(50);

struct Throttling {
    percent: u64,
    /// splitmix64 state, so that a seed repeats a run's draws.
    rng: Mutex<u64>,
    counts: Arc<Mutex<Counts>>,
}

impl Throttling {
    fn draw(&self) -> u64 {
        let mut state = self.rng.lock().expect("rng");
        *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = *state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) % 100
    }
}

impl Respond for Throttling {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let throttle = self.draw() < self.percent;
        let mut counts = self.counts.lock().expect("counts");
        let now = Instant::now();
        let known = counts
            .throttled_at
            .iter()
            .any(|at| now > *at + GRACE && now < *at + Duration::from_secs(1));
        if known {
            counts.during_pause += 1;
        }
        if throttle {
            counts.throttled += 1;
            counts.throttled_at.push(now);
            return ResponseTemplate::new(429)
                .insert_header("retry-after", "1")
                .set_body_json(json!({"message": "Too many requests"}));
        }
        counts.ok += 1;
        let number = |name: &str| {
            request
                .url
                .query_pairs()
                .find(|(key, _)| key == name)
                .and_then(|(_, value)| value.parse::<usize>().ok())
        };
        let limit = number("limit").unwrap_or(10).min(MAX_LIMIT);
        let skip = number("skip").unwrap_or(0);
        let page: Vec<_> = (skip..GROUPS.min(skip + limit))
            .map(|i| json!({"id": format!("{i:024x}"), "name": format!("group-{i:03}"), "type": "system_group"}))
            .collect();
        ResponseTemplate::new(200)
            .insert_header("x-total-count", GROUPS.to_string().as_str())
            .set_body_json(page)
    }
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let percent: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(30);
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(1);
    let counts = Arc::new(Mutex::new(Counts::default()));
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/systemgroups"))
        .respond_with(Throttling {
            percent,
            rng: Mutex::new(seed),
            counts: counts.clone(),
        })
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_key("bench-key")
        .base_url(format!("{}/api/v2", server.uri()))
        .build()
        .expect("client");

    let started = Instant::now();
    let streams = (0..STREAMS).map(|_| {
        let client = client.clone();
        tokio::spawn(async move {
            let mut names = Vec::new();
            let mut stream = client.system_groups().list_all().stream();
            let end = loop {
                match stream.try_next().await {
                    Ok(Some(group)) => names.push(group.name.unwrap_or_default()),
                    Ok(None) => break None,
                    Err(err) => break Some(err.to_string()),
                }
            };
            (names, end)
        })
    });
    let results = futures::future::join_all(streams).await;
    let elapsed = started.elapsed();

    let expected: Vec<String> = (0..GROUPS).map(|i| format!("group-{i:03}")).collect();
    let mut complete = 0;
    let mut items = Vec::new();
    let mut errors = Vec::new();
    for result in results {
        let (names, end) = result.expect("stream task");
        items.push(names.len());
        match end {
            None if names == expected => complete += 1,
            None => errors.push("ended with wrong items".to_owned()),
            Some(err) => errors.push(err),
        }
    }
    let counts = counts.lock().expect("counts");
    println!(
        "{percent}% 429, seed {seed}: {} requests ({} ok, {} 429, {} during a pause), \
         {:.1} s, {complete}/{STREAMS} streams complete with every item once, \
         items per stream {}..{}",
        counts.ok + counts.throttled,
        counts.ok,
        counts.throttled,
        counts.during_pause,
        elapsed.as_secs_f64(),
        items.iter().min().unwrap_or(&0),
        items.iter().max().unwrap_or(&0),
    );
    if let Some(err) = errors.first() {
        println!("  {} streams failed, e.g.: {err}", errors.len());
    }
}
