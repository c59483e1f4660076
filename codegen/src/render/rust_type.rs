//! How a [`TypeRef`] is spelled in generated code.

use proc_macro2::{Ident, Span, TokenStream};

use crate::ir::TypeRef;
use crate::ir::spelling::rust_spelling;

/// Where a type is written: named types are local in the types module and
/// qualified everywhere else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeContext {
    Types,
    Elsewhere,
    /// A crate that depends on the client and imports its `types` and
    /// `runtime` modules (the generated tests).
    Dependent,
}

pub fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// The tokens of the type the model spells for `ty` ([`rust_spelling`]).
pub fn type_tokens(ty: &TypeRef, ctx: TypeContext) -> TokenStream {
    let mut spelled = rust_spelling(ty, &|name| match ctx {
        TypeContext::Types => name.to_string(),
        TypeContext::Elsewhere | TypeContext::Dependent => format!("types::{name}"),
    });
    if ctx == TypeContext::Dependent {
        spelled = spelled.replace("crate::", "");
    }
    spelled
        .parse()
        .unwrap_or_else(|e| panic!("`{spelled}` is not a Rust type: {e}"))
}
