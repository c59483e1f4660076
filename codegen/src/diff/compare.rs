//! Pairs up what the two documents contain and collects the changes: the
//! document itself, operations by method and path, the crate's error-body
//! enum, then named types.

use std::collections::{BTreeMap, BTreeSet};

use super::classify::Event;
use super::equiv::{Equiv, spell};
use super::usage::{Usage, usage};
use super::{Change, operations, schemas};
use crate::ir::{Api, ApiModule, Operation, path_params};

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
    let folds = Folds::new(old, new, &old_ops, &new_ops);
    all_operations(&mut ctx, &old_ops, &new_ops, &folds);
    error_bodies(&mut ctx);
    schemas::compare_all(&mut ctx, &folds);
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
    if old.description != new.description {
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
        if before.is_some_and(|b| b.description != module.description) {
            ctx.push(
                Event::TagDocChanged,
                format!("tag {}", module.tag),
                "description",
            );
        }
    }
}

fn all_operations(
    ctx: &mut Ctx<'_>,
    old_ops: &BTreeMap<OpKey, OpRef<'_>>,
    new_ops: &BTreeMap<OpKey, OpRef<'_>>,
    folds: &Folds,
) {
    // An operation that only changed method or path keeps its operationId;
    // pairing on it reports one move instead of a removal and an addition.
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
    let mut moved_from: BTreeMap<OpKey, OpKey> = BTreeMap::new();
    for (id, new_keys) in &new_ids {
        if let ([new_key], Some([old_key])) =
            (new_keys.as_slice(), old_ids.get(id).map(Vec::as_slice))
        {
            moved_from.insert(new_key.clone(), old_key.clone());
        }
    }
    let moved_old: BTreeSet<&OpKey> = moved_from.values().collect();

    let keys: BTreeSet<&OpKey> = old_ops.keys().chain(new_ops.keys()).collect();
    for key in keys {
        match (old_ops.get(key), new_ops.get(key)) {
            (Some(a), Some(b)) => operations::compare(ctx, *a, *b),
            (Some(a), None) if !moved_old.contains(key) => {
                let detail = format!("`{}`{}", a.call(), folds.note(&a.op.pointer, true));
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
                    let detail = format!("`{}`{}", b.call(), folds.note(&b.op.pointer, false));
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

/// Types that only exist as part of something removed or added (inline
/// schemas of a removed operation, or of a removed component schema) are
/// folded into that one change instead of being listed one by one.
pub(crate) struct Folds {
    pub removed_inline: BTreeSet<String>,
    pub added_inline: BTreeSet<String>,
    /// Owner pointer -> how many types were folded into it, per side.
    removed_count: BTreeMap<String, usize>,
    added_count: BTreeMap<String, usize>,
}

impl Folds {
    fn new(
        old: &Api,
        new: &Api,
        old_ops: &BTreeMap<OpKey, OpRef<'_>>,
        new_ops: &BTreeMap<OpKey, OpRef<'_>>,
    ) -> Folds {
        let (removed_inline, removed_count) = fold(old, new, old_ops, new_ops);
        let (added_inline, added_count) = fold(new, old, new_ops, old_ops);
        Folds {
            removed_inline,
            added_inline,
            removed_count,
            added_count,
        }
    }

    /// A note for the owner's own change, e.g. " (and 2 inline types)".
    pub fn note(&self, owner: &str, removed: bool) -> String {
        let counts = if removed {
            &self.removed_count
        } else {
            &self.added_count
        };
        match counts.get(owner) {
            Some(1) => " (and 1 inline type)".to_string(),
            Some(n) => format!(" (and {n} inline types)"),
            None => String::new(),
        }
    }
}

/// Types of `this` missing from `other`, folded into the outermost owner
/// (an operation or type also missing from `other`) whose pointer contains
/// theirs.
fn fold(
    this: &Api,
    other: &Api,
    this_ops: &BTreeMap<OpKey, OpRef<'_>>,
    other_ops: &BTreeMap<OpKey, OpRef<'_>>,
) -> (BTreeSet<String>, BTreeMap<String, usize>) {
    let other_names: BTreeSet<&str> = other.types.iter().map(|t| t.name.as_str()).collect();
    let gone: Vec<&crate::ir::TypeDef> = this
        .types
        .iter()
        .filter(|t| !other_names.contains(t.name.as_str()))
        .collect();
    let mut owners: BTreeSet<&str> = this_ops
        .iter()
        .filter(|(key, _)| !other_ops.contains_key(*key))
        .map(|(_, r)| r.op.pointer.as_str())
        .collect();
    owners.extend(gone.iter().map(|t| t.pointer.as_str()));
    let mut folded = BTreeSet::new();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for t in &gone {
        let outermost = t
            .pointer
            .match_indices('/')
            .map(|(i, _)| &t.pointer[..i])
            .find(|prefix| !prefix.is_empty() && owners.contains(prefix));
        if let Some(owner) = outermost {
            folded.insert(t.name.clone());
            *counts.entry(owner.to_string()).or_default() += 1;
        }
    }
    (folded, counts)
}
