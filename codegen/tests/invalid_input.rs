//! Bad input never panics: each case is one line naming the file and the
//! JSON pointer of the problem.

use std::path::PathBuf;

fn error_for(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/invalid")
        .join(name);
    match codegen::generate(&path, &[], &codegen::Settings::default()) {
        Ok(_) => panic!("{name} was accepted"),
        Err(e) => {
            let message = e.to_string();
            assert!(!message.contains('\n'), "not one line: {message}");
            assert!(message.contains(name), "does not name the file: {message}");
            message
        }
    }
}

#[test]
fn missing_file() {
    let message = error_for("does-not-exist.yaml");
    assert!(message.contains("cannot read file"), "{message}");
}

#[test]
fn malformed_yaml() {
    let message = error_for("malformed.yaml");
    assert!(message.contains("malformed YAML at line"), "{message}");
}

#[test]
fn an_unknown_swagger_version_names_the_versions_that_are_read() {
    let message = error_for("swagger_1_2.yaml");
    assert!(
        message.contains("swagger_1_2.yaml#/swagger: Swagger version `1.2` is not one"),
        "{message}"
    );
    assert!(
        message.contains("Swagger 2.0, OpenAPI 3.0.x and 3.1.x"),
        "{message}"
    );
}

#[test]
fn an_unknown_openapi_version_says_what_to_do() {
    let message = error_for("openapi_4.yaml");
    assert!(
        message.contains("openapi_4.yaml#/openapi: OpenAPI `4.0.0` is not a version"),
        "{message}"
    );
    assert!(message.contains("--spec"), "{message}");
}

#[test]
fn a_swagger_2_construct_without_a_3_0_form_is_located_in_the_document_as_written() {
    // Swagger 2.0 §"Parameter Object": `tsv` is tab-separated; OpenAPI 3.0
    // §4.7.12.2 has no tab-delimited style.
    assert_located(
        "swagger2_tsv.yaml",
        "/paths/~1things/get/parameters/0/collectionFormat",
        "`collectionFormat: tsv` has no OpenAPI 3.0 form",
    );
}

#[test]
fn swagger_2_errors_point_into_the_document_as_written() {
    // The body parameter becomes a `requestBody` and `definitions` become
    // components, but the error names the places a user has to edit.
    assert_located(
        "swagger2_dangling_ref.yaml",
        "/paths/~1things/post/parameters/1/schema/$ref",
        "dangling reference `#/components/schemas/Missing`",
    );
}

#[test]
fn a_json_schema_keyword_without_a_3_0_form_is_an_error() {
    assert_located(
        "openapi31_prefix_items.yaml",
        "/components/schemas/Pair",
        "`prefixItems` (OpenAPI 3.1) has no OpenAPI 3.0 form",
    );
}

#[test]
fn a_list_of_several_types_is_an_error() {
    assert_located(
        "openapi31_several_types.yaml",
        "/components/schemas/Thing/properties/id",
        "a `type` list of several types",
    );
}

#[test]
fn dangling_ref() {
    let message = error_for("dangling_ref.yaml");
    assert!(
        message.contains("dangling_ref.yaml#/components/schemas/A/properties/b/$ref: dangling reference `#/components/schemas/Missing`"),
        "{message}"
    );
}

#[test]
fn ref_cycle() {
    let message = error_for("ref_cycle.yaml");
    assert!(
        message.contains("ref_cycle.yaml#/components/schemas/A/$ref"),
        "{message}"
    );
    assert!(message.contains("cycle"), "{message}");
}

#[test]
fn node_of_the_wrong_shape() {
    let message = error_for("bad_node.yaml");
    assert!(
        message.contains("bad_node.yaml#/paths/~1a/get/responses"),
        "{message}"
    );
}

#[test]
fn overlay_that_matches_nothing_is_an_error() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let overlay = std::env::temp_dir().join("codegen-stale-overlay.yaml");
    std::fs::write(
        &overlay,
        "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.paths['/nope']\n    remove: true\n",
    )
    .unwrap();
    let err = codegen::generate(
        &dir.join("constructs/parameters.yaml"),
        std::slice::from_ref(&overlay),
        &codegen::Settings::default(),
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("#/actions/0/target: `$.paths['/nope']` matches nothing"),
        "{err}"
    );
}

#[test]
fn overlay_removes_parameters() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let overlay = std::env::temp_dir().join("codegen-remove-header.yaml");
    std::fs::write(
        &overlay,
        "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.paths.*.*.parameters[?@.name == 'x-org-id']\n    remove: true\n",
    )
    .unwrap();
    let generation = codegen::generate(
        &dir.join("constructs/parameters.yaml"),
        std::slice::from_ref(&overlay),
        &codegen::Settings::default(),
    )
    .unwrap();
    let op = &generation.api.modules[0].operations[0];
    assert!(op.params.iter().all(|p| p.name != "x-org-id"));
    assert!(op.params.iter().any(|p| p.name == "fields"));
}

#[test]
fn a_document_that_does_not_match_the_pin_says_how_to_take_it_in() {
    use codegen::manifest::{DocumentPin, Manifest, verify_pin};
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let document = dir.join("constructs/enums.yaml");
    let manifest = Manifest {
        settings: None,
        document: DocumentPin {
            path: document.clone(),
            source: None,
            sha256: "0".repeat(64),
            operations: 0,
            schemas: 3,
        },
        overlays: Vec::new(),
        names: None,
        upstream: None,
        documents: Vec::new(),
    };
    let err = verify_pin(&manifest, &dir.join("manifest.toml"), &document).unwrap_err();
    let message = err.to_string();
    assert!(message.contains("enums.yaml: sha256 is "), "{message}");
    assert!(message.contains("cargo xtask ingest"), "{message}");
    let actual = codegen::manifest::sha256_file(&document).unwrap();
    let pinned = Manifest {
        settings: None,
        document: DocumentPin {
            sha256: actual,
            ..manifest.document.clone()
        },
        overlays: Vec::new(),
        names: None,
        upstream: None,
        documents: Vec::new(),
    };
    assert!(verify_pin(&pinned, &dir.join("manifest.toml"), &document).is_ok());
}

