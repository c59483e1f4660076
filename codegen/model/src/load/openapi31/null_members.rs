//! `anyOf`/`oneOf: [A, {type: "null"}]`, 3.1's other way to say "A or
//! null", becomes `anyOf`/`oneOf: [A]` with `nullable: true`. (A `null`
//! type anywhere else is [`crate::load::front::type_lists`]'s.)

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
    Ok(())
}

fn is_null_type(member: &Value) -> bool {
    let Some(map) = member.as_object() else {
        return false;
    };
    // Members are visited first, so `{type: "null"}` may already read
    // `{nullable: true}` (`type_lists`).
    map.get("type").is_some_and(|t| t == "null")
        || (map.get("nullable") == Some(&Value::Bool(true))
            && map
                .keys()
                .all(|k| matches!(k.as_str(), "nullable" | "description" | "title")))
}
