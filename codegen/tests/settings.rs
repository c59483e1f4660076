//! The generator knows no API: paging names, the default sort key, the
//! crate's name and the contract test's variables come from settings. A pet
//! store that pages with `page_size`/`offset` proves it; the expected names
//! below are read from its settings file, not from the generator.

use std::path::{Path, PathBuf};

use codegen::Settings;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/settings")
        .join(name)
}

fn generate(settings: &Settings) -> codegen::Generation {
    codegen::generate(&fixture("petstore.yaml"), &[], settings).unwrap()
}

fn file<'a>(generation: &'a codegen::Generation, ends: &str) -> &'a str {
    &generation
        .files
        .iter()
        .find(|f| f.path.to_string_lossy().ends_with(ends))
        .unwrap_or_else(|| panic!("no {ends}"))
        .contents
}

#[test]
fn paging_and_names_follow_the_settings() {
    let settings = Settings::read(&fixture("petstore.toml")).unwrap();
    let paging = settings.paging.clone().unwrap();
    let generation = generate(&settings);

    let op = &generation.api.modules[0].operations[0];
    let pagination = op.pagination.as_ref().expect("listPets pages");
    assert_eq!(pagination.limit, paging.limit);
    assert_eq!(pagination.skip, paging.skip);
    assert_eq!(pagination.sort.as_deref(), paging.sort.as_deref());

    let pets = file(&generation, "apis/pets.rs");
    assert!(pets.contains("pub fn stream("), "{pets}");
    let default_sort = format!("{:?}.to_string()", paging.default_sort.as_deref().unwrap());
    assert!(pets.contains(&default_sort), "{pets}");

    let tests = file(&generation, "all_operations.rs");
    assert!(tests.contains(&format!("use {}::", settings.crate_name)));
    assert!(tests.contains(&format!("\"{}_URL\"", settings.contract_env_prefix)));
    assert!(tests.contains(&format!("\"{}_REPORT\"", settings.contract_env_prefix)));
}

#[test]
fn without_paging_settings_nothing_pages() {
    // The same document under names it does not use, and under no settings.
    let limit_skip = Settings {
        paging: Some(codegen::settings::Paging {
            limit: "limit".into(),
            skip: "skip".into(),
            sort: Some("sort".into()),
            default_sort: Some("_id".into()),
        }),
        ..Settings::default()
    };
    for settings in [Settings::default(), limit_skip] {
        let generation = generate(&settings);
        let op = &generation.api.modules[0].operations[0];
        assert!(op.pagination.is_none());
        assert!(!file(&generation, "apis/pets.rs").contains("pub fn stream("));
    }
}

/// A document mounted at `module` writes every file under that folder and
/// names its own modules through it; the main document it is mounted
/// beside gets an error-body variant and a feature for it.
#[test]
fn a_mounted_document_lives_under_its_module() {
    let mounted = Settings {
        module: Some("pets".to_string()),
        ..Settings::read(&fixture("petstore.toml")).unwrap()
    };
    let generation = generate(&mounted);
    let paths: Vec<String> = generation
        .files
        .iter()
        .map(|f| f.path.to_string_lossy().into_owned())
        .collect();
    assert!(!paths.is_empty());
    assert!(paths.iter().all(|p| p.starts_with("pets/")), "{paths:?}");
    assert!(paths.contains(&"pets/mod.rs".to_string()), "{paths:?}");
    let apis = file(&generation, "pets/apis/mod.rs");
    assert!(apis.contains("pub fn pets(&self) -> Pets<'_>"), "{apis}");
    assert!(apis.contains("pub fn pets_base_url("), "{apis}");
    let module = &generation.api.modules[0].module;
    let operations = file(&generation, &format!("pets/apis/{module}.rs"));
    assert!(
        operations.contains(".send_to(") && operations.contains("&crate::pets::apis::SERVERS,"),
        "{operations}"
    );
    assert!(!operations.contains("use crate::types;"), "{operations}");

    let main = Settings {
        mounted: vec!["pets".to_string()],
        tag_features: true,
        ..Settings::read(&fixture("petstore.toml")).unwrap()
    };
    let generation = generate(&main);
    let bodies = file(&generation, "error_bodies.rs");
    assert!(
        bodies.contains("#[cfg(feature = \"pets\")]\n    Pets(crate::pets::ErrorBody)"),
        "{bodies}"
    );
    let features: toml::Table = toml::from_str(generation.features.as_deref().unwrap()).unwrap();
    let full = features["features"]["full"].as_array().unwrap();
    assert!(full.iter().any(|f| f.as_str() == Some("pets")), "{full:?}");
    assert!(features["features"].get("pets").is_some());
}

/// A module name that is not a snake_case identifier, or that is one of the
/// crate's own modules, is refused with the setting named.
#[test]
fn a_mount_must_be_a_free_snake_case_module() {
    for module in [
        "Pets",
        "pet-store",
        "types",
        "runtime",
        "apis",
        "error_bodies",
        "type",
    ] {
        let settings = Settings {
            module: Some(module.to_string()),
            ..Settings::default()
        };
        let err = codegen::generate(&fixture("petstore.yaml"), &[], &settings)
            .err()
            .unwrap_or_else(|| panic!("`{module}` was accepted"));
        assert!(err.to_string().contains("module"), "{module}: {err}");
    }
}
