//! The normalized model the renderer works from. Every `$ref` is resolved and
//! every Rust name is decided before anything reaches this shape.

use std::collections::BTreeMap;

/// A whole API, ready to render.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    /// Server URL from the document, if any.
    pub server: Option<String>,
    /// The document's servers, one per region, first the default.
    pub regions: Vec<RegionDef>,
    /// Operations grouped by their module, modules in name order.
    pub modules: Vec<ApiModule>,
    /// Named types, sorted by Rust name.
    pub types: Vec<TypeDef>,
    /// Types that appear as error bodies, sorted, each with its variant name.
    pub error_bodies: Vec<ErrorBodyVariant>,
    /// The error sets the operations use, by name.
    pub error_sets: std::collections::BTreeMap<String, super::error_sets::ErrorSet>,
    pub report: Report,
    /// The API's generator settings, for what the renderer names.
    pub settings: crate::settings::Settings,
    /// Where the client lives when the document is not the crate's main
    /// one (the settings' `module`).
    pub mount: Option<Mount>,
    /// The documents mounted beside this one (the main document's only):
    /// its error bodies have a variant for each one's.
    pub mounted: Vec<Mount>,
}

/// A document whose client lives in a module of its own beside the crate's
/// main document (`crate::v1`), with its own types, error bodies and base
/// URLs, sharing the runtime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mount {
    /// The module (`v1`): `crate::v1`, files under `src/v1/`, and the cargo
    /// feature that compiles it.
    pub module: String,
    /// What `Client::v1()` returns (`V1`), the tags' accessors on it.
    pub handle: String,
    /// The `ClientBuilder` method that overrides the document's base URL
    /// (`v1_base_url`).
    pub base_url_setter: String,
    /// What `SystemContextClient::v1()` returns (`SystemContextV1`): the
    /// document's operations a system may call about itself.
    pub system_context_handle: String,
}

/// One server of the document as a variant of the client's `Region`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionDef {
    /// The Rust variant (`Us`).
    pub variant: String,
    /// The region code the document gives (the settings' region extension,
    /// `x-jc-region` for JumpCloud), if it gives one.
    pub code: Option<String>,
    pub url: String,
    pub description: Option<String>,
}

