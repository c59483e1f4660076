//! Pairs up what the two documents contain and collects the changes: the
//! document itself, operations by method and path, the crate's error-body
//! enum, then named types.
//!
//! Pairing comes first, because it decides how uses compare: an operation
//! that moved is one operation, a type whose name changed but whose JSON
//! did not is one renamed type (and every use of it reads as unchanged, so
//! a rename is reported once), and the inline types of an added or removed
//! operation or type are named in that one change.

use std::collections::{BTreeMap, BTreeSet};

use super::Side;
use super::classify::Event;
use super::equiv::{Equiv, spell};
use super::usage::{Usage, usage};
use super::{Change, docs_differ, operations, schemas};
use crate::ir::{Api, ApiModule, Operation, TypeDef, path_params};

/// State shared by every comparison.
pub(crate) struct Ctx<'a> {
    pub old: &'a Api,
    pub new: &'a Api,
    pub equiv: Equiv<'a>,
    old_usage: BTreeMap<String, Usage>,
    new_usage: BTreeMap<String, Usage>,
    out: Vec<Change>,
}

impl<'a> Ctx<'a> {
    pub fn push(&mut self, event: Event, location: impl Into<String>, detail: impl Into<String>) {
        self.out.push(Change {
            kind: event.kind(),
            location: location.into(),
            http: event.http(),
            rust: event.rust(),
            detail: detail.into(),
            modules: Vec::new(),
        });
    }

    /// Where a type travels in either document: a change matters on the
    /// wire if the type was used that way before or is used that way now.
    pub fn usage(&self, old_name: &str, new_name: &str) -> Usage {
        let get = |map: &BTreeMap<String, Usage>, name: &str| map.get(name).copied();
        get(&self.old_usage, old_name)
            .unwrap_or_default()
            .union(get(&self.new_usage, new_name).unwrap_or_default())
    }
}

/// An operation with the module it is generated into.
#[derive(Clone, Copy)]
pub(crate) struct OpRef<'a> {
    pub module: &'a ApiModule,
    pub op: &'a Operation,
}

impl OpRef<'_> {
    pub fn location(&self) -> String {
        format!("{} {}", self.op.method, self.op.path)
    }

    /// How a caller reaches the operation from the client.
    pub fn call(&self) -> String {
        format!("{}().{}", self.module.accessor, self.op.method_name)
    }

    /// The call and the `operationId`, the name the document knows it by.
    pub fn describe(&self) -> String {
        format!("`{}` (`{}`)", self.call(), self.op.operation_id)
    }
}

/// Operations are keyed by method and path template with parameter names
/// blanked, since renaming `{id}` to `{user_id}` sends the same requests.
type OpKey = (String, String);

fn op_key(op: &Operation) -> OpKey {
    let mut path = op.path.clone();
    for name in path_params(&op.path) {
        path = path.replacen(&format!("{{{name}}}"), "{}", 1);
    }
    (path, op.method.clone())
}

fn ops_of(api: &Api) -> BTreeMap<OpKey, OpRef<'_>> {
    api.modules
        .iter()
        .flat_map(|module| module.operations.iter().map(move |op| OpRef { module, op }))
        .map(|r| (op_key(r.op), r))
        .collect()
}

pub(crate) fn changes(old: &Api, new: &Api) -> Vec<Change> {
    let mut ctx = Ctx {
        old,
        new,
        equiv: Equiv::new(old, new),
        old_usage: usage(old),
        new_usage: usage(new),
        out: Vec::new(),
    };
    document(&mut ctx);
    let old_ops = ops_of(old);
    let new_ops = ops_of(new);
    let moved_from = moved_operations(&old_ops, &new_ops);
    let pairing = Pairing::new(&mut ctx, &old_ops, &new_ops, &moved_from);
    ctx.equiv.set_renames(&pairing.renames);
    all_operations(&mut ctx, &old_ops, &new_ops, &moved_from, &pairing);
    error_bodies(&mut ctx);
    schemas::compare_all(&mut ctx, &pairing);
    ctx.out
}

fn document(ctx: &mut Ctx<'_>) {
    let (old, new) = (ctx.old, ctx.new);
    let mut changed = Vec::new();
    if old.title != new.title {
        changed.push(format!("title `{}` → `{}`", old.title, new.title));
    }
    if old.version != new.version {
        changed.push(format!("version `{}` → `{}`", old.version, new.version));
    }
    if docs_differ(&old.description, &new.description) {
        changed.push("description".to_string());
    }
    if !changed.is_empty() {
        ctx.push(Event::InfoChanged, "info", changed.join("; "));
    }
    if old.server != new.server {
        let show = |s: &Option<String>| s.clone().unwrap_or_else(|| "(none)".into());
        ctx.push(
            Event::ServerChanged,
            "servers",
            format!("`{}` → `{}`", show(&old.server), show(&new.server)),
        );
    }
    for module in &new.modules {
        let before = old.modules.iter().find(|m| m.tag == module.tag);
        if before.is_some_and(|b| docs_differ(&b.description, &module.description)) {
            ctx.push(
                Event::TagDocChanged,
                format!("tag {}", module.tag),
                "description",
            );
        }
    }
}

