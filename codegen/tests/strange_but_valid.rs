//! Documents that are strange but valid OpenAPI 3.0 must generate: Rust
//! keywords as names, empty and non-ASCII names, names that collide after
//! case conversion, operations with only `2XX` or `default` responses. Every
//! generated file must be Rust that parses, and every schema, property and
//! operation of the document must be there under a distinct name.

use std::collections::BTreeSet;
use std::path::Path;

mod support;
use support::Scratch;

#[test]
fn a_strange_document_generates_parseable_distinct_code() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid/strange.yaml");
    let generation = codegen::generate(&path, &[], &codegen::Settings::default())
        .unwrap_or_else(|e| panic!("{e}"));
    for file in &generation.files {
        syn::parse_file(&file.contents)
            .unwrap_or_else(|e| panic!("{} does not parse: {e}", file.path.display()));
    }

    // From the document: two schemas whose names collide after case
    // conversion, two operations, five properties, five enum values.
    let api = &generation.api;
    let names: BTreeSet<&str> = api
        .types
        .iter()
        .filter(|t| t.pointer.matches('/').count() == 3)
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    let operations: Vec<_> = api.modules.iter().flat_map(|m| &m.operations).collect();
    assert_eq!(operations.len(), 2);
    let methods: BTreeSet<&str> = operations.iter().map(|o| o.method_name.as_str()).collect();
    assert_eq!(methods.len(), 2, "{methods:?}");

    let foo_bar = api
        .types
        .iter()
        .find(|t| t.pointer == "/components/schemas/FooBar")
        .unwrap();
    let codegen::ir::TypeKind::Struct(s) = &foo_bar.kind else {
        panic!("FooBar is an object");
    };
    let wire: BTreeSet<&str> = s.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(wire, BTreeSet::from(["", "café", "mood", "self", "type"]));
    let rust: BTreeSet<&str> = s.fields.iter().map(|f| f.rust_name.as_str()).collect();
    assert_eq!(rust.len(), 5, "{rust:?}");

    let mood = api
        .types
        .iter()
        .find(|t| t.pointer.ends_with("/properties/mood"))
        .unwrap();
    let codegen::ir::TypeKind::StringEnum(values) = &mood.kind else {
        panic!("mood is a string enum");
    };
    let wire: Vec<&str> = values.iter().map(|v| v.value.as_str()).collect();
    assert_eq!(wire, ["", "Ünïcode", "unknown", "UNKNOWN", "a b"]);
    let variants: BTreeSet<&str> = values.iter().map(|v| v.rust_name.as_str()).collect();
    assert_eq!(variants.len(), 5, "{variants:?}");
    assert!(
        !variants.contains("Unknown"),
        "the catch-all owns `Unknown`"
    );
}

#[test]
fn a_document_without_schemas_still_gets_every_file() {
    let scratch = Scratch::new("no-schemas");
    // One operation, no components at all: a valid OpenAPI 3.0 document.
    let path = scratch.write(
        "no-schemas.yaml",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /ping:\n    get:\n      tags: [health]\n      operationId: ping\n      responses:\n        '204': {description: pong}\n",
    );
    let generation = codegen::generate(&path, &[], &codegen::Settings::default())
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(generation.api.types.is_empty());
    let paths: BTreeSet<String> = generation
        .files
        .iter()
        .map(|f| f.path.display().to_string())
        .collect();
    // The modules `lib.rs` declares, and the one tag's module.
    for expected in [
        "types.rs",
        "error_bodies.rs",
        "apis/mod.rs",
        "apis/health.rs",
    ] {
        assert!(
            paths.contains(expected),
            "{expected} missing from {paths:?}"
        );
    }
    for file in &generation.files {
        syn::parse_file(&file.contents)
            .unwrap_or_else(|e| panic!("{} does not parse: {e}", file.path.display()));
    }
}
