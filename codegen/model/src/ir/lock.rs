//! The name lock: the Rust names in use, so an upstream rename (an
//! `operationId`, a component that a conversion named differently, an
//! inline schema pulled out into a component) does not rename the public
//! API.
//!
//! Keys say where an item is, not what upstream calls it:
//! - an operation by `METHOD path`;
//! - a component schema by its pointer, `#/components/schemas/Name`;
//! - an inline schema by its place: `METHOD path` and the pointer inside
//!   the operation (`GET /users /responses/200/content/application~1json/schema`),
//!   or the pointer inside a component.
//!
//! Besides the types it defines, an operation's parameter, body and
//! response places record the component they reference, so a component
//! that a later document writes inline at the same place keeps its name,
//! and an inline schema that becomes a component keeps its name too.
//!
//! The model takes a locked name where the key exists in the document and
//! the name is free; everything else is named by today's rules. The lock
//! written after a generation holds exactly the items of that generation,
//! so an item that is gone leaves it. Renaming on purpose is editing it.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{CodegenError, Result};
use crate::pointer::{escape, unescape};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NameLock {
    /// `METHOD path` → the operation's Rust names.
    #[serde(default)]
    pub operations: BTreeMap<String, LockedOperation>,
    /// Place → Rust type name.
    #[serde(default)]
    pub types: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LockedOperation {
    /// The method on the tag's client (`list_all`).
    pub method: String,
    /// The request builder type (`SystemGroupsListAll`); inline types of
    /// the operation and its response enum are named after it.
    pub builder: String,
}

/// The header of the lock file.
const HEADER: &str = "# The Rust names in use, by place: written by `cargo xtask generate` and\n\
# `ingest`, read by every generation so an upstream rename renames nothing.\n\
# Rename on purpose by editing a name here, in the same pull request.\n\n";

impl NameLock {
    pub fn read(path: &Path) -> Result<NameLock> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| CodegenError::new(path, "", format!("cannot read the name lock: {e}")))?;
        let lock: NameLock = toml::from_str(&text)
            .map_err(|e| CodegenError::new(path, "", format!("bad name lock: {e}")))?;
        lock.check(path)?;
        Ok(lock)
    }

    /// Every name must be a Rust identifier: a hand-edited lock is input.
    fn check(&self, path: &Path) -> Result<()> {
        let names = self
            .operations
            .iter()
            .flat_map(|(key, op)| {
                [
                    (format!("/operations/{}/method", escape(key)), &op.method),
                    (format!("/operations/{}/builder", escape(key)), &op.builder),
                ]
            })
            .chain(
                self.types
                    .iter()
                    .map(|(key, name)| (format!("/types/{}", escape(key)), name)),
            );
        for (at, name) in names {
            if !super::names::is_identifier(name) {
                return Err(CodegenError::new(
                    path,
                    at,
                    format!("`{name}` is not a Rust identifier (a keyword, or not a name at all)"),
                ));
            }
        }
        Ok(())
    }

    pub fn to_toml(&self) -> String {
        let body = toml::to_string(self).expect("a name lock always encodes");
        format!("{HEADER}{body}")
    }

    pub fn is_empty(&self) -> bool {
        self.operations.is_empty() && self.types.is_empty()
    }
}

/// `METHOD path` of an operation.
pub fn operation_key(method: &str, path: &str) -> String {
    format!("{} {path}", method.to_uppercase())
}

/// The lock key of the place at JSON `pointer` (into the 3.0 tree).
///
/// A place under an operation is written relative to it, so the key says
/// which operation in the words the drift report uses; anything else is its
/// pointer.
pub fn place_key(pointer: &str) -> String {
    let mut tokens = pointer.split('/').skip(1);
    if tokens.next() == Some("paths")
        && let (Some(path), Some(method)) = (tokens.next(), tokens.next())
        && super::super::load::is_method(method)
    {
        let rest: Vec<&str> = tokens.collect();
        let rest = if rest.is_empty() {
            String::new()
        } else {
            format!(" /{}", rest.join("/"))
        };
        return format!("{}{rest}", operation_key(method, &unescape(path)));
    }
    format!("#{pointer}")
}

/// The JSON pointer a place key names; the inverse of [`place_key`].
pub fn key_pointer(key: &str) -> Option<String> {
    if let Some(pointer) = key.strip_prefix('#') {
        return Some(pointer.to_string());
    }
    let (method, rest) = key.split_once(' ')?;
    let (path, inner) = match rest.split_once(" /") {
        Some((path, inner)) => (path, format!("/{inner}")),
        None => (rest, String::new()),
    };
    Some(format!(
        "/paths/{}/{}{inner}",
        escape(path),
        method.to_lowercase()
    ))
}

