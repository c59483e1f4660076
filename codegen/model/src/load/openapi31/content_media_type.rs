//! `contentMediaType` on a string, 3.1's way to say that a string is the
//! raw bytes of a file, becomes `format: binary`; with
//! `contentEncoding: base64` it becomes `format: byte`. An explicit
//! `format` is kept.

use serde_json::{Map, Value};

use super::Cx;

pub fn apply(schema: &mut Map<String, Value>, _: &str, _: &mut Cx<'_>) -> Result<(), String> {
    let media = schema.remove("contentMediaType");
    let encoding = schema.remove("contentEncoding");
    if media.is_none() && encoding.is_none() {
        return Ok(());
    }
    let format = match encoding.as_ref().and_then(Value::as_str) {
        Some("base64") => "byte",
        Some(other) => {
            return Err(format!(
                "`contentEncoding: {other}` has no OpenAPI 3.0 form (only `base64` does)"
            ));
        }
        None => "binary",
    };
    schema
        .entry("format")
        .or_insert_with(|| Value::String(format.into()));
    schema
        .entry("type")
        .or_insert_with(|| Value::String("string".into()));
    Ok(())
}
