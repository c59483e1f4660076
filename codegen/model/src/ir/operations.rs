//! Turns path items into operations grouped by tag.

use std::collections::BTreeMap;

use openapiv3::{
    MediaType, OpenAPI, Parameter, ParameterData, ParameterSchemaOrContent, PathItem, QueryStyle,
    ReferenceOr, RequestBody as SpecRequestBody, Response as SpecResponse, StatusCode,
};

use super::lock::{NameLock, operation_key};
use super::model::{
    ApiModule, BodyKind, ErrorBodyVariant, ErrorResponse, MultipartField, Operation, Param,
    ParamLocation, ParamStyle, RequestBody, Response, ResponseKind, TypeRef,
};
use super::names::{Namespace, type_name, value_name};
use super::types::TypeResolver;
use super::view::{SchemaOrBox, view};
use crate::error::{CodegenError, Result, push_pointer};

/// Operation extension marking System Context Authorization (set by an overlay).
const SYSTEM_CONTEXT_EXTENSION: &str = "x-system-context";

/// Builder methods a parameter setter must not shadow.
const BUILDER_METHODS: &[&str] = &[
    "send",
    "request",
    "stream",
    "collect_all",
    "body",
    "retry_non_idempotent",
    "client",
    "new",
];

/// Names runtime items take in generated operation modules.
const RUNTIME_NAMES: &[&str] = &[
    "Client",
    "Request",
    "Body",
    "Error",
    "ResponseValue",
    "RawResponse",
    "ErrorBody",
    "FilePart",
    "Method",
    "Stream",
    "Future",
    "Result",
    "Option",
    "String",
    "Vec",
];

pub struct OperationBuilder<'a, 'r> {
    pub spec: &'a OpenAPI,
    /// The Rust names in use, kept where the operation still exists.
    pub names: &'a NameLock,
    /// The operation extension that lists scopes, if the settings name one.
    pub scopes_extension: Option<&'a str>,
    pub file: &'a std::path::Path,
    pub types: &'r mut TypeResolver<'a>,
    pub error_bodies: Vec<ErrorBodyVariant>,
    error_names: Namespace,
}

impl<'a, 'r> OperationBuilder<'a, 'r> {
    pub fn new(
        spec: &'a OpenAPI,
        names: &'a NameLock,
        file: &'a std::path::Path,
        types: &'r mut TypeResolver<'a>,
    ) -> Self {
        Self {
            spec,
            names,
            scopes_extension: None,
            file,
            types,
            error_bodies: Vec::new(),
            error_names: Namespace::with_reserved(&["Text", "Empty"]),
        }
    }

