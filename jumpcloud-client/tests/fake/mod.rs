//! A stateful stand-in for JumpCloud's system groups endpoint.
//!
//! Unlike a canned one-request mock it behaves like the real service across
//! a whole conversation: it holds a collection that POST adds to, pages it
//! with `limit`/`skip` while capping `limit`, filters on `name`, reports
//! `x-total-count`, and answers scripted failures (429 with `Retry-After`,
//! 503) before serving normally. Each test file uses a different part.
//! `events` is the same for Directory Insights' cursor-paged events search.
#![allow(dead_code)]

pub mod events;
pub mod front;

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use jumpcloud_client::{Client, ClientBuilder, RetryPolicy};
use percent_encoding::percent_decode_str;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

pub const GROUPS_PATH: &str = "/api/v2/systemgroups";

/// How the fake deviates from a perfect server.
#[derive(Clone, Debug)]
pub struct Behaviour {
    /// Largest page the server hands out, whatever `limit` asks for.
    pub max_limit: usize,
    /// Whether responses carry `x-total-count`.
    pub send_total: bool,
    /// Reports this total instead of the real one (a server whose count is stale).
    pub total_override: Option<u64>,
    /// Serves every page from the start, as a server that ignores `skip`.
    pub ignore_skip: bool,
    /// Delay before every answer.
    pub delay: Duration,
    /// Answers a share of the requests (not scripted ones) with 429.
    pub throttle: Option<Throttle>,
}

/// Rate limiting as a busy API does it: a share of requests, drawn at
/// random (from a seed, so a run can be repeated), is answered 429.
#[derive(Clone, Copy, Debug)]
pub struct Throttle {
    pub percent: u32,
    /// `Retry-After` in seconds, if the 429 carries one.
    pub retry_after: Option<u64>,
    pub seed: u64,
}

impl Default for Behaviour {
    fn default() -> Self {
        Behaviour {
            max_limit: 100,
            send_total: true,
            total_override: None,
            ignore_skip: false,
            delay: Duration::ZERO,
            throttle: None,
        }
    }
}

/// One scripted answer, used instead of normal service for the next request.
#[derive(Clone, Debug)]
pub enum Scripted {
    /// 429 with `Retry-After: <seconds>`.
    RateLimited(u64),
    /// 429 without `Retry-After`.
    Throttled,
    /// 503 with a body.
    Unavailable,
    /// 500 with a body.
    ServerError,
    /// Normal service, answered after this delay.
    Slow(Duration),
}

/// A request as the server saw it, with the time it arrived.
#[derive(Clone, Debug)]
pub struct Seen {
    pub method: String,
    /// The query exactly as sent, before any decoding.
    pub raw_query: String,
    pub at: Instant,
    pub status: u16,
}

#[derive(Debug)]
struct State {
    groups: Vec<Value>,
    behaviour: Behaviour,
    script: VecDeque<Scripted>,
    seen: Vec<Seen>,
    next_id: usize,
    rng: fastrand::Rng,
}

#[derive(Clone)]
struct Service(Arc<Mutex<State>>);

pub struct FakeJumpCloud {
    pub server: MockServer,
    state: Arc<Mutex<State>>,
}

impl FakeJumpCloud {
    /// A server holding groups `group-000`, `group-001`, ... with ids in the same order.
    pub async fn with_groups(count: usize, behaviour: Behaviour) -> Self {
        let names: Vec<String> = (0..count).map(|i| format!("group-{i:03}")).collect();
        Self::with_named_groups(&names, behaviour).await
    }

    pub async fn with_named_groups(names: &[String], behaviour: Behaviour) -> Self {
        let groups = names
            .iter()
            .enumerate()
            .map(|(i, name)| group(i, name))
            .collect();
        let state = Arc::new(Mutex::new(State {
            groups,
            script: VecDeque::new(),
            seen: Vec::new(),
            next_id: names.len(),
            rng: fastrand::Rng::with_seed(behaviour.throttle.map_or(0, |t| t.seed)),
            behaviour,
        }));
        let server = MockServer::start().await;
        for verb in ["GET", "POST"] {
            Mock::given(method(verb))
                .and(path(GROUPS_PATH))
                .respond_with(Service(state.clone()))
                .mount(&server)
                .await;
        }
        FakeJumpCloud { server, state }
    }

    /// Answers the next requests with these failures, in order.
    pub fn script(&self, answers: impl IntoIterator<Item = Scripted>) {
        self.lock().script.extend(answers);
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.lock().seen.clone()
    }

    /// How many groups the server holds now.
    pub fn group_count(&self) -> usize {
        self.lock().groups.len()
    }

