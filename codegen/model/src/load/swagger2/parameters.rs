//! A query, header or path parameter: its schema keywords, which 2.0
//! writes on the parameter itself, move into `schema`, and an array's
//! `collectionFormat` becomes `style`/`explode`:
//!
//! | collectionFormat | query | path, header |
//! |---|---|---|
//! | `csv`, or none | `form`, explode false | `simple` |
//! | `multi` | `form`, explode true | (not allowed) |
//! | `ssv` | `spaceDelimited` | (not allowed) |
//! | `pipes` | `pipeDelimited` | (not allowed) |
//!
//! `tsv` has no 3.0 form and is an error.

use serde_json::{Map, Value};

use super::Cx;
use crate::error::Result;
use crate::pointer::push;

/// Keywords of a 2.0 parameter that describe its value.
pub const SCHEMA_KEYWORDS: &[&str] = &[
    "type",
    "format",
    "items",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
    "x-nullable",
    "example",
];

/// Converts one parameter written at `at` (to be placed at `new_at`).
pub fn convert(
    mut parameter: Map<String, Value>,
    at: &str,
    new_at: &str,
    cx: &mut Cx<'_>,
) -> Result<Map<String, Value>> {
    let location = parameter
        .get("in")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    if !matches!(location.as_str(), "query" | "header" | "path") {
        return Err(cx.error(
            push(at, "in"),
            format!("`in: {location}` is not a parameter location of Swagger 2.0"),
        ));
    }
    let schema = take_schema(&mut parameter);
    let is_array = schema.get("type").is_some_and(|t| t == "array");
    let format = parameter.remove("collectionFormat");
    if is_array {
        let format = format.as_ref().and_then(Value::as_str).unwrap_or("csv");
        let (style, explode) = match (location.as_str(), format) {
            ("query", "csv") => ("form", false),
            ("query", "multi") => ("form", true),
            ("query", "ssv") => ("spaceDelimited", false),
            ("query", "pipes") => ("pipeDelimited", false),
            (_, "csv") => ("simple", false),
            (place, other) => {
                return Err(cx.error(
                    push(at, "collectionFormat"),
                    format!(
                        "`collectionFormat: {other}` has no OpenAPI 3.0 form for a {place} parameter"
                    ),
                ));
            }
        };
        parameter.insert("style".into(), style.into());
        parameter.insert("explode".into(), explode.into());
    }
    parameter.insert("schema".into(), Value::Object(schema));
    cx.origins.moved(push(new_at, "schema"), at.to_string());
    Ok(parameter)
}

/// Moves the value's keywords out of a 2.0 parameter or header into a schema.
pub fn take_schema(owner: &mut Map<String, Value>) -> Map<String, Value> {
    let mut schema = Map::new();
    for key in SCHEMA_KEYWORDS {
        if let Some(value) = owner.remove(*key) {
            schema.insert((*key).into(), value);
        }
    }
    // Nested arrays say how their items are joined with their own
    // `collectionFormat`; 3.0 has no place for it.
    if let Some(Value::Object(items)) = schema.get_mut("items") {
        items.remove("collectionFormat");
    }
    schema
}