    pub fn build(&mut self) -> Result<(Vec<ApiModule>, usize)> {
        let mut by_tag: BTreeMap<String, Vec<Operation>> = BTreeMap::new();
        let mut count = 0;
        let mut builder_names = Namespace::with_reserved(RUNTIME_NAMES);
        // Every operation of the document, in document order.
        let mut all = Vec::new();
        for (path, item) in &self.spec.paths.paths {
            let path_pointer = push_pointer("/paths", path);
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { .. } => {
                    return Err(CodegenError::new(
                        self.file,
                        path_pointer,
                        "path item references are not supported",
                    ));
                }
            };
            for (method, op) in operations_of(item) {
                all.push((path, path_pointer.clone(), item, method, op));
            }
        }
        // Locked builder names first, so a new operation cannot take one.
        let lock = &self.names.operations;
        let locked = |path: &str, method: &str| lock.get(&operation_key(method, path));
        for (path, _, _, method, _) in &all {
            if let Some(l) = locked(path, method) {
                builder_names.reserve(&l.builder);
            }
        }
        let mut taken = std::collections::BTreeSet::new();
        for (path, path_pointer, item, method, op) in all {
            count += 1;
            let pointer = push_pointer(&path_pointer, method);
            let tag = op
                .tags
                .first()
                .cloned()
                .unwrap_or_else(|| "default".to_string());
            let operation_id = op
                .operation_id
                .clone()
                .unwrap_or_else(|| format!("{method} {path}"));
            let builder_name = match locked(path, method) {
                Some(l) if taken.insert(l.builder.clone()) => l.builder.clone(),
                _ => builder_names.claim(
                    &type_name(&operation_id),
                    &pointer,
                    &mut self.types.report.renames,
                ),
            };
            let operation =
                self.operation(path, method, item, op, &pointer, operation_id, builder_name)?;
            by_tag.entry(tag).or_default().push(operation);
        }
        // A prefix every operation id of the document shares
        // (`directoryInsights_` in Directory Insights) tells no operation
        // from another: method names leave it out.
        let shared_prefix =
            shared_id_prefix(by_tag.values().flatten().map(|op| op.operation_id.as_str()));
        let mut modules = Vec::new();
        let mut module_names =
            Namespace::with_reserved(&["types", "error_bodies", "runtime", "apis"]);
        // A tag's struct shares its Rust module with the request builders, so
        // the two take names from one namespace; a tag named like one of its
        // operations (`search` / `search`) gets the `Api` suffix.
        let struct_names = &mut builder_names;
        for (tag, mut operations) in by_tag {
            let pointer = format!("/tags/{tag}");
            let module =
                module_names.claim(&value_name(&tag), &pointer, &mut self.types.report.renames);
            let wanted = type_name(&tag);
            let wanted = if struct_names.contains(&wanted) {
                format!("{wanted}Api")
            } else {
                wanted
            };
            let struct_name = struct_names.claim(&wanted, &pointer, &mut self.types.report.renames);
            let prefix = format!("{}_", value_name(&tag));
            let mut methods = Namespace::with_reserved(&["new", "client"]);
            operations.sort_by(|a, b| a.operation_id.cmp(&b.operation_id));
            let locked_method = |op: &Operation| {
                self.names
                    .operations
                    .get(&operation_key(&op.method, &op.path))
                    .map(|l| l.method.clone())
            };
            for op in &operations {
                if let Some(method) = locked_method(op) {
                    methods.reserve(&method);
                }
            }
            let mut taken_methods = std::collections::BTreeSet::new();
            for op in &mut operations {
                if let Some(method) = locked_method(op)
                    && taken_methods.insert(method.clone())
                {
                    op.method_name = method;
                    continue;
                }
                let full = value_name(&op.operation_id);
                let full = shared_prefix
                    .as_deref()
                    .and_then(|shared| full.strip_prefix(shared))
                    .filter(|rest| {
                        !rest.is_empty() && !rest.starts_with(|c: char| c.is_ascii_digit())
                    })
                    .map(value_name)
                    .unwrap_or(full);
                let short = full
                    .strip_prefix(&prefix)
                    .filter(|rest| {
                        !rest.is_empty() && !rest.starts_with(|c: char| c.is_ascii_digit())
                    })
                    // What is left may be a keyword (`stores_self` → `self`).
                    .map(value_name)
                    .unwrap_or(full);
                op.method_name = methods.claim(&short, &op.pointer, &mut self.types.report.renames);
            }
            operations.sort_by(|a, b| a.method_name.cmp(&b.method_name));
            let description = self
                .spec
                .tags
                .iter()
                .find(|t| t.name == tag)
                .and_then(|t| t.description.clone());
            modules.push(ApiModule {
                accessor: module.clone(),
                module,
                struct_name,
                tag,
                description,
                operations,
            });
        }
        Ok((modules, count))
    }

    #[allow(clippy::too_many_arguments)]
    fn operation(
        &mut self,
        path: &str,
        method: &str,
        item: &PathItem,
        op: &openapiv3::Operation,
        pointer: &str,
        operation_id: String,
        builder_name: String,
    ) -> Result<Operation> {
        let hint = type_name(&operation_id);
        let mut params = Vec::new();
        let mut names = Namespace::with_reserved(BUILDER_METHODS);
        // Operation parameters override path-level ones with the same name and location.
        let mut merged: Vec<(String, &ReferenceOr<Parameter>)> = Vec::new();
        for (i, p) in item.parameters.iter().enumerate() {
            merged.push((
                crate::pointer::push_all("/paths", &[path, "parameters", &i.to_string()]),
                p,
            ));
        }
        for (i, p) in op.parameters.iter().enumerate() {
            merged.push((format!("{pointer}/parameters/{i}"), p));
        }
        let mut resolved: Vec<(String, Parameter)> = Vec::new();
        for (at, p) in merged {
            let parameter = self.resolve_parameter(p, &at)?;
            let key = (
                parameter.parameter_data_ref().name.clone(),
                location_of(&parameter),
            );
            resolved.retain(|(_, existing)| {
                (
                    existing.parameter_data_ref().name.clone(),
                    location_of(existing),
                ) != key
            });
            resolved.push((at, parameter));
        }
        for (at, parameter) in &resolved {
            params.push(self.param(parameter, at, &hint, &mut names));
        }
        for segment in path_params(path) {
            if !params
                .iter()
                .any(|p| p.location == ParamLocation::Path && p.name == segment)
            {
                return Err(CodegenError::new(
                    self.file,
                    pointer,
                    format!("path parameter `{segment}` is not declared"),
                ));
            }
        }
        let body = match &op.request_body {
            Some(body) => self.request_body(body, &format!("{pointer}/requestBody"), &hint)?,
            None => None,
        };
        let (success, errors) = self.responses(op, pointer, &hint)?;
        let distinct: Vec<&ResponseKind> =
            success
                .iter()
                .map(|r| &r.kind)
                .fold(Vec::new(), |mut acc, k| {
                    if !acc.contains(&k) {
                        acc.push(k);
                    }
                    acc
                });
        let success_enum = (distinct.len() > 1).then(|| format!("{builder_name}Response"));
        let pagination = None;
        Ok(Operation {
            operation_id,
            pointer: pointer.to_string(),
            method: method.to_uppercase(),
            path: path.to_string(),
            summary: op.summary.clone(),
            description: op.description.clone(),
            deprecated: op.deprecated,
            method_name: String::new(),
            builder_name,
            params,
            body,
            success,
            success_enum,
            errors,
            // Set once the error bodies are named (`error_sets::assign`).
            error_set: String::new(),
            pagination,
            system_context: op
                .extensions
                .get(SYSTEM_CONTEXT_EXTENSION)
                .is_some_and(|v| v == &serde_json::Value::Bool(true)),
            system_context_method: None,
            scopes: self
                .scopes_extension
                .and_then(|e| op.extensions.get(e))
                .and_then(|v| v.as_array())
                .map(|list| {
                    list.iter()
                        .filter_map(|s| s.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default(),
        })
    }

    fn resolve_parameter(&self, p: &ReferenceOr<Parameter>, at: &str) -> Result<Parameter> {
        match p {
            ReferenceOr::Item(p) => Ok(p.clone()),
            ReferenceOr::Reference { reference } => {
                let name = crate::pointer::component_name(reference, "parameters");
                let found = name.and_then(|n| self.spec.components.as_ref()?.parameters.get(&n));
                match found {
                    Some(ReferenceOr::Item(p)) => Ok(p.clone()),
                    _ => Err(CodegenError::new(
                        self.file,
                        format!("{at}/$ref"),
                        format!(
                            "`{reference}` does not name a parameter in #/components/parameters"
                        ),
                    )),
                }
            }
        }
    }

    fn param(
        &mut self,
        parameter: &Parameter,
        at: &str,
        hint: &str,
        names: &mut Namespace,
    ) -> Param {
        let data: &ParameterData = parameter.parameter_data_ref();
        let location = location_of(parameter);
        let type_hint = format!("{hint}{}", type_name(&data.name));
        let (ty, style) = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                let (ty, _) = self
                    .types
                    .schema_type(schema, &type_hint, &format!("{at}/schema"));
                // A value sent as text has no `null` item to send.
                let ty = ty.without_null();
                let style = match (&ty, parameter) {
                    (TypeRef::Vec(_), Parameter::Query { style, .. }) => {
                        let explode = data.explode.unwrap_or(matches!(style, QueryStyle::Form));
                        if explode {
                            ParamStyle::Repeated
                        } else {
                            ParamStyle::Joined
                        }
                    }
                    (t, _) if !t.is_scalar() && !matches!(t, TypeRef::Vec(_)) => ParamStyle::Json,
                    _ => ParamStyle::Joined,
                };
                (ty, style)
            }
            ParameterSchemaOrContent::Content(content) => {
                let ty = content
                    .values()
                    .next()
                    .and_then(|m| m.schema.as_ref())
                    .map(|s| {
                        self.types
                            .schema_type(s, &type_hint, &format!("{at}/content"))
                            .0
                    })
                    .unwrap_or(TypeRef::Json);
                (ty, ParamStyle::Json)
            }
        };
        let rust_name = names.claim(&value_name(&data.name), at, &mut self.types.report.renames);
        Param {
            name: data.name.clone(),
            rust_name,
            location,
            required: data.required || location == ParamLocation::Path,
            ty,
            style,
            allow_reserved: matches!(
                parameter,
                Parameter::Query {
                    allow_reserved: true,
                    ..
                }
            ),
            description: data.description.clone(),
            deprecated: data.deprecated.unwrap_or(false),
        }
    }

    fn request_body(
        &mut self,
        body: &ReferenceOr<SpecRequestBody>,
        at: &str,
        hint: &str,
    ) -> Result<Option<RequestBody>> {
        let body = match body {
            ReferenceOr::Item(b) => b.clone(),
            ReferenceOr::Reference { reference } => {
                let name = crate::pointer::component_name(reference, "requestBodies");
                match name.and_then(|n| self.spec.components.as_ref()?.request_bodies.get(&n)) {
                    Some(ReferenceOr::Item(b)) => b.clone(),
                    _ => {
                        return Err(CodegenError::new(
                            self.file,
                            format!("{at}/$ref"),
                            format!(
                                "`{reference}` does not name a request body in #/components/requestBodies"
                            ),
                        ));
                    }
                }
            }
        };
        let Some((content_type, media)) = pick_content(&body.content) else {
            return Ok(None);
        };
        let media_at = push_pointer(&format!("{at}/content"), &content_type);
        let kind = if is_json(&content_type) {
            let ty = match &media.schema {
                Some(schema) => {
                    self.types
                        .schema_type(
                            schema,
                            &format!("{hint}Body"),
                            &format!("{media_at}/schema"),
                        )
                        .0
                }
                None => TypeRef::Json,
            };
            BodyKind::Json(ty)
        } else if content_type == "multipart/form-data" {
            BodyKind::Multipart(self.multipart_fields(media, &media_at, hint))
        } else if content_type.starts_with("text/") {
            BodyKind::Text
        } else {
            BodyKind::Binary
        };
        *self
            .types
            .report
            .constructs
            .entry(match &kind {
                BodyKind::Json(_) => "JSON request body",
                BodyKind::Multipart(_) => "multipart request body",
                BodyKind::Binary => "binary request body",
                BodyKind::Text => "text request body",
            })
            .or_default() += 1;
        Ok(Some(RequestBody {
            content_type,
            kind,
            required: body.required,
            description: body.description.clone(),
        }))
    }

    fn multipart_fields(&mut self, media: &MediaType, at: &str, hint: &str) -> Vec<MultipartField> {
        if let Some(schema) = &media.schema {
            self.types
                .keep_locked(schema, &format!("{hint}Body"), &format!("{at}/schema"));
        }
        let schema = match &media.schema {
            Some(ReferenceOr::Reference { reference }) => self.types.deref_schema(reference),
            Some(ReferenceOr::Item(s)) => Some(s.clone()),
            None => None,
        };
        let Some(schema) = schema else {
            return Vec::new();
        };
        let v = view(&schema);
        let mut names = Namespace::with_reserved(BUILDER_METHODS);
        let mut fields = Vec::new();
        for (name, property) in &v.properties {
            let property_at = push_pointer(&format!("{at}/schema/properties"), name);
            let resolved = match property {
                SchemaOrBox::Ref(r) => self.types.deref_schema(r),
                SchemaOrBox::Item(s) => Some((*s).clone()),
            };
            let file = resolved.as_ref().is_some_and(|s| {
                matches!(view(s).format.as_deref(), Some("binary") | Some("byte"))
            });
            let ty = if file {
                TypeRef::Binary
            } else {
                let owned = match property {
                    SchemaOrBox::Ref(r) => ReferenceOr::Reference {
                        reference: r.to_string(),
                    },
                    SchemaOrBox::Item(s) => ReferenceOr::Item((*s).clone()),
                };
                self.types
                    .schema_type(&owned, &format!("{hint}{}", type_name(name)), &property_at)
                    .0
                    // Sent as text, which has no `null` item.
                    .without_null()
            };
            fields.push(MultipartField {
                name: name.to_string(),
                rust_name: names.claim(
                    &value_name(name),
                    &property_at,
                    &mut self.types.report.renames,
                ),
                required: v.required.contains(name),
                file,
                ty,
                description: resolved.and_then(|s| s.schema_data.description),
            });
        }
        fields
    }

    fn responses(
        &mut self,
        op: &openapiv3::Operation,
        pointer: &str,
        hint: &str,
    ) -> Result<(Vec<Response>, Vec<ErrorResponse>)> {
        let at = format!("{pointer}/responses");
        let mut entries: Vec<(Option<u16>, bool, String, SpecResponse)> = Vec::new();
        for (code, response) in &op.responses.responses {
            let key = code.to_string();
            let response = self.resolve_response(response, &push_pointer(&at, &key))?;
            let (status, success) = match code {
                StatusCode::Code(c) => (Some(*c), (200..300).contains(c)),
                StatusCode::Range(r) => (None, *r == 2),
            };
            entries.push((status, success, key, response));
        }
        let has_success = entries.iter().any(|e| e.1);
        if let Some(default) = &op.responses.default {
            let response = self.resolve_response(default, &format!("{at}/default"))?;
            entries.push((None, !has_success, "default".to_string(), response));
        }
        let success_count = entries.iter().filter(|e| e.1).count();
        let mut success = Vec::new();
        let mut errors = Vec::new();
        for (status, is_success, key, response) in entries {
            let response_at = push_pointer(&at, &key);
            if is_success {
                let type_hint = if success_count > 1 {
                    format!("{hint}{}Response", type_name(&key))
                } else {
                    format!("{hint}Response")
                };
                // These statuses carry no body by definition, whatever the document declares.
                let kind = if matches!(status, Some(204 | 205 | 304)) {
                    ResponseKind::Empty
                } else {
                    self.response_kind(&response, &response_at, &type_hint)
                };
                success.push(Response {
                    status,
                    variant: status_variant(status),
                    kind,
                    description: Some(response.description.clone()).filter(|d| !d.is_empty()),
                });
            } else {
                let body = match pick_content(&response.content) {
                    Some((ct, media)) if is_json(&ct) => media.schema.as_ref().map(|schema| {
                        let media_at = push_pointer(&format!("{response_at}/content"), &ct);
                        let (ty, _) = self.types.schema_type(
                            schema,
                            &format!("{hint}{}Error", type_name(&key)),
                            &format!("{media_at}/schema"),
                        );
                        self.error_body_index(ty)
                    }),
                    _ => None,
                };
                errors.push(ErrorResponse { status, body });
            }
        }
        Ok((success, errors))
    }

    fn error_body_index(&mut self, ty: TypeRef) -> String {
        if let Some(existing) = self.error_bodies.iter().find(|e| e.ty == ty) {
            return existing.variant.clone();
        }
        let wanted = match &ty {
            TypeRef::Named(n) => n.clone(),
            other => type_name(&format!("{other:?}")),
        };
        let variant = self.error_names.claim_quiet(&wanted);
        self.error_bodies.push(ErrorBodyVariant {
            variant: variant.clone(),
            ty,
        });
        variant
    }

    fn resolve_response(&self, r: &ReferenceOr<SpecResponse>, at: &str) -> Result<SpecResponse> {
        match r {
            ReferenceOr::Item(r) => Ok(r.clone()),
            ReferenceOr::Reference { reference } => {
                let name = crate::pointer::component_name(reference, "responses");
                match name.and_then(|n| self.spec.components.as_ref()?.responses.get(&n)) {
                    Some(ReferenceOr::Item(r)) => Ok(r.clone()),
                    _ => Err(CodegenError::new(
                        self.file,
                        format!("{at}/$ref"),
                        format!("`{reference}` does not name a response in #/components/responses"),
                    )),
                }
            }
        }
    }

    fn response_kind(&mut self, response: &SpecResponse, at: &str, hint: &str) -> ResponseKind {
        let Some((content_type, media)) = pick_content(&response.content) else {
            return ResponseKind::Empty;
        };
        let accept = response
            .content
            .keys()
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        if is_json(&content_type) {
            let ty = match &media.schema {
                Some(schema) => {
                    let media_at = push_pointer(&format!("{at}/content"), &content_type);
                    self.types
                        .schema_type(schema, hint, &format!("{media_at}/schema"))
                        .0
                }
                None => TypeRef::Json,
            };
            ResponseKind::Json(ty)
        } else if content_type.starts_with("text/") {
            ResponseKind::Text { accept }
        } else {
            ResponseKind::Bytes { accept }
        }
    }
}

