//! Every document JumpCloud published (`../shared/upstream/`: v2, v1,
//! Directory Insights and the Console document, Swagger 2.0, OpenAPI 3.0.1
//! and 3.1.0) loads through the front ends and builds a model. The
//! operations the model holds are counted against the raw file, read here
//! without the generator.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn upstream() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/upstream")
}

fn documents() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for folder in ["v2", "v1", "insights", "console"] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(upstream().join(folder))
            .unwrap_or_else(|e| panic!("{folder}: {e}"))
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.extension().is_some_and(|e| e == "yaml")
                    && !p.to_string_lossy().contains("operation-id-mapping")
            })
            .collect();
        files.sort();
        out.extend(files);
    }
    out
}

/// `METHOD path` of every operation, read from the raw YAML by hand.
fn raw_operations(path: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(path).unwrap();
    let raw: serde_json::Value = serde_yaml::from_str(&text).unwrap();
    let methods = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    let mut out = BTreeSet::new();
    for (template, item) in raw["paths"].as_object().unwrap() {
        for method in methods {
            if item.get(method).is_some() {
                out.insert(format!("{} {template}", method.to_uppercase()));
            }
        }
    }
    out
}

#[test]
fn every_published_document_loads_and_models_every_operation() {
    let documents = documents();
    assert!(
        documents.len() >= 35,
        "found only {} documents",
        documents.len()
    );
    let mut failures = Vec::new();
    for path in &documents {
        let built = codegen::load::load(path, &[])
            .and_then(|spec| codegen::ir::build(&spec, path, &codegen::Settings::default()));
        match built {
            Ok(api) => {
                let modelled: BTreeSet<String> = api
                    .modules
                    .iter()
                    .flat_map(|m| &m.operations)
                    .map(|op| format!("{} {}", op.method, op.path))
                    .collect();
                let expected = raw_operations(path);
                if modelled != expected {
                    failures.push(format!(
                        "{}: {} operations modelled, {} in the file",
                        path.display(),
                        modelled.len(),
                        expected.len()
                    ));
                }
            }
            Err(e) => failures.push(e.to_string()),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The overlays `spec/manifest.toml` names, as `ingest` applies them.
fn manifest_overlays() -> Vec<PathBuf> {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let manifest_path = workspace.join("spec/manifest.toml");
    codegen::manifest::Manifest::read(&manifest_path)
        .unwrap()
        .overlay_paths(&manifest_path)
}

#[test]
fn the_overlays_fit_every_published_v2_version() {
    let overlays = manifest_overlays();
    let mut failures = Vec::new();
    for path in documents()
        .iter()
        .filter(|p| p.to_string_lossy().contains("/v2/"))
    {
        if let Err(e) = codegen::load::load(path, &overlays) {
            failures.push(e.to_string());
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn raw(path: &Path) -> serde_json::Value {
    serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// `(kind, location)` of every change between two versions, without overlays.
fn drift(old: &str, new: &str) -> BTreeSet<(String, String)> {
    let (old, new) = (upstream().join(old), upstream().join(new));
    let report =
        codegen::diff::diff_documents(&old, &[], &new, &[], &codegen::Settings::default()).unwrap();
    report
        .changes
        .iter()
        .map(|c| (c.kind.as_str().to_string(), c.location.clone()))
        .collect()
}

fn set(items: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    items
        .iter()
        .map(|(k, l)| (k.to_string(), l.to_string()))
        .collect()
}

#[test]
fn the_switch_from_swagger_2_to_openapi_3_0_shows_only_what_jumpcloud_changed() {
    let (old, new) = ("v2/2026-05-11_eff3a4fb.yaml", "v2/2026-05-12_9a43dd0a.yaml");
    let (a, b) = (raw(&upstream().join(old)), raw(&upstream().join(new)));
    assert_eq!(a["swagger"], "2.0");
    assert_eq!(b["openapi"], "3.0.1");
    assert_eq!(
        raw_operations(&upstream().join(old)),
        raw_operations(&upstream().join(new))
    );
    // What JumpCloud changed, read from the files: the retry-installation
    // path declares its JSON body at the path level in 2.0 (where it applies
    // to the path's one operation), and the 3.0.1 operation has no
    // `requestBody`; the body's schema is gone with it.
    let path = "/softwareapps/{software_app_id}/retry-installation";
    let path_level = a["paths"][path]["parameters"].as_array().unwrap();
    assert!(path_level.iter().any(|p| p["in"] == "body"));
    assert!(b["paths"][path]["post"].get("requestBody").is_none());
    assert!(
        a["definitions"]
            .get("SoftwareAppsRetryInstallationRequest")
            .is_some()
    );
    assert!(
        b["components"]["schemas"]
            .get("SoftwareAppsRetryInstallationRequest")
            .is_none()
    );
    assert_eq!(
        drift(old, new),
        set(&[
            ("request-body-removed", &format!("POST {path} [body]")),
            ("schema-removed", "SoftwareAppsRetryInstallationRequest"),
        ])
    );
}

#[test]
fn the_switch_from_openapi_3_0_to_3_1_shows_only_what_jumpcloud_changed() {
    let (old, new) = ("v2/2026-06-05_92525e26.yaml", "v2/2026-06-11_643afdaa.yaml");
    let (a, b) = (raw(&upstream().join(old)), raw(&upstream().join(new)));
    assert_eq!(a["openapi"], "3.0.1");
    assert_eq!(b["openapi"], "3.1.0");
    assert_eq!(
        raw_operations(&upstream().join(old)),
        raw_operations(&upstream().join(new))
    );
    // What JumpCloud changed, read from the files: `o365.Domain`, the type
    // of `o365.DomainResponse.domain` and of the items of
    // `o365.DomainsListResponse.domains`, became `type: [object, "null"]`:
    // the property is now nullable, the array's items are now `Option`s.
    let (before, after) = (
        &a["components"]["schemas"]["o365.Domain"],
        &b["components"]["schemas"]["o365.Domain"],
    );
    assert_eq!(before["type"], "object");
    assert!(before.get("nullable").is_none());
    assert_eq!(after["type"], serde_json::json!(["object", "null"]));
    assert_eq!(
        b["components"]["schemas"]["o365.DomainResponse"]["properties"]["domain"]["$ref"],
        "#/components/schemas/o365.Domain"
    );
    assert_eq!(
        b["components"]["schemas"]["o365.DomainsListResponse"]["properties"]["domains"]["items"]["$ref"],
        "#/components/schemas/o365.Domain"
    );
    assert_eq!(
        drift(old, new),
        set(&[
            ("property-nullable-changed", "O365DomainResponse.domain"),
            ("property-type-changed", "O365DomainsListResponse.domains"),
        ])
    );
}

#[test]
fn the_413_to_416_update_in_its_original_swagger_form_shows_its_three_operations() {
    let (old, new) = ("v2/2024-04-15_e974d865.yaml", "v2/2024-04-16_a33d2cdf.yaml");
    let added: BTreeSet<String> = raw_operations(&upstream().join(new))
        .difference(&raw_operations(&upstream().join(old)))
        .cloned()
        .collect();
    assert_eq!(added.len(), 3, "{added:?}");
    let reported: BTreeSet<String> = drift(old, new)
        .into_iter()
        .filter(|(kind, _)| kind == "operation-added")
        .map(|(_, location)| location)
        .collect();
    assert_eq!(reported, added);
}
