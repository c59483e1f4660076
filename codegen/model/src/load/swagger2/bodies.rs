//! Parameters that are the request's body. A `body` parameter becomes a
//! `requestBody` with one entry per media type the operation `consumes`
//! (`application/json` when it says nothing), and its name is kept as
//! `x-codegen-request-body-name`, as other converters do. `formData`
//! parameters become one object schema, `multipart/form-data` when the
//! operation consumes it or uploads a `type: file`,
//! `application/x-www-form-urlencoded` otherwise; a file is a binary string.

use serde_json::{Map, Value};

use super::Cx;
use super::parameters::take_schema;
use crate::error::Result;
use crate::pointer::{push, push_all};

/// A `body` parameter written at `at` as the `requestBody` at `new_at`.
pub fn body(
    mut parameter: Map<String, Value>,
    consumes: &[String],
    at: &str,
    new_at: &str,
    cx: &mut Cx<'_>,
) -> Result<Map<String, Value>> {
    let Some(schema) = parameter.remove("schema") else {
        return Err(cx.error(at, "a `body` parameter needs a `schema`"));
    };
    let mut out = Map::new();
    if let Some(description) = parameter.remove("description") {
        out.insert("description".into(), description);
    }
    let mut content = Map::new();
    for media in consumes {
        let mut entry = Map::new();
        entry.insert("schema".into(), schema.clone());
        cx.origins.moved(
            push_all(new_at, &["content", media, "schema"]),
            push(at, "schema"),
        );
        content.insert(media.clone(), Value::Object(entry));
    }
    out.insert("content".into(), Value::Object(content));
    if let Some(required) = parameter.remove("required") {
        out.insert("required".into(), required);
    }
    if let Some(name) = parameter.remove("name") {
        out.insert("x-codegen-request-body-name".into(), name);
    }
    for (key, value) in parameter {
        if key.starts_with("x-") {
            out.insert(key, value);
        }
    }
    cx.origins.moved(new_at.to_string(), at.to_string());
    Ok(out)
}

/// The `formData` parameters of one operation, each with where it was
/// written, as the `requestBody` at `new_at`.
pub fn form(
    fields: Vec<(Map<String, Value>, String)>,
    consumes: &[String],
    new_at: &str,
    cx: &mut Cx<'_>,
) -> Result<Map<String, Value>> {
    let uploads = fields
        .iter()
        .any(|(f, _)| f.get("type").is_some_and(|t| t == "file"));
    let media = if uploads || consumes.iter().any(|m| m == "multipart/form-data") {
        "multipart/form-data"
    } else {
        "application/x-www-form-urlencoded"
    };
    let schema_at = push_all(new_at, &["content", media, "schema"]);
    let mut properties = Map::new();
    let mut required = Vec::new();
    for (mut field, at) in fields {
        let Some(name) = field
            .get("name")
            .and_then(Value::as_str)
            .map(str::to_string)
        else {
            return Err(cx.error(push(&at, "name"), "a `formData` parameter needs a `name`"));
        };
        let mut schema = take_schema(&mut field);
        if schema.get("type").is_some_and(|t| t == "file") {
            schema.insert("type".into(), "string".into());
            schema.insert("format".into(), "binary".into());
        }
        if let Some(description) = field.remove("description") {
            schema.insert("description".into(), description);
        }
        if field.get("required").is_some_and(|r| r == true) {
            required.push(Value::String(name.clone()));
        }
        cx.origins
            .moved(push_all(&schema_at, &["properties", &name]), at);
        properties.insert(name, Value::Object(schema));
    }
    let mut schema = Map::new();
    schema.insert("type".into(), "object".into());
    schema.insert("properties".into(), Value::Object(properties));
    let any_required = !required.is_empty();
    if any_required {
        schema.insert("required".into(), Value::Array(required));
    }
    let mut entry = Map::new();
    entry.insert("schema".into(), Value::Object(schema));
    let mut content = Map::new();
    content.insert(media.into(), Value::Object(entry));
    let mut out = Map::new();
    out.insert("content".into(), Value::Object(content));
    if any_required {
        out.insert("required".into(), Value::Bool(true));
    }
    Ok(out)
}
