//! The name lock keeps the Rust names of operations and types when the
//! document renames them: `after.yaml` is `before.yaml` with every
//! `operationId` respelled, a component renamed (`Thing` → `thing`), an
//! array component written inline, an inline body pulled out into a
//! component, and one operation added.

use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/lock")
        .join(name)
}

fn generate(name: &str, lock: codegen::ir::lock::NameLock) -> codegen::Generation {
    let settings = codegen::Settings {
        names: lock,
        ..Default::default()
    };
    codegen::generate(&fixture(name), &[], &settings).unwrap()
}

fn methods(api: &codegen::ir::Api) -> Vec<(String, String, String)> {
    let mut out: Vec<_> = api
        .modules
        .iter()
        .flat_map(|m| &m.operations)
        .map(|op| {
            (
                format!("{} {}", op.method, op.path),
                op.method_name.clone(),
                op.builder_name.clone(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn a_renamed_document_keeps_every_rust_name_it_had() {
    let before = generate("before.yaml", Default::default());
    // Without the lock the names follow the new spelling: the case the lock exists for.
    let unlocked = generate("after.yaml", Default::default());
    assert_ne!(methods(&before.api)[..2], methods(&unlocked.api)[..2]);

    let after = generate("after.yaml", before.lock.clone());
    let kept = methods(&after.api);
    for old in methods(&before.api) {
        assert!(kept.contains(&old), "{old:?} not kept in {kept:?}");
    }
    let types: Vec<&str> = after.api.types.iter().map(|t| t.name.as_str()).collect();
    // The component renamed upstream, the array component now inline, and
    // the inline body now a component keep their names.
    for name in ["Thing", "ThingsListAllResponse", "ThingsCreateBody"] {
        assert!(
            before.api.types.iter().any(|t| t.name == name),
            "{name} was not generated before"
        );
        assert!(types.contains(&name), "{name} not kept: {types:?}");
    }
    // The new operation is named by today's rules.
    assert!(
        kept.iter()
            .any(|(key, method, _)| key == "GET /things/{id}" && method == "get")
    );
    // The new lock holds what this generation has, nothing that left.
    assert!(after.lock.operations.contains_key("GET /things/{id}"));
    assert_eq!(after.lock.operations.len(), 3);
}

#[test]
fn the_drift_reports_an_operation_id_change_as_a_patch_fact_not_a_rename() {
    let before = generate("before.yaml", Default::default());
    let after = generate("after.yaml", before.lock.clone());
    let report = codegen::diff::compare(&before.api, &after.api);
    let kinds: Vec<&str> = report.changes.iter().map(|c| c.kind.as_str()).collect();
    assert!(!kinds.contains(&"operation-renamed"), "{kinds:?}");
    assert!(!kinds.contains(&"schema-removed"), "{kinds:?}");
    let id_changes: Vec<_> = report
        .changes
        .iter()
        .filter(|c| c.kind.as_str() == "operation-id-changed")
        .collect();
    assert_eq!(id_changes.len(), 2, "{kinds:?}");
    assert!(
        id_changes
            .iter()
            .all(|c| c.rust == codegen::diff::Rust::Patch)
    );
    assert!(id_changes[0].detail.contains("Rust name kept"));
}
