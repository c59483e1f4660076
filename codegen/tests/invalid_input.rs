//! Bad input never panics: each case is one line naming the file and the
//! JSON pointer of the problem.

use std::path::PathBuf;

fn error_for(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/invalid")
        .join(name);
    match codegen::generate(&path, &[]) {
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
        document: DocumentPin {
            sha256: actual,
            ..manifest.document.clone()
        },
        overlays: Vec::new(),
    };
    assert!(verify_pin(&pinned, &dir.join("manifest.toml"), &document).is_ok());
}
