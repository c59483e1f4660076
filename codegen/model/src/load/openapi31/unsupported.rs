//! JSON Schema 2020-12 keywords that 3.1 allows and that change what a
//! value may be, but have no 3.0 form. Dropping one would generate a type
//! that accepts or rejects the wrong values, so each is a located error
//! that names the fix. None of JumpCloud's documents uses them.

use serde_json::{Map, Value};

use super::Cx;

const KEYWORDS: &[&str] = &[
    "prefixItems",
    "$defs",
    "patternProperties",
    "if",
    "then",
    "else",
    "dependentSchemas",
    "dependentRequired",
    "unevaluatedProperties",
    "unevaluatedItems",
    "contains",
    "minContains",
    "maxContains",
    "propertyNames",
    "$dynamicRef",
    "$dynamicAnchor",
    "$anchor",
];

pub fn apply(schema: &mut Map<String, Value>, _: &str, _: &mut Cx<'_>) -> Result<(), String> {
    match KEYWORDS.iter().find(|k| schema.contains_key(**k)) {
        Some(keyword) => Err(format!(
            "the JSON Schema keyword `{keyword}` (OpenAPI 3.1) has no OpenAPI 3.0 form and is not supported; rewrite or remove it with an overlay (README, \"Overlays\")"
        )),
        None => Ok(()),
    }
}
