//! The drift report compares types by the spelling the client is rendered
//! with. A change the rendered code shows (`string` → `string/binary` is
//! `String` → `Binary`) must be a Rust change in the report too.

mod support;
use support::Scratch;

const BEFORE: &str = "openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Upload:
      type: object
      properties:
        file: {type: string}
        name: {type: string}
";

/// The `file` field's type as the rendered `types.rs` writes it.
fn rendered_field(generation: &codegen::Generation) -> String {
    let types = generation
        .files
        .iter()
        .find(|f| f.path.ends_with("types.rs"))
        .unwrap();
    let line = types
        .contents
        .lines()
        .find(|l| l.trim_start().starts_with("pub file:"))
        .unwrap();
    line.trim().to_string()
}

#[test]
fn a_string_that_becomes_binary_is_a_rust_change_because_the_client_spells_it_differently() {
    let scratch = Scratch::new("spelling-binary");
    for format in ["binary", "byte", "date-time", "uuid"] {
        let after = BEFORE.replace(
            "file: {type: string}",
            &format!("file: {{type: string, format: {format}}}"),
        );
        let (old, new) = (
            scratch.write("before.yaml", BEFORE),
            scratch.write(&format!("after-{format}.yaml"), &after),
        );
        let settings = codegen::Settings::default();
        let (a, b) = (
            codegen::generate(&old, &[], &settings).unwrap(),
            codegen::generate(&new, &[], &settings).unwrap(),
        );
        // The independent fact: the generated code differs.
        assert_ne!(rendered_field(&a), rendered_field(&b), "{format}");
        let report = codegen::diff::compare(&a.api, &b.api);
        let change = report
            .changes
            .iter()
            .find(|c| c.location == "Upload.file")
            .unwrap_or_else(|| panic!("{format}: no change at Upload.file: {:?}", report.changes));
        assert_eq!(
            change.rust,
            codegen::diff::Rust::Major,
            "{format}: {change:?}"
        );
    }
}

const ITEMS_BEFORE: &str = "openapi: 3.1.0
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Group:
      type: object
      properties:
        name: {type: string}
    Attributes:
      type: object
      properties:
        tags: {type: array, items: {type: string}}
        groups: {type: array, items: {$ref: '#/components/schemas/Group'}}
";

/// The rendered type of the field `name` in `types.rs`.
fn rendered(generation: &codegen::Generation, name: &str) -> String {
    let types = generation
        .files
        .iter()
        .find(|f| f.path.ends_with("types.rs"))
        .unwrap();
    let line = types
        .contents
        .lines()
        .find(|l| l.trim_start().starts_with(&format!("pub {name}:")))
        .unwrap();
    line.trim().to_string()
}

/// Items that become nullable (written inline, or a component that becomes
/// `type: [object, "null"]`) turn `Vec<T>` into `Vec<Option<T>>`: a changed
/// Rust type, so the report calls it major, at the property.
#[test]
fn array_items_that_become_nullable_are_a_rust_major_change() {
    let scratch = Scratch::new("spelling-items");
    let after = ITEMS_BEFORE
        .replace("items: {type: string}", "items: {type: [string, \"null\"]}")
        .replace(
            "    Group:\n      type: object",
            "    Group:\n      type: [object, \"null\"]",
        );
    let (old, new) = (
        scratch.write("items-before.yaml", ITEMS_BEFORE),
        scratch.write("items-after.yaml", &after),
    );
    let settings = codegen::Settings::default();
    let (a, b) = (
        codegen::generate(&old, &[], &settings).unwrap(),
        codegen::generate(&new, &[], &settings).unwrap(),
    );
    for (field, item) in [("tags", "String"), ("groups", "Group")] {
        // The independent fact: the generated code differs.
        assert_eq!(
            rendered(&a, field),
            format!("pub {field}: Option<Vec<{item}>>,")
        );
        assert_eq!(
            rendered(&b, field),
            format!("pub {field}: Option<Vec<Option<{item}>>>,")
        );
        let location = format!("Attributes.{field}");
        let change = codegen::diff::compare(&a.api, &b.api)
            .changes
            .into_iter()
            .find(|c| c.location == location)
            .unwrap_or_else(|| panic!("no change at {location}"));
        assert_eq!(change.rust, codegen::diff::Rust::Major, "{change:?}");
        assert!(
            change
                .detail
                .contains(&format!("`Vec<{item}>` → `Vec<Option<{item}>>`")),
            "{change:?}"
        );
    }
}
