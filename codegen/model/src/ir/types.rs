//! Turns schemas into named Rust types and type uses.

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, OpenAPI, ReferenceOr, Schema};

use super::lock::{NameLock, key_pointer, place_key};
use super::model::{
    EnumValue, Field, Report, StructDef, TypeDef, TypeKind, TypeRef, UnionDef, UnionVariant,
};
use super::names::{
    CATCH_ALL, Namespace, claim_variant, member_variant_name, type_name, value_name,
};
use super::view::{SchemaOrBox, SchemaRef, has_structure, view};
use crate::error::push_pointer;

/// Names a schema type may not take because generated code uses them unqualified.
const RESERVED_TYPE_NAMES: &[&str] = &[
    "Option",
    "Vec",
    "String",
    "Box",
    "Result",
    "Some",
    "None",
    "Ok",
    "Err",
    "Self",
    "Default",
    "Clone",
    "Debug",
    "PartialEq",
    "Serialize",
    "Deserialize",
    "Value",
    "Map",
];

pub struct TypeResolver<'a> {
    spec: &'a OpenAPI,
    raw: &'a serde_json::Value,
    /// Original component name -> Rust name.
    component_names: BTreeMap<String, String>,
    names: Namespace,
    defs: Vec<TypeDef>,
    pub report: Report,
    /// Inline schemas already named, by pointer, so a schema seen twice is one type.
    inline_by_pointer: BTreeMap<String, String>,
    /// Locked names of inline places that exist in this document, by key.
    locked_places: BTreeMap<String, String>,
    /// Locked names already given, so a hand-edited lock that repeats a
    /// name cannot make two types of one name.
    locked_taken: std::collections::BTreeSet<String>,
    /// What each reference resolved to, typed: operations and `allOf`
    /// members name the same few components many times over.
    derefs: std::cell::RefCell<std::collections::HashMap<String, Option<Schema>>>,
}

impl<'a> TypeResolver<'a> {
    pub fn new(spec: &'a OpenAPI, raw: &'a serde_json::Value, lock: &NameLock) -> Self {
        let mut names = Namespace::with_reserved(RESERVED_TYPE_NAMES);
        let mut report = Report::default();
        let mut component_names = BTreeMap::new();
        let mut originals: Vec<&String> = spec
            .components
            .as_ref()
            .map(|c| c.schemas.keys().collect())
            .unwrap_or_default();
        originals.sort();
        // Locked names whose place exists here: an inline place, or a
        // component, found by its own key or by a place that references it
        // (a schema written inline before and pulled out now).
        let mut locked_components: BTreeMap<String, String> = BTreeMap::new();
        let mut locked_places = BTreeMap::new();
        for (key, name) in &lock.types {
            let Some(pointer) = key_pointer(key) else {
                continue;
            };
            let Some(node) = crate::pointer::get(raw, &pointer) else {
                continue;
            };
            let target = node
                .get("$ref")
                .and_then(|r| r.as_str())
                .and_then(|r| crate::pointer::component_name(r, "schemas"));
            if let Some(component) =
                crate::pointer::component_name(&format!("#{pointer}"), "schemas")
            {
                locked_components.insert(component, name.clone());
            } else if let Some(component) = target {
                locked_components
                    .entry(component)
                    .or_insert_with(|| name.clone());
            } else {
                locked_places.insert(key.clone(), name.clone());
            }
            names.reserve(name);
        }
        let mut locked_taken = std::collections::BTreeSet::new();
        for original in originals {
            let pointer = push_pointer("/components/schemas", original);
            let given = match locked_components.get(original.as_str()) {
                Some(name) if locked_taken.insert(name.clone()) => name.clone(),
                _ => names.claim(&type_name(original), &pointer, &mut report.renames),
            };
            component_names.insert(original.clone(), given);
        }
        Self {
            spec,
            raw,
            component_names,
            names,
            defs: Vec::new(),
            report,
            inline_by_pointer: BTreeMap::new(),
            locked_places,
            locked_taken,
            derefs: Default::default(),
        }
    }

