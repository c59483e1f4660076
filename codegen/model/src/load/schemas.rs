//! Every place of a raw document where a Schema Object may stand, found by
//! position rather than by shape: an `example` or `default` value can look
//! like a schema but is data.

use serde_json::Value;

use super::validate::METHODS;
use crate::pointer::{push, push_all};

/// A schema node and its JSON pointer.
pub struct SchemaAt<'a> {
    pub pointer: String,
    pub schema: &'a Value,
}

/// The pointers of every schema of `doc`, in the order of [`schemas_of`]:
/// for the front ends, which change the nodes one by one.
pub fn schema_pointers(doc: &Value) -> Vec<String> {
    schemas_of(doc).into_iter().map(|s| s.pointer).collect()
}

/// Every schema of `doc`, outer ones before the ones nested in them;
/// references are listed but not followed, so each node is listed once.
pub fn schemas_of(doc: &Value) -> Vec<SchemaAt<'_>> {
    let mut out = Vec::new();
    let components = doc.get("components");
    for (name, schema) in entries(components.and_then(|c| c.get("schemas"))) {
        walk_schema(schema, push("/components/schemas", name), &mut out);
    }
    for (name, p) in entries(components.and_then(|c| c.get("parameters"))) {
        walk_parameter(p, push("/components/parameters", name), &mut out);
    }
    for (name, h) in entries(components.and_then(|c| c.get("headers"))) {
        walk_parameter(h, push("/components/headers", name), &mut out);
    }
    for (name, b) in entries(components.and_then(|c| c.get("requestBodies"))) {
        walk_content(b, push("/components/requestBodies", name), &mut out);
    }
    for (name, r) in entries(components.and_then(|c| c.get("responses"))) {
        walk_response(r, push("/components/responses", name), &mut out);
    }
    for (template, item) in entries(doc.get("paths")) {
        let item_at = push("/paths", template);
        walk_parameters(item, &item_at, &mut out);
        for method in METHODS {
            let Some(op) = item.get(*method) else {
                continue;
            };
            let op_at = push(&item_at, method);
            walk_parameters(op, &op_at, &mut out);
            if let Some(body) = op.get("requestBody") {
                walk_content(body, push(&op_at, "requestBody"), &mut out);
            }
            for (code, r) in entries(op.get("responses")) {
                walk_response(r, push_all(&op_at, &["responses", code]), &mut out);
            }
        }
    }
    out
}

fn entries(node: Option<&Value>) -> impl Iterator<Item = (&String, &Value)> {
    node.and_then(Value::as_object).into_iter().flatten()
}

fn walk_parameters<'a>(owner: &'a Value, at: &str, out: &mut Vec<SchemaAt<'a>>) {
    let list = owner.get("parameters").and_then(Value::as_array);
    for (i, p) in list.into_iter().flatten().enumerate() {
        walk_parameter(p, push_all(at, &["parameters", &i.to_string()]), out);
    }
}

fn walk_parameter<'a>(p: &'a Value, at: String, out: &mut Vec<SchemaAt<'a>>) {
    if let Some(schema) = p.get("schema") {
        walk_schema(schema, push(&at, "schema"), out);
    }
    walk_content(p, at, out);
}

fn walk_response<'a>(r: &'a Value, at: String, out: &mut Vec<SchemaAt<'a>>) {
    for (name, h) in entries(r.get("headers")) {
        walk_parameter(h, push_all(&at, &["headers", name]), out);
    }
    walk_content(r, at, out);
}

fn walk_content<'a>(owner: &'a Value, at: String, out: &mut Vec<SchemaAt<'a>>) {
    for (media, m) in entries(owner.get("content")) {
        if let Some(schema) = m.get("schema") {
            walk_schema(schema, push_all(&at, &["content", media, "schema"]), out);
        }
    }
}

fn walk_schema<'a>(schema: &'a Value, at: String, out: &mut Vec<SchemaAt<'a>>) {
    // An explicit stack: a document can nest schemas deeper than the call stack.
    let mut stack = vec![(schema, at)];
    while let Some((schema, at)) = stack.pop() {
        if !schema.is_object() {
            continue;
        }
        if schema.get("$ref").is_some() {
            out.push(SchemaAt {
                pointer: at,
                schema,
            });
            continue;
        }
        for key in ["items", "not", "additionalProperties"] {
            if let Some(inner) = schema.get(key) {
                stack.push((inner, push(&at, key)));
            }
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            let list = schema.get(key).and_then(Value::as_array);
            for (i, inner) in list.into_iter().flatten().enumerate() {
                stack.push((inner, push_all(&at, &[key, &i.to_string()])));
            }
        }
        for (name, inner) in entries(schema.get("properties")) {
            stack.push((inner, push_all(&at, &["properties", name])));
        }
        out.push(SchemaAt {
            pointer: at,
            schema,
        });
    }
}
