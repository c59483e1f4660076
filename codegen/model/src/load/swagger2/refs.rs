//! Every `$ref` follows its target to the component it became:
//! `#/definitions/` → `#/components/schemas/`, `#/parameters/` →
//! `#/components/parameters/`, `#/responses/` → `#/components/responses/`.
//! References to shared `body` parameters were already pointed at
//! `#/components/requestBodies/` by [`super::operations`].

use serde_json::Value;

const MOVES: &[(&str, &str)] = &[
    ("#/definitions/", "#/components/schemas/"),
    ("#/parameters/", "#/components/parameters/"),
    ("#/responses/", "#/components/responses/"),
];

pub fn rewrite(tree: &mut Value) {
    let mut stack = vec![tree];
    while let Some(node) = stack.pop() {
        match node {
            Value::Object(map) => {
                if let Some(Value::String(target)) = map.get_mut("$ref")
                    && let Some((from, to)) =
                        MOVES.iter().find(|(from, _)| target.starts_with(from))
                {
                    *target = format!("{to}{}", &target[from.len()..]);
                }
                stack.extend(map.values_mut());
            }
            Value::Array(items) => stack.extend(items.iter_mut()),
            _ => {}
        }
    }
}
