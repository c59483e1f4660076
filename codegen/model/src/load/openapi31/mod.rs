//! OpenAPI 3.1 brought down to 3.0: the rules the real documents need, each
//! in its own module, applied to the tree in place.
//!
//! Document-level rules run first ([`unused`]), then every schema rule on
//! every schema node, innermost first, so a rule that removes a member of a
//! list never shifts a node still to be visited.

mod constants;
mod content_media_type;
mod examples;
mod exclusive_bounds;
mod null_members;
mod ref_siblings;
mod unsupported;
mod unused;

use std::path::Path;

use serde_json::{Map, Value};

use super::front::{Notes, Origins, type_lists};
use super::schemas::schema_pointers;
use crate::error::{CodegenError, Result};

/// What a schema rule may record besides changing the node.
pub(super) struct Cx<'a> {
    pub notes: &'a mut Notes,
    pub origins: &'a mut Origins,
}

type Rule = fn(&mut Map<String, Value>, &str, &mut Cx<'_>) -> std::result::Result<(), String>;

/// The schema rules, in the order they apply to one node.
const SCHEMA_RULES: &[Rule] = &[
    unsupported::apply,
    unused::apply_to_schema,
    null_members::apply,
    |schema, at, cx| {
        if let Some(note) = type_lists::apply(schema)? {
            cx.notes.add("front::type_lists", note, at);
        }
        Ok(())
    },
    constants::apply,
    examples::apply,
    content_media_type::apply,
    exclusive_bounds::apply,
    ref_siblings::apply,
];

/// Converts a 3.1 document to the 3.0 form; errors point into `raw` as written.
pub fn convert(
    path: &Path,
    mut raw: Value,
    origins: &mut Origins,
    notes: &mut Notes,
) -> Result<Value> {
    let doc = raw
        .as_object_mut()
        .expect("the version check saw a mapping");
    unused::apply_to_document(doc, notes);
    doc.insert("openapi".into(), Value::String("3.0.3".into()));
    doc.entry("paths")
        .or_insert_with(|| Value::Object(Map::new()));
    let mut cx = Cx { notes, origins };
    for pointer in schema_pointers(&raw).iter().rev() {
        let Some(Value::Object(schema)) = crate::pointer::get_mut(&mut raw, pointer) else {
            continue;
        };
        for rule in SCHEMA_RULES {
            rule(schema, pointer, &mut cx)
                .map_err(|reason| CodegenError::new(path, pointer.clone(), reason))?;
        }
    }
    Ok(raw)
}