fn operations_of(item: &PathItem) -> Vec<(&'static str, &openapiv3::Operation)> {
    let all = [
        ("get", &item.get),
        ("put", &item.put),
        ("post", &item.post),
        ("delete", &item.delete),
        ("options", &item.options),
        ("head", &item.head),
        ("patch", &item.patch),
        ("trace", &item.trace),
    ];
    all.into_iter()
        .filter_map(|(m, op)| op.as_ref().map(|op| (m, op)))
        .collect()
}

fn location_of(p: &Parameter) -> ParamLocation {
    match p {
        Parameter::Path { .. } => ParamLocation::Path,
        Parameter::Query { .. } => ParamLocation::Query,
        Parameter::Header { .. } => ParamLocation::Header,
        Parameter::Cookie { .. } => ParamLocation::Cookie,
    }
}

/// The `{name}` segments of a path template, in order.
pub fn path_params(path: &str) -> Vec<String> {
    path.split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(n, _)| n.to_string()))
        .collect()
}

fn is_json(content_type: &str) -> bool {
    content_type == "application/json" || content_type.ends_with("+json") || content_type == "*/*"
}

/// JSON first, then multipart, then whatever comes first in the document.
fn pick_content(content: &indexmap::IndexMap<String, MediaType>) -> Option<(String, &MediaType)> {
    content
        .iter()
        .find(|(k, _)| is_json(k))
        .or_else(|| {
            content
                .iter()
                .find(|(k, _)| k.as_str() == "multipart/form-data")
        })
        .or_else(|| content.iter().next())
        .map(|(k, v)| (k.clone(), v))
}

