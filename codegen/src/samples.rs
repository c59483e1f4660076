//! The smallest JSON value that decodes into a generated type.
//!
//! Tests that have to call every operation need a value for each required
//! argument and body without anyone writing 400 fixtures by hand; this builds
//! them from the IR. Only required properties are filled, so a sample stays
//! small and says nothing the schema does not demand.

use serde_json::{Map, Value, json};

use crate::ir::{TypeDef, TypeKind, TypeLookup, TypeRef};

/// Text of every sample `date-time`.
pub const DATE_TIME: &str = "2024-01-01T00:00:00Z";
/// Text of every sample `date`.
pub const DATE: &str = "2024-01-01";
/// Text of every sample string without a more specific format.
pub const STRING: &str = "sample";

/// Builds minimal valid JSON for the named types of one [`crate::ir::Api`].
pub struct Samples<'a> {
    types: TypeLookup<'a>,
}

impl<'a> Samples<'a> {
    pub fn new(types: &'a [TypeDef]) -> Self {
        Self {
            types: TypeLookup::new(types),
        }
    }

    /// A minimal value of `ty`: required fields only, the first variant of
    /// every enum and union, one element in every array.
    pub fn json(&self, ty: &TypeRef) -> Value {
        self.value(ty, &mut Vec::new())
    }

