//! Paths and operations. Parameters that stay parameters keep their order;
//! `body` and `formData` ones leave the list for the operation's
//! `requestBody`. Path-level `body`/`formData` parameters move to each
//! operation of the path. `consumes`, `produces` and `schemes` leave the
//! operation once they have been used.

use serde_json::{Map, Value};

use super::{Cx, bodies, media_list, parameters, responses};
use crate::error::Result;
use crate::pointer::push;

/// The methods of a 2.0 path item.
const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch"];

pub fn convert_paths(paths: Option<Value>, cx: &mut Cx<'_>) -> Result<Value> {
    let paths = match paths {
        None => Map::new(),
        Some(Value::Object(paths)) => paths,
        Some(_) => return Err(cx.error("/paths", "must be a mapping")),
    };
    let mut out = Map::new();
    for (template, item) in paths {
        let item_at = push("/paths", &template);
        if template.starts_with("x-") {
            out.insert(template, item);
            continue;
        }
        let Value::Object(item) = item else {
            return Err(cx.error(item_at, "a path item must be a mapping"));
        };
        out.insert(template, Value::Object(convert_item(item, &item_at, cx)?));
    }
    Ok(Value::Object(out))
}

/// A parameter as it will be sorted: kept, or part of the body.
#[derive(Clone)]
enum Sorted {
    Keep(Value),
    Body(Map<String, Value>),
    Form(Map<String, Value>),
}

fn convert_item(
    mut item: Map<String, Value>,
    at: &str,
    cx: &mut Cx<'_>,
) -> Result<Map<String, Value>> {
    if item.contains_key("$ref") {
        return Err(cx.error(
            push(at, "$ref"),
            "a path item `$ref` (to another file) is not supported",
        ));
    }
    // Path-level body and form parameters apply to each operation.
    let mut shared_body = Vec::new();
    if let Some(list) = item.remove("parameters") {
        let list = sort_list(list, &push(at, "parameters"), cx)?;
        let mut kept = Vec::new();
        for (sorted, written) in list {
            match sorted {
                Sorted::Keep(p) => {
                    kept.push(keep(p, written, &push(at, "parameters"), kept.len(), cx)?)
                }
                other => shared_body.push((other, written)),
            }
        }
        if !kept.is_empty() {
            item.insert("parameters".into(), Value::Array(kept));
        }
    }
    for method in METHODS {
        let op_at = push(at, method);
        let Some(op) = item.remove(*method) else {
            continue;
        };
        let Value::Object(op) = op else {
            return Err(cx.error(op_at, "an operation must be a mapping"));
        };
        let converted = convert_operation(op, &op_at, shared_body.clone(), cx)?;
        item.insert((*method).into(), Value::Object(converted));
    }
    Ok(item)
}

