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
