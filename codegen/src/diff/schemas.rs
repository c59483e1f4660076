//! Named types against their counterparts, matched by Rust name; a removed
//! and an added type with the same structure are one rename.

use std::collections::{BTreeMap, BTreeSet};

use super::Side;
use super::classify::{Event, TypeDelta};
use super::compare::{Ctx, Pairing};
use super::docs_differ;
use super::equiv::spell;
use super::usage::Usage;
use crate::ir::{EnumValue, Field, StructDef, TypeDef, TypeKind, TypeRef, UnionDef};

pub(crate) fn compare_all(ctx: &mut Ctx<'_>, pairing: &Pairing) {
    let (old, new) = (ctx.old, ctx.new);
    let before: BTreeMap<&str, &TypeDef> = old.types.iter().map(|t| (t.name.as_str(), t)).collect();
    let after: BTreeMap<&str, &TypeDef> = new.types.iter().map(|t| (t.name.as_str(), t)).collect();
    let renamed_old: BTreeSet<&str> = pairing.renames.values().map(String::as_str).collect();

    let names: BTreeSet<&str> = before.keys().chain(after.keys()).copied().collect();
    for name in names {
        match (before.get(name), after.get(name)) {
            (Some(a), Some(b)) => compare(ctx, a, b),
            (Some(a), None) => {
                if !renamed_old.contains(name) && !pairing.removed_inline.contains(&a.name) {
                    let detail =
                        format!("{}{}", shape(&a.kind), pairing.note(&a.pointer, Side::Old));
                    ctx.push(Event::SchemaRemoved, name, detail);
                }
            }
            (None, Some(b)) => {
                let was = pairing
                    .renames
                    .get(name)
                    .and_then(|was| before.get(was.as_str()));
                if let Some(a) = was {
                    ctx.push(Event::SchemaRenamed, name, format!("was `{}`", a.name));
                    // Same JSON, but docs and Rust-only details may differ.
                    compare(ctx, a, b);
                } else if !pairing.added_inline.contains(&b.name) {
                    let detail =
                        format!("{}{}", shape(&b.kind), pairing.note(&b.pointer, Side::New));
                    ctx.push(Event::SchemaAdded, name, detail);
                }
            }
            (None, None) => {}
        }
    }
}

/// New name -> old name, for removed/added pairs that describe the same
/// JSON and match no other candidate.
pub(crate) fn renames(
    ctx: &mut Ctx<'_>,
    removed: &[&TypeDef],
    added: &[&TypeDef],
) -> BTreeMap<String, String> {
    // Comparing every pair is quadratic; a cheap signature prunes it first.
    let mut buckets: BTreeMap<String, Vec<&TypeDef>> = BTreeMap::new();
    for t in added {
        buckets.entry(signature(&t.kind)).or_default().push(t);
    }
    let mut pairs = Vec::new();
    for r in removed {
        for a in buckets.get(&signature(&r.kind)).into_iter().flatten() {
            if ctx.equiv.same_structure(&r.name, &a.name) {
                pairs.push((r.name.clone(), a.name.clone()));
            }
        }
    }
    let count = |pick: fn(&(String, String)) -> &String| {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for p in &pairs {
            *counts.entry(pick(p).clone()).or_default() += 1;
        }
        counts
    };
    let (per_old, per_new) = (count(|p| &p.0), count(|p| &p.1));
    pairs
        .iter()
        .filter(|(o, n)| per_old[o] == 1 && per_new[n] == 1)
        .map(|(o, n)| (n.clone(), o.clone()))
        .collect()
}

fn signature(kind: &TypeKind) -> String {
    match kind {
        TypeKind::Struct(s) => {
            let mut names: Vec<&str> = s.fields.iter().map(|f| f.name.as_str()).collect();
            names.sort_unstable();
            format!("struct {}", names.join(","))
        }
        TypeKind::StringEnum(v) => {
            let mut values: Vec<&str> = v.iter().map(|e| e.value.as_str()).collect();
            values.sort_unstable();
            format!("enum {}", values.join(","))
        }
        TypeKind::IntegerEnum(v) => format!("int enum {}", v.len()),
        TypeKind::Union(u) => format!("union {}", u.variants.len()),
        TypeKind::Alias(_) => "alias".into(),
    }
}

fn shape(kind: &TypeKind) -> String {
    match kind {
        TypeKind::Struct(_) => "struct".into(),
        TypeKind::StringEnum(_) => "string enum".into(),
        TypeKind::IntegerEnum(_) => "integer enum".into(),
        TypeKind::Union(u) if u.discriminator.is_some() => "tagged union".into(),
        TypeKind::Union(_) => "untagged union".into(),
        TypeKind::Alias(target) => format!("alias of `{}`", spell(target)),
    }
}