fn convert_operation(
    mut op: Map<String, Value>,
    at: &str,
    inherited: Vec<(Sorted, String)>,
    cx: &mut Cx<'_>,
) -> Result<Map<String, Value>> {
    let own_list = |op: &Map<String, Value>, key: &str, default: &[String]| {
        media_list(op.get(key), &push(at, key))
            .map(|list| list.unwrap_or_else(|| default.to_vec()))
            .map_err(|(pointer, reason)| cx.error(pointer, reason))
    };
    let consumes = own_list(&op, "consumes", &cx.consumes)?;
    let produces = own_list(&op, "produces", &cx.produces)?;
    op.remove("consumes");
    op.remove("produces");
    if op.remove("schemes").is_some() {
        cx.notes.add(
            "swagger2::operations",
            "an operation's own `schemes` is not used: the document's servers apply",
            push(at, "schemes"),
        );
    }
    let mut sorted = match op.remove("parameters") {
        Some(list) => sort_list(list, &push(at, "parameters"), cx)?,
        None => Vec::new(),
    };
    sorted.extend(inherited);
    let mut kept = Vec::new();
    let mut body: Option<(Map<String, Value>, String)> = None;
    let mut form = Vec::new();
    for (parameter, written) in sorted {
        match parameter {
            Sorted::Keep(p) => {
                kept.push(keep(p, written, &push(at, "parameters"), kept.len(), cx)?);
            }
            Sorted::Body(b) => {
                if body.is_some() {
                    return Err(
                        cx.error(written, "an operation can have only one `body` parameter")
                    );
                }
                body = Some((b, written));
            }
            Sorted::Form(f) => form.push((f, written)),
        }
    }
    if !kept.is_empty() {
        op.insert("parameters".into(), Value::Array(kept));
    }
    let body_at = push(at, "requestBody");
    match (body, form.is_empty()) {
        (Some((_, written)), false) => {
            return Err(cx.error(
                written,
                "an operation cannot have both a `body` and `formData` parameters",
            ));
        }
        (Some((b, written)), true) => {
            let request = match b.get("$ref") {
                Some(_) => b,
                None => bodies::body(b, &consumes, &written, &body_at, cx)?,
            };
            if request.contains_key("$ref") {
                cx.origins.moved(body_at.clone(), written);
            }
            op.insert("requestBody".into(), Value::Object(request));
        }
        (None, false) => {
            let request = bodies::form(form, &consumes, &body_at, cx)?;
            op.insert("requestBody".into(), Value::Object(request));
        }
        (None, true) => {}
    }
    if let Some(responses) = op.remove("responses") {
        let responses_at = push(at, "responses");
        let Value::Object(responses) = responses else {
            return Err(cx.error(responses_at, "must be a mapping"));
        };
        let mut out = Map::new();
        for (code, response) in responses {
            let response_at = push(&responses_at, &code);
            let converted = match response {
                Value::Object(map) if map.contains_key("$ref") => Value::Object(map),
                Value::Object(map) => Value::Object(responses::convert(
                    map,
                    &produces,
                    &response_at,
                    &response_at,
                    cx,
                )?),
                _ if code.starts_with("x-") => response,
                _ => return Err(cx.error(response_at, "a response must be a mapping")),
            };
            out.insert(code, converted);
        }
        op.insert("responses".into(), Value::Object(out));
    }
    Ok(op)
}

/// A parameter that stays one, written at `written`, as item `index` of
/// the list at `list_at`.
fn keep(
    parameter: Value,
    written: String,
    list_at: &str,
    index: usize,
    cx: &mut Cx<'_>,
) -> Result<Value> {
    let new_at = push(list_at, &index.to_string());
    let parameter = match parameter {
        Value::Object(map) if !map.contains_key("$ref") => {
            Value::Object(parameters::convert(map, &written, &new_at, cx)?)
        }
        other => other,
    };
    cx.origins.moved(new_at, written);
    Ok(parameter)
}

/// Sorts a `parameters` list written at `at`, resolving references to
/// shared parameters only as far as needed to see where each one goes.
fn sort_list(list: Value, at: &str, cx: &mut Cx<'_>) -> Result<Vec<(Sorted, String)>> {
    let Value::Array(list) = list else {
        return Err(cx.error(at, "must be a list"));
    };
    let mut out = Vec::new();
    for (i, parameter) in list.into_iter().enumerate() {
        let written = push(at, &i.to_string());
        let Value::Object(parameter) = parameter else {
            return Err(cx.error(written, "a parameter must be a mapping"));
        };
        if let Some(reference) = parameter.get("$ref").and_then(Value::as_str) {
            let name = reference
                .strip_prefix("#/parameters/")
                .map(crate::pointer::decode_fragment)
                .map(|n| crate::pointer::unescape(&n));
            let Some(shared) = name.as_ref().and_then(|n| cx.shared_parameters.get(n)) else {
                // Left for the reference check, which names it.
                out.push((Sorted::Keep(Value::Object(parameter)), written));
                continue;
            };
            let sorted = match shared.get("in").and_then(Value::as_str) {
                Some("body") => {
                    let name = name.expect("found above");
                    let mut r = Map::new();
                    r.insert(
                        "$ref".into(),
                        Value::String(format!(
                            "#/components/requestBodies/{}",
                            crate::pointer::escape(&name)
                        )),
                    );
                    Sorted::Body(r)
                }
                Some("formData") => match shared {
                    Value::Object(map) => Sorted::Form(map.clone()),
                    _ => Sorted::Keep(Value::Object(parameter)),
                },
                _ => Sorted::Keep(Value::Object(parameter)),
            };
            out.push((sorted, written));
            continue;
        }
        let sorted = match parameter.get("in").and_then(Value::as_str) {
            Some("body") => Sorted::Body(parameter),
            Some("formData") => Sorted::Form(parameter),
            _ => Sorted::Keep(Value::Object(parameter)),
        };
        out.push((sorted, written));
    }
    Ok(out)
}
