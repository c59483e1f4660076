//! OpenAPI Overlay 1.0 support: the way upstream spec defects are patched
//! with data instead of special cases in the generator.

use std::path::Path;

use serde_json::Value;
use serde_json_path::JsonPath;

use crate::error::{CodegenError, Result};

/// Applies one Overlay document (`overlay: 1.0.x`, `actions: [...]`) in place.
///
/// Each action selects nodes with an RFC 9535 JSONPath `target` and either
/// removes them (`remove: true`) or deep-merges `update` into them. An action
/// that matches nothing is an error: a stale overlay must not go unnoticed.
pub fn apply_overlay(doc: &mut Value, overlay: &Value, overlay_path: &Path) -> Result<()> {
    let version = overlay.get("overlay").and_then(Value::as_str).unwrap_or("");
    if !version.starts_with("1.") {
        return Err(CodegenError::new(
            overlay_path,
            "/overlay",
            "expected `overlay: 1.0.0`",
        ));
    }
    let actions = overlay
        .get("actions")
        .and_then(Value::as_array)
        .ok_or_else(|| CodegenError::new(overlay_path, "/actions", "expected a list of actions"))?;
    for (index, action) in actions.iter().enumerate() {
        let at = format!("/actions/{index}");
        let target = action
            .get("target")
            .and_then(Value::as_str)
            .ok_or_else(|| {
                CodegenError::new(
                    overlay_path,
                    format!("{at}/target"),
                    "missing JSONPath target",
                )
            })?;
        let path = JsonPath::parse(target).map_err(|e| {
            CodegenError::new(
                overlay_path,
                format!("{at}/target"),
                format!("bad JSONPath: {e}"),
            )
        })?;
        let mut pointers: Vec<String> = path
            .query_located(doc)
            .locations()
            .map(|loc| loc.to_json_pointer())
            .collect();
        if pointers.is_empty() {
            return Err(CodegenError::new(
                overlay_path,
                format!("{at}/target"),
                format!("`{target}` matches nothing in the document"),
            ));
        }
        let remove = action
            .get("remove")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if remove {
            // Remove from the back so earlier array indexes stay valid.
            pointers.sort_by_key(|p| std::cmp::Reverse(pointer_key(p)));
            for pointer in &pointers {
                remove_at(doc, pointer);
            }
        } else if let Some(update) = action.get("update") {
            for pointer in &pointers {
                if let Some(node) = doc.pointer_mut(pointer) {
                    merge(node, update);
                }
            }
        } else {
            return Err(CodegenError::new(
                overlay_path,
                at,
                "an action needs `remove: true` or an `update`",
            ));
        }
    }
    Ok(())
}

/// Orders pointers so that numeric tokens compare as numbers.
fn pointer_key(pointer: &str) -> Vec<(u64, String)> {
    pointer
        .split('/')
        .map(|t| match t.parse::<u64>() {
            Ok(n) => (n, String::new()),
            Err(_) => (u64::MAX, t.to_string()),
        })
        .collect()
}

fn remove_at(doc: &mut Value, pointer: &str) {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return;
    };
    let token = last.replace("~1", "/").replace("~0", "~");
    match doc.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.shift_remove(&token);
        }
        Some(Value::Array(items)) => {
            if let Ok(i) = token.parse::<usize>()
                && i < items.len()
            {
                items.remove(i);
            }
        }
        _ => {}
    }
}

fn merge(node: &mut Value, update: &Value) {
    match (node, update) {
        (Value::Object(target), Value::Object(patch)) => {
            for (k, v) in patch {
                match target.get_mut(k) {
                    Some(existing) => merge(existing, v),
                    None => {
                        target.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (Value::Array(target), Value::Array(patch)) => target.extend(patch.iter().cloned()),
        (node, update) => *node = update.clone(),
    }
}