    /// Converts every component schema, in name order.
    pub fn resolve_components(&mut self) {
        let Some(components) = &self.spec.components else {
            return;
        };
        let mut originals: Vec<(&String, &SchemaRef)> = components.schemas.iter().collect();
        originals.sort_by(|a, b| a.0.cmp(b.0));
        for (original, schema) in originals {
            let name = self.component_names[original].clone();
            let pointer = push_pointer("/components/schemas", original);
            let (description, kind) = match schema {
                ReferenceOr::Reference { reference } => {
                    (None, TypeKind::Alias(self.ref_type(reference).0))
                }
                ReferenceOr::Item(s) => (
                    s.schema_data.description.clone(),
                    self.def_kind(&name, s, &pointer),
                ),
            };
            let description = description.or_else(|| match schema {
                ReferenceOr::Item(s) => s.schema_data.title.clone(),
                _ => None,
            });
            let example = match schema {
                ReferenceOr::Item(s) => s.schema_data.example.clone(),
                _ => None,
            };
            self.defs.push(TypeDef {
                name,
                pointer,
                description,
                kind,
                example,
            });
        }
    }

    pub fn into_parts(mut self) -> (Vec<TypeDef>, Report) {
        self.defs.sort_by(|a, b| a.name.cmp(&b.name));
        mark_boxes(&mut self.defs);
        let defs = std::mem::take(&mut self.defs);
        for def in &defs {
            let construct = match &def.kind {
                TypeKind::Struct(_) => "struct",
                TypeKind::StringEnum(_) => "string enum",
                TypeKind::IntegerEnum(_) => "integer enum",
                TypeKind::Union(u) if u.discriminator.is_some() => "tagged union",
                TypeKind::Union(_) => "untagged union",
                TypeKind::Alias(_) => "alias",
            };
            self.count(construct);
            if let TypeKind::Struct(s) = &def.kind {
                for f in &s.fields {
                    if f.boxed {
                        self.count("boxed recursive field");
                    }
                    if f.nullable && !f.required {
                        self.count("nullable optional field (absent/null/value)");
                    } else if f.nullable {
                        self.count("nullable required field");
                    }
                    if f.read_only {
                        self.count("read-only field");
                    }
                }
                if s.additional.is_some() {
                    self.count("struct with additionalProperties map");
                }
            }
        }
        self.report.fallbacks.sort();
        self.report.fallbacks.dedup();
        self.report.free_form.sort();
        self.report.free_form.dedup();
        (defs, self.report)
    }

    fn count(&mut self, construct: &'static str) {
        *self.report.constructs.entry(construct).or_default() += 1;
    }

    /// `ty` as an array item or map value: [`TypeRef::nullable`] when its
    /// schema is nullable, so that a JSON `null` decodes as `None`.
    fn nullable_if(&mut self, nullable: bool, ty: TypeRef) -> TypeRef {
        let ty = if nullable { TypeRef::nullable(ty) } else { ty };
        if matches!(ty, TypeRef::Nullable(_)) {
            self.count("nullable array item or map value (Option<T>)");
        }
        ty
    }

    /// The type of a parameter, body or response schema, naming inline
    /// structures after `hint`.
    pub fn schema_type(
        &mut self,
        schema: &SchemaRef,
        hint: &str,
        pointer: &str,
    ) -> (TypeRef, bool) {
        self.type_ref(SchemaOrBox::plain(schema), hint, pointer)
    }

    /// Resolves a reference to the schema it names, following chains.
    pub fn deref_schema(&self, reference: &str) -> Option<Schema> {
        self.with_deref(reference, |schema| schema.cloned())
    }

    /// `read` applied to what `reference` resolves to, resolved once per
    /// reference.
    fn with_deref<R>(&self, reference: &str, read: impl FnOnce(Option<&Schema>) -> R) -> R {
        if let Some(known) = self.derefs.borrow().get(reference) {
            return read(known.as_ref());
        }
        let schema = self.deref_uncached(reference);
        let result = read(schema.as_ref());
        self.derefs
            .borrow_mut()
            .insert(reference.to_string(), schema);
        result
    }

