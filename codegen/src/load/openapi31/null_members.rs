//! `anyOf`/`oneOf: [A, {type: "null"}]`, 3.1's other way to say "A or
//! null", becomes `anyOf`/`oneOf: [A]` with `nullable: true`. A `null` type
//! anywhere else has no 3.0 form.

use serde_json::{Map, Value};

use super::Cx;
use crate::pointer::push_all;

pub fn apply(schema: &mut Map<String, Value>, at: &str, cx: &mut Cx<'_>) -> Result<(), String> {
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(members)) = schema.get_mut(key) else {
            continue;
        };
        let Some(index) = members.iter().position(is_null_type) else {
            continue;
        };
        members.remove(index);
        for later in index..members.len() {
            cx.origins.moved(
                push_all(at, &[key, &later.to_string()]),
                push_all(at, &[key, &(later + 1).to_string()]),
            );
        }
        schema.insert("nullable".into(), Value::Bool(true));
    }
    // A member of an `anyOf`/`oneOf` is visited before the list that holds
    // it, which removes it above.
    let member = at
        .rsplit('/')
        .nth(1)
        .is_some_and(|list| list == "anyOf" || list == "oneOf");
    if !member && schema.get("type").is_some_and(|t| t == "null") {
        return Err(
            "`type: \"null\"` outside an `anyOf`/`oneOf` has no OpenAPI 3.0 form".to_string(),
        );
    }
    Ok(())
}

fn is_null_type(member: &Value) -> bool {
    let Some(map) = member.as_object() else {
        return false;
    };
    map.get("type").is_some_and(|t| t == "null")
}
