//! A test that feeds every `example` in the document through its generated
//! type, so the types are checked against the document's own data.

use proc_macro2::TokenStream;
use quote::quote;

use super::mount::Root;
use super::rust_type::{TypeContext, type_tokens};
use crate::error::push_pointer;
use crate::ir::{Api, TypeKind};

/// Path of the test file, relative to the client crate's `src/`.
/// Name of the test file, under the crate's `tests/` (one per document).
pub const EXAMPLES_TEST: &str = "examples_roundtrip";

/// How many examples the round-trip test checks: a figure `stats` and
/// `ingest` report, since an update can drop examples and with them coverage.
pub fn example_count(api: &Api) -> usize {
    example_cases(api).len()
}

/// `(pointer, type, example JSON)` of every non-null example, by pointer.
fn example_cases(api: &Api) -> Vec<(String, TokenStream, String)> {
    let mut cases = Vec::new();
    for def in &api.types {
        if let Some(example) = def.example.as_ref().filter(|e| !e.is_null()) {
            let ty = type_tokens(
                &crate::ir::TypeRef::Named(def.name.clone()),
                TypeContext::Dependent,
            );
            cases.push((def.pointer.clone(), ty, example.to_string()));
        }
        if let TypeKind::Struct(s) = &def.kind {
            for field in &s.fields {
                if let Some(example) = field.example.as_ref().filter(|e| !e.is_null()) {
                    let pointer = push_pointer(&format!("{}/properties", def.pointer), &field.name);
                    cases.push((
                        pointer,
                        type_tokens(&field.ty, TypeContext::Dependent),
                        example.to_string(),
                    ));
                }
            }
        }
    }
    cases.sort_by(|a, b| a.0.cmp(&b.0));
    cases.dedup_by(|a, b| a.0 == b.0);
    cases
}

pub fn render_examples_test(api: &Api, crate_name: &str, root: &Root<'_>) -> TokenStream {
    let cases = example_cases(api);
    let entries = cases
        .iter()
        .map(|(pointer, ty, json)| quote!((#pointer, check::<#ty>, #json),));
    let krate = proc_macro2::Ident::new(crate_name, proc_macro2::Span::call_site());
    let krate = quote!(#krate);
    // The tests name every type.
    let full_only = root.test_gate(api.settings.tag_features);
    let types = root.test_types(&krate);
    // Each document lists its own wrong examples.
    let exceptions = match root.module() {
        None => "/tests/example_exceptions.txt".to_string(),
        Some(module) => format!("/tests/example_exceptions_{module}.txt"),
    };
    quote! {
        //! Every `example` in the document decodes into its generated type and
        //! re-encodes to equal JSON. Examples that are wrong for their own
        //! schema are listed, with the reason, in `tests/example_exceptions.txt`.
        #![cfg_attr(rustfmt, rustfmt::skip)]
        #![allow(clippy::too_many_lines)]
        #full_only

        #[allow(unused_imports)]
        use #krate::runtime;
        #[allow(unused_imports)]
        use #types;

        type Check = fn(&serde_json::Value) -> Result<serde_json::Value, String>;

        #[allow(dead_code, reason = "a document may have no examples")]
        fn check<T: serde::de::DeserializeOwned + serde::Serialize>(
            value: &serde_json::Value,
        ) -> Result<serde_json::Value, String> {
            let typed: T = serde_json::from_value(value.clone()).map_err(|e| e.to_string())?;
            serde_json::to_value(&typed).map_err(|e| e.to_string())
        }

        const CASES: &[(&str, Check, &str)] = &[
            #(#entries)*
        ];

        /// JSON equality that ignores key order and treats `1` and `1.0` alike.
        fn same(a: &serde_json::Value, b: &serde_json::Value) -> bool {
            use serde_json::Value;
            match (a, b) {
                (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
                (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y)),
                (Value::Object(x), Value::Object(y)) => {
                    x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
                }
                _ => a == b,
            }
        }

        #[test]
        fn examples_round_trip() {
            let exceptions_text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), #exceptions))
                .unwrap_or_default();
            let exceptions: std::collections::BTreeMap<&str, &str> = exceptions_text
                .lines()
                .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
                .filter_map(|l| l.split_once(' '))
                .collect();
            let mut failures = std::collections::BTreeMap::new();
            for (pointer, check, json) in CASES {
                let value: serde_json::Value = serde_json::from_str(json).expect("example is JSON");
                match check(&value) {
                    Ok(back) if same(&value, &back) => {}
                    Ok(back) => {
                        failures.insert(*pointer, format!("re-encodes differently: {back}"));
                    }
                    Err(e) => {
                        failures.insert(*pointer, format!("does not decode: {e}"));
                    }
                }
            }
            let passed = CASES.len() - failures.len();
            println!("{passed} of {} examples round-trip; {} listed as wrong for their schema", CASES.len(), exceptions.len());
            let unexpected: Vec<String> = failures
                .iter()
                .filter(|(p, _)| !exceptions.contains_key(*p))
                .map(|(p, why)| format!("{p} {why}"))
                .collect();
            assert!(unexpected.is_empty(), "examples that fail without an exception:\n{}", unexpected.join("\n"));
            // An exception whose example left the document is lost coverage,
            // not a fix, so the two are told apart.
            let known: std::collections::BTreeSet<&str> = CASES.iter().map(|(p, _, _)| *p).collect();
            let (gone, fixed): (Vec<&str>, Vec<&str>) = exceptions
                .keys()
                .copied()
                .filter(|p| !failures.contains_key(p))
                .partition(|p| !known.contains(p));
            assert!(gone.is_empty(), "exceptions whose example is no longer in the document (lost, not fixed), remove them: {gone:?}");
            assert!(fixed.is_empty(), "exceptions that now pass, remove them: {fixed:?}");
        }
    }
}