fn compare(ctx: &mut Ctx<'_>, old: &TypeDef, new: &TypeDef) {
    let usage = ctx.usage(&old.name, &new.name);
    let at = new.name.as_str();
    if docs_differ(&old.description, &new.description) {
        ctx.push(Event::SchemaDocChanged, at, "description");
    }
    match (&old.kind, &new.kind) {
        (TypeKind::Struct(a), TypeKind::Struct(b)) => structs(ctx, at, a, b, usage),
        (TypeKind::StringEnum(a), TypeKind::StringEnum(b)) => {
            let values = |v: &[EnumValue]| v.iter().map(|e| e.value.clone()).collect::<Vec<_>>();
            enum_values(ctx, at, &values(a), &values(b), usage);
        }
        (TypeKind::IntegerEnum(a), TypeKind::IntegerEnum(b)) => {
            let values =
                |v: &[(String, i64)]| v.iter().map(|(_, i)| i.to_string()).collect::<Vec<_>>();
            enum_values(ctx, at, &values(a), &values(b), usage);
        }
        (TypeKind::Union(a), TypeKind::Union(b)) => unions(ctx, at, a, b, usage),
        (TypeKind::Alias(a), TypeKind::Alias(b)) => {
            if let Some(delta) = ctx.equiv.delta(a, b) {
                ctx.push(
                    Event::AliasTypeChanged { delta, usage },
                    at,
                    format!("`{}` → `{}`{}", spell(a), spell(b), unused(usage)),
                );
            }
        }
        (a, b) => ctx.push(
            Event::SchemaKindChanged(usage),
            at,
            format!("{} → {}{}", shape(a), shape(b), unused(usage)),
        ),
    }
}

/// Why a change that would break on the wire does not here.
fn unused(usage: Usage) -> &'static str {
    if usage.any() {
        ""
    } else {
        " (no operation uses the type)"
    }
}

fn field_shape(f: &Field) -> String {
    let mut notes = vec![if f.required { "required" } else { "optional" }];
    if f.nullable {
        notes.push("nullable");
    }
    format!("{} `{}`", notes.join(" "), spell(&f.ty))
}

fn structs(ctx: &mut Ctx<'_>, at: &str, old: &StructDef, new: &StructDef, usage: Usage) {
    let note = unused(usage);
    for a in &old.fields {
        let here = format!("{at}.{}", a.name);
        let Some(b) = new.fields.iter().find(|b| b.name == a.name) else {
            ctx.push(
                Event::PropertyRemoved(usage),
                here,
                format!("was {}{note}", field_shape(a)),
            );
            continue;
        };
        field(ctx, &here, a, b, usage);
    }
    for b in &new.fields {
        if !old.fields.iter().any(|a| a.name == b.name) {
            ctx.push(
                Event::PropertyAdded {
                    required: b.required,
                    usage,
                },
                format!("{at}.{}", b.name),
                format!("{}{note}", field_shape(b)),
            );
        }
    }
    // `new()` takes the required fields in declaration order.
    let (order_before, order_after) = (
        required(&old.fields, &new.fields),
        required(&new.fields, &old.fields),
    );
    if order_before != order_after {
        ctx.push(
            Event::ConstructorOrderChanged,
            at,
            format!(
                "`new({})` → `new({})`",
                order_before.join(", "),
                order_after.join(", ")
            ),
        );
    }
    additional(
        ctx,
        at,
        old.additional.as_ref(),
        new.additional.as_ref(),
        usage,
    );
}

/// Rust names of `list`'s required fields that are required in `other` too.
fn required<'f>(list: &'f [Field], other: &[Field]) -> Vec<&'f str> {
    list.iter()
        .filter(|f| f.required && other.iter().any(|o| o.name == f.name && o.required))
        .map(|f| f.rust_name.as_str())
        .collect()
}

fn field(ctx: &mut Ctx<'_>, here: &str, a: &Field, b: &Field, usage: Usage) {
    let note = unused(usage);
    if a.required != b.required {
        ctx.push(
            Event::PropertyRequiredChanged {
                now_required: b.required,
                usage,
            },
            here,
            format!(
                "now {}{note}",
                if b.required { "required" } else { "optional" }
            ),
        );
    }
    if a.nullable != b.nullable {
        ctx.push(
            Event::PropertyNullableChanged {
                now_nullable: b.nullable,
                usage,
            },
            here,
            format!(
                "{}{note}",
                if b.nullable {
                    "now nullable"
                } else {
                    "no longer nullable"
                }
            ),
        );
    }
    match ctx.equiv.delta(&a.ty, &b.ty) {
        Some(delta) => ctx.push(
            Event::PropertyTypeChanged { delta, usage },
            here,
            format!("`{}` → `{}`{note}", spell(&a.ty), spell(&b.ty)),
        ),
        // Boxing follows from recursion elsewhere but still changes the field's type.
        None if a.boxed != b.boxed => ctx.push(
            Event::PropertyTypeChanged {
                delta: TypeDelta {
                    wire_same: true,
                    rust_same: false,
                },
                usage,
            },
            here,
            if b.boxed {
                "now boxed"
            } else {
                "no longer boxed"
            },
        ),
        None => {}
    }
    if a.rust_name != b.rust_name {
        ctx.push(
            Event::PropertyRenamed,
            here,
            format!("field `{}` → `{}`", a.rust_name, b.rust_name),
        );
    }
    let mut changed = Vec::new();
    if docs_differ(&a.description, &b.description) {
        changed.push("description");
    }
    if a.deprecated != b.deprecated {
        changed.push(if b.deprecated {
            "now deprecated"
        } else {
            "no longer deprecated"
        });
    }
    if a.read_only != b.read_only {
        changed.push(if b.read_only {
            "now read-only"
        } else {
            "no longer read-only"
        });
    }
    if !changed.is_empty() {
        ctx.push(Event::PropertyDocChanged, here, changed.join(", "));
    }
}

