//! `$ref` checks done on the raw tree, where JSON pointers are still at hand.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use crate::error::{CodegenError, Result, push_pointer};

/// Fails on the first `$ref` that is external, dangling, or part of a cycle
/// of references that never reaches a real node.
pub fn check_references(path: &Path, doc: &Value) -> Result<()> {
    let mut refs = Vec::new();
    collect_refs(doc, &mut Vec::new(), &mut refs);
    for (at, target) in &refs {
        let mut seen = BTreeSet::new();
        let mut current = target.clone();
        loop {
            let Some(local) = current.strip_prefix('#') else {
                return Err(CodegenError::new(
                    path,
                    format!("{at}/$ref"),
                    format!("external reference `{current}` is not supported"),
                ));
            };
            if !seen.insert(current.clone()) {
                return Err(CodegenError::new(
                    path,
                    format!("{at}/$ref"),
                    format!("`$ref` cycle through `{current}` never reaches a definition"),
                ));
            }
            let Some(node) = crate::pointer::get(doc, &decode_fragment(local)) else {
                return Err(CodegenError::new(
                    path,
                    format!("{at}/$ref"),
                    format!("dangling reference `{current}`: nothing is defined there"),
                ));
            };
            match node.get("$ref").and_then(Value::as_str) {
                Some(next) => current = next.to_string(),
                None => break,
            }
        }
    }
    Ok(())
}

/// One step from a node to a child.
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// Every `$ref` string of the tree with the pointer of the node holding it,
/// in document order. The pointer is only spelled out where a `$ref` is.
fn collect_refs<'a>(node: &'a Value, at: &mut Vec<Step<'a>>, out: &mut Vec<(String, String)>) {
    match node {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get("$ref") {
                let pointer = at.iter().fold(String::new(), |pointer, step| match step {
                    Step::Key(key) => push_pointer(&pointer, key),
                    Step::Index(i) => push_pointer(&pointer, &i.to_string()),
                });
                out.push((pointer, target.clone()));
            }
            for (k, v) in map {
                at.push(Step::Key(k));
                collect_refs(v, at, out);
                at.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                at.push(Step::Index(i));
                collect_refs(v, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

/// `$ref` fragments may be percent-encoded; JSON pointers are not.
pub(super) fn decode_fragment(fragment: &str) -> String {
    crate::pointer::decode_fragment(fragment)
}
