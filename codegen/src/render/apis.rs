//! One module per tag: an accessor struct with a method per operation, and a
//! request builder per operation.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{doc_attrs, doc_attrs_with, inner_doc_attrs};
use super::gates::Gates;
use super::mount::Root;
use super::rust_type::{TypeContext, ident, type_tokens};
use crate::ir::{
    ApiModule, BodyKind, Operation, Param, ParamLocation, ParamStyle, Response, ResponseKind,
    TypeDef, TypeKind, TypeLookup, TypeRef,
};

/// Tells how parameter values are formatted, looking through aliases.
pub struct TypeIndex<'a> {
    types: TypeLookup<'a>,
}

impl<'a> TypeIndex<'a> {
    pub fn new(types: &'a [TypeDef]) -> Self {
        Self {
            types: TypeLookup::new(types),
        }
    }

    fn resolve(&self, ty: &TypeRef) -> TypeRef {
        self.types.resolve(ty).clone()
    }

    /// Whether values of this type have a `Display` fit for a URL or header.
    fn displayable(&self, ty: &TypeRef) -> bool {
        let resolved = self.types.resolve(ty);
        match self.types.kind(resolved) {
            Some(kind) => matches!(kind, TypeKind::StringEnum(_) | TypeKind::IntegerEnum(_)),
            None => resolved.is_scalar(),
        }
    }
}

pub fn render_module(
    module: &ApiModule,
    index: &TypeIndex<'_>,
    gates: &Gates,
    root: &Root<'_>,
) -> TokenStream {
    let struct_name = ident(&module.struct_name);
    let summary = format!("Operations tagged `{}`.", module.tag);
    let module_docs = inner_doc_attrs(&[Some(&summary), module.description.as_deref()]);
    let see = format!("Obtained from {}.", root.accessor_link(&module.accessor));
    let struct_docs = doc_attrs_with(&[Some(&summary)], &[&see]);
    let methods = module.operations.iter().map(render_method);
    let system_context = render_system_context(module, gates, root);
    let builders = module.operations.iter().map(|op| {
        let standalone = gates.enabled() && op.system_context;
        render_builder(
            module,
            op,
            index,
            &gates.operation(module, op),
            standalone,
            root,
        )
    });
    let root_path = root.path();
    // The module is also compiled for its System Context operations alone,
    // which may not need every import.
    let tag_cfg = gates.tag_items(module);
    let allow = (!tag_cfg.is_empty()).then(|| quote!(#[allow(unused_imports)]));
    let uses_types = module.operations.iter().any(mentions_types);
    let types_import = uses_types.then(|| {
        quote!(
            #allow
            use #root_path::types;
        )
    });
    let uses_body = module.operations.iter().any(|op| op.body.is_some());
    let body_import = uses_body.then(|| quote!(Body,));
    let reads_raw = module
        .operations
        .iter()
        .any(|op| single_success(op).is_some());
    let raw_import = reads_raw.then(|| quote!(RawResponse,));
    quote! {
        #module_docs
        #![allow(clippy::too_many_arguments, clippy::large_enum_variant, clippy::doc_lazy_continuation, clippy::doc_overindented_list_items)]

        #allow
        use #root_path::error_bodies::sets;
        #allow
        use crate::runtime::{#body_import Client, Error, #raw_import Request};
        #types_import

        #struct_docs
        #tag_cfg
        #[derive(Clone, Copy, Debug)]
        pub struct #struct_name<'a> {
            client: &'a Client,
        }

        #tag_cfg
        impl<'a> #struct_name<'a> {
            pub(crate) fn new(client: &'a Client) -> Self {
                Self { client }
            }

            #(#methods)*
        }

        #system_context

        #(#builders)*
    }
}

/// The operations of this module that accept System Context Authorization,
/// as methods of `SystemContextClient` with the same arguments.
fn render_system_context(module: &ApiModule, gates: &Gates, root: &Root) -> Option<TokenStream> {
    let (target, client) = root.system_context_target();
    let methods: Vec<TokenStream> = module
        .operations
        .iter()
        .filter_map(|op| Some((op, op.system_context_method.as_ref()?)))
        .map(|(op, name)| {
            let name = ident(name);
            let builder = ident(&op.builder_name);
            let (args, _) = required_args(op);
            let names = args.iter().map(|(field, _, _)| field);
            let params = args.iter().map(|(field, ty, _)| quote!(#field: #ty));
            // The builder is compiled wherever this method is; the tag's
            // accessor may not be (`system-context` without the tag).
            let doc = format!(
                " `{} {}` (`{}`) under System Context Authorization: the request \
                 [`{}`], as from `{}::{}`.",
                op.method,
                op.path,
                op.operation_id,
                op.builder_name,
                module.struct_name,
                op.method_name
            );
            quote! {
                #[doc = #doc]
                pub fn #name(&self, #(#params),*) -> #builder {
                    #builder::new(#client, #(#names),*)
                }
            }
        })
        .collect();
    if methods.is_empty() {
        return None;
    }
    let cfg = gates.system_context();
    Some(quote! {
        #cfg
        impl #target {
            #(#methods)*
        }
    })
}

fn mentions_types(op: &Operation) -> bool {
    op.request_types()
        .into_iter()
        .chain(op.response_types())
        .any(|ty| ty.named().is_some())
}

/// Arguments the operation cannot be sent without.
struct Required<'a> {
    params: Vec<&'a Param>,
    body: bool,
}

fn required(op: &Operation) -> Required<'_> {
    Required {
        params: op.params.iter().filter(|p| p.required).collect(),
        body: op
            .body
            .as_ref()
            .is_some_and(|b| b.required && !matches!(b.kind, BodyKind::Multipart(_))),
    }
}

