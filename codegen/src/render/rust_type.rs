//! How a [`TypeRef`] is spelled in generated code.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::TypeRef;

/// Where a type is written: named types are local in the types module and
/// qualified everywhere else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeContext {
    Types,
    Elsewhere,
}

pub fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

pub fn type_tokens(ty: &TypeRef, ctx: TypeContext) -> TokenStream {
    match ty {
        TypeRef::Named(n) => {
            let n = ident(n);
            match ctx {
                TypeContext::Types => quote!(#n),
                TypeContext::Elsewhere => quote!(types::#n),
            }
        }
        TypeRef::String => quote!(String),
        TypeRef::Binary => quote!(crate::runtime::Binary),
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::U32 => quote!(u32),
        TypeRef::U64 => quote!(u64),
        TypeRef::F32 => quote!(f32),
        TypeRef::F64 => quote!(f64),
        TypeRef::DateTime => quote!(crate::runtime::Timestamp),
        TypeRef::Date => quote!(chrono::NaiveDate),
        TypeRef::Uuid => quote!(uuid::Uuid),
        TypeRef::Base64 => quote!(crate::runtime::Base64),
        TypeRef::Vec(inner) => {
            let inner = type_tokens(inner, ctx);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = type_tokens(inner, ctx);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        TypeRef::JsonObject => quote!(serde_json::Map<String, serde_json::Value>),
        TypeRef::Json => quote!(serde_json::Value),
    }
}
