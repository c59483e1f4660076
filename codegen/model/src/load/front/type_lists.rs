//! `type: [T, "null"]`, which OpenAPI 3.1 writes for a nullable `T` (and
//! which some Swagger 2.0 documents use too), becomes `type: T` with
//! `nullable: true`. A list of several non-null types has no 3.0 form.
//!
//! `type: "null"` alone (a value that is always null, which old Swagger 2.0
//! documents write for fields they never fill) has no 3.0 form either; it
//! becomes a nullable value of any type, as swagger2openapi reads it, and
//! is reported.

use serde_json::{Map, Value};

/// What [`apply`] reports when it approximates.
pub const NULL_ONLY: &str =
    "`type: \"null\"` (always null) has no OpenAPI 3.0 form: read as a nullable value of any type";

/// Rewrites the `type` of one schema node; `Ok(Some(note))` when it had to
/// approximate, `Err` the reason it cannot.
pub fn apply(schema: &mut Map<String, Value>) -> Result<Option<&'static str>, String> {
    if schema.get("type").is_some_and(|t| t == "null") {
        schema.insert("type".into(), Value::Array(vec!["null".into()]));
    }
    let Some(Value::Array(types)) = schema.get("type") else {
        return Ok(None);
    };
    let nullable = types.iter().any(|t| t == "null");
    let others: Vec<&Value> = types.iter().filter(|t| *t != "null").collect();
    let single = match others.as_slice() {
        [one] => Some((*one).clone()),
        [] => None,
        _ => {
            return Err(format!(
                "a `type` list of several types ({}) has no OpenAPI 3.0 form; use `oneOf` (an overlay can rewrite it)",
                others
                    .iter()
                    .map(|t| t.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    };
    let note = match single {
        Some(t) => {
            schema.insert("type".into(), t);
            None
        }
        None => {
            schema.remove("type");
            nullable.then_some(NULL_ONLY)
        }
    };
    if nullable {
        schema.insert("nullable".into(), Value::Bool(true));
    }
    Ok(note)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    fn applied(v: serde_json::Value) -> Result<serde_json::Value, String> {
        let serde_json::Value::Object(mut map) = v else {
            unreachable!()
        };
        super::apply(&mut map).map(|_| serde_json::Value::Object(map))
    }

    #[test]
    fn a_type_with_null_becomes_nullable() {
        assert_eq!(
            applied(json!({"type": ["string", "null"]})).unwrap(),
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(
            applied(json!({"type": ["object"]})).unwrap(),
            json!({"type": "object"})
        );
        assert!(applied(json!({"type": ["string", "integer"]})).is_err());
        assert_eq!(
            applied(json!({"type": "null"})).unwrap(),
            json!({"nullable": true})
        );
    }
}
