//! Structure-aware edits of a document: a node is reached by walking down
//! from the root, then replaced, removed, renamed, copied or re-typed.

use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{Value, json};

use super::documents::{any_json, name, schema};

#[derive(Debug, Clone)]
pub enum Edit {
    Replace(Value),
    ReplaceWithSchema(Value),
    Remove,
    SetRef(String),
    /// A reference to an existing component schema, chosen by index.
    RefExisting(Index),
    RenameKey(String),
    CopyToSibling(String),
    SetType(&'static str),
    SetEnum(Vec<Value>),
}

#[derive(Debug, Clone)]
pub struct Mutation {
    /// One choice per level; the walk stops early at a leaf.
    walk: Vec<Index>,
    edit: Edit,
}

pub fn mutation() -> impl Strategy<Value = Mutation> {
    let edit = prop_oneof![
        2 => any_json().prop_map(Edit::Replace),
        2 => schema().prop_map(Edit::ReplaceWithSchema),
        2 => Just(Edit::Remove),
        3 => any::<Index>().prop_map(Edit::RefExisting),
        1 => name().prop_map(|n| Edit::SetRef(format!("#/components/schemas/{n}"))),
        1 => "#/[a-zA-Z~%/0-9é]{0,12}".prop_map(Edit::SetRef),
        2 => name().prop_map(Edit::RenameKey),
        1 => name().prop_map(Edit::CopyToSibling),
        1 => prop::sample::select(vec!["string", "object", "array", "integer", "number", "boolean", "bogus"]).prop_map(Edit::SetType),
        1 => prop::collection::vec(any_json(), 0..4).prop_map(Edit::SetEnum),
    ];
    (prop::collection::vec(any::<Index>(), 2..14), edit)
        .prop_map(|(walk, edit)| Mutation { walk, edit })
}

/// Applies `m` to `doc`; the root itself is never replaced.
pub fn apply(doc: &mut Value, m: &Mutation) {
    // The version and info fields are left alone: a document without them
    // stops at the first check, which teaches the campaign nothing.
    let Some((first, rest)) = m.walk.split_first() else {
        return;
    };
    let root = if first.index(2) == 0 {
        "paths"
    } else {
        "components"
    };
    let Some(mut node) = doc.get(root) else {
        return;
    };
    let mut tokens: Vec<Token> = vec![Token::Key(root.to_string())];
    for choice in rest {
        let next = match node {
            Value::Object(map) if !map.is_empty() => {
                let (k, v) = map
                    .iter()
                    .nth(choice.index(map.len()))
                    .expect("index in range");
                (Token::Key(k.clone()), v)
            }
            Value::Array(items) if !items.is_empty() => {
                let i = choice.index(items.len());
                (Token::Index(i), &items[i])
            }
            _ => break,
        };
        tokens.push(next.0);
        node = next.1;
    }
    let Some(last) = tokens.pop() else { return };
    let existing: Vec<String> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let Some(parent) = descend(doc, &tokens) else {
        return;
    };
    match (&m.edit, parent, last) {
        (Edit::Remove, Value::Object(map), Token::Key(k)) => {
            map.shift_remove(&k);
        }
        (Edit::Remove, Value::Array(items), Token::Index(i)) => {
            items.remove(i);
        }
        (Edit::RenameKey(new), Value::Object(map), Token::Key(k)) => {
            if let Some(v) = map.shift_remove(&k) {
                map.insert(new.clone(), v);
            }
        }
        (Edit::CopyToSibling(new), Value::Object(map), Token::Key(k)) => {
            let copy = map[&k].clone();
            map.insert(new.clone(), copy);
        }
        (Edit::CopyToSibling(_), Value::Array(items), Token::Index(i)) => {
            let copy = items[i].clone();
            items.push(copy);
        }
        (edit, parent, last) => {
            let slot = match (parent, last) {
                (Value::Object(map), Token::Key(k)) => map.get_mut(&k),
                (Value::Array(items), Token::Index(i)) => items.get_mut(i),
                _ => None,
            };
            let Some(slot) = slot else { return };
            match edit {
                Edit::Replace(v) | Edit::ReplaceWithSchema(v) => *slot = v.clone(),
                Edit::SetRef(r) => *slot = json!({"$ref": r}),
                Edit::RefExisting(i) if !existing.is_empty() => {
                    let name = &existing[i.index(existing.len())];
                    let token = codegen::pointer::escape(name).replace('%', "%25");
                    *slot = json!({"$ref": format!("#/components/schemas/{token}")});
                }
                Edit::SetType(t) => set_key(slot, "type", json!(t)),
                Edit::SetEnum(values) => set_key(slot, "enum", Value::from(values.clone())),
                _ => {}
            }
        }
    }
}

fn set_key(slot: &mut Value, key: &str, value: Value) {
    match slot {
        Value::Object(map) => {
            map.insert(key.to_string(), value);
        }
        other => *other = json!({ key: value }),
    }
}

enum Token {
    Key(String),
    Index(usize),
}

fn descend<'a>(mut node: &'a mut Value, tokens: &[Token]) -> Option<&'a mut Value> {
    for t in tokens {
        node = match (node, t) {
            (Value::Object(map), Token::Key(k)) => map.get_mut(k)?,
            (Value::Array(items), Token::Index(i)) => items.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(node)
}
