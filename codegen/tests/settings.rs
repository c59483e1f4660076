//! The generator knows no API: paging names, the default sort key, the
//! crate's name and the contract test's variables come from settings. A pet
//! store that pages with `page_size`/`offset` proves it; the expected names
//! below are read from its settings file, not from the generator.

use std::path::{Path, PathBuf};

use codegen::Settings;
use codegen::ir::{PageItems, PagingKind};
use serde_yaml::Value;

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
    let PagingKind::Offset(offset) = &pagination.kind else {
        panic!("listPets pages by offset: {pagination:?}");
    };
    assert_eq!(offset.limit, paging.limit);
    assert_eq!(offset.skip, paging.skip);
    assert_eq!(offset.sort.as_deref(), paging.sort.as_deref());
    assert_eq!(pagination.items, PageItems::Body);

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
            items: None,
            total: None,
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

fn operation<'a>(generation: &'a codegen::Generation, id: &str) -> &'a codegen::ir::Operation {
    generation
        .api
        .modules
        .iter()
        .flat_map(|m| &m.operations)
        .find(|op| op.operation_id == id)
        .unwrap_or_else(|| panic!("no {id}"))
}

/// The kennel's list answers `{dogs, count}` and its search pages by a
/// cursor: the names the IR and the generated code use come from the
/// settings file and the document, read here on their own.
#[test]
fn lists_in_an_object_and_cursor_queries_page_as_the_settings_say() {
    let settings = Settings::read(&fixture("kennel.toml")).unwrap();
    let raw: Value =
        serde_yaml::from_str(&std::fs::read_to_string(fixture("kennel.yaml")).unwrap()).unwrap();
    let paging = settings.paging.clone().unwrap();
    let cursor = settings.cursor_paging.clone().unwrap();
    let generation = codegen::generate(&fixture("kennel.yaml"), &[], &settings).unwrap();

    // The list: items in the property the settings name, counted by the other.
    let list = operation(&generation, "listDogs");
    let pagination = list.pagination.as_ref().expect("listDogs pages");
    assert!(matches!(pagination.kind, PagingKind::Offset(_)));
    let PageItems::Field { items, total } = &pagination.items else {
        panic!("items in a property: {pagination:?}");
    };
    let dog_list = &raw["components"]["schemas"]["DogList"];
    let items_name = paging.items.as_deref().unwrap();
    let total_name = paging.total.as_deref().unwrap();
    assert!(dog_list["properties"][items_name].is_mapping());
    assert_eq!(items.rust_name, items_name);
    // Not required in the document: an `Option` to look into.
    let required = |name: &str| {
        dog_list["required"]
            .as_sequence()
            .is_some_and(|r| r.iter().any(|v| v.as_str() == Some(name)))
    };
    assert_eq!(items.options, u8::from(!required(items_name)));
    let total = total.as_ref().expect("a total");
    assert_eq!(
        (total.rust_name.as_str(), total.options),
        (total_name, u8::from(!required(total_name)))
    );
    let dogs = file(&generation, "apis/dogs.rs");
    assert!(dogs.contains("stream_pages_in("), "{dogs}");
    assert!(
        dogs.contains(&format!("body.{items_name}.unwrap_or_default()")),
        "{dogs}"
    );

    // The search: a cursor from the header the settings name, into the
    // body field they name.
    let search = operation(&generation, "searchDogs");
    let pagination = search.pagination.as_ref().expect("searchDogs pages");
    let PagingKind::Cursor(by_cursor) = &pagination.kind else {
        panic!("a cursor: {pagination:?}");
    };
    assert_eq!(by_cursor.cursor_field.rust_name, cursor.cursor_field);
    assert_eq!(
        by_cursor.limit_field.as_ref().map(|f| f.rust_name.as_str()),
        cursor.limit_field.as_deref()
    );
    assert_eq!(
        [
            &by_cursor.cursor_header,
            &by_cursor.count_header,
            &by_cursor.limit_header
        ],
        [
            &cursor.cursor_header,
            &cursor.count_header,
            &cursor.limit_header
        ]
    );
    assert_eq!(pagination.items, PageItems::Body);
    assert!(dogs.contains("stream_cursor_query("), "{dogs}");
    assert!(
        dogs.contains(&format!("{:?}", cursor.cursor_header)),
        "{dogs}"
    );
    // Marked read-only in the settings: its pages may be sent again.
    assert!(dogs.contains("retry_non_idempotent(true)"), "{dogs}");

    // The count takes the same query but answers one object: no pages.
    assert!(raw["paths"]["/dogs/count"]["post"]["responses"]["200"]["content"]
        ["application/json"]["schema"]["type"]
        .as_str()
        == Some("object"));
    assert!(operation(&generation, "countDogs").pagination.is_none());
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
    // Its sources under its folder; its generated tests beside the main
    // document's, named after the module.
    let (tests, sources): (Vec<&String>, Vec<&String>) =
        paths.iter().partition(|p| p.starts_with("../tests/"));
    assert!(sources.iter().all(|p| p.starts_with("pets/")), "{paths:?}");
    assert_eq!(
        tests,
        [
            "../tests/all_operations_pets.rs",
            "../tests/examples_roundtrip_pets.rs"
        ],
        "{paths:?}"
    );
    let all_operations = file(&generation, "all_operations_pets.rs");
    assert!(
        all_operations.contains("c.pets().pets()") && all_operations.contains(".pets_base_url("),
        "{all_operations}"
    );
    assert!(paths.contains(&"pets/mod.rs".to_string()), "{paths:?}");
    let apis = file(&generation, "pets/apis/mod.rs");
    assert!(apis.contains("pub fn pets(&self) -> Pets<'_>"), "{apis}");
    assert!(apis.contains("pub fn pets_base_url("), "{apis}");
    let module = &generation.api.modules[0].module;
    let operations = file(&generation, &format!("pets/apis/{module}.rs"));
    assert!(
        (operations.contains(".send_to(") || operations.contains(".send_one_to("))
            && operations.contains("&crate::pets::apis::SERVERS,"),
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
