//! When two type uses are "the same": on the wire (JSON shape) and in Rust
//! (the spelled type, aliases seen through).
//!
//! A named type on both sides under the same name counts as the same use:
//! if the definition changed, that change is reported once, on the type, and
//! not again at every place that uses it. Likewise a use of a renamed type
//! counts as the same use of its new name: the rename is reported once.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::classify::TypeDelta;
use crate::ir::{Api, TypeDef, TypeKind, TypeLookup, TypeRef};

/// An alias of an array of itself would otherwise resolve forever.
const MAX_NESTING: usize = 32;

/// The named types of one document.
pub(crate) struct Side<'a> {
    lookup: TypeLookup<'a>,
}

impl<'a> Side<'a> {
    pub fn new(api: &'a Api) -> Self {
        Self {
            lookup: TypeLookup::new(&api.types),
        }
    }

    pub fn get(&self, name: &str) -> Option<&'a TypeDef> {
        self.lookup.def(name)
    }

    /// The type with every alias replaced by its target, inside arrays,
    /// maps and nullable items too, since `Vec<Alias>` is spelled
    /// `Vec<Target>` in Rust terms.
    pub fn resolve(&self, ty: &TypeRef) -> TypeRef {
        self.resolve_within(ty, MAX_NESTING)
    }

    fn resolve_within(&self, ty: &TypeRef, depth: usize) -> TypeRef {
        match self.lookup.resolve(ty) {
            TypeRef::Vec(inner) if depth > 0 => {
                TypeRef::Vec(Box::new(self.resolve_within(inner, depth - 1)))
            }
            TypeRef::Map(inner) if depth > 0 => {
                TypeRef::Map(Box::new(self.resolve_within(inner, depth - 1)))
            }
            TypeRef::Nullable(inner) if depth > 0 => {
                TypeRef::Nullable(Box::new(self.resolve_within(inner, depth - 1)))
            }
            other => other.clone(),
        }
    }
}

/// How a type is written in the generated crate, module paths left out:
/// the model's spelling, the one the renderer emits.
pub(crate) fn spell(ty: &TypeRef) -> String {
    crate::ir::spelling::short_spelling(ty)
}

/// Compares uses from the old document (left) with the new one (right).
pub(crate) struct Equiv<'a> {
    pub old: Side<'a>,
    pub new: Side<'a>,
    /// Settled answers for pairs of differently named types.
    settled: HashMap<(String, String), bool>,
    /// Pairs being compared further up the stack, assumed equal so that
    /// recursive types terminate.
    assumed: BTreeSet<(String, String)>,
    /// Old name -> new name of renamed types.
    renamed: BTreeMap<String, String>,
}

impl<'a> Equiv<'a> {
    pub fn new(old: &'a Api, new: &'a Api) -> Self {
        Self {
            old: Side::new(old),
            new: Side::new(new),
            settled: HashMap::new(),
            assumed: BTreeSet::new(),
            renamed: BTreeMap::new(),
        }
    }

    /// Takes the renames (new name -> old name) into account from now on.
    pub fn set_renames(&mut self, renames: &BTreeMap<String, String>) {
        self.renamed = renames
            .iter()
            .map(|(new, old)| (old.clone(), new.clone()))
            .collect();
    }

    /// An old type use with renamed types under their new names.
    fn renamed(&self, ty: &TypeRef) -> TypeRef {
        match ty {
            TypeRef::Named(n) => TypeRef::Named(self.renamed.get(n).unwrap_or(n).clone()),
            TypeRef::Vec(inner) => TypeRef::Vec(Box::new(self.renamed(inner))),
            TypeRef::Map(inner) => TypeRef::Map(Box::new(self.renamed(inner))),
            TypeRef::Nullable(inner) => TypeRef::Nullable(Box::new(self.renamed(inner))),
            other => other.clone(),
        }
    }

