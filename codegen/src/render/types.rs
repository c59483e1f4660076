//! Named types: structs, enums, unions and aliases.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::doc_attrs;
use super::gates::Gates;
use super::rust_type::{TypeContext, ident, type_tokens};
use crate::ir::names::{CATCH_ALL, type_name};
use crate::ir::{Field, StructDef, TypeDef, TypeKind, TypeRef, UnionDef};

/// The items of `types`, in order, after `header` (the file's attributes and
/// imports, from [`file_header`], for the first run of types).
pub fn render_types(types: &[TypeDef], header: Option<TokenStream>, gates: &Gates) -> TokenStream {
    let items = types
        .iter()
        .map(|def| render_type(def, &gates.type_def(&def.name)));
    quote! {
        #header
        #(#items)*
    }
}

/// The attributes and imports at the top of `types.rs`. The runtime's
/// `decode` and `encode` modules are imported when a struct or an enum
/// uses them; with per-feature gating, a build may compile none of those.
pub fn file_header(types: &[TypeDef], gates: &Gates) -> TokenStream {
    let uses = |wanted: fn(&TypeKind) -> bool| types.iter().any(|def| wanted(&def.kind));
    let decode = uses(|kind| matches!(kind, TypeKind::Struct(_) | TypeKind::StringEnum(_)));
    let encode = uses(|kind| matches!(kind, TypeKind::Struct(_)));
    let allow = gates.enabled().then(|| quote!(#[allow(unused_imports)]));
    let import = match (decode, encode) {
        (true, true) => Some(quote!(#allow use crate::runtime::{decode, encode};)),
        (true, false) => Some(quote!(#allow use crate::runtime::decode;)),
        (false, _) => None,
    };
    quote! {
        #![allow(clippy::large_enum_variant, clippy::doc_lazy_continuation, clippy::doc_overindented_list_items)]
        #import
    }
}

/// `cfg` goes on every item the type renders: the features that compile it.
fn render_type(def: &TypeDef, cfg: &TokenStream) -> TokenStream {
    let source = format!("Generated from `{}`.", def.pointer);
    let docs = doc_attrs(&[def.description.as_deref(), Some(&source)]);
    let name = ident(&def.name);
    match &def.kind {
        TypeKind::Struct(s) => render_struct(&name, &docs, s, cfg),
        TypeKind::StringEnum(values) => {
            let catch_all = ident(CATCH_ALL);
            let variants = values.iter().map(|v| {
                let variant = ident(&v.rust_name);
                let wire = &v.value;
                // A value whose natural name is the catch-all's was renamed
                // (`UnknownValue`); say so where users look, so the two are not
                // taken for one another.
                let doc = (type_name(wire) == CATCH_ALL).then(|| {
                    let doc = format!(
                        " The documented value `{wire}`; a value this client does not know is [`Self::{CATCH_ALL}`]."
                    );
                    quote!(#[doc = #doc])
                });
                quote!(#doc #variant,)
            });
            let arms = values.iter().map(|v| {
                let variant = ident(&v.rust_name);
                let wire = &v.value;
                quote!(Self::#variant => #wire,)
            });
            let decode_arms = values.iter().map(|v| {
                let variant = ident(&v.rust_name);
                let wire = &v.value;
                quote!(#wire => Self::#variant,)
            });
            quote! {
                #docs
                ///
                /// Values the document adds later become new variants in a minor release.
                /// Compared, hashed and ordered by wire value, so `Unknown` holding a known
                /// value equals that variant and a new variant never reorders the others.
                #cfg
                #[derive(Debug, Clone)]
                #[non_exhaustive]
                pub enum #name {
                    #(#variants)*
                    /// A value this version of the client does not know; kept verbatim.
                    #catch_all(String),
                }

                #cfg
                impl #name {
                    /// The value as it appears on the wire.
                    pub fn as_str(&self) -> &str {
                        match self {
                            #(#arms)*
                            Self::#catch_all(value) => value,
                        }
                    }
                }

                #cfg
                impl std::fmt::Display for #name {
                    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(self.as_str())
                    }
                }

                #cfg
                impl PartialEq for #name {
                    fn eq(&self, other: &Self) -> bool {
                        self.as_str() == other.as_str()
                    }
                }

                #cfg
                impl Eq for #name {}

                #cfg
                impl std::hash::Hash for #name {
                    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
                        self.as_str().hash(state);
                    }
                }

                #cfg
                impl PartialOrd for #name {
                    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
                        Some(self.cmp(other))
                    }
                }

                #cfg
                impl Ord for #name {
                    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
                        self.as_str().cmp(other.as_str())
                    }
                }

                #cfg
                impl serde::Serialize for #name {
                    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                        serializer.serialize_str(self.as_str())
                    }
                }

                #cfg
                impl<'de> serde::Deserialize<'de> for #name {
                    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        let value = decode::Str::decode(deserializer)?;
                        Ok(match value.as_str() {
                            #(#decode_arms)*
                            _ => Self::#catch_all(value.into_owned()),
                        })
                    }
                }
            }
        }
        TypeKind::IntegerEnum(values) => {
            let consts = values.iter().map(|(n, v)| {
                let c = format_ident!("{}", n.to_uppercase());
                quote!(pub const #c: Self = Self(#v);)
            });
            quote! {
                #docs
                ///
                /// An integer enumeration kept open: values added by the server decode too.
                #cfg
                #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
                #[serde(transparent)]
                pub struct #name(pub i64);

                #cfg
                impl #name {
                    #(#consts)*
                }

                #cfg
                impl std::fmt::Display for #name {
                    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        self.0.fmt(f)
                    }
                }
            }
        }
        TypeKind::Union(u) => render_union(&name, &docs, u, cfg),
        TypeKind::Alias(ty) => {
            let ty = type_tokens(ty, TypeContext::Types);
            quote! {
                #docs
                #cfg
                pub type #name = #ty;
            }
        }
    }
}

