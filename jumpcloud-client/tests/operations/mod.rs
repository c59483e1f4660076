//! The harness of the generated `all_operations*.rs` tests, one per
//! document of the crate: the generated file lists each operation's case
//! (how to call it, what must reach the server) and each type's sample;
//! the checks that judge them are here, written once.
//!
//! A test file declares `mod oracle;` and `mod operations;`, and the
//! checks that read the raw document go through `crate::oracle`.

#![allow(dead_code, reason = "each generated test uses what its document needs")]

use futures::future::BoxFuture;
use jumpcloud_client::{Client, Error};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::oracle;

/// No operation documents this as a success, so every call ends in
/// `Error::Api`, which shows that the response reached the operation.
pub const STATUS: u16 = 418;

pub type Call = for<'a> fn(&'a Client) -> BoxFuture<'a, Result<(), Error>>;

/// The client a test calls through, sending every document's requests to
/// the URL given.
pub type MakeClient = fn(String) -> Client;

pub enum Body {
    Empty,
    Json(&'static str),
    Raw(&'static str, &'static [u8]),
    Multipart,
}

pub struct Case {
    pub operation: &'static str,
    pub method: &'static str,
    pub template: &'static str,
    pub path: &'static str,
    /// Name and, when pinned down, every value sent under it, in order.
    pub query: &'static [(&'static str, Option<&'static [&'static str]>)],
    pub headers: &'static [(&'static str, Option<&'static [&'static str]>)],
    pub body: Body,
    pub call: Call,
}

/// Decodes a sample argument; a sample the type rejects is reported
/// for its operation instead of stopping the whole run.
pub fn sample<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, Error> {
    serde_json::from_str(json)
        .map_err(|e| Error::InvalidRequest(format!("sample `{json}` does not decode: {e}")))
}

pub fn check(case: &Case, outcome: Result<(), Error>, seen: &[wiremock::Request]) -> Vec<String> {
    let mut problems = Vec::new();
    match &outcome {
        Err(Error::Api(e)) => {
            if e.status.as_u16() != STATUS
                || e.method.as_str() != case.method
                || e.path != case.template
            {
                problems.push(format!("error names {} {} {}", e.status, e.method, e.path));
            }
        }
        other => problems.push(format!(
            "expected the {STATUS} as Error::Api, got {other:?}"
        )),
    }
    let [request] = seen else {
        problems.push(format!("server saw {} requests", seen.len()));
        return problems;
    };
    if request.method.as_str() != case.method {
        problems.push(format!("method {}", request.method));
    }
    if request.url.path() != case.path {
        problems.push(format!(
            "path {} instead of {}",
            request.url.path(),
            case.path
        ));
    }
    let pairs: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
    for (name, want) in case.query {
        let got: Vec<&str> = pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect();
        match want {
            _ if got.is_empty() => problems.push(format!("query `{name}` missing")),
            Some(want) if got != *want => {
                problems.push(format!("query `{name}` is {got:?}, expected {want:?}"));
            }
            _ => {}
        }
    }
    for (name, want) in case.headers {
        let got: Vec<&str> = request
            .headers
            .get_all(*name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        match want {
            _ if got.is_empty() => problems.push(format!("header `{name}` missing")),
            Some(want) if got != *want => {
                problems.push(format!("header `{name}` is {got:?}, expected {want:?}"));
            }
            _ => {}
        }
    }
    let content_type = request
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok());
    match &case.body {
        Body::Empty => {
            if !request.body.is_empty() {
                problems.push(format!("unexpected body of {} bytes", request.body.len()));
            }
        }
        Body::Json(want) => {
            let want: serde_json::Value =
                serde_json::from_str(want).expect("expected body is JSON");
            match serde_json::from_slice::<serde_json::Value>(&request.body) {
                Ok(got) if got == want => {}
                Ok(got) => problems.push(format!("body {got}, expected {want}")),
                Err(e) => problems.push(format!("body is not JSON: {e}")),
            }
            if content_type != Some("application/json") {
                problems.push(format!("content type {content_type:?} for a JSON body"));
            }
        }
        Body::Raw(want_type, want) => {
            if request.body != *want {
                problems.push(format!("body {:?}", String::from_utf8_lossy(&request.body)));
            }
            if content_type != Some(*want_type) {
                problems.push(format!(
                    "content type {content_type:?}, expected {want_type}"
                ));
            }
        }
        Body::Multipart => {
            if !content_type.is_some_and(|t| t.starts_with("multipart/form-data")) {
                problems.push(format!(
                    "content type {content_type:?} for a multipart body"
                ));
            }
        }
    }
    problems
}

pub type RoundTrip = fn(&str) -> Result<serde_json::Value, String>;

pub fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(
    json: &str,
) -> Result<serde_json::Value, String> {
    let typed: T = serde_json::from_str(json).map_err(|e| e.to_string())?;
    serde_json::to_value(&typed).map_err(|e| e.to_string())
}

