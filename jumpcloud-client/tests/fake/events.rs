//! A stateful stand-in for Directory Insights' `POST /events`, paged by a
//! cursor as the document (`info.description`, "HTTP Response Header
//! Metadata" and "Getting All the Pages of Data") says the service pages:
//!
//! - the query is a JSON body; `service` and `start_time` are required,
//!   `limit` sets the rows per call (a default when absent or nonsensical,
//!   capped at a maximum), `search_after` asks for the rows after a cursor;
//! - rows are sorted by timestamp, ascending, ties broken by id; the cursor
//!   of a page is its last row's sort values, `[timestamp_millis, "id"]`;
//! - every page, the last and an empty one too, carries `X-Search_after`,
//!   `X-Result-Count` (rows on this page), `X-Limit` (the most rows this
//!   call can return) and `X-Sort`.
//!
//! Scripted failures (429 with `Retry-After`, 503, ...) answer a chosen
//! request instead of normal service.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use chrono::{DateTime, TimeZone, Utc};
use jumpcloud_client::{Client, RetryPolicy};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use super::Scripted;

/// The service's base path, as in the document's `servers`.
pub const INSIGHTS_BASE: &str = "/insights/directory/v1";
pub const EVENTS_PATH: &str = "/insights/directory/v1/events";

/// The oldest event; the others follow, three to a second.
const FIRST_EVENT_MILLIS: i64 = 1_786_000_000_000;

/// How the fake deviates from the document's defaults (1000 rows by
/// default, 10,000 at most), scaled down so a test pages through few events.
#[derive(Clone, Debug)]
pub struct InsightsBehaviour {
    /// Rows a call returns when `limit` is absent or nonsensical.
    pub default_limit: usize,
    /// Most rows a call returns, whatever `limit` asks for.
    pub max_limit: usize,
    /// What `X-Limit` reports.
    pub limit_header: LimitHeader,
    /// Sent as `X-Search_after` instead of the real cursor, on every page.
    pub cursor_override: Option<String>,
    /// Serves every page from the start, as a server that ignores `search_after`.
    pub ignore_search_after: bool,
}

/// The two readings of the document's "Maximum number of rows the service
/// can return in one call".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LimitHeader {
    /// The limit this call was served with: the query's `limit` (or the
    /// default), capped at the maximum.
    ThisCall,
    /// The service's maximum, whatever the query asked for.
    Maximum,
}

impl Default for InsightsBehaviour {
    fn default() -> Self {
        InsightsBehaviour {
            default_limit: 4,
            max_limit: 10,
            limit_header: LimitHeader::ThisCall,
            cursor_override: None,
            ignore_search_after: false,
        }
    }
}

/// One event held, with its sort key.
#[derive(Clone, Debug)]
struct Event {
    millis: i64,
    id: String,
    row: Value,
}

impl Event {
    fn sort_values(&self) -> Value {
        json!([self.millis, self.id])
    }
}

/// A request as the server saw it, and what it answered.
#[derive(Clone, Debug)]
pub struct EventsRequest {
    /// The JSON body as sent.
    pub body: Value,
    pub status: u16,
    pub at: Instant,
    /// The `X-Search_after` value answered, when the status was 200.
    pub cursor: Option<String>,
    /// Rows answered.
    pub rows: usize,
}

#[derive(Debug)]
struct State {
    events: Vec<Event>,
    behaviour: InsightsBehaviour,
    /// Answers for given requests (0 is the first), instead of normal service.
    script: HashMap<usize, Scripted>,
    seen: Vec<EventsRequest>,
}

#[derive(Clone)]
struct Service(Arc<Mutex<State>>);

pub struct FakeInsights {
    pub server: MockServer,
    state: Arc<Mutex<State>>,
}

impl FakeInsights {
    /// A service holding `count` events of the `directory` service, three
    /// to a second, with random ids (from a seed), sorted as the service
    /// sorts them.
    pub async fn with_events(count: usize, behaviour: InsightsBehaviour) -> Self {
        let mut rng = fastrand::Rng::with_seed(7);
        let mut events: Vec<Event> = (0..count)
            .map(|i| {
                let millis = FIRST_EVENT_MILLIS + i64::try_from(i / 3).unwrap() * 1000;
                let id: String = (0..20).map(|_| rng.alphanumeric()).collect();
                let row = json!({
                    "id": id,
                    "timestamp": rfc3339(millis),
                    "service": "directory",
                    "event_type": "user_update",
                    "success": true,
                });
                Event { millis, id, row }
            })
            .collect();
        events.sort_by(|a, b| (a.millis, &a.id).cmp(&(b.millis, &b.id)));
        let state = Arc::new(Mutex::new(State {
            events,
            behaviour,
            script: HashMap::new(),
            seen: Vec::new(),
        }));
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(EVENTS_PATH))
            .respond_with(Service(state.clone()))
            .mount(&server)
            .await;
        FakeInsights { server, state }
    }

    /// The events held, in the service's order.
    pub fn events(&self) -> Vec<Value> {
        self.lock().events.iter().map(|e| e.row.clone()).collect()
    }

    /// The sort values (`[timestamp_millis, "id"]`) of the event at `index`
    /// in the service's order: the cursor of a page ending there.
    pub fn sort_values(&self, index: usize) -> Value {
        self.lock().events[index].sort_values()
    }

    /// Answers request number `n` (0 is the first) with `answer`.
    pub fn script_request(&self, n: usize, answer: Scripted) {
        self.lock().script.insert(n, answer);
    }

    pub fn seen(&self) -> Vec<EventsRequest> {
        self.lock().seen.clone()
    }

    /// A client for this service that retries without jitter.
    pub fn client(&self, retry: RetryPolicy) -> Client {
        Client::builder()
            .api_key("fake-key")
            .base_url(format!("{}{INSIGHTS_BASE}", self.server.uri()))
            .retry(retry.jitter(false))
            .build()
            .expect("client builds")
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().expect("fake state")
    }
}