    fn deref_uncached(&self, reference: &str) -> Option<Schema> {
        let mut current = reference.to_string();
        for _ in 0..64 {
            // A component is already in its typed form.
            if let Some(name) = crate::pointer::component_name(&current, "schemas")
                && let Some(component) = self
                    .spec
                    .components
                    .as_ref()
                    .and_then(|c| c.schemas.get(&name))
            {
                match component {
                    ReferenceOr::Item(schema) => return Some(schema.clone()),
                    ReferenceOr::Reference { reference } => {
                        current = reference.clone();
                        continue;
                    }
                }
            }
            let node = crate::pointer::get(self.raw, &crate::pointer::local_target(&current)?)?;
            match node.get("$ref").and_then(|r| r.as_str()) {
                Some(next) => current = next.to_string(),
                None => return serde::Deserialize::deserialize(node).ok(),
            }
        }
        None
    }

    fn ref_type(&mut self, reference: &str) -> (TypeRef, bool) {
        if let Some(original) = crate::pointer::component_name(reference, "schemas")
            && let Some(name) = self.component_names.get(&original)
        {
            let nullable =
                self.with_deref(reference, |s| s.is_some_and(|s| s.schema_data.nullable));
            return (TypeRef::Named(name.clone()), nullable);
        }
        // A reference somewhere else in the document: treat its target as inline.
        match self.deref_schema(reference) {
            Some(schema) => {
                let pointer = reference.trim_start_matches('#').to_string();
                let hint = type_name(reference.rsplit('/').next().unwrap_or("Schema"));
                let owned = ReferenceOr::Item(schema);
                self.type_ref(SchemaOrBox::plain(&owned), &hint, &pointer)
            }
            None => {
                self.report.fallbacks.push(reference.to_string());
                (TypeRef::Json, false)
            }
        }
    }

    fn type_ref(&mut self, schema: SchemaOrBox<'_>, hint: &str, pointer: &str) -> (TypeRef, bool) {
        if let Some(reference) = schema.reference() {
            return self.ref_type(reference);
        }
        let Some(s) = schema.item() else {
            return (TypeRef::Json, false);
        };
        let v = view(s);
        let nullable = s.schema_data.nullable || v.enum_has_null;
        // `allOf: [$ref]` is how the spec attaches a description to a reference.
        if v.all_of.len() == 1
            && v.properties.is_empty()
            && v.one_of.is_empty()
            && v.any_of.is_empty()
        {
            let (ty, inner_nullable) = self.type_ref(
                SchemaOrBox::plain(&v.all_of[0]),
                hint,
                &format!("{pointer}/allOf/0"),
            );
            return (ty, nullable || inner_nullable);
        }
        if !v.string_enum.is_empty() || !v.integer_enum.is_empty() || has_structure(&v) {
            let name = self.inline_def(hint, s, pointer);
            return (TypeRef::Named(name), nullable);
        }
        let plain = self.plain_type(&v, hint, pointer);
        // A place that held a named type before (a component the document
        // now writes inline) keeps that name as an alias of the same type.
        if let Some(name) = self.take_locked_place(pointer) {
            self.count("alias kept by the name lock");
            self.defs.push(TypeDef {
                name: name.clone(),
                pointer: pointer.to_string(),
                description: s
                    .schema_data
                    .description
                    .clone()
                    .or_else(|| s.schema_data.title.clone()),
                kind: TypeKind::Alias(plain),
                example: s.schema_data.example.clone(),
            });
            self.inline_by_pointer
                .insert(pointer.to_string(), name.clone());
            return (TypeRef::Named(name), nullable);
        }
        (plain, nullable)
    }

    /// The locked name of the inline place at `pointer`, if it has one that
    /// no other type took; taking it marks it taken.
    fn take_locked_place(&mut self, pointer: &str) -> Option<String> {
        if let Some(name) = self.inline_by_pointer.get(pointer) {
            return Some(name.clone());
        }
        let name = self
            .locked_places
            .get(&place_key(pointer))
            .filter(|name| !self.locked_taken.contains(*name))
            .cloned()?;
        self.locked_taken.insert(name.clone());
        Some(name)
    }