/// Each case below is a construct OpenAPI 3.0 forbids; the expected pointer
/// and reason follow the specification's wording, not the generator's.
fn assert_located(name: &str, pointer: &str, reason: &str) {
    let message = error_for(name);
    assert!(
        message.contains(&format!("{name}#{pointer}: ")),
        "pointer `{pointer}` not in: {message}"
    );
    assert!(
        message.contains(reason),
        "reason `{reason}` not in: {message}"
    );
}

#[test]
fn ref_fragment_with_a_broken_percent_escape_is_an_error_not_a_panic() {
    assert_located(
        "bad_ref_utf8.yaml",
        "/components/schemas/A/$ref",
        "dangling reference `#/components/schemas/A%1é`",
    );
}

#[test]
fn duplicate_operation_id() {
    assert_located(
        "duplicate_operation_id.yaml",
        "/paths/~1b/get/operationId",
        "`operationId` `listThings` is already used at /paths/~1a/get",
    );
}

#[test]
fn empty_operation_id() {
    assert_located(
        "empty_operation_id.yaml",
        "/paths/~1a/get/operationId",
        "`operationId` is empty",
    );
}

#[test]
fn path_without_leading_slash() {
    assert_located(
        "path_without_slash.yaml",
        "/paths/a~1b",
        "path `a/b` does not begin with `/`",
    );
}

#[test]
fn path_parameter_missing_from_the_template() {
    assert_located(
        "path_parameter_not_in_template.yaml",
        "/paths/~1things~1{id}/parameters/1",
        "path parameter `other` does not occur in the path `/things/{id}`",
    );
}

#[test]
fn string_enum_with_values_of_other_types() {
    assert_located(
        "mixed_string_enum.yaml",
        "/components/schemas/Colour/enum/1",
        "value `5` of an enum of type `string`",
    );
}

#[test]
fn all_of_members_of_contradictory_types() {
    assert_located(
        "contradictory_all_of.yaml",
        "/components/schemas/Both/allOf/1",
        "`allOf` member of type `object` contradicts type `string`",
    );
}

#[test]
fn discriminator_mapping_to_a_missing_schema() {
    assert_located(
        "discriminator_to_nothing.yaml",
        "/components/schemas/Pet/discriminator/mapping/dog",
        "maps to `#/components/schemas/Dog`, which does not exist",
    );
}

#[test]
fn path_level_parameter_pointer_has_separate_tokens() {
    assert_located(
        "path_level_parameter_ref.yaml",
        "/paths/~1things~1{id}/parameters/1/$ref",
        "does not name a parameter",
    );
}

#[test]
fn an_error_at_a_node_an_overlay_wrote_names_the_overlay_and_action() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let overlay = std::env::temp_dir().join("codegen-overlay-dangling.yaml");
    std::fs::write(
        &overlay,
        "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.info\n    update: {x-a: 1}\n  - target: $.paths['/things/{thing_id}/parts'].get.responses['200']\n    update:\n      content:\n        application/json:\n          schema: {$ref: '#/components/schemas/OnlyInAnotherDocument'}\n",
    )
    .unwrap();
    let err = codegen::generate(
        &dir.join("constructs/parameters.yaml"),
        std::slice::from_ref(&overlay),
        &codegen::Settings::default(),
    )
    .unwrap_err();
    let message = err.to_string();
    assert!(
        message.starts_with(&format!("{}#/actions/1: ", overlay.display())),
        "{message}"
    );
    assert!(
        message.contains("dangling reference `#/components/schemas/OnlyInAnotherDocument`"),
        "{message}"
    );
}

#[test]
fn an_overlay_copy_merges_a_node_of_the_document_whatever_it_holds() {
    // Overlay 1.1 §"Action Object": `copy` selects one node whose value is
    // merged into each target, as `update` would be.
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let overlay = std::env::temp_dir().join("codegen-overlay-copy.yaml");
    std::fs::write(
        &overlay,
        "overlay: 1.1.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.paths.*.get.responses\n    update: {'201': {}}\n  - target: $.paths.*.get.responses['201']\n    copy: $.paths.*.get.responses['200']\n",
    )
    .unwrap();
    let generation = codegen::generate(
        &dir.join("constructs/parameters.yaml"),
        std::slice::from_ref(&overlay),
        &codegen::Settings::default(),
    )
    .unwrap();
    let op = &generation.api.modules[0].operations[0];
    let statuses: Vec<Option<u16>> = op.success.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [Some(200), Some(201)]);
    assert_eq!(op.success[0].kind, op.success[1].kind);

    // A `copy` that selects more than one node is the overlay's error.
    std::fs::write(
        &overlay,
        "overlay: 1.1.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.info\n    copy: $.paths.*.get.parameters[*]\n",
    )
    .unwrap();
    let err = codegen::generate(
        &dir.join("constructs/parameters.yaml"),
        std::slice::from_ref(&overlay),
        &codegen::Settings::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("#/actions/0/copy: "), "{err}");
    assert!(err.contains("`copy` needs exactly one"), "{err}");
}
