//! Rules of OpenAPI 3.0 that `openapiv3` does not enforce and that the
//! generator would otherwise turn into wrong code or silently drop. Checked
//! on the raw tree, where every node still has its JSON pointer.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Map, Value};

use super::schemas::{SchemaAt, schemas_of};
use crate::error::{CodegenError, Result};
use crate::pointer::{local_target, push, push_all};

/// The methods a path item may hold (OpenAPI 3.0.3 §4.7.9).
pub const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Fails on the first construct the specification forbids.
pub fn validate(path: &Path, doc: &Value) -> Result<()> {
    let fail = |pointer: String, reason: String| Err(CodegenError::new(path, pointer, reason));
    if let Some((pointer, reason)) = check_paths(doc).or_else(|| check_schemas(doc)) {
        return fail(pointer, reason);
    }
    Ok(())
}

type Finding = Option<(String, String)>;

fn check_paths(doc: &Value) -> Finding {
    let paths = doc.get("paths")?.as_object()?;
    let mut operation_ids: BTreeMap<&str, String> = BTreeMap::new();
    for (template, item) in paths {
        if template.starts_with("x-") {
            continue;
        }
        let item_at = push("/paths", template);
        // §4.7.8: "The field name MUST begin with a forward slash (/)."
        if !template.starts_with('/') {
            return Some((
                item_at,
                format!("path `{template}` does not begin with `/`"),
            ));
        }
        let Some(item) = item.as_object() else {
            continue;
        };
        let variables = crate::ir::path_params(template);
        if let Some(finding) = check_parameter_list(doc, item, &item_at, template, &variables) {
            return Some(finding);
        }
        for method in METHODS {
            let Some(op) = item.get(*method).and_then(Value::as_object) else {
                continue;
            };
            let op_at = push(&item_at, method);
            if let Some(finding) = check_parameter_list(doc, op, &op_at, template, &variables) {
                return Some(finding);
            }
            let Some(id) = op.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let id_at = push(&op_at, "operationId");
            // §4.7.10: the id "MUST be unique among all operations"; an empty
            // one names nothing.
            if id.trim().is_empty() {
                return Some((id_at, "`operationId` is empty".to_string()));
            }
            if let Some(first) = operation_ids.get(id) {
                return Some((
                    id_at,
                    format!("`operationId` `{id}` is already used at {first}"),
                ));
            }
            operation_ids.insert(id, op_at);
        }
    }
    None
}

/// Checks the `parameters` of a path item or operation.
fn check_parameter_list(
    doc: &Value,
    owner: &Map<String, Value>,
    owner_at: &str,
    template: &str,
    variables: &[String],
) -> Finding {
    let list = owner.get("parameters")?.as_array()?;
    let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (i, parameter) in list.iter().enumerate() {
        let at = push_all(owner_at, &["parameters", &i.to_string()]);
        let Some(parameter) = resolve(doc, parameter) else {
            continue;
        };
        let name = parameter.get("name").and_then(Value::as_str).unwrap_or("");
        let location = parameter.get("in").and_then(Value::as_str).unwrap_or("");
        // §4.7.12: "A unique parameter is defined by a combination of a name
        // and location", and a list "MUST NOT include duplicated parameters".
        if let Some(first) = seen.insert((name.to_string(), location.to_string()), i) {
            let first_at = push_all(owner_at, &["parameters", &first.to_string()]);
            return Some((
                at,
                format!("{location} parameter `{name}` is already declared at {first_at}"),
            ));
        }
        // §4.7.12: a path parameter's name "MUST correspond to a template
        // expression occurring within the path field".
        if location == "path" && !variables.iter().any(|v| v == name) {
            return Some((
                at,
                format!("path parameter `{name}` does not occur in the path `{template}`"),
            ));
        }
    }
    None
}