fn additional(
    ctx: &mut Ctx<'_>,
    at: &str,
    old: Option<&TypeRef>,
    new: Option<&TypeRef>,
    usage: Usage,
) {
    // Without a schema for them, extra properties are kept as free-form JSON.
    let any = TypeRef::Json;
    let (x, y) = (old.unwrap_or(&any), new.unwrap_or(&any));
    let rust_same = match (old, new) {
        (None, None) => true,
        (Some(x), Some(y)) => ctx.equiv.rust_same(x, y),
        _ => false,
    };
    let wire_same = ctx.equiv.wire_same(x, y);
    if rust_same && wire_same {
        return;
    }
    // Constraining extras breaks writers; loosening them breaks readers.
    let (breaks_requests, breaks_responses) = match (x == &any, y == &any, wire_same) {
        (_, _, true) => (false, false),
        (true, false, _) => (true, false),
        (false, true, _) => (false, true),
        _ => (true, true),
    };
    let show = |t: Option<&TypeRef>| {
        t.map_or_else(|| "any JSON".to_string(), |t| format!("`{}`", spell(t)))
    };
    ctx.push(
        Event::AdditionalPropertiesChanged {
            breaks_requests,
            breaks_responses,
            rust_same,
            usage,
        },
        at,
        format!(
            "extra properties {} → {}{}",
            show(old),
            show(new),
            unused(usage)
        ),
    );
}

fn enum_values(ctx: &mut Ctx<'_>, at: &str, old: &[String], new: &[String], usage: Usage) {
    for value in old.iter().filter(|v| !new.contains(v)) {
        ctx.push(
            Event::EnumValueRemoved(usage),
            at,
            format!("value `{value}` removed{}", unused(usage)),
        );
    }
    for value in new.iter().filter(|v| !old.contains(v)) {
        ctx.push(Event::EnumValueAdded, at, format!("value `{value}` added"));
    }
}

/// A union member for details: its key, and its type when that says more.
fn variant(key: &str, ty: &TypeRef) -> String {
    let ty = spell(ty);
    if ty == key {
        format!("`{key}`")
    } else {
        format!("`{key}` (`{ty}`)")
    }
}

fn unions(ctx: &mut Ctx<'_>, at: &str, old: &UnionDef, new: &UnionDef, usage: Usage) {
    let note = unused(usage);
    if old.discriminator != new.discriminator {
        let show = |d: &Option<String>| {
            d.as_ref()
                .map_or_else(|| "untagged".to_string(), |p| format!("tagged by `{p}`"))
        };
        ctx.push(
            Event::UnionDiscriminatorChanged(usage),
            at,
            format!(
                "{} → {}{note}",
                show(&old.discriminator),
                show(&new.discriminator)
            ),
        );
        return;
    }
    // Tagged members are matched by tag, untagged ones by variant name.
    let key = |v: &crate::ir::UnionVariant| v.tag.clone().unwrap_or_else(|| v.rust_name.clone());
    for a in &old.variants {
        let Some(b) = new.variants.iter().find(|b| key(b) == key(a)) else {
            ctx.push(
                Event::UnionVariantRemoved(usage),
                at,
                format!("variant {} removed{note}", variant(&key(a), &a.ty)),
            );
            continue;
        };
        let delta = ctx.equiv.delta(&a.ty, &b.ty).or_else(|| {
            (a.rust_name != b.rust_name).then_some(TypeDelta {
                wire_same: true,
                rust_same: false,
            })
        });
        if let Some(delta) = delta {
            ctx.push(
                Event::UnionVariantTypeChanged { delta, usage },
                at,
                format!(
                    "variant `{}`: `{}({})` → `{}({})`{note}",
                    key(a),
                    a.rust_name,
                    spell(&a.ty),
                    b.rust_name,
                    spell(&b.ty)
                ),
            );
        }
    }
    for b in &new.variants {
        if !old.variants.iter().any(|a| key(a) == key(b)) {
            ctx.push(
                Event::UnionVariantAdded(usage),
                at,
                format!("variant {} added{note}", variant(&key(b), &b.ty)),
            );
        }
    }
}