    /// Defines the type at a locked inline place that the model would not
    /// otherwise name (a `multipart/form-data` body's object), so a type
    /// users may name survives the document writing it inline.
    pub fn keep_locked(&mut self, schema: &SchemaRef, hint: &str, pointer: &str) {
        if matches!(schema, ReferenceOr::Item(_))
            && self.locked_places.contains_key(&place_key(pointer))
        {
            self.schema_type(schema, hint, pointer);
        }
    }

    /// Types that need no definition of their own.
    fn plain_type(&mut self, v: &super::view::View<'_>, hint: &str, pointer: &str) -> TypeRef {
        match v.typ {
            Some("string") => match v.format.as_deref() {
                Some("date-time") => TypeRef::DateTime,
                Some("date") => TypeRef::Date,
                Some("uuid") => TypeRef::Uuid,
                Some("byte") => TypeRef::Base64,
                Some("binary") => TypeRef::Binary,
                _ => TypeRef::String,
            },
            Some("integer") => match v.format.as_deref() {
                Some("int32") => TypeRef::I32,
                Some("uint32") => TypeRef::U32,
                Some("uint64") => TypeRef::U64,
                _ => TypeRef::I64,
            },
            Some("number") => match v.format.as_deref() {
                Some("float") => TypeRef::F32,
                _ => TypeRef::F64,
            },
            Some("boolean") => TypeRef::Bool,
            Some("array") => match v.items {
                Some(items) => {
                    let (item, nullable) =
                        self.type_ref(items, &format!("{hint}Item"), &format!("{pointer}/items"));
                    TypeRef::Vec(Box::new(self.nullable_if(nullable, item)))
                }
                None => {
                    self.report.free_form.push(format!("{pointer}/items"));
                    TypeRef::Vec(Box::new(TypeRef::Json))
                }
            },
            Some("object") => self.map_type(v.additional, hint, pointer),
            None if v.additional.is_some() => self.map_type(v.additional, hint, pointer),
            None => {
                self.report.free_form.push(pointer.to_string());
                TypeRef::Json
            }
            Some(other) => {
                self.report
                    .fallbacks
                    .push(format!("{pointer} (type `{other}`)"));
                TypeRef::Json
            }
        }
    }

    fn map_type(
        &mut self,
        additional: Option<&AdditionalProperties>,
        hint: &str,
        pointer: &str,
    ) -> TypeRef {
        match additional {
            Some(AdditionalProperties::Schema(value)) => {
                let (ty, nullable) = self.type_ref(
                    SchemaOrBox::plain(value),
                    &format!("{hint}Value"),
                    &format!("{pointer}/additionalProperties"),
                );
                TypeRef::Map(Box::new(self.nullable_if(nullable, ty)))
            }
            _ => TypeRef::JsonObject,
        }
    }

    /// Registers an inline schema as a named type and returns its name.
    fn inline_def(&mut self, hint: &str, schema: &Schema, pointer: &str) -> String {
        if let Some(name) = self.inline_by_pointer.get(pointer) {
            return name.clone();
        }
        let name = match self.take_locked_place(pointer) {
            Some(name) => name,
            None => self
                .names
                .claim(&type_name(hint), pointer, &mut self.report.renames),
        };
        self.inline_by_pointer
            .insert(pointer.to_string(), name.clone());
        self.count("inline schema named from its parent");
        let kind = self.def_kind(&name, schema, pointer);
        let description = schema
            .schema_data
            .description
            .clone()
            .or_else(|| schema.schema_data.title.clone());
        self.defs.push(TypeDef {
            name: name.clone(),
            pointer: pointer.to_string(),
            description,
            kind,
            example: schema.schema_data.example.clone(),
        });
        name
    }