/// The lock of a generation: every operation's names, every type's name
/// by its place, and the component each operation-level place references.
pub fn lock_of(api: &super::Api, raw: &serde_json::Value) -> NameLock {
    let mut lock = NameLock::default();
    let operations: Vec<&super::Operation> =
        api.modules.iter().flat_map(|m| &m.operations).collect();
    for op in &operations {
        lock.operations.insert(
            operation_key(&op.method, &op.path),
            LockedOperation {
                method: op.method_name.clone(),
                builder: op.builder_name.clone(),
            },
        );
    }
    let by_pointer: BTreeMap<&str, &str> = api
        .types
        .iter()
        .map(|t| (t.pointer.as_str(), t.name.as_str()))
        .collect();
    for t in &api.types {
        lock.types.insert(place_key(&t.pointer), t.name.clone());
    }
    for op in &operations {
        for (place, node) in operation_places(raw, &op.pointer) {
            let Some(target) = node
                .get("$ref")
                .and_then(|r| r.as_str())
                .and_then(crate::pointer::local_target)
            else {
                continue;
            };
            if let Some(name) = by_pointer.get(target.as_str()) {
                lock.types.insert(place_key(&place), (*name).to_string());
            }
        }
    }
    lock
}

/// The schema places of one operation that hold a schema: each
/// parameter's, each request and response media type's, with the schema.
fn operation_places<'a>(
    raw: &'a serde_json::Value,
    op_pointer: &str,
) -> Vec<(String, &'a serde_json::Value)> {
    use crate::pointer::{push, push_all};
    let mut out = Vec::new();
    let Some(op) = crate::pointer::get(raw, op_pointer) else {
        return out;
    };
    if let Some(list) = op.get("parameters").and_then(|p| p.as_array()) {
        for (i, parameter) in list.iter().enumerate() {
            if let Some(schema) = parameter.get("schema") {
                let at = push_all(op_pointer, &["parameters", &i.to_string(), "schema"]);
                out.push((at, schema));
            }
        }
    }
    let media = |owner: &'a serde_json::Value,
                 at: String,
                 out: &mut Vec<(String, &'a serde_json::Value)>| {
        if let Some(content) = owner.get("content").and_then(|c| c.as_object()) {
            for (media, entry) in content {
                if let Some(schema) = entry.get("schema") {
                    out.push((push_all(&at, &["content", media, "schema"]), schema));
                }
            }
        }
    };
    if let Some(body) = op.get("requestBody") {
        media(body, push(op_pointer, "requestBody"), &mut out);
    }
    if let Some(responses) = op.get("responses").and_then(|r| r.as_object()) {
        for (status, response) in responses {
            media(
                response,
                push_all(op_pointer, &["responses", status]),
                &mut out,
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lock_with_a_name_that_is_not_an_identifier_is_refused_where_it_is() {
        let path = std::env::temp_dir().join(format!("names-{}.toml", std::process::id()));
        std::fs::write(
            &path,
            "[operations.\"GET /a\"]\nmethod = \"type\"\nbuilder = \"A\"\n",
        )
        .unwrap();
        let error = NameLock::read(&path).unwrap_err();
        assert_eq!(error.pointer, "/operations/GET ~1a/method");
        assert!(error.reason.contains("`type` is not a Rust identifier"));
        std::fs::write(
            &path,
            "[types]\n\"#/components/schemas/A\" = \"Has Space\"\n",
        )
        .unwrap();
        assert!(NameLock::read(&path).is_err());
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn places_are_keyed_by_operation_and_round_trip() {
        let pointer = "/paths/~1users~1{id}/get/responses/200/content/application~1json/schema";
        let key = place_key(pointer);
        assert_eq!(
            key,
            "GET /users/{id} /responses/200/content/application~1json/schema"
        );
        assert_eq!(key_pointer(&key).as_deref(), Some(pointer));
        let component = "/components/schemas/User/properties/name";
        assert_eq!(
            place_key(component),
            "#/components/schemas/User/properties/name"
        );
        assert_eq!(
            key_pointer(&place_key(component)).as_deref(),
            Some(component)
        );
        assert_eq!(place_key("/paths/~1a/get"), "GET /a");
    }
}
