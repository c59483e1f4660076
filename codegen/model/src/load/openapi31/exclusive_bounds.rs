//! Numeric `exclusiveMinimum: n` / `exclusiveMaximum: n` (JSON Schema
//! 2020-12) become 3.0's `minimum: n` / `maximum: n` with the boolean
//! `exclusiveMinimum: true` / `exclusiveMaximum: true`.

use serde_json::{Map, Value};

use super::Cx;

pub fn apply(schema: &mut Map<String, Value>, at: &str, cx: &mut Cx<'_>) -> Result<(), String> {
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        let Some(Value::Number(n)) = schema.get(exclusive).cloned() else {
            continue;
        };
        // Both an inclusive and an exclusive bound: the stricter one holds.
        let stricter = match schema.get(bound).and_then(Value::as_f64) {
            Some(inclusive) => {
                let value = n.as_f64().unwrap_or(f64::NAN);
                if bound == "minimum" {
                    value >= inclusive
                } else {
                    value <= inclusive
                }
            }
            None => true,
        };
        if stricter {
            schema.insert(bound.into(), Value::Number(n));
            schema.insert(exclusive.into(), Value::Bool(true));
            cx.origins.moved(
                crate::pointer::push(at, bound),
                crate::pointer::push(at, exclusive),
            );
        } else {
            schema.remove(exclusive);
        }
    }
    Ok(())
}
