//! The crate-wide enum of typed error bodies.

use proc_macro2::TokenStream;
use quote::quote;

use super::gates::Gates;
use super::mount::Root;
use super::rust_type::{TypeContext, ident, type_tokens};
use crate::ir::Api;
use crate::ir::error_sets;

/// The document's `ErrorBody`. The main document's is the one errors carry,
/// with a variant for each mounted document's; a mounted document's parsers
/// wrap its bodies in that variant.
pub fn render_error_bodies(api: &Api, gates: &Gates, root: &Root<'_>) -> TokenStream {
    let bodies = &api.error_bodies;
    let uses_types = bodies
        .iter()
        .any(|b| matches!(b.ty, crate::ir::TypeRef::Named(_)));
    // With features, a build may compile no typed variant at all.
    let allow = gates.enabled().then(|| quote!(#[allow(unused_imports)]));
    let root = root.path();
    let import = uses_types.then(|| {
        quote!(
            #allow
            use #root::types;
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
        let parse = ident(&error_sets::parser_name(&b.variant));
        let doc = format!(" Decodes a `{}` body, if the bytes are one.", b.variant);
        let cfg = gates.error_body(&b.variant);
        match &api.mount {
            None => quote! {
                #[doc = #doc]
                #cfg
                pub(crate) fn #parse(body: &[u8]) -> Option<Self> {
                    serde_json::from_slice(body).ok().map(Self::#variant)
                }
            },
            Some(mount) => {
                let wrapper = ident(&mount.handle);
                quote! {
                    #[doc = #doc]
                    #cfg
                    pub(crate) fn #parse(body: &[u8]) -> Option<crate::error_bodies::ErrorBody> {
                        serde_json::from_slice(body)
                            .ok()
                            .map(|body| crate::error_bodies::ErrorBody::#wrapper(Self::#variant(body)))
                    }
                }
            }
        }
    });
    let sets = render_error_sets(api, gates);
    let mounted = api.mounted.iter().map(|mount| {
        let variant = ident(&mount.handle);
        let module = ident(&mount.module);
        let feature = &mount.module;
        let doc =
            format!(" A body the `{feature}` API documents ([`crate::{feature}::ErrorBody`]).");
        quote! {
            #[doc = #doc]
            #[cfg(feature = #feature)]
            #variant(crate::#module::ErrorBody),
        }
    });
    if api.mount.is_some() {
        return quote! {
            //! Error bodies the API documents, so a failed call can be inspected with types.
            #![allow(clippy::large_enum_variant)]
            #import

            /// The decoded body of an error response of this API's operations, carried
            /// by [`crate::ErrorBody`]; a body that is not one of these is kept
            /// there as text.
            #[derive(Debug, Clone, PartialEq)]
            #[non_exhaustive]
            pub enum ErrorBody {
                #(#variants)*
            }

            impl ErrorBody {
                #(#parsers)*
            }

            #sets
        };
    }
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
            #(#mounted)*
            /// A body that is not one of the documented types, as text.
            Text(String),
            /// No body at all.
            Empty,
        }

        impl ErrorBody {
            #(#parsers)*
        }

        #sets
    }
}

/// One parser per error set the operations use: the status picks the body's
/// variant, and a status without a documented body gives `None`, so the
/// response keeps its raw text.
fn render_error_sets(api: &Api, gates: &Gates) -> TokenStream {
    let output = match &api.mount {
        None => quote!(Option<super::ErrorBody>),
        Some(_) => quote!(Option<crate::error_bodies::ErrorBody>),
    };
    let sets = api.error_sets.values().map(|set| {
        let name = ident(&set.name);
        let cfg = gates.error_set(&set.name);
        let arms = set.arms.iter().map(|arm| {
            let parse = ident(&error_sets::parser_name(&arm.variant));
            let statuses = arm
                .statuses
                .iter()
                .map(|s| proc_macro2::Literal::u16_unsuffixed(*s));
            quote!(#(#statuses)|* => super::ErrorBody::#parse(body),)
        });
        let fallback = match &set.fallback {
            Some(variant) => {
                let parse = ident(&error_sets::parser_name(variant));
                quote!(_ => super::ErrorBody::#parse(body),)
            }
            None => quote!(_ => None,),
        };
        // Parameters a set does not read are left unnamed.
        let (status, body, value) = match (set.arms.is_empty(), &set.fallback) {
            (true, None) => (quote!(_), quote!(_), quote!(None)),
            (true, Some(variant)) => {
                let parse = ident(&error_sets::parser_name(variant));
                (
                    quote!(_),
                    quote!(body),
                    quote!(super::ErrorBody::#parse(body)),
                )
            }
            (false, _) => (
                quote!(status),
                quote!(body),
                quote!(match status {
                    #(#arms)*
                    #fallback
                }),
            ),
        };
        quote! {
            #cfg
            pub(crate) fn #name(#status: u16, #body: &[u8]) -> #output {
                #value
            }
        }
    });
    quote! {
        /// The error sets of the operations: each decodes the body of a failed
        /// response by its status, as the operations sharing it document.
        pub(crate) mod sets {
            #(#sets)*
        }
    }
}
