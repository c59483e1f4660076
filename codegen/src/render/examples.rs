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
        //! schema are listed, with the reason, in the document's
        //! `tests/example_exceptions*.txt`; the rules are in `tests/examples_check/`.
        #![cfg_attr(rustfmt, rustfmt::skip)]
        #![allow(clippy::too_many_lines)]
        #full_only

        mod examples_check;

        #[allow(unused_imports, reason = "a document may have no examples")]
        use examples_check::{Check, check};
        #[allow(unused_imports)]
        use #krate::runtime;
        #[allow(unused_imports)]
        use #types;

        const CASES: &[(&str, Check, &str)] = &[
            #(#entries)*
        ];

        #[test]
        fn examples_round_trip() {
            let exceptions = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), #exceptions))
                .unwrap_or_default();
            examples_check::examples_round_trip(CASES, &exceptions);
        }
    }
}