/// What a generation decided that a reviewer should see.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    pub operations_in_spec: usize,
    pub schemas_in_spec: usize,
    /// Names changed to avoid a collision: (JSON pointer, wanted, given).
    pub renames: Vec<Rename>,
    /// Places typed as `serde_json::Value` although the schema says something
    /// the generator could not express: real losses of type information.
    pub fallbacks: Vec<String>,
    /// Places typed as `serde_json::Value` because the schema allows any value
    /// (`{}` or no `type` at all): the one legitimate use of `Value`.
    pub free_form: Vec<String>,
    /// Construct name -> how many times the generator produced it.
    pub constructs: BTreeMap<&'static str, usize>,
    /// The format the document was written in (`OpenAPI 3.1`, …).
    pub format: &'static str,
    /// What the front end approximated or did not use, bringing the
    /// document to OpenAPI 3.0.
    pub front_end: Vec<crate::load::Note>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Rename {
    pub pointer: String,
    pub wanted: String,
    pub given: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ApiModule {
    /// Rust module name (snake case).
    pub module: String,
    /// Accessor struct name (Pascal case), e.g. `Systems`.
    pub struct_name: String,
    /// Accessor method on the client, e.g. `systems`.
    pub accessor: String,
    /// The tag as written in the document.
    pub tag: String,
    pub description: Option<String>,
    pub operations: Vec<Operation>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    pub operation_id: String,
    pub pointer: String,
    pub method: String,
    pub path: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    /// Method name on the module accessor.
    pub method_name: String,
    /// Request builder type name.
    pub builder_name: String,
    pub params: Vec<Param>,
    pub body: Option<RequestBody>,
    pub success: Vec<Response>,
    /// Name of the enum generated when success responses differ in shape.
    pub success_enum: Option<String>,
    /// Error responses by status; `None` status means `default`.
    pub errors: Vec<ErrorResponse>,
    /// The name of the error set reading `errors`, in [`Api::error_sets`].
    pub error_set: String,
    pub pagination: Option<Pagination>,
    /// The operation accepts System Context Authorization: the document
    /// declares its `Authorization`/`Date` header parameters, which the
    /// overlay records as `x-system-context: true`.
    pub system_context: bool,
    /// The operation's method under System Context (when it accepts it):
    /// on `SystemContextClient` for the main document, named as on its
    /// tag's accessor; on the document's System Context handle
    /// ([`Mount::system_context_handle`]) for a mounted one, named after
    /// the tag and the method (`systems_get`), since one handle holds
    /// every tag's.
    pub system_context_method: Option<String>,
    /// The scopes a service account needs for the call, as the document
    /// lists them (the settings' scopes extension).
    pub scopes: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    /// One value, or an array joined with commas (`simple`, or `form` without explode).
    Joined,
    /// An array sent as repeated `name=value` pairs (`form` with explode).
    Repeated,
    /// A value serialized as JSON text (`content` parameters, objects).
    Json,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub name: String,
    pub rust_name: String,
    pub location: ParamLocation,
    pub required: bool,
    pub ty: TypeRef,
    pub style: ParamStyle,
    /// `allowReserved: true`: reserved characters are sent unencoded.
    pub allow_reserved: bool,
    pub description: Option<String>,
    pub deprecated: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    pub content_type: String,
    pub kind: BodyKind,
    pub required: bool,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum BodyKind {
    Json(TypeRef),
    /// `multipart/form-data`, one field per property.
    Multipart(Vec<MultipartField>),
    /// Raw bytes with the given content type.
    Binary,
    /// Text (`text/*`).
    Text,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MultipartField {
    pub name: String,
    pub rust_name: String,
    pub required: bool,
    pub file: bool,
    /// For non-file fields, the type sent as text.
    pub ty: TypeRef,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// Status code; `None` for a `2XX` range or a success `default`.
    pub status: Option<u16>,
    pub kind: ResponseKind,
    /// Variant name in the success enum, when there is one.
    pub variant: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ResponseKind {
    Json(TypeRef),
    Empty,
    Bytes { accept: String },
    Text { accept: String },
}

#[derive(Debug, Clone, PartialEq)]
pub struct ErrorResponse {
    pub status: Option<u16>,
    /// Variant of the crate's error body enum, when the body is typed JSON.
    pub body: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ErrorBodyVariant {
    pub variant: String,
    pub ty: TypeRef,
}

/// Paging detected on a list operation: how the next page is asked for,
/// and where a page's items are.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    pub kind: PagingKind,
    pub items: PageItems,
    /// The type of one item.
    pub item: TypeRef,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PagingKind {
    /// `limit`/`skip` query parameters, by their Rust names.
    Offset(OffsetPaging),
    /// A cursor from a response header, sent back in the JSON query.
    Cursor(CursorPaging),
}

#[derive(Debug, Clone, PartialEq)]
pub struct OffsetPaging {
    pub limit: String,
    pub skip: String,
    pub sort: Option<String>,
    /// Sort key used while streaming when the caller sets none.
    pub default_sort: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CursorPaging {
    /// The request body's property the cursor goes into.
    pub cursor_field: BodyField,
    /// The request body's property holding the page size, if any.
    pub limit_field: Option<BodyField>,
    pub cursor_header: String,
    pub count_header: String,
    pub limit_header: String,
    /// Page requests may be sent again after a failure: the query only
    /// reads and the cursor is data in the request.
    pub read_only: bool,
}

/// Where a page's items are in the success body.
#[derive(Debug, Clone, PartialEq)]
pub enum PageItems {
    /// The body is the array of items.
    Body,
    /// The body is an object: the items are one property, and another may
    /// count the whole collection.
    Field {
        items: BodyField,
        total: Option<BodyField>,
    },
}

/// A property of a struct, as Rust code reaches it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyField {
    pub rust_name: String,
    /// The `Option`s around the value: 0 when required, 1 when optional
    /// or nullable, 2 when both (`Option<Option<T>>`).
    pub options: u8,
}

impl BodyField {
    /// The field as its struct spells it.
    pub fn of(field: &Field) -> BodyField {
        BodyField {
            rust_name: field.rust_name.clone(),
            options: u8::from(!field.required) + u8::from(field.nullable),
        }
    }
}

/// A named Rust type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub name: String,
    /// Where the schema lives in the document.
    pub pointer: String,
    pub description: Option<String>,
    pub kind: TypeKind,
    /// The schema's `example`, kept for the round-trip test.
    pub example: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct(StructDef),
    /// A string enum with a catch-all variant.
    StringEnum(Vec<EnumValue>),
    /// An integer enum, kept as a newtype with named constants.
    IntegerEnum(Vec<(String, i64)>),
    /// `oneOf` / `anyOf`.
    Union(UnionDef),
    /// Another type under this name (arrays, primitives, single-`$ref` wrappers).
    Alias(TypeRef),
}

#[derive(Debug, Clone, PartialEq)]
pub struct StructDef {
    pub fields: Vec<Field>,
    /// Value type of `additionalProperties`, kept in a flattened map.
    pub additional: Option<TypeRef>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: String,
    pub rust_name: String,
    pub ty: TypeRef,
    pub required: bool,
    pub nullable: bool,
    pub read_only: bool,
    pub deprecated: bool,
    pub description: Option<String>,
    /// Filled in after all types are known: the field type contains its
    /// parent without indirection and must be boxed.
    pub boxed: bool,
    /// The property's own `example`, kept for the round-trip test.
    pub example: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumValue {
    pub value: String,
    pub rust_name: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionDef {
    pub variants: Vec<UnionVariant>,
    /// The property that tags the union, when the spec names one.
    pub discriminator: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    pub rust_name: String,
    pub ty: TypeRef,
    /// Discriminator value selecting this variant.
    pub tag: Option<String>,
}

/// A use of a type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef {
    Named(String),
    String,
    Bool,
    I32,
    I64,
    U32,
    U64,
    F32,
    F64,
    DateTime,
    Date,
    Uuid,
    Base64,
    /// Raw bytes (`format: binary` outside multipart).
    Binary,
    Vec(Box<TypeRef>),
    Map(Box<TypeRef>),
    /// A value that may be JSON `null`, spelled `Option<T>`: the items of an
    /// array or the values of a map whose schema is nullable
    /// (`Vec<Option<T>>`). Only the IR wraps a type in it, and only there;
    /// a nullable property keeps its type and sets [`Field::nullable`].
    Nullable(Box<TypeRef>),
    /// A free-form JSON object.
    JsonObject,
    /// Any JSON value: the only untyped fallback.
    Json,
}

impl Operation {
    /// The types the operation sends: parameters and the JSON or form body.
    pub fn request_types(&self) -> Vec<&TypeRef> {
        let mut out: Vec<&TypeRef> = self.params.iter().map(|p| &p.ty).collect();
        match self.body.as_ref().map(|b| &b.kind) {
            Some(BodyKind::Json(ty)) => out.push(ty),
            Some(BodyKind::Multipart(fields)) => out.extend(fields.iter().map(|f| &f.ty)),
            _ => {}
        }
        out
    }

    /// The types of its JSON success bodies (error bodies are crate-wide
    /// variants, see [`ErrorResponse::body`]).
    pub fn response_types(&self) -> Vec<&TypeRef> {
        self.success
            .iter()
            .filter_map(|r| match &r.kind {
                ResponseKind::Json(ty) => Some(ty),
                _ => None,
            })
            .collect()
    }
}

impl TypeKind {
    /// The type uses a definition mentions directly: fields, kept
    /// properties, union members, an alias's target.
    pub fn type_uses(&self) -> Vec<&TypeRef> {
        match self {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .map(|f| &f.ty)
                .chain(&s.additional)
                .collect(),
            TypeKind::Union(u) => u.variants.iter().map(|v| &v.ty).collect(),
            TypeKind::Alias(ty) => vec![ty],
            TypeKind::StringEnum(_) | TypeKind::IntegerEnum(_) => Vec::new(),
        }
    }
}

impl TypeRef {
    /// An array item or map value whose schema is `nullable`: `ty` wrapped in
    /// [`TypeRef::Nullable`], unless `ty` already holds `null` (any JSON
    /// value, or a type already nullable).
    pub fn nullable(ty: TypeRef) -> TypeRef {
        match ty {
            TypeRef::Json | TypeRef::Nullable(_) => ty,
            other => TypeRef::Nullable(Box::new(other)),
        }
    }

    /// The type with nullable items and values made plain, for the places
    /// whose text forms have no `null` (parameters, form fields).
    pub fn without_null(&self) -> TypeRef {
        match self {
            TypeRef::Nullable(inner) => inner.without_null(),
            TypeRef::Vec(inner) => TypeRef::Vec(Box::new(inner.without_null())),
            TypeRef::Map(inner) => TypeRef::Map(Box::new(inner.without_null())),
            other => other.clone(),
        }
    }

    /// The named type inside this use, looking through arrays, maps and
    /// nullable items.
    pub fn named(&self) -> Option<&str> {
        match self {
            TypeRef::Named(name) => Some(name),
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => inner.named(),
            _ => None,
        }
    }

    /// Whether the type implements `Display` suitably for a query or header value.
    pub fn is_scalar(&self) -> bool {
        !matches!(
            self,
            TypeRef::Vec(_)
                | TypeRef::Map(_)
                | TypeRef::Nullable(_)
                | TypeRef::JsonObject
                | TypeRef::Json
        )
    }
}
