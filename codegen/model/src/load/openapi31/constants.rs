//! `const: v` becomes `enum: [v]`, the 3.0 way to allow one value.

use serde_json::{Map, Value};

use super::Cx;
use crate::pointer::push;

pub fn apply(schema: &mut Map<String, Value>, at: &str, cx: &mut Cx<'_>) -> Result<(), String> {
    let Some(value) = schema.remove("const") else {
        return Ok(());
    };
    if let Some(Value::Array(values)) = schema.get("enum") {
        if values.contains(&value) {
            return Ok(());
        }
        return Err(format!(
            "`const` {value} is not one of the schema's `enum` values, so no value is valid"
        ));
    }
    schema.insert("enum".into(), Value::Array(vec![value]));
    cx.origins
        .moved(push(&push(at, "enum"), "0"), push(at, "const"));
    Ok(())
}
