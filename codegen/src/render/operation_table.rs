//! A test that calls every operation with its required arguments only and
//! checks what reached the server, so no operation ships untested because
//! nobody got around to writing its case by hand.
//!
//! The expected requests are worked out here from the IR, independently of
//! how `apis.rs` builds them: a disagreement is a bug in one of the two.

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;

use super::mount::Root;
use super::rust_type::ident;
use crate::ir::{
    Api, ApiModule, BodyKind, Operation, Param, ParamLocation, ParamStyle, TypeKind, TypeRef,
};
use crate::samples::{self, Samples};

/// Name of the test file, under the crate's `tests/` (one per document).
pub const ALL_OPERATIONS_TEST: &str = "all_operations";

/// One argument of the operation method, with what it puts on the wire.
struct Arg {
    tokens: TokenStream,
    /// The values the parameter is written as, in order: one for a scalar or
    /// a comma-joined array, one per element for an exploded array; `None`
    /// when the wire form is not something this test pins down.
    wire: Option<Vec<String>>,
}

pub fn render_all_operations_test(api: &Api, crate_name: &str, root: &Root<'_>) -> TokenStream {
    let samples = Samples::new(&api.types);
    let handle = root.handle_call();
    let cases = api
        .modules
        .iter()
        .flat_map(|m| m.operations.iter().map(move |op| (m, op)))
        .map(|(module, op)| render_case(module, op, &samples, &handle));
    let type_samples = api.types.iter().map(|def| {
        let name = ident(&def.name);
        let pointer = &def.pointer;
        let json = samples.json(&TypeRef::Named(def.name.clone())).to_string();
        quote!((#pointer, round_trip::<types::#name>, #json),)
    });
    let krate = ident(crate_name);
    let prefix = &api.settings.contract_env_prefix;
    let (url_var, report_var) = (format!("{prefix}_URL"), format!("{prefix}_REPORT"));
    let (url_set, report_set) = (format!("{url_var} is set"), format!("{report_var} is set"));
    let report_doc = format!(" operation to the file named by `{report_var}`.");
    let in_document = Literal::usize_unsuffixed(api.report.operations_in_spec);
    // The tests call every operation and name every type.
    let full_only = root.test_gate(api.settings.tag_features);
    let types = root.test_types(&quote!(#krate));
    // A mounted document's requests go to the test's server too.
    let server_url = root.base_url_setter(&quote!(server.uri()));
    let contract_url = root.base_url_setter(&quote!(base.clone()));
    // The oracle reads the document this test was generated from.
    let load = match root.module() {
        None => quote!(oracle::Document::load()),
        Some(module) => quote!(oracle::Document::load_mounted(#module)),
    };
    quote! {
        //! Every operation, called with its required arguments only against a
        //! catch-all server: the server must see the documented method, the
        //! path template with percent-encoded values, the required query and
        //! header parameters, and the required body. Also checks that the
        //! sample value of every named type, which this test and the contract
        //! test build arguments from, decodes into that type.
        #![cfg_attr(rustfmt, rustfmt::skip)]
        #![allow(clippy::too_many_lines)]
        #full_only

        mod oracle;

        use futures::future::BoxFuture;
        use #krate::{Client, Error, RetryPolicy};
        use #types;
        use wiremock::matchers::any;
        use wiremock::{Mock, MockServer, ResponseTemplate};

        /// Operations in the document; each needs a case.
        const OPERATIONS_IN_DOCUMENT: usize = #in_document;

        /// No operation documents this as a success, so every call ends in
        /// `Error::Api`, which shows that the response reached the operation.
        const STATUS: u16 = 418;

        type Call = for<'a> fn(&'a Client) -> BoxFuture<'a, Result<(), Error>>;

        #[allow(dead_code, reason = "which kinds of body occur depends on the document")]
        enum Body {
            Empty,
            Json(&'static str),
            Raw(&'static str, &'static [u8]),
            Multipart,
        }

        struct Case {
            operation: &'static str,
            method: &'static str,
            template: &'static str,
            path: &'static str,
            /// Name and, when pinned down, every value sent under it, in order.
            query: &'static [(&'static str, Option<&'static [&'static str]>)],
            headers: &'static [(&'static str, Option<&'static [&'static str]>)],
            body: Body,
            call: Call,
        }

        /// Decodes a sample argument; a sample the type rejects is reported
        /// for its operation instead of stopping the whole run.
        #[allow(dead_code, reason = "a document may have no required JSON body")]
        fn sample<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, Error> {
            serde_json::from_str(json)
                .map_err(|e| Error::InvalidRequest(format!("sample `{json}` does not decode: {e}")))
        }

        fn check(case: &Case, outcome: Result<(), Error>, seen: &[wiremock::Request]) -> Vec<String> {
            let mut problems = Vec::new();
            match &outcome {
                Err(Error::Api(e)) => {
                    if e.status.as_u16() != STATUS || e.method.as_str() != case.method || e.path != case.template {
                        problems.push(format!("error names {} {} {}", e.status, e.method, e.path));
                    }
                }
                other => problems.push(format!("expected the {STATUS} as Error::Api, got {other:?}")),
            }
            let [request] = seen else {
                problems.push(format!("server saw {} requests", seen.len()));
                return problems;
            };
            if request.method.as_str() != case.method {
                problems.push(format!("method {}", request.method));
            }
            if request.url.path() != case.path {
                problems.push(format!("path {} instead of {}", request.url.path(), case.path));
            }
            let pairs: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
            for (name, want) in case.query {
                let got: Vec<&str> = pairs.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect();
                match want {
                    _ if got.is_empty() => problems.push(format!("query `{name}` missing")),
                    Some(want) if got != *want => {
                        problems.push(format!("query `{name}` is {got:?}, expected {want:?}"));
                    }
                    _ => {}
                }
            }
            for (name, want) in case.headers {
                let got: Vec<&str> = request.headers.get_all(*name).iter().filter_map(|v| v.to_str().ok()).collect();
                match want {
                    _ if got.is_empty() => problems.push(format!("header `{name}` missing")),
                    Some(want) if got != *want => {
                        problems.push(format!("header `{name}` is {got:?}, expected {want:?}"));
                    }
                    _ => {}
                }
            }
            let content_type = request.headers.get("content-type").and_then(|v| v.to_str().ok());
            match &case.body {
                Body::Empty => {
                    if !request.body.is_empty() {
                        problems.push(format!("unexpected body of {} bytes", request.body.len()));
                    }
                }
                Body::Json(want) => {
                    let want: serde_json::Value = serde_json::from_str(want).expect("expected body is JSON");
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
                        problems.push(format!("content type {content_type:?}, expected {want_type}"));
                    }
                }
                Body::Multipart => {
                    if !content_type.is_some_and(|t| t.starts_with("multipart/form-data")) {
                        problems.push(format!("content type {content_type:?} for a multipart body"));
                    }
                }
            }
            problems
        }

        type RoundTrip = fn(&str) -> Result<serde_json::Value, String>;

        fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(json: &str) -> Result<serde_json::Value, String> {
            let typed: T = serde_json::from_str(json).map_err(|e| e.to_string())?;
            serde_json::to_value(&typed).map_err(|e| e.to_string())
        }

        /// Schema pointer, decoder, and the type's sample.
        const SAMPLES: &[(&str, RoundTrip, &str)] = &[
            #(#type_samples)*
        ];

        #[test]
        fn every_sample_decodes_and_re_encodes_unchanged() {
            let mut failures = Vec::new();
            for (pointer, round_trip, json) in SAMPLES {
                let want: serde_json::Value = serde_json::from_str(json).expect("sample is JSON");
                match round_trip(json) {
                    Ok(got) if got == want => {}
                    Ok(got) => failures.push(format!("{pointer}: {json} re-encodes as {got}")),
                    Err(e) => failures.push(format!("{pointer}: {json} does not decode: {e}")),
                }
            }
            assert!(failures.is_empty(), "{} of {} samples fail:\n{}", failures.len(), SAMPLES.len(), failures.join("\n"));
        }

        const CASES: &[Case] = &[
            #(#cases)*
        ];

        #[tokio::test]
        async fn every_operation_sends_its_documented_request() {
            let server = MockServer::start().await;
            Mock::given(any())
                .respond_with(ResponseTemplate::new(STATUS))
                .mount(&server)
                .await;
            let client = Client::builder()
                .api_key("test-key")
                .base_url(server.uri())
                #server_url
                .retry(RetryPolicy::disabled())
                .build()
                .expect("client builds");
            let mut failures = Vec::new();
            let mut seen_before = 0;
            // One at a time, so the requests the server saw since the last
            // case belong to this one.
            for case in CASES {
                let outcome = (case.call)(&client).await;
                let seen = server.received_requests().await.expect("recording is on");
                let problems = check(case, outcome, &seen[seen_before..]);
                seen_before = seen.len();
                if !problems.is_empty() {
                    failures.push(format!("{} {} ({}): {}", case.method, case.template, case.operation, problems.join("; ")));
                }
            }
            println!("{} of {} operations send their documented request", CASES.len() - failures.len(), CASES.len());
            assert!(failures.is_empty(), "{} operations failed:\n{}", failures.len(), failures.join("\n"));
            assert_eq!(CASES.len(), OPERATIONS_IN_DOCUMENT, "operations without a case");
        }

        /// The same calls, judged against the raw document instead of the
        /// generator's model: method, path template, every parameter sent
        /// is declared, required ones are sent, body media type. Then each
        /// operation gets its documented success response with a body built
        /// from the document's schema, which must decode.
        #[tokio::test]
        async fn every_operation_agrees_with_the_raw_document() {
            let document = #load;
            let operations = document.operations();
            let security = document.security_headers();
            assert_eq!(CASES.len(), operations.len(), "cases against operations in the raw document");
            let server = MockServer::start().await;
            let client = Client::builder()
                .api_key("test-key")
                .base_url(server.uri())
                #server_url
                .retry(RetryPolicy::disabled())
                .build()
                .expect("client builds");
            let mut failures = Vec::new();
            let mut decoded = 0;
            for case in CASES {
                let Some(want) = operations.get(case.operation) else {
                    failures.push(format!("{}: not in the document", case.operation));
                    continue;
                };
                server.reset().await;
                Mock::given(any()).respond_with(ResponseTemplate::new(STATUS)).mount(&server).await;
                let _ = (case.call)(&client).await;
                let seen = server.received_requests().await.expect("recording is on");
                match seen.as_slice() {
                    [request] => {
                        let problems = oracle::check_request(want, &security, request);
                        if !problems.is_empty() {
                            failures.push(format!("{}: {}", case.operation, problems.join("; ")));
                        }
                    }
                    other => failures.push(format!("{}: server saw {} requests", case.operation, other.len())),
                }
                let Some((status, content)) = want.success.first() else { continue };
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
                Mock::given(any()).respond_with(response).mount(&server).await;
                match (case.call)(&client).await {
                    Ok(()) => decoded += 1,
                    Err(e) => failures.push(format!("{}: documented {status} response fails: {e}", case.operation)),
                }
            }
            println!("{} of {} operations decode their documented success response", decoded, CASES.len());
            assert!(failures.is_empty(), "{} problems:\n{}", failures.len(), failures.join("\n"));
        }

        /// How one call fared against the contract server.
        fn classify(outcome: &Result<(), Error>) -> (&'static str, String) {
            match outcome {
                Ok(()) => ("ok", String::new()),
                Err(Error::Api(e)) => {
                    let violations = e.headers.get("sl-violations").and_then(|v| v.to_str().ok());
                    let body = String::from_utf8_lossy(&e.raw_body);
                    match violations {
                        Some(v) => ("rejected", format!("{}: {v}", e.status)),
                        None if body.contains("stoplight.io/prism/errors") => ("rejected", format!("{}: {body}", e.status)),
                        None => ("failed", format!("{}: {body}", e.status)),
                    }
                }
                Err(Error::Decode { field_path, source, .. }) => ("undecodable", format!("at `{field_path}`: {source}")),
                Err(other) => ("failed", other.to_string()),
            }
        }

        /// Run by `cargo xtask contract` against a spec-validating mock
        /// server: calls every operation once and writes one JSON line per
        #[doc = #report_doc]
        #[tokio::test]
        #[ignore = "needs the contract mock server; run `cargo xtask contract`"]
        async fn contract() {
            let base = std::env::var(#url_var).expect(#url_set);
            let report = std::env::var(#report_var).expect(#report_set);
            let client = Client::builder()
                .api_key("contract-test-key")
                #contract_url
                .base_url(base)
                .retry(RetryPolicy::disabled())
                .build()
                .expect("client builds");
            let mut lines = String::new();
            for case in CASES {
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
    }
}

fn render_case(
    module: &ApiModule,
    op: &Operation,
    samples: &Samples<'_>,
    handle: &TokenStream,
) -> TokenStream {
    let accessor = ident(&module.accessor);
    let method_name = ident(&op.method_name);
    let required: Vec<&Param> = op.params.iter().filter(|p| p.required).collect();
    let mut args = Vec::new();
    let mut path_values = Vec::new();
    let mut query = Vec::new();
    let mut headers = Vec::new();
    for (i, p) in required.iter().enumerate() {
        let arg = argument(p, i + 1, samples);
        let expected = arg
            .wire
            .as_deref()
            .map_or(quote!(None), |values| quote!(Some(&[#(#values),*])));
        let name = &p.name;
        match p.location {
            ParamLocation::Path => {
                let value = arg.wire.as_ref().and_then(|w| w.first().cloned());
                path_values.push((p.name.as_str(), value));
            }
            ParamLocation::Query => query.push(quote!((#name, #expected),)),
            ParamLocation::Header => headers.push(quote!((#name, #expected),)),
            ParamLocation::Cookie => {}
        }
        args.push(arg.tokens);
    }
    let mut body = quote!(Body::Empty);
    if let Some(b) = &op.body {
        let content_type = &b.content_type;
        let raw = Literal::byte_string(samples::STRING.as_bytes());
        match &b.kind {
            BodyKind::Multipart(_) => body = quote!(Body::Multipart),
            _ if !b.required => {}
            BodyKind::Json(ty) => {
                let json = samples.json(ty).to_string();
                args.push(quote!(sample(#json)?));
                body = quote!(Body::Json(#json));
            }
            BodyKind::Binary => {
                args.push(quote!(bytes::Bytes::from_static(#raw)));
                body = quote!(Body::Raw(#content_type, #raw));
            }
            BodyKind::Text => {
                let text = samples::STRING;
                args.push(quote!(String::from(#text)));
                body = quote!(Body::Raw(#content_type, #raw));
            }
        }
    }
    let path = expected_path(&op.path, &path_values);
    let operation = &op.operation_id;
    let method = &op.method;
    let template = &op.path;
    quote! {
        Case {
            operation: #operation,
            method: #method,
            template: #template,
            path: #path,
            query: &[#(#query)*],
            headers: &[#(#headers)*],
            body: #body,
            call: |c| Box::pin(async move {
                c #handle .#accessor().#method_name(#(#args),*).send().await.map(drop)
            }),
        },
    }
}

/// The value passed for the `position`-th required parameter.
fn argument(p: &Param, position: usize, samples: &Samples<'_>) -> Arg {
    let resolved = samples.resolve(&p.ty);
    let value = match resolved {
        TypeRef::String => match p.location {
            // Characters that must be escaped, so that every operation shows
            // its path parameters go through the encoder.
            ParamLocation::Path => Value::String(format!("p{position} a/b?c")),
            _ => Value::String(format!("p{position}")),
        },
        // Base64 text carries `+` and `/`, which a path must escape too.
        TypeRef::Base64 if p.location == ParamLocation::Path => {
            Value::String(format!("p{position}+/"))
        }
        // Two elements, so that joining and exploding look different.
        TypeRef::Vec(inner) => Value::Array(two_elements(inner, position, samples)),
        other => samples.json(other),
    };
    let wire = if p.style == ParamStyle::Json {
        Some(vec![value.to_string()])
    } else {
        match &value {
            Value::Array(items) => items
                .iter()
                .map(scalar_text)
                .collect::<Option<Vec<_>>>()
                .map(|texts| match p.style {
                    ParamStyle::Repeated => texts,
                    _ => vec![texts.join(",")],
                }),
            other => scalar_text(other).map(|text| vec![text]),
        }
    };
    let tokens = match (&p.ty, &value) {
        // The method takes `impl Into<String>`, which a generic decode
        // cannot name.
        (TypeRef::String, Value::String(text)) => quote!(#text),
        _ => {
            let json = value.to_string();
            quote!(sample(#json)?)
        }
    };
    Arg { tokens, wire }
}

fn two_elements(item: &TypeRef, position: usize, samples: &Samples<'_>) -> Vec<Value> {
    let resolved = samples.resolve(item);
    if *resolved == TypeRef::String {
        return vec![
            Value::String(format!("p{position}a")),
            Value::String(format!("p{position}b")),
        ];
    }
    let first = samples.json(resolved);
    let second = match samples.kind(resolved) {
        Some(TypeKind::StringEnum(values)) if values.len() > 1 => {
            Value::String(values[1].value.clone())
        }
        Some(TypeKind::IntegerEnum(values)) if values.len() > 1 => Value::from(values[1].1),
        _ => first.clone(),
    };
    vec![first, second]
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The template with each `{name}` replaced by its percent-encoded value.
fn expected_path(template: &str, values: &[(&str, Option<String>)]) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else {
            out.push_str(&rest[start..]);
            return out;
        };
        let name = &after[..end];
        match values.iter().find(|(n, _)| *n == name) {
            Some((_, Some(value))) => out.push_str(&encode_segment(value)),
            // Left as written, so the case fails and names the parameter.
            _ => out.push_str(&rest[start..start + end + 2]),
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// RFC 3986 percent-encoding of everything but unreserved characters.
fn encode_segment(value: &str) -> String {
    let mut out = String::new();
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_substitute_encoded_values() {
        assert_eq!(
            expected_path(
                "/systems/{system_id}/x/{id}",
                &[
                    ("id", Some("p2".into())),
                    ("system_id", Some("p1 a/b?c".into()))
                ]
            ),
            "/systems/p1%20a%2Fb%3Fc/x/p2"
        );
        assert_eq!(expected_path("/logos", &[]), "/logos");
        assert_eq!(encode_segment("é~"), "%C3%A9~");
    }
}
