//! Swagger 2.0 brought up to OpenAPI 3.0, one rule per module:
//!
//! - [`servers`]: `host`, `basePath` and `schemes` become `servers`;
//! - [`security`]: `securityDefinitions` become `components/securitySchemes`;
//! - [`components`]: `definitions`, shared `parameters` and `responses`
//!   become components;
//! - [`operations`]: each operation's parameters, with [`parameters`] for
//!   the ones that stay parameters (`collectionFormat` becomes
//!   `style`/`explode`), [`bodies`] for `body` and `formData` ones (a
//!   `requestBody` with the media types of `consumes`), and [`responses`]
//!   for `produces`;
//! - [`refs`]: every `$ref` rewritten to the component's new place;
//! - [`schema`]: on every schema, `x-nullable`, `type: file` and the
//!   string `discriminator`, plus the `type: [T, "null"]` lists some
//!   documents hold.
//!
//! The conversion builds a new tree and moves the nodes it keeps into it,
//! recording each move in [`Origins`] so errors found later point into the
//! document as written.

mod bodies;
mod components;
mod operations;
mod parameters;
mod refs;
mod responses;
mod schema;
mod security;
mod servers;

use std::path::Path;

use serde_json::{Map, Value};

use super::front::{Notes, Origins};
use crate::error::{CodegenError, Result};

/// Top-level fields of a Swagger 2.0 document (2.0 §"Swagger Object").
const TOP_LEVEL: &[&str] = &[
    "swagger",
    "info",
    "host",
    "basePath",
    "schemes",
    "consumes",
    "produces",
    "paths",
    "definitions",
    "parameters",
    "responses",
    "securityDefinitions",
    "security",
    "tags",
    "externalDocs",
];

/// What the rules share: the document's defaults and where to report.
pub(super) struct Cx<'a> {
    pub path: &'a Path,
    pub origins: &'a mut Origins,
    pub notes: &'a mut Notes,
    /// Global `consumes`/`produces`, `application/json` when absent.
    pub consumes: Vec<String>,
    pub produces: Vec<String>,
    /// The shared parameters as written, for references to `body` and
    /// `formData` ones, which do not stay parameters.
    pub shared_parameters: Map<String, Value>,
}

impl Cx<'_> {
    pub fn error(&self, pointer: impl Into<String>, reason: impl Into<String>) -> CodegenError {
        CodegenError::new(self.path, pointer, reason)
    }
}

/// Converts a 2.0 document; errors point into `raw` as written.
pub fn convert(path: &Path, raw: Value, origins: &mut Origins, notes: &mut Notes) -> Result<Value> {
    let Value::Object(mut doc) = raw else {
        unreachable!("the version check saw a mapping")
    };
    if let Some(key) = doc
        .keys()
        .find(|k| !k.starts_with("x-") && !TOP_LEVEL.contains(&k.as_str()))
    {
        return Err(CodegenError::new(
            path,
            crate::pointer::push("", key),
            format!("`{key}` is not a field of a Swagger 2.0 document"),
        ));
    }
    let media_types = |doc: &Map<String, Value>, key: &str| -> Result<Vec<String>> {
        media_list(doc.get(key), &format!("/{key}"))
            .map_err(|(at, reason)| CodegenError::new(path, at, reason))
            .map(|list| list.unwrap_or_else(|| vec!["application/json".to_string()]))
    };
    let consumes = media_types(&doc, "consumes")?;
    let produces = media_types(&doc, "produces")?;
    let shared_parameters = match doc.get("parameters") {
        Some(Value::Object(map)) => map.clone(),
        _ => Map::new(),
    };
    let mut cx = Cx {
        path,
        origins,
        notes,
        consumes,
        produces,
        shared_parameters,
    };
    let mut out = Map::new();
    out.insert("openapi".into(), Value::String("3.0.3".into()));
    for key in ["info", "tags", "externalDocs", "security"] {
        if let Some(value) = doc.remove(key) {
            out.insert(key.into(), value);
        }
    }
    if let Some(servers) = servers::convert(&mut doc, &mut cx) {
        out.insert("servers".into(), servers);
    }
    let paths = operations::convert_paths(doc.remove("paths"), &mut cx)?;
    out.insert("paths".into(), paths);
    let mut components = components::convert(&mut doc, &mut cx)?;
    if let Some(schemes) = security::convert(doc.remove("securityDefinitions"), &mut cx)? {
        components.insert("securitySchemes".into(), schemes);
    }
    if !components.is_empty() {
        out.insert("components".into(), Value::Object(components));
    }
    // Extensions of the document, after the fields, as in the original.
    for (key, value) in doc {
        if key.starts_with("x-") {
            out.insert(key, value);
        }
    }
    let mut out = Value::Object(out);
    refs::rewrite(&mut out);
    schema::apply_all(&mut out, &mut cx)?;
    Ok(out)
}

/// A `consumes`/`produces` list; `None` when absent.
pub(super) fn media_list(
    node: Option<&Value>,
    at: &str,
) -> std::result::Result<Option<Vec<String>>, (String, String)> {
    match node {
        None => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                item.as_str().map(str::to_string).ok_or_else(|| {
                    (
                        crate::pointer::push(at, &i.to_string()),
                        "a media type must be a string".to_string(),
                    )
                })
            })
            .collect::<std::result::Result<Vec<_>, _>>()
            .map(Some),
        Some(_) => Err((at.to_string(), "must be a list of media types".to_string())),
    }
}
