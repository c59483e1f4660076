//! Finding the definition behind a type use, looking through aliases.

use std::collections::BTreeMap;

use super::model::{TypeDef, TypeKind, TypeRef};

/// Named types by Rust name.
#[derive(Debug, Clone)]
pub struct TypeLookup<'a> {
    defs: BTreeMap<&'a str, &'a TypeDef>,
}

impl<'a> TypeLookup<'a> {
    pub fn new(types: &'a [TypeDef]) -> Self {
        Self {
            defs: types.iter().map(|d| (d.name.as_str(), d)).collect(),
        }
    }

    /// The definition named `name`.
    pub fn def(&self, name: &str) -> Option<&'a TypeDef> {
        self.defs.get(name).copied()
    }

    /// The definition behind a named type, if `ty` is one.
    pub fn kind(&self, ty: &TypeRef) -> Option<&'a TypeKind> {
        match ty {
            TypeRef::Named(name) => self.defs.get(name.as_str()).map(|d| &d.kind),
            _ => None,
        }
    }

    /// `ty` with aliases replaced by what they stand for.
    pub fn resolve<'t>(&self, ty: &'t TypeRef) -> &'t TypeRef
    where
        'a: 't,
    {
        let mut current = ty;
        // Bounded because an alias cycle would otherwise never end; the
        // loader rejects `$ref` cycles, so this is only a safety net.
        for _ in 0..32 {
            match self.kind(current) {
                Some(TypeKind::Alias(target)) => current = target,
                _ => break,
            }
        }
        current
    }
}