    /// `None` when the two uses are the same, else how they differ.
    pub fn delta(&mut self, old: &TypeRef, new: &TypeRef) -> Option<TypeDelta> {
        if old == new {
            return None;
        }
        let rust_same = self.rust_same(old, new);
        let wire_same = self.wire_same(old, new);
        (!(rust_same && wire_same)).then_some(TypeDelta {
            wire_same,
            rust_same,
        })
    }

    pub fn rust_same(&self, old: &TypeRef, new: &TypeRef) -> bool {
        old == new || spell(&self.renamed(&self.old.resolve(old))) == spell(&self.new.resolve(new))
    }

    pub fn wire_same(&mut self, old: &TypeRef, new: &TypeRef) -> bool {
        let (old, new) = (self.old.resolve(old), self.new.resolve(new));
        self.wire_resolved(&old, &new)
    }

    /// Whether the old type `old` and the new type `new` describe the same
    /// JSON, which makes a removed/added pair a rename.
    pub fn same_structure(&mut self, old: &str, new: &str) -> bool {
        self.wire_same(&TypeRef::Named(old.into()), &TypeRef::Named(new.into()))
    }

    fn wire_resolved(&mut self, old: &TypeRef, new: &TypeRef) -> bool {
        match (old, new) {
            (TypeRef::Named(a), TypeRef::Named(b)) => {
                a == b || self.renamed.get(a) == Some(b) || self.named(a, b)
            }
            (TypeRef::Vec(a), TypeRef::Vec(b))
            | (TypeRef::Map(a), TypeRef::Map(b))
            | (TypeRef::Nullable(a), TypeRef::Nullable(b)) => self.wire_resolved(a, b),
            (a, b) => a == b,
        }
    }

    fn named(&mut self, old: &str, new: &str) -> bool {
        let key = (old.to_string(), new.to_string());
        if let Some(&known) = self.settled.get(&key) {
            return known;
        }
        if self.assumed.contains(&key) {
            return true;
        }
        self.assumed.insert(key.clone());
        let same = match (self.old.get(old), self.new.get(new)) {
            (Some(a), Some(b)) => self.kinds(&a.kind, &b.kind),
            _ => false,
        };
        self.assumed.remove(&key);
        // A `true` reached under an assumption further up is only as good
        // as that assumption; a `false` always stands.
        if !same || self.assumed.is_empty() {
            self.settled.insert(key, same);
        }
        same
    }

    fn kinds(&mut self, old: &TypeKind, new: &TypeKind) -> bool {
        match (old, new) {
            (TypeKind::Struct(a), TypeKind::Struct(b)) => {
                if a.fields.len() != b.fields.len() {
                    return false;
                }
                let additional = match (&a.additional, &b.additional) {
                    (None, None) => true,
                    (Some(x), Some(y)) => self.wire_same(x, y),
                    _ => false,
                };
                additional
                    && a.fields.iter().all(|fa| {
                        b.fields
                            .iter()
                            .find(|fb| fb.name == fa.name)
                            .is_some_and(|fb| {
                                fa.required == fb.required
                                    && fa.nullable == fb.nullable
                                    && self.wire_same(&fa.ty, &fb.ty)
                            })
                    })
            }
            (TypeKind::StringEnum(a), TypeKind::StringEnum(b)) => {
                let values = |v: &[crate::ir::EnumValue]| {
                    v.iter().map(|e| e.value.clone()).collect::<BTreeSet<_>>()
                };
                values(a) == values(b)
            }
            (TypeKind::IntegerEnum(a), TypeKind::IntegerEnum(b)) => {
                let values =
                    |v: &[(String, i64)]| v.iter().map(|(_, i)| *i).collect::<BTreeSet<_>>();
                values(a) == values(b)
            }
            (TypeKind::Union(a), TypeKind::Union(b)) => {
                a.discriminator == b.discriminator
                    && a.variants.len() == b.variants.len()
                    && a.variants
                        .iter()
                        .zip(&b.variants)
                        .all(|(va, vb)| va.tag == vb.tag && self.wire_same(&va.ty, &vb.ty))
            }
            (TypeKind::Alias(a), TypeKind::Alias(b)) => self.wire_same(a, b),
            _ => false,
        }
    }
}