/// New key -> old key of operations that only changed method or path: they
/// keep their operationId, and pairing on it reports one move instead of a
/// removal and an addition.
fn moved_operations(
    old_ops: &BTreeMap<OpKey, OpRef<'_>>,
    new_ops: &BTreeMap<OpKey, OpRef<'_>>,
) -> BTreeMap<OpKey, OpKey> {
    let by_id = |ops: &BTreeMap<OpKey, OpRef<'_>>, other: &BTreeMap<OpKey, OpRef<'_>>| {
        let mut ids: BTreeMap<String, Vec<OpKey>> = BTreeMap::new();
        for (key, r) in ops {
            if !other.contains_key(key) {
                ids.entry(r.op.operation_id.clone())
                    .or_default()
                    .push(key.clone());
            }
        }
        ids
    };
    let old_ids = by_id(old_ops, new_ops);
    let new_ids = by_id(new_ops, old_ops);
    let mut moved_from = BTreeMap::new();
    for (id, new_keys) in &new_ids {
        if let ([new_key], Some([old_key])) =
            (new_keys.as_slice(), old_ids.get(id).map(Vec::as_slice))
        {
            moved_from.insert(new_key.clone(), old_key.clone());
        }
    }
    moved_from
}

fn all_operations(
    ctx: &mut Ctx<'_>,
    old_ops: &BTreeMap<OpKey, OpRef<'_>>,
    new_ops: &BTreeMap<OpKey, OpRef<'_>>,
    moved_from: &BTreeMap<OpKey, OpKey>,
    pairing: &Pairing,
) {
    let moved_old: BTreeSet<&OpKey> = moved_from.values().collect();
    let keys: BTreeSet<&OpKey> = old_ops.keys().chain(new_ops.keys()).collect();
    for key in keys {
        match (old_ops.get(key), new_ops.get(key)) {
            (Some(a), Some(b)) => operations::compare(ctx, *a, *b),
            (Some(a), None) if !moved_old.contains(key) => {
                let detail = format!("{}{}", a.describe(), pairing.note(&a.op.pointer, Side::Old));
                ctx.push(Event::OperationRemoved, a.location(), detail);
            }
            (None, Some(b)) => match moved_from.get(key).and_then(|k| old_ops.get(k)) {
                Some(a) => {
                    ctx.push(
                        Event::OperationMoved,
                        b.location(),
                        format!("was `{}`", a.location()),
                    );
                    operations::compare(ctx, *a, *b);
                }
                None => {
                    let detail =
                        format!("{}{}", b.describe(), pairing.note(&b.op.pointer, Side::New));
                    ctx.push(Event::OperationAdded, b.location(), detail);
                }
            },
            _ => {}
        }
    }
}

fn error_bodies(ctx: &mut Ctx<'_>) {
    let (old, new) = (ctx.old, ctx.new);
    let index = |api: &'_ Api| -> BTreeMap<String, crate::ir::TypeRef> {
        api.error_bodies
            .iter()
            .map(|b| (b.variant.clone(), b.ty.clone()))
            .collect()
    };
    let (before, after) = (index(old), index(new));
    let names: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    for name in names {
        let location = format!("ErrorBody::{name}");
        match (before.get(name), after.get(name)) {
            (Some(_), None) => ctx.push(Event::ErrorBodyRemoved, location, "variant removed"),
            (None, Some(_)) => ctx.push(Event::ErrorBodyAdded, location, "variant added"),
            (Some(a), Some(b)) if !ctx.equiv.rust_same(a, b) => ctx.push(
                Event::ErrorBodyChanged,
                location,
                format!("`{}` → `{}`", spell(a), spell(b)),
            ),
            _ => {}
        }
    }
}

/// How the types of the two documents pair up beyond equal names.
pub(crate) struct Pairing {
    /// Types folded into a removed (old side) or added (new side) owner:
    /// an operation, or a type that is itself removed or added.
    pub removed_inline: BTreeSet<String>,
    pub added_inline: BTreeSet<String>,
    /// Owner pointer -> the names folded into it, per side.
    removed_into: BTreeMap<String, Vec<String>>,
    added_into: BTreeMap<String, Vec<String>>,
    /// New name -> old name, for a removed and an added type that describe
    /// the same JSON and match no other candidate.
    pub renames: BTreeMap<String, String>,
}