    /// Looks through aliases, so callers can tell what a parameter really is.
    pub fn resolve<'t>(&self, ty: &'t TypeRef) -> &'t TypeRef
    where
        'a: 't,
    {
        self.types.resolve(ty)
    }

    /// The definition behind a named type, if `ty` is one.
    pub fn kind(&self, ty: &TypeRef) -> Option<&'a TypeKind> {
        self.types.kind(ty)
    }

    /// `stack` holds the named types being expanded, so a type that contains
    /// itself stops at the first repetition instead of recursing forever.
    fn value(&self, ty: &TypeRef, stack: &mut Vec<&'a str>) -> Value {
        match ty {
            TypeRef::Named(name) => self.named(name, stack),
            TypeRef::String | TypeRef::Binary => json!(STRING),
            TypeRef::Bool => json!(false),
            // 1 rather than 0: `minimum: 1` is common on counts and limits.
            TypeRef::I32 | TypeRef::I64 | TypeRef::U32 | TypeRef::U64 => json!(1),
            TypeRef::F32 | TypeRef::F64 => json!(1.0),
            TypeRef::DateTime => json!(DATE_TIME),
            TypeRef::Date => json!(DATE),
            TypeRef::Uuid => json!("00000000-0000-0000-0000-000000000000"),
            // "sample" in standard base64.
            TypeRef::Base64 => json!("c2FtcGxl"),
            TypeRef::Vec(inner) => {
                // One element satisfies a `minItems: 1` the IR does not keep;
                // a self-referencing element falls back to the empty array.
                if self.recursive(inner, stack) {
                    json!([])
                } else {
                    Value::Array(vec![self.value(inner, stack)])
                }
            }
            // A value rather than `null`, so the sample exercises the type;
            // a self-referencing one is where `null` ends the recursion.
            TypeRef::Nullable(inner) => {
                if self.recursive(inner, stack) {
                    Value::Null
                } else {
                    self.value(inner, stack)
                }
            }
            TypeRef::Map(_) | TypeRef::JsonObject | TypeRef::Json => json!({}),
        }
    }

    fn named(&self, name: &str, stack: &mut Vec<&'a str>) -> Value {
        let Some((key, def)) = self.types.def(name).map(|d| (d.name.as_str(), d)) else {
            return json!({});
        };
        if stack.contains(&key) {
            return Value::Null;
        }
        stack.push(key);
        let value = match &def.kind {
            TypeKind::Struct(s) => {
                let mut object = Map::new();
                for field in s.fields.iter().filter(|f| f.required) {
                    let value = if field.nullable && self.recursive(&field.ty, stack) {
                        Value::Null
                    } else {
                        self.value(&field.ty, stack)
                    };
                    object.insert(field.name.clone(), value);
                }
                Value::Object(object)
            }
            TypeKind::StringEnum(values) => {
                json!(values.first().map_or(STRING, |v| v.value.as_str()))
            }
            TypeKind::IntegerEnum(values) => json!(values.first().map_or(0, |(_, v)| *v)),
            TypeKind::Union(u) => {
                let variant = u
                    .variants
                    .iter()
                    .find(|v| !self.recursive(&v.ty, stack))
                    .or(u.variants.first());
                match variant {
                    Some(v) => {
                        let mut value = self.value(&v.ty, stack);
                        // A tagged union decodes by its tag, so the sample
                        // has to carry the one that selects this variant.
                        if let (Some(property), Some(tag), Value::Object(object)) =
                            (&u.discriminator, &v.tag, &mut value)
                        {
                            object.insert(property.clone(), json!(tag));
                        }
                        value
                    }
                    None => json!({}),
                }
            }
            TypeKind::Alias(target) => self.value(target, stack),
        };
        stack.pop();
        value
    }

    /// Whether expanding `ty` would reach a type already being expanded.
    fn recursive(&self, ty: &TypeRef, stack: &[&str]) -> bool {
        let mut seen = Vec::new();
        self.reaches(ty, stack, &mut seen)
    }

    fn reaches(&self, ty: &TypeRef, stack: &[&str], seen: &mut Vec<&'a str>) -> bool {
        match ty {
            TypeRef::Named(name) => {
                let Some((key, def)) = self.types.def(name).map(|d| (d.name.as_str(), d)) else {
                    return false;
                };
                if stack.contains(&key) {
                    return true;
                }
                if seen.contains(&key) {
                    return false;
                }
                seen.push(key);
                match &def.kind {
                    TypeKind::Struct(s) => s
                        .fields
                        .iter()
                        .filter(|f| f.required)
                        .any(|f| self.reaches(&f.ty, stack, seen)),
                    // Only the variant `value` would pick matters, but any
                    // reachable one is a safe over-approximation.
                    TypeKind::Union(u) => u
                        .variants
                        .first()
                        .is_some_and(|v| self.reaches(&v.ty, stack, seen)),
                    TypeKind::Alias(target) => self.reaches(target, stack, seen),
                    TypeKind::StringEnum(_) | TypeKind::IntegerEnum(_) => false,
                }
            }
            TypeRef::Vec(inner) | TypeRef::Nullable(inner) => self.reaches(inner, stack, seen),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{EnumValue, Field, StructDef, UnionDef, UnionVariant};

    fn def(name: &str, kind: TypeKind) -> TypeDef {
        TypeDef {
            name: name.to_string(),
            pointer: format!("#/components/schemas/{name}"),
            description: None,
            kind,
            example: None,
        }
    }

    fn field(name: &str, ty: TypeRef, required: bool, nullable: bool) -> Field {
        Field {
            name: name.to_string(),
            rust_name: name.to_string(),
            ty,
            required,
            nullable,
            read_only: false,
            deprecated: false,
            description: None,
            boxed: false,
            example: None,
        }
    }

    fn strukt(fields: Vec<Field>) -> TypeKind {
        TypeKind::Struct(StructDef {
            fields,
            additional: None,
        })
    }

    #[test]
    fn scalars_have_fixed_values() {
        let samples = Samples::new(&[]);
        assert_eq!(samples.json(&TypeRef::String), json!("sample"));
        assert_eq!(samples.json(&TypeRef::I64), json!(1));
        assert_eq!(samples.json(&TypeRef::F32), json!(1.0));
        assert_eq!(samples.json(&TypeRef::Bool), json!(false));
        assert_eq!(samples.json(&TypeRef::DateTime), json!(DATE_TIME));
        assert_eq!(
            samples.json(&TypeRef::Uuid),
            json!("00000000-0000-0000-0000-000000000000")
        );
        assert_eq!(
            samples.json(&TypeRef::Vec(Box::new(TypeRef::U32))),
            json!([1])
        );
        assert_eq!(
            samples.json(&TypeRef::Map(Box::new(TypeRef::String))),
            json!({})
        );
    }

    #[test]
    fn structs_fill_required_fields_only() {
        let types = [
            def(
                "Color",
                TypeKind::StringEnum(vec![
                    EnumValue {
                        value: "red".into(),
                        rust_name: "Red".into(),
                    },
                    EnumValue {
                        value: "blue".into(),
                        rust_name: "Blue".into(),
                    },
                ]),
            ),
            def(
                "Thing",
                strukt(vec![
                    field("name", TypeRef::String, true, false),
                    field("color", TypeRef::Named("Color".into()), true, false),
                    field("note", TypeRef::String, false, false),
                ]),
            ),
        ];
        let samples = Samples::new(&types);
        assert_eq!(
            samples.json(&TypeRef::Named("Thing".into())),
            json!({"name": "sample", "color": "red"})
        );
    }

    #[test]
    fn self_reference_stops() {
        let types = [def(
            "Node",
            strukt(vec![
                field(
                    "children",
                    TypeRef::Vec(Box::new(TypeRef::Named("Node".into()))),
                    true,
                    false,
                ),
                field("parent", TypeRef::Named("Node".into()), true, true),
            ]),
        )];
        let samples = Samples::new(&types);
        assert_eq!(
            samples.json(&TypeRef::Named("Node".into())),
            json!({"children": [], "parent": null})
        );
    }

    #[test]
    fn tagged_union_carries_its_tag() {
        let types = [
            def(
                "A",
                strukt(vec![field("kind", TypeRef::String, true, false)]),
            ),
            def(
                "AOrB",
                TypeKind::Union(UnionDef {
                    variants: vec![UnionVariant {
                        rust_name: "A".into(),
                        ty: TypeRef::Named("A".into()),
                        tag: Some("a".into()),
                    }],
                    discriminator: Some("kind".into()),
                }),
            ),
        ];
        let samples = Samples::new(&types);
        assert_eq!(
            samples.json(&TypeRef::Named("AOrB".into())),
            json!({"kind": "a"})
        );
    }
}
