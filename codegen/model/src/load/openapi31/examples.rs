//! A schema's `examples` list (JSON Schema) becomes 3.0's single `example`:
//! the first is kept, and a schema with more than one is reported. The
//! `examples` map of a media type or parameter is 3.0 already and is not
//! touched: only schema nodes reach this rule.

use serde_json::{Map, Value};

use super::Cx;
use crate::pointer::push;

const RULE: &str = "openapi31::examples";

pub fn apply(schema: &mut Map<String, Value>, at: &str, cx: &mut Cx<'_>) -> Result<(), String> {
    if !matches!(schema.get("examples"), Some(Value::Array(_))) {
        return Ok(());
    }
    let Some(Value::Array(examples)) = schema.remove("examples") else {
        unreachable!()
    };
    if examples.len() > 1 {
        cx.notes.add(
            RULE,
            "a schema lists several `examples`; OpenAPI 3.0 has one `example`, so the first is kept",
            push(at, "examples"),
        );
    }
    if let Some(first) = examples.into_iter().next()
        && !schema.contains_key("example")
    {
        schema.insert("example".into(), first);
        cx.origins
            .moved(push(at, "example"), push(&push(at, "examples"), "0"));
    }
    Ok(())
}
