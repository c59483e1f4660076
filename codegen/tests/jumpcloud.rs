//! The real JumpCloud document, end to end: one snapshot per generated
//! module, so a new ingest shows up as per-area diffs in `cargo insta review`.

use std::path::{Path, PathBuf};

use codegen::manifest::Manifest;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn manifest() -> Manifest {
    Manifest::read(&workspace().join("spec/manifest.toml")).unwrap()
}

fn document() -> PathBuf {
    workspace().join(manifest().document.path)
}

fn generate() -> codegen::Generation {
    let manifest_path = workspace().join("spec/manifest.toml");
    let overlays = manifest().overlay_paths(&manifest_path);
    let settings = manifest().settings(&manifest_path).unwrap();
    codegen::generate(&document(), &overlays, &settings).unwrap()
}

/// `(operations, schemas)` counted in the raw document, without the
/// generator: every method under every path, every component schema.
fn raw_counts() -> (usize, usize) {
    let raw = codegen::load::read_tree(&document()).unwrap();
    let methods = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    let operations = raw["paths"]
        .as_object()
        .unwrap()
        .values()
        .map(|item| methods.iter().filter(|m| item.get(**m).is_some()).count())
        .sum();
    let schemas = raw["components"]["schemas"].as_object().unwrap().len();
    (operations, schemas)
}

#[test]
fn every_operation_and_schema_is_generated() {
    let generation = generate();
    let stats = &generation.stats;
    let pin = manifest().document;
    let (operations, schemas) = raw_counts();
    assert_eq!((pin.operations, pin.schemas), (operations, schemas));
    assert_eq!(stats.operations_in_spec, operations);
    assert_eq!(stats.operations_generated, operations);
    assert_eq!(stats.schemas_in_spec, schemas);
    assert!(
        stats.types_generated >= schemas,
        "{}",
        stats.types_generated
    );
    assert_eq!(stats.untyped_fallbacks, 0, "{:?}", stats.fallbacks);
    // `AnyValue` and five properties declared as `{}`.
    assert!(
        stats
            .free_form
            .contains(&"/components/schemas/AnyValue".to_string())
    );
    // Two components that case-convert alike: the second took a suffix when
    // it was first named, and the name lock keeps it, so no generation
    // renames it again.
    let names: Vec<&str> = generation
        .api
        .types
        .iter()
        .map(|t| t.name.as_str())
        .collect();
    assert!(names.contains(&"AutotaskTicketingAlertConfigurationResource"));
    assert!(names.contains(&"AutotaskTicketingAlertConfigurationResource2"));
    assert!(stats.renames.is_empty(), "{:?}", stats.renames);
    // The overlay removed the response header declared as a request parameter.
    let params = generation
        .api
        .modules
        .iter()
        .flat_map(|m| &m.operations)
        .flat_map(|o| &o.params);
    assert!(params.clone().all(|p| p.name != "x-total-count"));
    assert!(params.clone().any(|p| p.name == "x-org-id"));
}

#[test]
fn generated_modules_match_snapshots() {
    let generation = generate();
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/jumpcloud");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for file in &generation.files {
            let name = file.path.display().to_string().replace(['/', '.'], "_");
            insta::assert_snapshot!(name, &file.contents);
        }
    });
}

/// A module that is no longer generated must not leave its snapshot behind,
/// where it would pass unnoticed forever.
#[test]
fn every_snapshot_belongs_to_a_generated_file() {
    let generation = generate();
    let expected: std::collections::BTreeSet<String> = generation
        .files
        .iter()
        .map(|f| {
            format!(
                "{}.snap",
                f.path.display().to_string().replace(['/', '.'], "_")
            )
        })
        .collect();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/jumpcloud");
    let orphans: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".snap") && !expected.contains(name))
        .collect();
    assert!(
        orphans.is_empty(),
        "snapshots of files no longer generated, delete them from {}: {orphans:?}",
        dir.display()
    );
}

#[test]
fn generation_is_byte_identical_across_runs() {
    assert_eq!(generate().files, generate().files);
}
