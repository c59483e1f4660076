//! The crate-wide enum of typed error bodies.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::gates::Gates;
use super::rust_type::{TypeContext, ident, type_tokens};
use crate::ir::ErrorBodyVariant;

pub fn render_error_bodies(bodies: &[ErrorBodyVariant], gates: &Gates) -> TokenStream {
    let uses_types = bodies
        .iter()
        .any(|b| matches!(b.ty, crate::ir::TypeRef::Named(_)));
    // With features, a build may compile no typed variant at all.
    let allow = gates.enabled().then(|| quote!(#[allow(unused_imports)]));
    let import = uses_types.then(|| {
        quote!(
            #allow
            use crate::types;
        )
    });
    let variants = bodies.iter().map(|b| {
        let variant = ident(&b.variant);
        let ty = type_tokens(&b.ty, TypeContext::Elsewhere);
        // Variants of unnamed types are named after the JSON kind
        // (`StringList`), so the doc spells the Rust type out.
        let doc = match &b.ty {
            crate::ir::TypeRef::Named(_) => format!(" A body of type `{}`.", b.variant),
            other => format!(
                " A body of type `{}`.",
                type_tokens(other, TypeContext::Elsewhere)
                    .to_string()
                    .replace(' ', "")
                    .replace(',', ", ")
            ),
        };
        let cfg = gates.error_body(&b.variant);
        quote!(#[doc = #doc] #cfg #variant(#ty),)
    });
    let parsers = bodies.iter().map(|b| {
        let variant = ident(&b.variant);
        let parse = format_ident!(
            "parse_{}",
            heck::ToSnakeCase::to_snake_case(b.variant.as_str())
        );
        let doc = format!(" Decodes a `{}` body, if the bytes are one.", b.variant);
        let cfg = gates.error_body(&b.variant);
        quote! {
            #[doc = #doc]
            #cfg
            pub(crate) fn #parse(body: &[u8]) -> Option<Self> {
                serde_json::from_slice(body).ok().map(Self::#variant)
            }
        }
    });
    quote! {
        //! Error bodies the API documents, so a failed call can be inspected with types.
        #![allow(clippy::large_enum_variant)]
        #import

        /// The decoded body of an error response.
        ///
        /// Typed when the document describes the body for that status and it
        /// decodes; otherwise the raw text is kept.
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum ErrorBody {
            #(#variants)*
            /// A body that is not one of the documented types, as text.
            Text(String),
            /// No body at all.
            Empty,
        }

        impl ErrorBody {
            #(#parsers)*
        }
    }
}