fn status_variant(status: Option<u16>) -> String {
    match status {
        Some(200) => "Ok".into(),
        Some(201) => "Created".into(),
        Some(202) => "Accepted".into(),
        Some(203) => "NonAuthoritativeInformation".into(),
        Some(204) => "NoContent".into(),
        Some(205) => "ResetContent".into(),
        Some(206) => "PartialContent".into(),
        Some(code) => format!("Status{code}"),
        None => "Success".into(),
    }
}

/// The `snake_case` prefix (`directory_insights_`) every id shares when
/// each one is `<same head>_<rest>` and there are at least two.
fn shared_id_prefix<'a>(ids: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut head: Option<&str> = None;
    let mut count = 0;
    for id in ids {
        let (first, rest) = id.split_once('_')?;
        if rest.is_empty() || head.is_some_and(|h| h != first) {
            return None;
        }
        head = Some(first);
        count += 1;
    }
    let head = head?;
    (count >= 2).then(|| format!("{}_", value_name(head)))
}

#[cfg(test)]
mod shared_prefix_tests {
    use super::shared_id_prefix;

    #[test]
    fn only_a_head_every_id_shares_is_a_shared_prefix() {
        let insights = [
            "directoryInsights_eventsPost",
            "directoryInsights_reportsListGet",
        ];
        assert_eq!(
            shared_id_prefix(insights.into_iter()).as_deref(),
            Some("directory_insights_")
        );
        // Mixed heads, an id without one, or a lone operation: none.
        assert_eq!(
            shared_id_prefix(["users_list", "groups_list"].into_iter()),
            None
        );
        assert_eq!(
            shared_id_prefix(["users_list", "listUsers"].into_iter()),
            None
        );
        assert_eq!(shared_id_prefix(["users_list"].into_iter()), None);
    }
}
