//! One small document per schema or operation construct; every generated file
//! is pinned with an insta snapshot. The generated types of each fixture are
//! also kept in `jumpcloud-client/tests/constructs/`, where a test compiles
//! them and checks how they decode, since the JumpCloud document does not use
//! every construct.

use std::path::PathBuf;

/// The fixtures' generator settings (`tests/fixtures/settings.toml`).
fn settings() -> codegen::Settings {
    codegen::Settings::read(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/settings.toml"),
    )
    .unwrap()
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/constructs")
        .join(name)
}

/// Keeps the compiled copy of a fixture's types in step with the generator:
/// outside CI a difference is written and reported, in CI it fails.
fn sync_compiled_copy(name: &str, types: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../jumpcloud-client/tests/constructs")
        .join(format!("{name}.rs"));
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    if on_disk == types {
        return;
    }
    if std::env::var_os("CI").is_none() {
        std::fs::write(&path, types).unwrap();
    }
    panic!(
        "{} differed from the generator's output{}",
        path.display(),
        if std::env::var_os("CI").is_none() {
            "; it has been rewritten, run the tests again"
        } else {
            ""
        }
    );
}

fn snapshot_all(name: &str) {
    let generation = codegen::generate(&fixture(&format!("{name}.yaml")), &[], &settings())
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    assert!(!generation.files.is_empty());
    if let Some(types) = generation
        .files
        .iter()
        .find(|f| f.path.ends_with("types.rs"))
    {
        sync_compiled_copy(name, &types.contents);
    }
    for file in &generation.files {
        // Fixtures without operations produce empty operation modules; those
        // are covered by the documents that have operations.
        if file.path.starts_with("apis") && generation.api.modules.is_empty() {
            continue;
        }
        let snapshot = format!(
            "{name}__{}",
            file.path.display().to_string().replace(['/', '.'], "_")
        );
        insta::assert_snapshot!(snapshot, &file.contents);
    }
}

#[test]
fn objects() {
    snapshot_all("objects");
}

#[test]
fn enums() {
    snapshot_all("enums");
}

#[test]
fn arrays_and_refs() {
    snapshot_all("arrays_refs");
}

#[test]
fn composition() {
    snapshot_all("composition");
}

#[test]
fn maps_and_nullable() {
    snapshot_all("maps_nullable");
}

#[test]
fn nullable_items() {
    snapshot_all("nullable_items");
}

#[test]
fn parameters() {
    snapshot_all("parameters");
}

#[test]
fn bodies_and_responses() {
    snapshot_all("bodies_responses");
}

#[test]
fn generation_is_deterministic() {
    for name in ["composition", "parameters", "bodies_responses"] {
        let a = codegen::generate(&fixture(&format!("{name}.yaml")), &[], &settings()).unwrap();
        let b = codegen::generate(&fixture(&format!("{name}.yaml")), &[], &settings()).unwrap();
        assert_eq!(a.files, b.files, "{name}");
    }
}

#[test]
fn collisions_are_renamed_and_reported() {
    let generation = codegen::generate(&fixture("arrays_refs.yaml"), &[], &settings()).unwrap();
    let renames = &generation.stats.renames;
    assert_eq!(renames.len(), 1, "{renames:?}");
    assert_eq!(renames[0].wanted, "Collide");
    assert_eq!(renames[0].given, "Collide2");
    assert_eq!(renames[0].pointer, "/components/schemas/collide");
    // `{}` is typed as a free-form value, never counted as a lost type.
    assert_eq!(generation.stats.untyped_fallbacks, 0);
    assert_eq!(
        generation.stats.free_form,
        vec!["/components/schemas/Anything".to_string()]
    );
}

#[test]
fn recursive_fields_are_boxed() {
    let generation = codegen::generate(&fixture("arrays_refs.yaml"), &[], &settings()).unwrap();
    let types = generation
        .files
        .iter()
        .find(|f| f.path.ends_with("types.rs"))
        .unwrap();
    assert!(
        types.contents.contains("pub next: Option<Box<Node>>"),
        "{}",
        types.contents
    );
    assert!(types.contents.contains("pub children: Option<Vec<Node>>"));
}
