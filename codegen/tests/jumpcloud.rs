//! The real JumpCloud document, end to end: one snapshot per generated
//! module, so a new ingest shows up as per-area diffs in `cargo insta review`.

use std::path::{Path, PathBuf};

use codegen::manifest::Manifest;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn generate() -> codegen::Generation {
    let manifest_path = workspace().join("spec/manifest.toml");
    let manifest = Manifest::read(&manifest_path).unwrap();
    let document = workspace().join(&manifest.document.path);
    let overlays = manifest.overlay_paths(&manifest_path);
    codegen::generate(&document, &overlays).unwrap()
}

#[test]
fn every_operation_and_schema_is_generated() {
    let generation = generate();
    let stats = &generation.stats;
    assert_eq!(stats.operations_in_spec, 413);
    assert_eq!(stats.operations_generated, stats.operations_in_spec);
    assert_eq!(stats.schemas_in_spec, 731);
    assert!(stats.types_generated >= 731, "{}", stats.types_generated);
    assert_eq!(stats.untyped_fallbacks, 0, "{:?}", stats.fallbacks);
    // `AnyValue` and five properties declared as `{}`.
    assert!(
        stats
            .free_form
            .contains(&"/components/schemas/AnyValue".to_string())
    );
    assert_eq!(
        stats
            .renames
            .iter()
            .map(|r| r.given.as_str())
            .collect::<Vec<_>>(),
        ["AutotaskTicketingAlertConfigurationResource2"]
    );
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

#[test]
fn generation_is_byte_identical_across_runs() {
    assert_eq!(generate().files, generate().files);
}