impl Pairing {
    fn new(
        ctx: &mut Ctx<'_>,
        old_ops: &BTreeMap<OpKey, OpRef<'_>>,
        new_ops: &BTreeMap<OpKey, OpRef<'_>>,
        moved_from: &BTreeMap<OpKey, OpKey>,
    ) -> Pairing {
        let (old, new) = (ctx.old, ctx.new);
        let moved_old: BTreeSet<&OpKey> = moved_from.values().collect();
        let moved_new: BTreeSet<&OpKey> = moved_from.keys().collect();
        let gone_old = gone(old, new);
        let gone_new = gone(new, old);

        // The inline types of an operation that is only on one side belong
        // to that operation's change: they have no counterpart to compare.
        let op_owners = |ops: &BTreeMap<OpKey, OpRef<'_>>,
                         other: &BTreeMap<OpKey, OpRef<'_>>,
                         moved: &BTreeSet<&OpKey>|
         -> BTreeSet<String> {
            ops.iter()
                .filter(|(key, _)| !other.contains_key(*key) && !moved.contains(key))
                .map(|(_, r)| r.op.pointer.clone())
                .collect()
        };
        let (removed_inline, mut removed_into) =
            fold(&gone_old, &op_owners(old_ops, new_ops, &moved_old));
        let (added_inline, mut added_into) =
            fold(&gone_new, &op_owners(new_ops, old_ops, &moved_new));

        let removed: Vec<&TypeDef> = gone_old
            .iter()
            .copied()
            .filter(|t| !removed_inline.contains(&t.name))
            .collect();
        let added: Vec<&TypeDef> = gone_new
            .iter()
            .copied()
            .filter(|t| !added_inline.contains(&t.name))
            .collect();
        let renames = schemas::renames(ctx, &removed, &added);

        // What is left is really removed or added; a type nested in such a
        // type is named in its owner's change. Types nested in a renamed
        // type are not folded: the rename says nothing about them.
        let renamed_old: BTreeSet<&str> = renames.values().map(String::as_str).collect();
        let removed: Vec<&TypeDef> = removed
            .into_iter()
            .filter(|t| !renamed_old.contains(t.name.as_str()))
            .collect();
        let added: Vec<&TypeDef> = added
            .into_iter()
            .filter(|t| !renames.contains_key(&t.name))
            .collect();
        let owners = |types: &[&TypeDef]| types.iter().map(|t| t.pointer.clone()).collect();
        let (removed_nested, removed_nested_into) = fold(&removed, &owners(&removed));
        let (added_nested, added_nested_into) = fold(&added, &owners(&added));
        let mut removed_inline = removed_inline;
        let mut added_inline = added_inline;
        removed_inline.extend(removed_nested);
        added_inline.extend(added_nested);
        for (owner, names) in removed_nested_into {
            removed_into.entry(owner).or_default().extend(names);
        }
        for (owner, names) in added_nested_into {
            added_into.entry(owner).or_default().extend(names);
        }
        Pairing {
            removed_inline,
            added_inline,
            removed_into,
            added_into,
            renames,
        }
    }

    /// Names the types folded into an owner, for the owner's own change.
    pub fn note(&self, owner: &str, side: Side) -> String {
        let into = match side {
            Side::Old => &self.removed_into,
            Side::New => &self.added_into,
        };
        match into.get(owner).map(Vec::as_slice) {
            None | Some([]) => String::new(),
            Some([one]) => format!(" (and inline type `{one}`)"),
            Some(names) => format!(
                " (and {} inline types: {})",
                names.len(),
                names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

/// Types of `this` with no type of the same name in `other`.
fn gone<'a>(this: &'a Api, other: &Api) -> Vec<&'a TypeDef> {
    let other_names: BTreeSet<&str> = other.types.iter().map(|t| t.name.as_str()).collect();
    this.types
        .iter()
        .filter(|t| !other_names.contains(t.name.as_str()))
        .collect()
}

/// Folds each type into the outermost owner whose pointer contains its
/// own (never into itself): the folded names, and owner -> names.
fn fold(
    types: &[&TypeDef],
    owners: &BTreeSet<String>,
) -> (BTreeSet<String>, BTreeMap<String, Vec<String>>) {
    let mut folded = BTreeSet::new();
    let mut into: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for t in types {
        let outermost = t
            .pointer
            .match_indices('/')
            .map(|(i, _)| &t.pointer[..i])
            .find(|prefix| !prefix.is_empty() && owners.contains(*prefix));
        if let Some(owner) = outermost {
            folded.insert(t.name.clone());
            into.entry(owner.to_string())
                .or_default()
                .push(t.name.clone());
        }
    }
    for names in into.values_mut() {
        names.sort();
    }
    (folded, into)
}
