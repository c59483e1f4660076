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
fn swagger_2() {
    let message = error_for("swagger2.yaml");
    assert!(
        message.contains("swagger2.yaml#/swagger: this is a Swagger 2.0 document"),
        "{message}"
    );
}

#[test]
fn openapi_3_1() {
    let message = error_for("openapi31.yaml");
    assert!(
        message.contains("openapi31.yaml#/openapi: OpenAPI 3.1.0 is not supported"),
        "{message}"
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