fn field_type(f: &Field) -> TokenStream {
    let inner = type_tokens(&f.ty, TypeContext::Types);
    let inner = if f.boxed { quote!(Box<#inner>) } else { inner };
    match (f.required, f.nullable) {
        (true, false) => inner,
        (true, true) | (false, false) => quote!(Option<#inner>),
        (false, true) => quote!(Option<Option<#inner>>),
    }
}

fn render_struct(
    name: &proc_macro2::Ident,
    docs: &TokenStream,
    s: &StructDef,
    cfg: &TokenStream,
) -> TokenStream {
    let fields = s.fields.iter().map(|f| {
        let field = ident(&f.rust_name);
        let ty = field_type(f);
        let mut notes = Vec::new();
        if f.read_only {
            notes.push("Read-only: set by the server and ignored in requests.");
        }
        if f.nullable && !f.required {
            notes.push("`None` leaves the field out; `Some(None)` sends `null`.");
        }
        if f.deprecated {
            notes.push("**Deprecated.**");
        }
        let mut paragraphs = vec![f.description.as_deref()];
        paragraphs.extend(notes.into_iter().map(Some));
        let docs = doc_attrs(&paragraphs);
        quote! {
            #docs
            pub #field: #ty,
        }
    });
    // Every struct keeps the properties it does not name, so a field the
    // document forgot survives a read-modify-write round trip.
    let additional = match &s.additional {
        Some(ty) => {
            let ty = type_tokens(ty, TypeContext::Types);
            quote! {
                /// Properties not named in the schema (`additionalProperties`).
                pub additional_properties: std::collections::BTreeMap<String, #ty>,
            }
        }
        None => quote! {
            /// Properties the document does not describe, kept verbatim.
            pub additional_properties: serde_json::Map<String, serde_json::Value>,
        },
    };
    let required: Vec<&Field> = s.fields.iter().filter(|f| f.required).collect();
    let derive_default = required.is_empty().then(|| quote!(Default,));
    let constructor = (!required.is_empty()).then(|| {
        let takes_into = |f: &Field| f.ty == TypeRef::String && !f.nullable && !f.boxed;
        let args = required.iter().map(|f| {
            let field = ident(&f.rust_name);
            if takes_into(f) {
                quote!(#field: impl Into<String>)
            } else {
                let ty = field_type(f);
                quote!(#field: #ty)
            }
        });
        let inits = s.fields.iter().map(|f| {
            let field = ident(&f.rust_name);
            if f.required && takes_into(f) {
                quote!(#field: #field.into())
            } else if f.required {
                quote!(#field)
            } else {
                quote!(#field: None)
            }
        });
        let additional_init = quote!(additional_properties: Default::default(),);
        quote! {
            #cfg
            impl #name {
                /// Builds the value from its required fields; optional fields start unset.
                #[allow(clippy::too_many_arguments)]
                pub fn new(#(#args),*) -> Self {
                    Self { #(#inits,)* #additional_init }
                }
            }
        }
    });
    let encode = render_encode(name, s, cfg);
    let decode = render_decode(name, s, cfg);
    quote! {
        #docs
        #cfg
        #[derive(Debug, Clone, PartialEq, #derive_default)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #additional
        }
        #constructor
        #encode
        #decode
    }
}

/// The struct's `Serialize`: the fields in order, an unset optional one
/// left out (`Some(None)` is `null`), then the kept properties. One call per
/// field on the runtime's writer, which keeps the first error: a derive
/// would expand to far more code per struct.
fn render_encode(name: &proc_macro2::Ident, s: &StructDef, cfg: &TokenStream) -> TokenStream {
    let entries = s.fields.iter().map(|f| {
        let field = ident(&f.rust_name);
        let wire = &f.name;
        if f.required {
            quote!(object.field(#wire, &self.#field);)
        } else {
            quote!(object.optional(#wire, &self.#field);)
        }
    });
    quote! {
        #cfg
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut object = encode::ObjectWriter::begin(serializer)?;
                #(#entries)*
                object.rest(&self.additional_properties);
                object.end()
            }
        }
    }
}

/// The struct's `Deserialize`: one match from key to field, with the shared
/// visitor and helpers in `runtime::decode`.
///
/// A struct without required fields has a `Default`, and decodes into it
/// field by field; one with required fields collects them first and fails
/// if one is missing.
fn render_decode(name: &proc_macro2::Ident, s: &StructDef, cfg: &TokenStream) -> TokenStream {
    // A required value, or a nullable optional one (`null` is `Some(None)`),
    // is wrapped; for the rest `null` and absence are both `None`.
    let helper = |f: &Field| {
        if f.required || f.nullable {
            quote!(decode::value)
        } else {
            quote!(decode::optional)
        }
    };
    let decode_entries = if s.fields.iter().all(|f| !f.required) {
        let arms = s.fields.iter().map(|f| {
            let field = ident(&f.rust_name);
            let wire = &f.name;
            let helper = helper(f);
            quote!(#wire => #helper(&mut map, &mut this.#field),)
        });
        quote! {
            fn decode_entries<'de, A: serde::de::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
                let mut this = Self::default();
                while let Some(key) = map.next_key::<decode::Str<'de>>()? {
                    match key.as_str() {
                        #(#arms)*
                        _ => decode::keep(&mut map, &mut this.additional_properties, key),
                    }?;
                }
                Ok(this)
            }
        }
    } else {
        // Locals are named after the fields; the two helper names avoid them.
        let taken: Vec<&str> = s.fields.iter().map(|f| f.rust_name.as_str()).collect();
        let free = |base: &str| {
            let mut candidate = base.to_string();
            while taken.contains(&candidate.as_str()) {
                candidate.push('_');
            }
            format_ident!("{}", candidate)
        };
        let map = free("map");
        let key = free("key");
        let rest = match &s.additional {
            Some(_) => quote!(std::collections::BTreeMap::new()),
            None => quote!(serde_json::Map::new()),
        };
        let locals = s.fields.iter().map(|f| {
            let field = ident(&f.rust_name);
            quote!(let mut #field = None;)
        });
        let arms = s.fields.iter().map(|f| {
            let field = ident(&f.rust_name);
            let wire = &f.name;
            let helper = helper(f);
            quote!(#wire => #helper(&mut #map, &mut #field),)
        });
        let inits = s.fields.iter().map(|f| {
            let field = ident(&f.rust_name);
            let wire = &f.name;
            match (f.required, f.nullable) {
                (true, false) => quote!(#field: decode::required(#field, #wire)?),
                // Required but nullable: absent reads as `null`.
                (true, true) => quote!(#field: #field.flatten()),
                _ => quote!(#field),
            }
        });
        quote! {
            fn decode_entries<'de, A: serde::de::MapAccess<'de>>(mut #map: A) -> Result<Self, A::Error> {
                #(#locals)*
                let mut additional_properties = #rest;
                while let Some(#key) = #map.next_key::<decode::Str<'de>>()? {
                    match #key.as_str() {
                        #(#arms)*
                        _ => decode::keep(&mut #map, &mut additional_properties, #key),
                    }?;
                }
                Ok(Self { #(#inits,)* additional_properties })
            }
        }
    };
    quote! {
        #cfg
        impl decode::DecodeObject for #name {
            #decode_entries
        }

        #cfg
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                decode::decode_object(deserializer)
            }
        }
    }
}

fn render_union(
    name: &proc_macro2::Ident,
    docs: &TokenStream,
    u: &UnionDef,
    cfg: &TokenStream,
) -> TokenStream {
    let variants = u.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let ty = type_tokens(&v.ty, TypeContext::Types);
        let boxed = matches!(v.ty, TypeRef::Named(_));
        let ty = if boxed { quote!(Box<#ty>) } else { ty };
        quote!(#variant(#ty),)
    });
    match &u.discriminator {
        None => quote! {
            #docs
            #cfg
            #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
            #[serde(untagged)]
            #[non_exhaustive]
            pub enum #name {
                #(#variants)*
            }
        },
        Some(property) => {
            let arms = u.variants.iter().map(|v| {
                let variant = ident(&v.rust_name);
                let tag = v.tag.clone().unwrap_or_default();
                quote!(Some(#tag) => serde_json::from_value(value).map(|v| Self::#variant(Box::new(v))).map_err(serde::de::Error::custom),)
            });
            let catch_all = ident(CATCH_ALL);
            let tagged = format!(
                " Tagged by the `{property}` property; an unknown tag is kept as [`{name}::{CATCH_ALL}`]."
            );
            quote! {
                #docs
                ///
                #[doc = #tagged]
                #cfg
                #[derive(Debug, Clone, PartialEq, serde::Serialize)]
                #[serde(untagged)]
                #[non_exhaustive]
                pub enum #name {
                    #(#variants)*
                    /// A variant this version of the client does not know; kept verbatim.
                    #catch_all(serde_json::Value),
                }

                #cfg
                impl<'de> serde::Deserialize<'de> for #name {
                    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        let value = serde_json::Value::deserialize(deserializer)?;
                        match value.get(#property).and_then(serde_json::Value::as_str) {
                            #(#arms)*
                            _ => Ok(Self::#catch_all(value)),
                        }
                    }
                }
            }
        }
    }
}
