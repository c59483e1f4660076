//! A `$ref` with sibling keys. 3.1 reads the siblings, 3.0 ignores them, so
//! the ones that change the client (`description`, `nullable`, `readOnly`,
//! `writeOnly`, `deprecated`, `default`, `example`) are kept by wrapping the
//! reference: `{allOf: [{$ref}], description: …}`, which the model reads as
//! the referenced type with those facts. Other siblings are dropped and
//! reported.

use serde_json::{Map, Value};

use super::Cx;
use crate::pointer::push;

const RULE: &str = "openapi31::ref_siblings";

const KEPT: &[&str] = &[
    "description",
    "nullable",
    "readOnly",
    "writeOnly",
    "deprecated",
    "default",
    "example",
    "title",
];

pub fn apply(schema: &mut Map<String, Value>, at: &str, cx: &mut Cx<'_>) -> Result<(), String> {
    if !schema.contains_key("$ref") || schema.len() == 1 {
        return Ok(());
    }
    let dropped: Vec<String> = schema
        .keys()
        .filter(|k| *k != "$ref" && !KEPT.contains(&k.as_str()))
        .cloned()
        .collect();
    for key in &dropped {
        schema.remove(key);
        cx.notes.add(
            RULE,
            format!("`{key}` beside a `$ref` has no effect on the client and is ignored"),
            push(at, key),
        );
    }
    if schema.len() == 1 {
        return Ok(());
    }
    let reference = schema.remove("$ref").expect("checked above");
    let mut inner = Map::new();
    inner.insert("$ref".into(), reference);
    schema.insert("allOf".into(), Value::Array(vec![Value::Object(inner)]));
    cx.origins
        .moved(push(&push(at, "allOf"), "0"), at.to_string());
    Ok(())
}