    fn def_kind(&mut self, name: &str, schema: &Schema, pointer: &str) -> TypeKind {
        let v = view(schema);
        if !v.string_enum.is_empty() {
            return TypeKind::StringEnum(enum_values(&v.string_enum));
        }
        if !v.integer_enum.is_empty() {
            let mut ns = Namespace::default();
            let values = v
                .integer_enum
                .iter()
                .map(|i| {
                    (
                        ns.claim_quiet(&format!("V{}", i.to_string().replace('-', "Minus"))),
                        *i,
                    )
                })
                .collect();
            return TypeKind::IntegerEnum(values);
        }
        if !v.one_of.is_empty() || !v.any_of.is_empty() {
            let (members, key) = if v.one_of.is_empty() {
                (v.any_of, "anyOf")
            } else {
                (v.one_of, "oneOf")
            };
            return TypeKind::Union(self.union_def(
                name,
                schema,
                members,
                &format!("{pointer}/{key}"),
            ));
        }
        if v.all_of.len() == 1 && v.properties.is_empty() {
            let (ty, _) = self.type_ref(
                SchemaOrBox::plain(&v.all_of[0]),
                name,
                &format!("{pointer}/allOf/0"),
            );
            return TypeKind::Alias(ty);
        }
        if !v.all_of.is_empty() {
            self.count("allOf merged into one struct");
        }
        if has_structure(&v) {
            return TypeKind::Struct(self.struct_def(name, schema, pointer));
        }
        TypeKind::Alias(self.plain_type(&v, name, pointer))
    }

    fn union_def(
        &mut self,
        name: &str,
        schema: &Schema,
        members: &[SchemaRef],
        pointer: &str,
    ) -> UnionDef {
        let discriminator = schema.schema_data.discriminator.as_ref();
        let mut members_typed = Vec::new();
        for (i, member) in members.iter().enumerate() {
            let member_pointer = format!("{pointer}/{i}");
            let (ty, _) = self.type_ref(
                SchemaOrBox::plain(member),
                &format!("{name}Variant{i}"),
                &member_pointer,
            );
            let tag = match (discriminator, member) {
                (Some(d), ReferenceOr::Reference { reference }) => Some(
                    d.mapping
                        .iter()
                        .find(|(_, target)| *target == reference)
                        .map(|(value, _)| value.clone())
                        .unwrap_or_else(|| {
                            reference.rsplit('/').next().unwrap_or_default().to_string()
                        }),
                ),
                _ => None,
            };
            members_typed.push((ty, tag));
        }
        let tagged = discriminator.is_some() && members_typed.iter().all(|(_, tag)| tag.is_some());
        // Only a tagged union has the `Unknown` catch-all; an untagged one has
        // no variant of its own to keep free.
        let catch_alls: &[&str] = if tagged { &[CATCH_ALL] } else { &[] };
        let mut ns = Namespace::with_reserved(catch_alls);
        let variants = members_typed
            .into_iter()
            .map(|(ty, tag)| UnionVariant {
                rust_name: claim_variant(&mut ns, &member_variant_name(&ty), catch_alls),
                ty,
                tag,
            })
            .collect();
        UnionDef {
            variants,
            discriminator: if tagged {
                discriminator.map(|d| d.property_name.clone())
            } else {
                None
            },
        }
    }

    fn struct_def(&mut self, name: &str, schema: &Schema, pointer: &str) -> StructDef {
        let mut members = Members::default();
        self.collect_members(schema, pointer, &mut members, &mut BTreeSet::new());
        let mut ns = Namespace::with_reserved(&["additional_properties"]);
        let mut fields = Vec::new();
        for (wire, (property, property_pointer)) in &members.properties {
            let (ty, nullable) = self.type_ref(
                property.as_ref(),
                &format!("{name}{}", type_name(wire)),
                property_pointer,
            );
            let data = property.schema_data();
            let read_only = data.is_some_and(|d| d.read_only);
            let required = members.required.contains(wire) && !read_only;
            fields.push(Field {
                name: wire.clone(),
                rust_name: ns.claim(
                    &value_name(wire),
                    property_pointer,
                    &mut self.report.renames,
                ),
                ty,
                required,
                nullable,
                read_only,
                deprecated: data.is_some_and(|d| d.deprecated),
                description: data.and_then(|d| d.description.clone().or_else(|| d.title.clone())),
                boxed: false,
                example: data.and_then(|d| d.example.clone()),
            });
        }
        let additional = match members.additional {
            Some((value, value_pointer)) => {
                let (ty, nullable) = self.type_ref(
                    SchemaOrBox::plain(&value),
                    &format!("{name}Value"),
                    &value_pointer,
                );
                Some(self.nullable_if(nullable, ty))
            }
            None => None,
        };
        StructDef { fields, additional }
    }