fn body_type(op: &Operation) -> Option<TokenStream> {
    let body = op.body.as_ref()?;
    Some(match &body.kind {
        BodyKind::Json(ty) => type_tokens(ty, TypeContext::Elsewhere),
        BodyKind::Binary => quote!(bytes::Bytes),
        BodyKind::Text => quote!(String),
        BodyKind::Multipart(_) => return None,
    })
}

/// Argument type and conversion for a required value.
fn arg_type(ty: &TypeRef) -> (TokenStream, bool) {
    match ty {
        TypeRef::String => (quote!(impl Into<String>), true),
        other => (type_tokens(other, TypeContext::Elsewhere), false),
    }
}

fn success_type(op: &Operation) -> TokenStream {
    if let Some(name) = &op.success_enum {
        let name = ident(name);
        return quote!(#name);
    }
    match op.success.first().map(|r| &r.kind) {
        Some(kind) => kind_type(kind),
        None => quote!(()),
    }
}

fn kind_type(kind: &ResponseKind) -> TokenStream {
    match kind {
        ResponseKind::Json(ty) => type_tokens(ty, TypeContext::Elsewhere),
        ResponseKind::Empty => quote!(()),
        ResponseKind::Bytes { .. } => quote!(bytes::Bytes),
        ResponseKind::Text { .. } => quote!(String),
    }
}

/// The arguments of an operation's method: (name, type, converted with `into`).
fn required_args(op: &Operation) -> (Vec<(proc_macro2::Ident, TokenStream, bool)>, Required<'_>) {
    let req = required(op);
    let mut args = Vec::new();
    for p in &req.params {
        let (ty, into) = arg_type(&p.ty);
        args.push((ident(&p.rust_name), ty, into));
    }
    if req.body {
        let ty = body_type(op).unwrap_or_else(|| quote!(()));
        args.push((ident("body"), ty, false));
    }
    (args, req)
}

fn render_method(op: &Operation) -> TokenStream {
    let name = ident(&op.method_name);
    let builder = ident(&op.builder_name);
    let (required_args, _) = required_args(op);
    let args = required_args
        .iter()
        .map(|(field, ty, _)| quote!(#field: #ty));
    let names = required_args.iter().map(|(field, _, _)| field);
    let route = format!("`{} {}`", op.method, op.path);
    let deprecated = op.deprecated.then_some("**Deprecated.**");
    let scopes = (!op.scopes.is_empty()).then(|| {
        let list: Vec<String> = op.scopes.iter().map(|s| format!("`{s}`")).collect();
        format!("Service-account scopes: {}.", list.join(", "))
    });
    let docs = doc_attrs(&[
        op.summary.as_deref(),
        op.description.as_deref(),
        deprecated,
        Some(&route),
        scopes.as_deref(),
    ]);
    quote! {
        #docs
        pub fn #name(&self, #(#args),*) -> #builder {
            #builder::new(self.client, #(#names),*)
        }
    }
}

/// The builder's constructor, shared by the tag's method and, for System
/// Context operations, by `SystemContextClient`'s.
fn render_constructor(op: &Operation) -> TokenStream {
    let (required_args, req) = required_args(op);
    let mut args = Vec::new();
    let mut inits = Vec::new();
    for (field, ty, into) in &required_args {
        args.push(quote!(#field: #ty));
        inits.push(if *into {
            quote!(#field: #field.into())
        } else {
            quote!(#field)
        });
    }
    for p in op.params.iter().filter(|p| !p.required) {
        let field = ident(&p.rust_name);
        inits.push(quote!(#field: None));
    }
    match &op.body {
        Some(b) if !req.body => {
            if let BodyKind::Multipart(fields) = &b.kind {
                for f in fields {
                    let field = ident(&f.rust_name);
                    inits.push(quote!(#field: None));
                }
            } else {
                inits.push(quote!(body: None));
            }
        }
        _ => {}
    }
    if is_non_idempotent(op) {
        inits.push(quote!(retry_non_idempotent: false));
    }
    quote! {
        pub(crate) fn new(client: &Client, #(#args),*) -> Self {
            Self { client: client.clone(), #(#inits,)* }
        }
    }
}

pub(super) fn is_non_idempotent(op: &Operation) -> bool {
    matches!(op.method.as_str(), "POST" | "PATCH")
}

fn render_builder(
    module: &ApiModule,
    op: &Operation,
    index: &TypeIndex<'_>,
    cfg: &TokenStream,
    standalone: bool,
    root: &Root<'_>,
) -> TokenStream {
    let builder = ident(&op.builder_name);
    let req = required(op);
    let mut fields = Vec::new();
    let mut setters = Vec::new();
    for p in &op.params {
        let field = ident(&p.rust_name);
        let ty = type_tokens(&p.ty, TypeContext::Elsewhere);
        if p.required {
            let ty = if p.ty == TypeRef::String {
                quote!(String)
            } else {
                ty
            };
            fields.push(quote!(#field: #ty));
        } else {
            fields.push(quote!(#field: Option<#ty>));
            let docs = doc_attrs(&[
                p.description.as_deref(),
                p.deprecated.then_some("**Deprecated.**"),
            ]);
            setters.push(optional_setter(&field, &p.ty, &docs));
        }
    }
    if let Some(body) = &op.body {
        match &body.kind {
            BodyKind::Multipart(parts) => {
                for f in parts {
                    let field = ident(&f.rust_name);
                    let docs = doc_attrs(&[f.description.as_deref()]);
                    if f.file {
                        fields.push(quote!(#field: Option<crate::runtime::FilePart>));
                        setters.push(quote! {
                            #docs
                            pub fn #field(mut self, value: crate::runtime::FilePart) -> Self {
                                self.#field = Some(value);
                                self
                            }
                        });
                    } else {
                        let ty = type_tokens(&f.ty, TypeContext::Elsewhere);
                        fields.push(quote!(#field: Option<#ty>));
                        setters.push(optional_setter(&field, &f.ty, &docs));
                    }
                }
            }
            _ => {
                let ty = body_type(op).unwrap_or_else(|| quote!(()));
                if req.body {
                    fields.push(quote!(body: #ty));
                } else {
                    fields.push(quote!(body: Option<#ty>));
                    let docs =
                        doc_attrs(&[body.description.as_deref().or(Some("The request body."))]);
                    setters.push(quote! {
                        #docs
                        pub fn body(mut self, value: #ty) -> Self {
                            self.body = Some(value);
                            self
                        }
                    });
                }
            }
        }
    }
    if is_non_idempotent(op) {
        fields.push(quote!(retry_non_idempotent: bool));
        setters.push(quote! {
            /// Allows the client's retry policy to resend this request after a
            /// retryable failure. Off by default: a repeated non-idempotent
            /// request may apply twice.
            pub fn retry_non_idempotent(mut self, allow: bool) -> Self {
                self.retry_non_idempotent = allow;
                self
            }
        });
    }
    let constructor = render_constructor(op);
    let builder_text = op.builder_name.as_str();
    let send = render_send(op, index, root);
    let response_enum = render_response_enum(op, cfg);
    let paging = super::paging::render_paging(op);
    let method = &op.method_name;
    // A builder compiled without its tag (System Context alone) cannot
    // link to the tag's accessor.
    let docs = if !standalone {
        format!(
            " Request builder for [`{}::{}`].",
            module.struct_name, method
        )
    } else {
        format!(" Request builder for `{}::{}`.", module.struct_name, method)
    };
    quote! {
        #[doc = #docs]
        #cfg
        #[derive(Clone)]
        #[must_use = "a request does nothing until it is sent"]
        pub struct #builder {
            client: Client,
            #(#fields,)*
        }

        // Shows the request as it would be sent (encoded path, query,
        // headers, body), which says more than the fields would.
        #cfg
        impl std::fmt::Debug for #builder {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_tuple(#builder_text).field(&self.request()).finish()
            }
        }

        #cfg
        impl #builder {
            #constructor
            #(#setters)*
            #send
            #paging
        }

        #response_enum
    }
}

fn optional_setter(field: &proc_macro2::Ident, ty: &TypeRef, docs: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::String => quote! {
            #docs
            pub fn #field(mut self, value: impl Into<String>) -> Self {
                self.#field = Some(value.into());
                self
            }
        },
        TypeRef::Vec(inner) if **inner == TypeRef::String => quote! {
            #docs
            pub fn #field(mut self, values: impl IntoIterator<Item = impl Into<String>>) -> Self {
                self.#field = Some(values.into_iter().map(Into::into).collect());
                self
            }
        },
        TypeRef::Vec(inner) => {
            let inner = type_tokens(inner, TypeContext::Elsewhere);
            quote! {
                #docs
                pub fn #field(mut self, values: impl IntoIterator<Item = #inner>) -> Self {
                    self.#field = Some(values.into_iter().collect());
                    self
                }
            }
        }
        other => {
            let ty = type_tokens(other, TypeContext::Elsewhere);
            quote! {
                #docs
                pub fn #field(mut self, value: #ty) -> Self {
                    self.#field = Some(value);
                    self
                }
            }
        }
    }
}

/// The statement that adds one parameter's value to `request`, through the
/// runtime's `Request::push_*` methods.
///
/// Query values are percent-encoded item by item (RFC 6570 form expansion,
/// reserved characters kept only with `allowReserved`), so a delimiter inside
/// an item never reads as a separator. Header values are not URI components
/// and go out as text, except that the items of an array are encoded so that
/// their commas stay apart from the separators.
fn push_param(p: &Param, index: &TypeIndex<'_>) -> TokenStream {
    let name = &p.name;
    let query = p.location == ParamLocation::Query;
    let reserved = p.allow_reserved;
    let field = ident(&p.rust_name);
    let value = if p.required {
        quote!(Some(&self.#field))
    } else {
        quote!(self.#field.as_ref())
    };
    let items = if p.required {
        quote!(Some(self.#field.as_slice()))
    } else {
        quote!(self.#field.as_deref())
    };
    let resolved = index.resolve(&p.ty);
    let list = matches!(&resolved, TypeRef::Vec(inner) if index.displayable(inner));
    let text = p.style != ParamStyle::Json && (list || index.displayable(&resolved));
    match (query, text, list, p.style == ParamStyle::Repeated) {
        (true, false, _, _) => quote!(request.push_query_json(#name, #value, #reserved)?;),
        (false, false, _, _) => quote!(request.push_header_json(#name, #value)?;),
        (true, true, true, true) => quote!(request.push_query_each(#name, #items, #reserved);),
        (true, true, true, false) => quote!(request.push_query_list(#name, #items, #reserved);),
        (false, true, true, _) => quote!(request.push_header_list(#name, #items);),
        (true, true, false, _) => quote!(request.push_query(#name, #value, #reserved);),
        (false, true, false, _) => quote!(request.push_header(#name, #value);),
    }
}

fn render_send(op: &Operation, index: &TypeIndex<'_>, root: &Root<'_>) -> TokenStream {
    let method = format_ident!("{}", op.method);
    let template = &op.path;
    // The path's parameters in the order of the template's placeholders; the
    // runtime encodes each into its place.
    let segments = op.path.split('{').skip(1).map(|piece| {
        let name = piece.split_once('}').map_or(piece, |(name, _)| name);
        match op
            .params
            .iter()
            .find(|p| p.location == ParamLocation::Path && p.name == name)
        {
            Some(p) if p.ty == TypeRef::String => {
                let field = ident(&p.rust_name);
                quote!(&self.#field)
            }
            Some(p) => {
                let field = ident(&p.rust_name);
                quote!(&self.#field.to_string())
            }
            None => quote!(""),
        }
    });
    let pushes: Vec<TokenStream> = op
        .params
        .iter()
        .filter(|p| matches!(p.location, ParamLocation::Query | ParamLocation::Header))
        .map(|p| push_param(p, index))
        .collect();
    let body = op.body.as_ref().map(|b| match &b.kind {
        BodyKind::Json(_) => {
            if required(op).body {
                quote!(request.body = Body::json(&self.body)?;)
            } else {
                quote! {
                    if let Some(body) = &self.body {
                        request.body = Body::json(body)?;
                    }
                }
            }
        }
        BodyKind::Binary | BodyKind::Text => {
            let ct = &b.content_type;
            let data = if required(op).body { quote!(Some(&self.body)) } else { quote!(self.body.as_ref()) };
            quote! {
                if let Some(data) = #data {
                    request.body = Body::Bytes { content_type: #ct.to_string(), data: bytes::Bytes::from(data.clone()) };
                }
            }
        }
        BodyKind::Multipart(fields) => {
            let parts = fields.iter().map(|f| {
                let field = ident(&f.rust_name);
                let name = &f.name;
                if f.file {
                    quote! {
                        if let Some(file) = &self.#field {
                            parts.push(crate::runtime::MultipartField { name: #name.to_string(), value: crate::runtime::MultipartValue::File(file.clone()) });
                        }
                    }
                } else {
                    quote! {
                        if let Some(value) = &self.#field {
                            parts.push(crate::runtime::MultipartField { name: #name.to_string(), value: crate::runtime::MultipartValue::Text(value.to_string()) });
                        }
                    }
                }
            });
            quote! {
                let mut parts = Vec::new();
                #(#parts)*
                request.body = Body::Multipart(parts);
            }
        }
    });
    let accept = op.success.iter().find_map(|r| match &r.kind {
        ResponseKind::Bytes { accept } | ResponseKind::Text { accept } => Some(accept.clone()),
        _ => None,
    });
    let accept = accept.map(|a| quote!(request.headers.push(("accept", #a.to_string()));));
    let retry = is_non_idempotent(op)
        .then(|| quote!(request.retry_non_idempotent = self.retry_non_idempotent;));
    let errors = ident(&op.error_set);
    let errors = quote!(sets::#errors);
    let output = success_type(op);
    let mutable = (!pushes.is_empty() || body.is_some() || accept.is_some() || retry.is_some())
        .then(|| quote!(mut));
    // Only the request and the decoding differ per operation; sending,
    // retrying and the future itself are one generic runtime function.
    let send = match single_success(op) {
        Some((status, decode)) => root.send_one(quote!(request), status, decode, errors),
        None => {
            let arms = op.success.iter().map(|r| success_arm(op, r));
            root.send(
                quote!(request),
                quote!(|response| match response.status().as_u16() {
                    #(#arms)*
                    _ => Err(response.into_error(#errors)),
                }),
            )
        }
    };
    quote! {
        /// Sends the request.
        pub fn send(self) -> crate::runtime::Pending<#output> {
            let request = self.request();
            #send
        }

        fn request(&self) -> Result<Request, Error> {
            let #mutable request = Request::templated(reqwest::Method::#method, #template, &[#(#segments),*]);
            #(#pushes)*
            #body
            #accept
            #retry
            Ok(request)
        }
    }
}

fn success_arm(op: &Operation, r: &Response) -> TokenStream {
    let pattern = match r.status {
        Some(code) => {
            let code = proc_macro2::Literal::u16_unsuffixed(code);
            quote!(#code)
        }
        None => quote!(200..=299),
    };
    // Each arm is the decoding's own `Result`, without a `?` to unwrap and rewrap it.
    let decode = match &r.kind {
        ResponseKind::Json(ty) => {
            let ty = type_tokens(ty, TypeContext::Elsewhere);
            quote!(response.json::<#ty>())
        }
        ResponseKind::Empty => quote!(Ok(response.empty())),
        ResponseKind::Bytes { .. } => quote!(Ok(response.bytes())),
        ResponseKind::Text { .. } => quote!(response.text()),
    };
    match &op.success_enum {
        None => quote!(#pattern => #decode,),
        Some(name) => {
            let name = ident(name);
            let variant = ident(&r.variant);
            if r.kind == ResponseKind::Empty {
                quote!(#pattern => Ok(response.empty().map(|()| #name::#variant)),)
            } else {
                quote!(#pattern => #decode.map(|value| value.map(#name::#variant)),)
            }
        }
    }
}

/// The status and decoder of an operation with one success response and no
/// enum of them, which the runtime reads without a function of its own:
/// `None` for the others.
fn single_success(op: &Operation) -> Option<(TokenStream, TokenStream)> {
    let [response] = op.success.as_slice() else {
        return None;
    };
    if op.success_enum.is_some() {
        return None;
    }
    let decode = match &response.kind {
        ResponseKind::Json(ty) => {
            let ty = type_tokens(ty, TypeContext::Elsewhere);
            quote!(RawResponse::json::<#ty>)
        }
        ResponseKind::Empty => quote!(RawResponse::no_content),
        ResponseKind::Text { .. } => quote!(RawResponse::text),
        ResponseKind::Bytes { .. } => return None,
    };
    let status = match response.status {
        Some(code) => {
            let code = proc_macro2::Literal::u16_unsuffixed(code);
            quote!(Some(#code))
        }
        None => quote!(None),
    };
    Some((status, decode))
}

fn render_response_enum(op: &Operation, cfg: &TokenStream) -> Option<TokenStream> {
    let name = ident(op.success_enum.as_ref()?);
    let variants = op.success.iter().map(|r| {
        let variant = ident(&r.variant);
        let status = r
            .status
            .map_or("a 2xx status".to_string(), |s| format!("status {s}"));
        let docs = doc_attrs(&[
            Some(&format!("Returned with {status}.")),
            r.description.as_deref(),
        ]);
        if r.kind == ResponseKind::Empty {
            quote!(#docs #variant,)
        } else {
            let ty = kind_type(&r.kind);
            quote!(#docs #variant(#ty),)
        }
    });
    let docs = format!(
        " Success responses of [`{}`], which differ by status.",
        op.builder_name
    );
    Some(quote! {
        #[doc = #docs]
        #cfg
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
        }
    })
}