fn check_schemas(doc: &Value) -> Finding {
    for SchemaAt { pointer, schema } in schemas_of(doc) {
        let Some(schema) = schema.as_object() else {
            continue;
        };
        if let Some(finding) = check_enum(schema, &pointer)
            .or_else(|| check_all_of(doc, schema, &pointer))
            .or_else(|| check_discriminator(doc, schema, &pointer))
        {
            return Some(finding);
        }
    }
    None
}

/// §4.7.24 via JSON Schema Validation §5.20: each `enum` value must be valid
/// against the schema, so of its `type` (or `null` when `nullable`).
fn check_enum(schema: &Map<String, Value>, at: &str) -> Finding {
    let values = schema.get("enum")?.as_array()?;
    let typ = schema.get("type")?.as_str()?;
    let nullable = schema.get("nullable").and_then(Value::as_bool) == Some(true);
    for (i, value) in values.iter().enumerate() {
        let fits = match value {
            Value::Null => nullable,
            Value::String(_) => typ == "string",
            Value::Bool(_) => typ == "boolean",
            Value::Number(n) => typ == "number" || (typ == "integer" && is_integer(n)),
            Value::Array(_) => typ == "array",
            Value::Object(_) => typ == "object",
        };
        if !fits {
            return Some((
                push_all(at, &["enum", &i.to_string()]),
                format!("value `{value}` of an enum of type `{typ}` is not of that type"),
            ));
        }
    }
    None
}

fn is_integer(n: &serde_json::Number) -> bool {
    n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
}

/// An `allOf` whose members declare different types can match nothing; the
/// merged struct would silently drop all but one of them.
fn check_all_of(doc: &Value, schema: &Map<String, Value>, at: &str) -> Finding {
    let members = schema.get("allOf")?.as_array()?;
    let mut first: Option<(&str, String)> = schema
        .get("type")
        .and_then(Value::as_str)
        .map(|t| (t, at.to_string()));
    for (i, member) in members.iter().enumerate() {
        let member_at = push_all(at, &["allOf", &i.to_string()]);
        let Some(typ) = resolve(doc, member)
            .and_then(|m| m.get("type"))
            .and_then(Value::as_str)
        else {
            continue;
        };
        match &first {
            None => first = Some((typ, member_at)),
            Some((other, other_at)) if !compatible(typ, other) => {
                return Some((
                    member_at,
                    format!(
                        "`allOf` member of type `{typ}` contradicts type `{other}` at {other_at}"
                    ),
                ));
            }
            Some(_) => {}
        }
    }
    None
}

fn compatible(a: &str, b: &str) -> bool {
    let number = |t: &str| t == "integer" || t == "number";
    a == b || (number(a) && number(b))
}

/// §4.7.25: mapping values are schema names or references; one that names
/// nothing would decode that tag as an unknown variant.
fn check_discriminator(doc: &Value, schema: &Map<String, Value>, at: &str) -> Finding {
    let mapping = schema.get("discriminator")?.get("mapping")?.as_object()?;
    for (tag, target) in mapping {
        let Some(target) = target.as_str() else {
            continue;
        };
        let found = match local_target(target) {
            Some(pointer) => crate::pointer::get(doc, &pointer).is_some(),
            None if target.contains(['/', '#', '.']) => {
                return Some((
                    push_all(at, &["discriminator", "mapping", tag]),
                    format!("external reference `{target}` is not supported"),
                ));
            }
            None => crate::pointer::get(doc, &push("/components/schemas", target)).is_some(),
        };
        if !found {
            return Some((
                push_all(at, &["discriminator", "mapping", tag]),
                format!("discriminator value `{tag}` maps to `{target}`, which does not exist"),
            ));
        }
    }
    None
}

/// Follows a chain of local `$ref`s to the node it names; `None` when it
/// leads nowhere (already reported by the reference checks) or loops.
pub fn resolve<'a>(doc: &'a Value, mut node: &'a Value) -> Option<&'a Value> {
    for _ in 0..64 {
        match node.get("$ref").and_then(Value::as_str) {
            Some(target) => node = crate::pointer::get(doc, &local_target(target)?)?,
            None => return Some(node),
        }
    }
    None
}