    /// Gathers properties, required names and `additionalProperties` through
    /// `allOf`, following references. `visited` stops reference loops.
    fn collect_members(
        &mut self,
        schema: &Schema,
        pointer: &str,
        out: &mut Members,
        visited: &mut BTreeSet<String>,
    ) {
        let v = view(schema);
        for (i, part) in v.all_of.iter().enumerate() {
            match part {
                ReferenceOr::Reference { reference } => {
                    if visited.insert(reference.clone())
                        && let Some(target) = self.deref_schema(reference)
                    {
                        let target_pointer = reference.trim_start_matches('#').to_string();
                        self.collect_members(&target, &target_pointer, out, visited);
                    }
                }
                ReferenceOr::Item(inner) => {
                    self.collect_members(inner, &format!("{pointer}/allOf/{i}"), out, visited);
                }
            }
        }
        for (wire, property) in &v.properties {
            let owned = match (property.reference(), property.item()) {
                (Some(r), _) => OwnedSchema::Ref(r.to_string()),
                (_, Some(s)) => OwnedSchema::Item(Box::new(s.clone())),
                _ => continue,
            };
            let property_pointer = push_pointer(&format!("{pointer}/properties"), wire);
            out.properties
                .insert(wire.to_string(), (owned, property_pointer));
        }
        out.required
            .extend(v.required.iter().map(|s| s.to_string()));
        if let Some(AdditionalProperties::Schema(value)) = v.additional {
            out.additional = Some(((**value).clone(), format!("{pointer}/additionalProperties")));
        }
    }
}

#[derive(Default)]
struct Members {
    properties: IndexMap<String, (OwnedSchema, String)>,
    required: BTreeSet<String>,
    additional: Option<(SchemaRef, String)>,
}

/// A property schema detached from the document it came from, since `allOf`
/// members may be resolved copies.
enum OwnedSchema {
    Ref(String),
    Item(Box<Schema>),
}

impl OwnedSchema {
    fn as_ref(&self) -> SchemaOrBox<'_> {
        match self {
            OwnedSchema::Ref(r) => SchemaOrBox::Ref(r),
            OwnedSchema::Item(s) => SchemaOrBox::Item(s),
        }
    }

    fn schema_data(&self) -> Option<&openapiv3::SchemaData> {
        match self {
            OwnedSchema::Item(s) => Some(&s.schema_data),
            OwnedSchema::Ref(_) => None,
        }
    }
}

/// A string enum's variants: each value's `UpperCamelCase` name, in document
/// order; `"unknown"` (any casing) becomes `UnknownValue` because the enum's
/// catch-all is `Unknown(String)` (see [`CATCH_ALL`] for why the catch-all
/// keeps its name).
fn enum_values(values: &[String]) -> Vec<EnumValue> {
    let mut ns = Namespace::with_reserved(&[CATCH_ALL]);
    let mut seen = BTreeSet::new();
    values
        .iter()
        .filter(|v| seen.insert(v.as_str()))
        .map(|v| EnumValue {
            value: v.clone(),
            rust_name: claim_variant(&mut ns, &type_name(v), &[CATCH_ALL]),
        })
        .collect()
}

/// Boxes every field or variant whose type contains its owner without
/// indirection, which would otherwise make the type infinitely sized.
fn mark_boxes(defs: &mut [TypeDef]) {
    let index: BTreeMap<String, usize> = defs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.name.clone(), i))
        .collect();
    let edges: Vec<Vec<usize>> = defs
        .iter()
        .map(|d| {
            let mut out = Vec::new();
            let mut push = |t: &TypeRef| {
                if let TypeRef::Named(n) = t
                    && let Some(&j) = index.get(n.as_str())
                {
                    out.push(j);
                }
            };
            match &d.kind {
                TypeKind::Struct(s) => s.fields.iter().for_each(|f| push(&f.ty)),
                TypeKind::Union(u) => u.variants.iter().for_each(|v| push(&v.ty)),
                TypeKind::Alias(t) => push(t),
                _ => {}
            }
            out
        })
        .collect();
    let scc = strongly_connected(&edges);
    for (i, def) in defs.iter_mut().enumerate() {
        if let TypeKind::Struct(s) = &mut def.kind {
            for f in &mut s.fields {
                if let TypeRef::Named(n) = &f.ty
                    && let Some(&j) = index.get(n.as_str())
                {
                    f.boxed = scc[i] == scc[j];
                }
            }
        }
    }
}

