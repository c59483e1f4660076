//! The real JumpCloud document, end to end: one snapshot per generated
//! module, so a new ingest shows up as per-area diffs in `cargo insta review`.

use std::path::{Path, PathBuf};

use codegen::manifest::Manifest;

mod api_surface;

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

/// The documents the manifest mounts beside the main one (API v1), each
/// generated from its own manifest.
fn generate_mounted() -> Vec<codegen::Generation> {
    let spec = workspace().join("spec");
    manifest()
        .documents
        .iter()
        .map(|relative| {
            let path = spec.join(relative);
            let mounted = Manifest::read(&path).unwrap();
            let overlays = mounted.overlay_paths(&path);
            let settings = mounted.settings(&path).unwrap();
            codegen::generate(
                &workspace().join(&mounted.document.path),
                &overlays,
                &settings,
            )
            .unwrap()
        })
        .collect()
}

/// `(operations, schemas)` counted in the raw document, without the
/// generator: every method under every path, every component schema
/// (`definitions` in Swagger 2.0).
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
    let schemas = raw
        .pointer("/components/schemas")
        .or_else(|| raw.get("definitions"))
        .and_then(|s| s.as_object())
        .map_or(0, |s| s.len());
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

/// The client's public API, one line per item, in Rust terms, the mounted
/// documents' (`v1::…`) included: an ingest shows each API change once
/// here. The committed files themselves are checked by `cargo xtask check`
/// and xtask's freshness test.
#[test]
fn the_public_api_matches_its_snapshot() {
    let generations: Vec<codegen::Generation> = std::iter::once(generate())
        .chain(generate_mounted())
        .collect();
    let mut lines = Vec::new();
    for file in generations.iter().flat_map(|g| &g.files) {
        let Some(module) = module_path(&file.path) else {
            continue;
        };
        lines.extend(api_surface::surface(&module, &file.contents));
    }
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/jumpcloud");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!("public_api", lines.join("\n")));
}

/// `apis/users.rs` → `apis::users`; files outside `src/` (generated tests)
/// are not API.
fn module_path(path: &Path) -> Option<String> {
    if path.starts_with("..") {
        return None;
    }
    let stem = path.with_extension("");
    let parts: Vec<String> = stem
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .filter(|c| c != "mod")
        .collect();
    Some(parts.join("::"))
}

/// Only the public API snapshot lives in `snapshots/jumpcloud`, so a stale
/// byte copy of a generated file cannot pass unnoticed there.
#[test]
fn the_client_snapshots_are_the_public_api_alone() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/jumpcloud");
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".snap"))
        .collect();
    assert_eq!(names, ["public_api.snap"], "in {}", dir.display());
}

#[test]
fn generation_is_byte_identical_across_runs() {
    assert_eq!(generate().files, generate().files);
}
