//! What 3.1 has and the generated client does not use: `webhooks` (calls
//! the server makes, not the client), `jsonSchemaDialect`,
//! `components/pathItems`, and a schema's `$schema`, `$id` and `$comment`.
//! Each is removed and reported, never dropped silently.

use serde_json::{Map, Value};

use super::Cx;
use crate::load::front::Notes;

const RULE: &str = "openapi31::unused";

pub fn apply_to_document(doc: &mut Map<String, Value>, notes: &mut Notes) {
    for key in ["webhooks", "jsonSchemaDialect"] {
        if doc.remove(key).is_some() {
            notes.add(
                RULE,
                format!("`{key}` is not used by the client"),
                format!("/{key}"),
            );
        }
    }
    if let Some(Value::Object(components)) = doc.get_mut("components")
        && components.remove("pathItems").is_some()
    {
        notes.add(
            RULE,
            "`components/pathItems` is not used by the client",
            "/components/pathItems",
        );
    }
}

pub fn apply_to_schema(
    schema: &mut Map<String, Value>,
    at: &str,
    cx: &mut Cx<'_>,
) -> Result<(), String> {
    for key in ["$schema", "$id", "$comment"] {
        if schema.remove(key).is_some() {
            cx.notes.add(
                RULE,
                format!("a schema's `{key}` is not used by the client"),
                crate::pointer::push(at, key),
            );
        }
    }
    Ok(())
}