/// The strongly connected component of every node, by index. petgraph's
/// Tarjan is iterative, so deep type graphs cannot overflow the stack.
fn strongly_connected(edges: &[Vec<usize>]) -> Vec<usize> {
    let mut graph = petgraph::graph::DiGraph::<(), ()>::with_capacity(edges.len(), 0);
    let nodes: Vec<_> = (0..edges.len()).map(|_| graph.add_node(())).collect();
    for (from, targets) in edges.iter().enumerate() {
        for &to in targets {
            graph.add_edge(nodes[from], nodes[to], ());
        }
    }
    let mut component = vec![0; edges.len()];
    for (c, members) in petgraph::algo::tarjan_scc(&graph).iter().enumerate() {
        for node in members {
            component[node.index()] = c;
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Resolves the components of a small document and returns every
    /// enum's or union's variant names, by type name.
    fn variants(document: &str) -> BTreeMap<String, Vec<String>> {
        let raw: serde_json::Value = serde_yaml::from_str(document).unwrap();
        let spec: OpenAPI = serde_json::from_value(raw.clone()).unwrap();
        let mut resolver = TypeResolver::new(&spec, &raw, &NameLock::default());
        resolver.resolve_components();
        let (defs, _) = resolver.into_parts();
        defs.into_iter()
            .filter_map(|d| {
                let names = match d.kind {
                    TypeKind::StringEnum(values) => {
                        values.into_iter().map(|v| v.rust_name).collect()
                    }
                    TypeKind::Union(u) => u.variants.into_iter().map(|v| v.rust_name).collect(),
                    _ => return None,
                };
                Some((d.name, names))
            })
            .collect()
    }

    /// The naming rules, with expectations written from the rules rather
    /// than from the output: a string enum's `"unknown"` is `UnknownValue`
    /// beside the `Unknown(String)` catch-all; union members that are not
    /// named types are named after their JSON kind, containers after their
    /// items; clashes count up in document order.
    #[test]
    fn variant_names_follow_the_rules() {
        let names = variants(
            r##"
openapi: 3.0.3
info: {title: Names, version: "1"}
paths: {}
components:
  schemas:
    State:
      type: string
      enum: [unknown, missing, UNKNOWN, unknown_value]
    Cat: {type: object, required: [kind], properties: {kind: {type: string}}}
    Unknown: {type: object, required: [kind], properties: {kind: {type: string}}}
    Mixed:
      oneOf:
        - {type: number}
        - {type: string}
        - {type: array, items: {type: string}}
        - {type: array, items: {$ref: '#/components/schemas/Cat'}}
        - {type: integer, format: int32}
        - {type: integer, format: int64}
        - {type: boolean}
        - {type: object, additionalProperties: {type: integer}}
        - {type: string, format: date-time}
        - $ref: '#/components/schemas/Cat'
        - $ref: '#/components/schemas/Unknown'
    Tagged:
      oneOf:
        - $ref: '#/components/schemas/Cat'
        - $ref: '#/components/schemas/Unknown'
      discriminator: {propertyName: kind}
"##,
        );
        assert_eq!(
            names["State"],
            ["UnknownValue", "Missing", "UnknownValue2", "UnknownValue3"]
        );
        assert_eq!(
            names["Mixed"],
            [
                "Number",
                "String",
                "StringList",
                "CatList",
                "Integer",
                "Integer2",
                "Boolean",
                "IntegerMap",
                "DateTime",
                "Cat",
                // An untagged union has no catch-all to make way for.
                "Unknown",
            ]
        );
        // A tagged union keeps `Unknown(serde_json::Value)` for unknown tags.
        assert_eq!(names["Tagged"], ["Cat", "UnknownValue"]);
    }
}
