//! Array items and map values that may be `null` are `Option`s: every array
//! property whose items the document marks nullable (OpenAPI 3.1's
//! `type: [T, "null"]`, an `anyOf` with a `{type: "null"}` member, or a
//! `$ref` to a component written so) is `Vec<Option<T>>` in the client, and
//! every other one stays `Vec<T>`. The expectations are read from the raw
//! documents, not from the generator's model.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use codegen::ir::{TypeKind, spelling::short_spelling};
use serde_json::Value;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/constructs/nullable_items.yaml")
}

/// Whether a raw schema admits `null`, as OpenAPI 3.1 (or 3.0) writes it.
fn admits_null(doc: &Value, schema: &Value) -> bool {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let target = reference
            .strip_prefix('#')
            .and_then(|pointer| doc.pointer(pointer));
        return target.is_some_and(|t| admits_null(doc, t));
    }
    let null_type =
        |t: &Value| t == "null" || t.as_array().is_some_and(|l| l.contains(&"null".into()));
    schema.get("type").is_some_and(null_type)
        || schema.get("nullable") == Some(&Value::Bool(true))
        || ["anyOf", "oneOf"].iter().any(|key| {
            schema
                .get(key)
                .and_then(Value::as_array)
                .is_some_and(|members| members.iter().any(|m| m.get("type").is_some_and(null_type)))
        })
}

/// `(component, property) -> items nullable` for every array property of
/// every component schema of the raw document.
fn array_properties(doc: &Value) -> BTreeMap<(String, String), bool> {
    let mut out = BTreeMap::new();
    let Some(schemas) = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return out;
    };
    for (component, schema) in schemas {
        let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
            continue;
        };
        for (property, p) in properties {
            let array = |t: &Value| {
                t == "array" || t.as_array().is_some_and(|l| l.contains(&"array".into()))
            };
            if p.get("type").is_some_and(array)
                && let Some(items) = p.get("items")
            {
                out.insert(
                    (component.clone(), property.clone()),
                    admits_null(doc, items),
                );
            }
        }
    }
    out
}

fn generate(
    document: &Path,
    overlays: &[PathBuf],
    settings: &codegen::Settings,
) -> codegen::Generation {
    codegen::generate(document, overlays, settings).unwrap_or_else(|e| panic!("{e}"))
}

/// Checks every array property of `raw` against the model and the rendered
/// `types.rs`; returns how many have nullable items.
fn check(raw: &Value, generation: &codegen::Generation) -> usize {
    let types_rs = &generation
        .files
        .iter()
        .find(|f| f.path.ends_with("types.rs"))
        .unwrap()
        .contents;
    let mut nullable = 0;
    for ((component, property), items_null) in array_properties(raw) {
        let pointer = format!("/components/schemas/{component}");
        let def = generation
            .api
            .types
            .iter()
            .find(|t| t.pointer == pointer)
            .unwrap_or_else(|| panic!("no type for {pointer}"));
        let TypeKind::Struct(s) = &def.kind else {
            continue;
        };
        let field = s
            .fields
            .iter()
            .find(|f| f.name == property)
            .unwrap_or_else(|| panic!("no field {property} in {}", def.name));
        let spelled = short_spelling(&field.ty);
        assert_eq!(
            spelled.starts_with("Vec<Option<"),
            items_null,
            "{component}.{property} is `{spelled}`"
        );
        // The rendered struct says the same.
        let start = types_rs
            .find(&format!("pub struct {} {{", def.name))
            .unwrap_or_else(|| panic!("{} is not rendered", def.name));
        let line = types_rs[start..]
            .lines()
            .find(|l| {
                l.trim_start()
                    .starts_with(&format!("pub {}:", field.rust_name))
            })
            .unwrap();
        assert_eq!(line.contains("Vec<Option<"), items_null, "{line}");
        nullable += usize::from(items_null);
    }
    nullable
}

#[test]
fn the_fixture_s_nullable_items_are_options() {
    let raw = codegen::load::read_tree(&fixture()).unwrap();
    let generation = generate(&fixture(), &[], &codegen::Settings::default());
    // `ldapGroups` (a `$ref` to a nullable component), `tags` (a type list)
    // and `members` (an `anyOf` with `null`); `plain` is not nullable.
    assert_eq!(check(&raw, &generation), 3);

    // A nullable map value is an `Option` too.
    let attributes = generation
        .api
        .types
        .iter()
        .find(|t| t.name == "GroupAttributes")
        .unwrap();
    let TypeKind::Struct(s) = &attributes.kind else {
        panic!("GroupAttributes is an object");
    };
    let scores = s.fields.iter().find(|f| f.name == "scores").unwrap();
    assert_eq!(short_spelling(&scores.ty), "BTreeMap<String, Option<i64>>");

    // A query parameter has no `null` item to send: plain `Vec<String>`.
    let op = &generation.api.modules[0].operations[0];
    let fields = op.params.iter().find(|p| p.name == "fields").unwrap();
    assert_eq!(short_spelling(&fields.ty), "Vec<String>");
}

/// The pinned JumpCloud document, with the manifest's overlays: the arrays
/// whose items it writes nullable (`ldapGroups`, `domains`, which the
/// contract test's mock fills with `null`) are `Vec<Option<T>>`.
#[test]
fn the_pinned_document_s_nullable_items_are_options() {
    let manifest_path = workspace().join("spec/manifest.toml");
    let manifest = codegen::manifest::Manifest::read(&manifest_path).unwrap();
    let document = workspace().join(&manifest.document.path);
    let overlays = manifest.overlay_paths(&manifest_path);
    let settings = manifest.settings(&manifest_path).unwrap();
    let raw = codegen::load::read_tree(&document).unwrap();
    let generation = generate(&document, &overlays, &settings);
    assert!(
        check(&raw, &generation) > 0,
        "the document has nullable items"
    );
}
