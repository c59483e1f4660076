//! Rules for every schema of the converted tree: `x-nullable: true`
//! becomes `nullable: true`, `type: file` (a response that is a download)
//! becomes a binary string, a `discriminator` given as a property name
//! becomes a Discriminator Object, and a `type: [T, "null"]` list becomes
//! a nullable `T` ([`crate::load::front::type_lists`]).

use serde_json::{Map, Value};

use super::Cx;
use crate::error::Result;
use crate::load::front::type_lists;
use crate::load::schemas::schema_pointers;

pub fn apply_all(tree: &mut Value, cx: &mut Cx<'_>) -> Result<()> {
    for pointer in schema_pointers(tree) {
        let Some(Value::Object(schema)) = crate::pointer::get_mut(tree, &pointer) else {
            continue;
        };
        let note =
            apply(schema).map_err(|reason| cx.error(cx.origins.original(&pointer), reason))?;
        if let Some(note) = note {
            cx.notes
                .add("front::type_lists", note, cx.origins.original(&pointer));
        }
    }
    Ok(())
}

fn apply(schema: &mut Map<String, Value>) -> std::result::Result<Option<&'static str>, String> {
    if let Some(flag) = schema.remove("x-nullable") {
        match flag {
            Value::Bool(true) => {
                schema.insert("nullable".into(), Value::Bool(true));
            }
            Value::Bool(false) => {}
            other => return Err(format!("`x-nullable` must be true or false, not {other}")),
        }
    }
    if schema.get("type").is_some_and(|t| t == "file") {
        schema.insert("type".into(), "string".into());
        schema.insert("format".into(), "binary".into());
    }
    if let Some(Value::String(property)) = schema.get("discriminator") {
        let mut object = Map::new();
        object.insert("propertyName".into(), Value::String(property.clone()));
        schema.insert("discriminator".into(), Value::Object(object));
    }
    type_lists::apply(schema)
}