    /// A client for this server that retries without jitter, so waits are predictable.
    pub fn client(&self, retry: RetryPolicy) -> Client {
        self.builder(&self.server.uri(), retry)
            .build()
            .expect("client builds")
    }

    /// A front for this server that injects network faults.
    pub async fn front(&self) -> front::Front {
        front::Front::start(self.server.uri()).await
    }

    /// A client builder for this server reached at `uri` (itself or a
    /// front), retrying without jitter.
    pub fn builder(&self, uri: &str, retry: RetryPolicy) -> ClientBuilder {
        Client::builder()
            .api_key("fake-key")
            .base_url(format!("{uri}/api/v2"))
            .retry(retry.jitter(false))
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().expect("fake state")
    }
}

fn group(index: usize, name: &str) -> Value {
    json!({"id": format!("{index:024x}"), "name": name, "type": "system_group"})
}

/// `limit`/`skip` as integers, as the real service reads them.
fn number(pairs: &[(String, String)], name: &str) -> Option<usize> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .and_then(|(_, v)| v.parse().ok())
}

/// The raw `filter` values, split on the literal commas that separate
/// filters and only then percent-decoded, as a server following RFC 6570
/// reads `style: form, explode: false`.
fn filters(raw_query: &str) -> Vec<String> {
    raw_query
        .split('&')
        .filter_map(|pair| pair.strip_prefix("filter="))
        .flat_map(|value| value.split(','))
        .map(|item| percent_decode_str(item).decode_utf8_lossy().into_owned())
        .collect()
}

impl Respond for Service {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut state = self.0.lock().expect("fake state");
        let raw_query = request.url.query().unwrap_or("").to_owned();
        let mut delay = state.behaviour.delay;
        let mut scripted = state.script.pop_front();
        if scripted.is_none()
            && let Some(throttle) = state.behaviour.throttle
            && state.rng.u32(0..100) < throttle.percent
        {
            scripted = Some(match throttle.retry_after {
                Some(seconds) => Scripted::RateLimited(seconds),
                None => Scripted::Throttled,
            });
        }
        if let Some(Scripted::Slow(slow)) = scripted {
            delay = slow;
            scripted = None;
        }
        let (status, template) = match scripted {
            Some(Scripted::Throttled) => (
                429,
                ResponseTemplate::new(429).set_body_json(json!({"message": "Too many requests"})),
            ),
            Some(Scripted::RateLimited(seconds)) => (
                429,
                ResponseTemplate::new(429)
                    .insert_header("retry-after", seconds.to_string().as_str())
                    .set_body_json(json!({"message": "Too many requests"})),
            ),
            Some(Scripted::Unavailable) => (
                503,
                ResponseTemplate::new(503).set_body_json(json!({"message": "Service unavailable"})),
            ),
            Some(Scripted::ServerError) => (
                500,
                ResponseTemplate::new(500).set_body_json(json!({"message": "Internal error"})),
            ),
            Some(Scripted::Slow(_)) => unreachable!("served normally above"),
            None if request.method.as_str() == "POST" => (201, create(&mut state, request)),
            None => (200, list(&state, request, &raw_query)),
        };
        state.seen.push(Seen {
            method: request.method.to_string(),
            raw_query,
            at: Instant::now(),
            status,
        });
        template.set_delay(delay)
    }
}

fn create(state: &mut State, request: &Request) -> ResponseTemplate {
    let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
    let name = body["name"].as_str().unwrap_or("unnamed").to_owned();
    let created = group(state.next_id, &name);
    state.next_id += 1;
    state.groups.push(created.clone());
    ResponseTemplate::new(201).set_body_json(created)
}

fn list(state: &State, request: &Request, raw_query: &str) -> ResponseTemplate {
    let pairs: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
    let wanted: Vec<String> = filters(raw_query)
        .iter()
        .filter_map(|f| f.strip_prefix("name:eq:").map(str::to_owned))
        .collect();
    let matching: Vec<&Value> = state
        .groups
        .iter()
        .filter(|g| wanted.iter().all(|w| g["name"] == w.as_str()))
        .collect();
    let behaviour = &state.behaviour;
    let limit = number(&pairs, "limit")
        .unwrap_or(10)
        .min(behaviour.max_limit);
    let skip = if behaviour.ignore_skip {
        0
    } else {
        number(&pairs, "skip").unwrap_or(0)
    };
    let page: Vec<&Value> = matching.iter().skip(skip).take(limit).copied().collect();
    let mut template = ResponseTemplate::new(200).set_body_json(page);
    if behaviour.send_total {
        let total = behaviour.total_override.unwrap_or(matching.len() as u64);
        template = template.insert_header("x-total-count", total.to_string().as_str());
    }
    template
}