/// Every sample (schema pointer, decoder, sample) decodes and re-encodes
/// unchanged.
pub fn samples_round_trip(samples: &[(&str, RoundTrip, &str)]) {
    let mut failures = Vec::new();
    for (pointer, round_trip, json) in samples {
        let want: serde_json::Value = serde_json::from_str(json).expect("sample is JSON");
        match round_trip(json) {
            Ok(got) if got == want => {}
            Ok(got) => failures.push(format!("{pointer}: {json} re-encodes as {got}")),
            Err(e) => failures.push(format!("{pointer}: {json} does not decode: {e}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} samples fail:\n{}",
        failures.len(),
        samples.len(),
        failures.join("\n")
    );
}

/// Every case, called against a catch-all server, sends its documented
/// request; and there is a case for each of the document's `operations`.
pub async fn sends_documented_requests(cases: &[Case], operations: usize, client: MakeClient) {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(STATUS))
        .mount(&server)
        .await;
    let client = client(server.uri());
    let mut failures = Vec::new();
    let mut seen_before = 0;
    // One at a time, so the requests the server saw since the last case
    // belong to this one.
    for case in cases {
        let outcome = (case.call)(&client).await;
        let seen = server.received_requests().await.expect("recording is on");
        let problems = check(case, outcome, &seen[seen_before..]);
        seen_before = seen.len();
        if !problems.is_empty() {
            failures.push(format!(
                "{} {} ({}): {}",
                case.method,
                case.template,
                case.operation,
                problems.join("; ")
            ));
        }
    }
    println!(
        "{} of {} operations send their documented request",
        cases.len() - failures.len(),
        cases.len()
    );
    assert!(
        failures.is_empty(),
        "{} operations failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(cases.len(), operations, "operations without a case");
}

/// The same calls, judged against the raw `document` instead of the
/// generator's model: method, path template, every parameter sent is
/// declared, required ones are sent, body media type. Then each operation
/// gets its documented success response with a body built from the
/// document's schema, which must decode.
pub async fn agree_with_the_raw_document(
    cases: &[Case],
    document: oracle::Document,
    client: MakeClient,
) {
    let operations = document.operations();
    let security = document.security_headers();
    assert_eq!(
        cases.len(),
        operations.len(),
        "cases against operations in the raw document"
    );
    let server = MockServer::start().await;
    let client = client(server.uri());
    let mut failures = Vec::new();
    let mut decoded = 0;
    for case in cases {
        let Some(want) = operations.get(case.operation) else {
            failures.push(format!("{}: not in the document", case.operation));
            continue;
        };
        server.reset().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(STATUS))
            .mount(&server)
            .await;
        let _ = (case.call)(&client).await;
        let seen = server.received_requests().await.expect("recording is on");
        match seen.as_slice() {
            [request] => {
                let problems = oracle::check_request(want, &security, request);
                if !problems.is_empty() {
                    failures.push(format!("{}: {}", case.operation, problems.join("; ")));
                }
            }
            other => failures.push(format!(
                "{}: server saw {} requests",
                case.operation,
                other.len()
            )),
        }
        let Some((status, content)) = want.success.first() else {
            continue;
        };
        let code = status.parse::<u16>().unwrap_or(200);
        let mut response = ResponseTemplate::new(code);
        if let Some((media, schema)) = content
            && !matches!(code, 204 | 205 | 304)
        {
            let body = if media.contains("json") || media == "*/*" {
                document.sample(schema).to_string().into_bytes()
            } else {
                b"s".to_vec()
            };
            response = response.set_body_raw(body, media);
        }
        server.reset().await;
        Mock::given(any())
            .respond_with(response)
            .mount(&server)
            .await;
        match (case.call)(&client).await {
            Ok(()) => decoded += 1,
            Err(e) => failures.push(format!(
                "{}: documented {status} response fails: {e}",
                case.operation
            )),
        }
    }
    println!(
        "{} of {} operations decode their documented success response",
        decoded,
        cases.len()
    );
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn classify(outcome: &Result<(), Error>) -> (&'static str, String) {
    match outcome {
        Ok(()) => ("ok", String::new()),
        Err(Error::Api(e)) => {
            let violations = e.headers.get("sl-violations").and_then(|v| v.to_str().ok());
            let body = String::from_utf8_lossy(&e.raw_body);
            match violations {
                Some(v) => ("rejected", format!("{}: {v}", e.status)),
                None if body.contains("stoplight.io/prism/errors") => {
                    ("rejected", format!("{}: {body}", e.status))
                }
                None => ("failed", format!("{}: {body}", e.status)),
            }
        }
        Err(Error::Decode {
            field_path, source, ..
        }) => ("undecodable", format!("at `{field_path}`: {source}")),
        Err(other) => ("failed", other.to_string()),
    }
}

/// Run by `cargo xtask contract` against a spec-validating mock server:
/// calls every case once and writes one JSON line per operation to the
/// file named by the variable `report_var`; the server's URL is in
/// `url_var`.
pub async fn contract(cases: &[Case], url_var: &str, report_var: &str, client: MakeClient) {
    let base = std::env::var(url_var).unwrap_or_else(|_| panic!("{url_var} is set"));
    let report = std::env::var(report_var).unwrap_or_else(|_| panic!("{report_var} is set"));
    let client = client(base);
    let mut lines = String::new();
    for case in cases {
        let outcome = (case.call)(&client).await;
        let (kind, detail) = classify(&outcome);
        let line = serde_json::json!({
            "operation": case.operation,
            "method": case.method,
            "path": case.template,
            "outcome": kind,
            "detail": detail,
        });
        lines.push_str(&line.to_string());
        lines.push('\n');
    }
    std::fs::write(&report, lines).expect("report is writable");
}