fn rfc3339(millis: i64) -> String {
    Utc.timestamp_millis_opt(millis)
        .single()
        .expect("a valid time")
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// One page as served.
struct Page {
    rows: Vec<Value>,
    /// The `X-Search_after` value.
    cursor: String,
    /// The `X-Limit` value.
    limit: usize,
}

impl Page {
    fn template(&self, request_id: usize) -> ResponseTemplate {
        ResponseTemplate::new(200)
            .insert_header("X-Result-Count", self.rows.len().to_string().as_str())
            .insert_header("X-Limit", self.limit.to_string().as_str())
            .insert_header("X-Sort", "ASC")
            .insert_header("X-Search_after", self.cursor.as_str())
            .insert_header("X-Request-Id", format!("request-{request_id}").as_str())
            .set_body_json(&self.rows)
    }
}

impl Respond for Service {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut state = self.0.lock().expect("fake state");
        let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
        let number = state.seen.len();
        let (template, status, cursor, rows) = match state.script.remove(&number) {
            Some(answer) => {
                let (status, template) = scripted(answer);
                (template, status, None, 0)
            }
            None => match serve(&state, &body) {
                Ok(page) => (
                    page.template(number),
                    200,
                    Some(page.cursor),
                    page.rows.len(),
                ),
                Err(message) => (
                    ResponseTemplate::new(400).set_body_json(json!({"message": message})),
                    400,
                    None,
                    0,
                ),
            },
        };
        state.seen.push(EventsRequest {
            body,
            status,
            at: Instant::now(),
            cursor,
            rows,
        });
        template
    }
}

fn scripted(answer: Scripted) -> (u16, ResponseTemplate) {
    match answer {
        Scripted::RateLimited(seconds) => (
            429,
            ResponseTemplate::new(429)
                .insert_header("retry-after", seconds.to_string().as_str())
                .set_body_json(json!({"message": "Too many requests"})),
        ),
        Scripted::Throttled => (
            429,
            ResponseTemplate::new(429).set_body_json(json!({"message": "Too many requests"})),
        ),
        Scripted::Unavailable => (
            503,
            ResponseTemplate::new(503).set_body_json(json!({"message": "Service unavailable"})),
        ),
        Scripted::ServerError => (
            500,
            ResponseTemplate::new(500).set_body_json(json!({"message": "Internal error"})),
        ),
        Scripted::Slow(_) => panic!("the events fake scripts failures only"),
    }
}

/// One page of the query, or the message of the 400 the service answers a
/// query it refuses with.
fn serve(state: &State, body: &Value) -> Result<Page, &'static str> {
    let behaviour = &state.behaviour;
    if !body["service"].is_array() {
        return Err("service is required");
    }
    let start = body["start_time"]
        .as_str()
        .and_then(|text| DateTime::parse_from_rfc3339(text).ok())
        .ok_or("start_time is required, as an RFC 3339 date")?
        .timestamp_millis();
    let after = match &body["search_after"] {
        Value::Null => None,
        _ if behaviour.ignore_search_after => None,
        Value::Array(values) => match values.as_slice() {
            [Value::Number(millis), Value::String(id)] => {
                let millis = millis.as_i64().ok_or("invalid search_after")?;
                Some((millis, id.clone()))
            }
            _ => return Err("invalid search_after"),
        },
        _ => return Err("invalid search_after"),
    };
    // Nonsensical limits get the default row count.
    let limit = body["limit"]
        .as_u64()
        .and_then(|limit| usize::try_from(limit).ok())
        .filter(|limit| *limit > 0)
        .unwrap_or(behaviour.default_limit)
        .min(behaviour.max_limit);
    let page: Vec<&Event> = state
        .events
        .iter()
        .filter(|e| e.millis >= start)
        .filter(|e| match &after {
            Some((millis, id)) => (e.millis, &e.id) > (*millis, id),
            None => true,
        })
        .take(limit)
        .collect();
    // Every page carries a cursor; an empty one gives back the one it got.
    let cursor = match (&behaviour.cursor_override, page.last()) {
        (Some(text), _) => text.clone(),
        (None, Some(last)) => last.sort_values().to_string(),
        (None, None) if body["search_after"].is_array() => body["search_after"].to_string(),
        (None, None) => "[]".to_owned(),
    };
    let x_limit = match behaviour.limit_header {
        LimitHeader::ThisCall => limit,
        LimitHeader::Maximum => behaviour.max_limit,
    };
    Ok(Page {
        rows: page.iter().map(|e| e.row.clone()).collect(),
        cursor,
        limit: x_limit,
    })
}
