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
    let report_doc = format!(" operation to the file named by `{report_var}`.");
    let in_document = Literal::usize_unsuffixed(api.report.operations_in_spec);
    // The tests call every operation and name every type.
    let full_only = root.test_gate(api.settings.tag_features);
    let types = root.test_types(&quote!(#krate));
    // A mounted document's requests go to the test's server too.
    let document_url = root.base_url_setter(&quote!(url.clone()));
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
        //! test build arguments from, decodes into that type. The checks are
        //! in `tests/operations/`, the raw document's reading in `tests/oracle/`.
        #![cfg_attr(rustfmt, rustfmt::skip)]
        #![allow(clippy::too_many_lines)]
        #full_only

        mod operations;
        mod oracle;

        #[allow(unused_imports, reason = "which kinds of body occur depends on the document")]
        use operations::{Body, Case, RoundTrip, round_trip, sample};
        use #krate::{Client, RetryPolicy};
        #[allow(unused_imports, reason = "a document may have no named types")]
        use #types;

        /// Operations in the document; each needs a case.
        const OPERATIONS_IN_DOCUMENT: usize = #in_document;

        /// The client the tests call through: every request to `url`.
        fn client(url: String) -> Client {
            Client::builder()
                .api_key("test-key")
                #document_url
                .base_url(url)
                .retry(RetryPolicy::disabled())
                .build()
                .expect("client builds")
        }

        /// Schema pointer, decoder, and the type's sample.
        const SAMPLES: &[(&str, RoundTrip, &str)] = &[
            #(#type_samples)*
        ];

        const CASES: &[Case] = &[
            #(#cases)*
        ];

        #[test]
        fn every_sample_decodes_and_re_encodes_unchanged() {
            operations::samples_round_trip(SAMPLES);
        }

        #[tokio::test]
        async fn every_operation_sends_its_documented_request() {
            operations::sends_documented_requests(CASES, OPERATIONS_IN_DOCUMENT, client).await;
        }

        /// The same calls, judged against the raw document instead of the
        /// generator's model.
        #[tokio::test]
        async fn every_operation_agrees_with_the_raw_document() {
            operations::agree_with_the_raw_document(CASES, #load, client).await;
        }

        /// Run by `cargo xtask contract` against a spec-validating mock
        /// server: calls every operation once and writes one JSON line per
        #[doc = #report_doc]
        #[tokio::test]
        #[ignore = "needs the contract mock server; run `cargo xtask contract`"]
        async fn contract() {
            operations::contract(CASES, #url_var, #report_var, client).await;
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
