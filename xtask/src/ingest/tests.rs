//! `ingest` end to end on a temporary copy of the workspace: the real
//! 413 → 416 update, a re-run, and the failure paths, each of which must
//! leave every file as it was.
//!
//! Expected figures come from `../shared/spec/README.md` and from the raw
//! documents, not from the generator.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use codegen::manifest::{DocumentPin, Manifest};

use super::{apply, plan};
use crate::paths::Workspace;

const OLD: &str = "jumpcloud-v2.openapi.yaml";
const NEW: &str = "jumpcloud-v2-source.openapi.yaml";
/// From `../shared/spec/README.md`.
const OLD_SHA: &str = "1ed9fc24544315b492584a71593916bf422e04001e544a398677968f7c36a107";
const NEW_SHA: &str = "bc608db21e3a3e14ef7fdbf6a4160fe3b7498640e191dbe83f9dd818f32b0cc2";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn shared_spec() -> PathBuf {
    repo().join("../shared/spec")
}

/// `<tmp>/main` holding the parts of the workspace ingest reads and writes,
/// pinned to the 413-operation document, with `<tmp>/shared` a symlink to
/// the real `shared/` (as a checkout sees it).
fn workspace_copy(name: &str) -> (Workspace, PathBuf) {
    workspace_copy_pinned(name, OLD, OLD_SHA, (413, 731))
}

fn workspace_copy_pinned(
    name: &str,
    document: &str,
    sha256: &str,
    (operations, schemas): (usize, usize),
) -> (Workspace, PathBuf) {
    let base = std::env::temp_dir().join(format!("xtask-ingest-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let root = base.join("main");
    for dir in ["spec/overlays", "jumpcloud-client"] {
        std::fs::create_dir_all(root.join(dir)).unwrap();
    }
    copy_tree(&repo().join("spec/overlays"), &root.join("spec/overlays"));
    copy_tree(
        &repo().join("jumpcloud-client/src"),
        &root.join("jumpcloud-client/src"),
    );
    // The crate as it was before the update, at 0.1.0.
    let cargo = std::fs::read_to_string(repo().join("jumpcloud-client/Cargo.toml")).unwrap();
    let cargo = crate::release::set_package_version(&cargo, "0.1.0").unwrap();
    std::fs::write(root.join("jumpcloud-client/Cargo.toml"), cargo).unwrap();
    std::os::unix::fs::symlink(
        std::fs::canonicalize(shared_spec().parent().unwrap()).unwrap(),
        base.join("shared"),
    )
    .unwrap();
    let committed = Manifest::read(&repo().join("spec/manifest.toml")).unwrap();
    std::fs::copy(
        repo().join("spec/generator.toml"),
        root.join("spec/generator.toml"),
    )
    .unwrap();
    let manifest = Manifest {
        settings: committed.settings,
        document: DocumentPin {
            path: Path::new("../shared/spec").join(document),
            source: None,
            sha256: sha256.into(),
            operations,
            schemas,
        },
        overlays: committed.overlays,
        names: None,
        upstream: None,
        documents: Vec::new(),
    };
    let workspace = Workspace::at(root);
    manifest.write(&workspace.manifest()).unwrap();
    (workspace, base)
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file under `dir` with its contents, to show nothing was written.
fn contents(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.insert(path.clone(), std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

/// `operationId`s in a raw document of `../shared/spec`, read without the
/// generator.
fn operation_ids(file: &str) -> std::collections::BTreeSet<String> {
    ids_in(&shared_spec().join(file))
}

#[test]
fn the_real_update_pins_regenerates_bumps_and_reports_then_a_rerun_writes_nothing() {
    let (ws, base) = workspace_copy("update");
    let new = base.join("shared/spec").join(NEW);

    let planned = plan(
        &new,
        Some("https://example.invalid/openapi.yaml".into()),
        &ws,
    )
    .unwrap();
    assert!(!planned.already_pinned);
    // The new document dropped most examples (inline schemas lost theirs).
    assert!(
        planned.examples.0 > planned.examples.1,
        "{:?}",
        planned.examples
    );
    apply(&planned, &ws).unwrap();

    let pinned = Manifest::read(&ws.manifest()).unwrap().document;
    assert_eq!(pinned.path, Path::new("../shared/spec").join(NEW));
    assert_eq!(pinned.sha256, NEW_SHA);
    assert_eq!((pinned.operations, pinned.schemas), (416, 669));
    assert_eq!(
        pinned.source.as_deref(),
        Some("https://example.invalid/openapi.yaml")
    );

    // The operations the new document adds, by the raw documents.
    let added: Vec<String> = operation_ids(NEW)
        .difference(&operation_ids(OLD))
        .cloned()
        .collect();
    assert_eq!(added.len(), 3, "{added:?}");
    let report = std::fs::read_to_string(ws.drift_report()).unwrap();
    for id in &added {
        assert!(
            planned
                .report
                .changes
                .iter()
                .any(
                    |c| c.kind.as_str() == "operation-added" && c.detail.contains(id.as_str())
                        || c.location.contains(id.as_str())
                ),
            "{id} is not reported as added"
        );
    }
    assert!(report.contains("operation-added"), "{report}");

    // The report has breaking Rust changes, so 0.y.z becomes 0.(y+1).0.
    let cargo = std::fs::read_to_string(ws.client_cargo_toml()).unwrap();
    assert!(planned.report.has_major());
    assert!(cargo.contains("version = \"0.2.0\""), "{cargo}");
    let changelog = std::fs::read_to_string(ws.changelog()).unwrap();
    assert!(changelog.contains("## 0.2.0"), "{changelog}");
    assert!(changelog.contains(NEW_SHA), "{changelog}");

    // The regenerated client calls the new operations: the generated
    // all-operations test names every operationId of the document.
    let all_ops =
        std::fs::read_to_string(ws.root.join("jumpcloud-client/tests/all_operations.rs")).unwrap();
    for id in &added {
        assert!(all_ops.contains(id.as_str()), "{id} not generated");
    }

    // Again on the pinned document: says so, writes nothing.
    let before = contents(&ws.root);
    let again = plan(&new, None, &ws).unwrap();
    assert!(again.already_pinned);
    assert_eq!(contents(&ws.root), before);
    let _ = std::fs::remove_dir_all(base);
}

#[test]
fn every_stale_overlay_action_is_named_and_nothing_is_written() {
    let (ws, base) = workspace_copy("stale");
    let overlay = ws.root.join("spec/overlays/stale.yaml");
    std::fs::write(
        &overlay,
        "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  \
         - target: $.paths['/nowhere']\n    remove: true\n  \
         - target: $.paths['/neither'].get\n    remove: true\n",
    )
    .unwrap();
    let mut manifest = Manifest::read(&ws.manifest()).unwrap();
    manifest.overlays.push("overlays/stale.yaml".into());
    manifest.write(&ws.manifest()).unwrap();
    let before = contents(&ws.root);

    let error = plan(&base.join("shared/spec").join(NEW), None, &ws)
        .err()
        .expect("a stale overlay stops ingest");
    let text = format!("{error:#}");
    assert!(text.contains("stale.yaml#/actions/0/target"), "{text}");
    assert!(text.contains("stale.yaml#/actions/1/target"), "{text}");
    assert_eq!(contents(&ws.root), before);
    let _ = std::fs::remove_dir_all(base);
}

#[test]
fn an_invalid_document_names_file_and_pointer_and_nothing_is_written() {
    let (ws, base) = workspace_copy("invalid");
    let bad = base.join("bad.yaml");
    std::fs::write(
        &bad,
        "openapi: 3.0.3\ninfo: {title: Bad, version: '1'}\npaths:\n  /things/{id}:\n    get:\n      responses:\n        '200': {description: ok}\n",
    )
    .unwrap();
    let before = contents(&ws.root);
    let error = plan(&bad, None, &ws).err().expect("invalid");
    let text = format!("{error:#}");
    assert!(
        text.contains("bad.yaml#/paths/~1things~1{id}/get"),
        "{text}"
    );
    assert_eq!(contents(&ws.root), before);
    let _ = std::fs::remove_dir_all(base);
}

#[test]
fn a_missing_baseline_document_stops_ingest_before_anything_is_written() {
    let (ws, base) = workspace_copy("no-baseline");
    let mut manifest = Manifest::read(&ws.manifest()).unwrap();
    manifest.document.path = "../shared/spec/gone.yaml".into();
    manifest.write(&ws.manifest()).unwrap();
    let before = contents(&ws.root);
    let error = plan(&base.join("shared/spec").join(NEW), None, &ws)
        .err()
        .expect("no baseline, no report, no ingest");
    let text = format!("{error:#}");
    assert!(text.contains("gone.yaml"), "{text}");
    assert!(text.contains("JUMPCLOUD_SPEC"), "{text}");
    assert_eq!(contents(&ws.root), before);
    let _ = std::fs::remove_dir_all(base);
}

fn git(dir: &Path, args: &[&str]) {
    let status = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid"])
        .args(args)
        .output()
        .unwrap();
    assert!(status.status.success(), "git {args:?}: {status:?}");
}

/// The baseline is the commit: dropping an overlay in the working tree
/// changes the generated client, and the report must say how, although the
/// document is the same.
#[test]
fn an_overlay_edit_since_the_commit_is_reported_as_drift() {
    let (ws, base) = workspace_copy_pinned("overlay-edit", NEW, NEW_SHA, (416, 669));
    let extra = ws.root.join("spec/overlays/extra.yaml");
    std::fs::write(
        &extra,
        "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  \
         - target: $.paths['/gsuites/{gsuite_id}/import/jumpcloudusers'].get.parameters[?@.name == 'allowEmptyFields']\n    \
         remove: true\n",
    )
    .unwrap();
    let mut manifest = Manifest::read(&ws.manifest()).unwrap();
    manifest.overlays.push("overlays/extra.yaml".into());
    manifest.write(&ws.manifest()).unwrap();
    git(&ws.root, &["init", "-q"]);
    git(&ws.root, &["add", "."]);
    git(&ws.root, &["commit", "-q", "-m", "before"]);

    // Same document, one overlay fewer than committed.
    manifest.overlays.pop();
    manifest.write(&ws.manifest()).unwrap();
    let planned = plan(&base.join("shared/spec").join(NEW), None, &ws).unwrap();
    assert!(!planned.already_pinned);
    let rows: Vec<(&str, &str, &str)> = planned
        .report
        .changes
        .iter()
        .map(|c| (c.kind.as_str(), c.location.as_str(), c.rust.as_str()))
        .collect();
    assert_eq!(
        rows,
        [(
            "parameter-added",
            "GET /gsuites/{gsuite_id}/import/jumpcloudusers [query allowEmptyFields]",
            "minor"
        )]
    );
    assert_eq!(planned.version, ("0.1.0".to_string(), "0.1.1".to_string()));
    let _ = std::fs::remove_dir_all(base);
}

/// `ingest --upstream` against a local server standing in for the
/// publisher, with the manifest's `upstream` pointing at it.
fn follow(ws: &Workspace, url: &str) -> anyhow::Result<super::upstream::Pulled> {
    let mut manifest = Manifest::read(&ws.manifest()).unwrap();
    manifest.upstream = Some(url.to_string());
    manifest.write(&ws.manifest()).unwrap();
    super::upstream::pull(ws, &crate::http::Http::loopback())
}

#[test]
fn following_upstream_takes_in_a_new_publication_and_keeps_its_bytes() {
    let (ws, base) = workspace_copy("upstream-new");
    let served = std::fs::read(shared_spec().join(NEW)).unwrap();
    let server = crate::test_server::serve("200 OK", served.clone());

    let pulled = follow(&ws, &server.url).unwrap();
    assert!(
        matches!(pulled, super::upstream::Pulled::Ingested { .. }),
        "{pulled:?}"
    );
    assert_eq!(server.hits(), 1);
    let saved = Path::new("spec/published/127.0.0.1/jumpcloud/openapi.yaml");
    assert_eq!(std::fs::read(ws.root.join(saved)).unwrap(), served);
    let manifest = Manifest::read(&ws.manifest()).unwrap();
    assert_eq!(manifest.document.path, saved);
    assert_eq!(manifest.document.sha256, NEW_SHA);
    assert_eq!(
        (manifest.document.operations, manifest.document.schemas),
        (416, 669)
    );
    assert_eq!(manifest.upstream.as_deref(), Some(server.url.as_str()));
    let changelog = std::fs::read_to_string(ws.changelog()).unwrap();
    assert!(changelog.contains(NEW_SHA), "{changelog}");
    let report = std::fs::read_to_string(ws.drift_report()).unwrap();
    for id in operation_ids(NEW).difference(&operation_ids(OLD)) {
        assert!(report.contains(id.as_str()), "{id} missing from the report");
    }
    let _ = std::fs::remove_dir_all(base);
}

#[test]
fn following_upstream_when_it_serves_the_pinned_bytes_writes_nothing() {
    let (ws, base) = workspace_copy("upstream-same");
    let server =
        crate::test_server::serve("200 OK", std::fs::read(shared_spec().join(OLD)).unwrap());
    follow(&ws, &server.url).unwrap();
    let before = contents(&ws.root);
    let pulled = follow(&ws, &server.url).unwrap();
    match pulled {
        super::upstream::Pulled::Unchanged { sha256, .. } => assert_eq!(sha256, OLD_SHA),
        other => panic!("{other:?}"),
    }
    assert_eq!(contents(&ws.root), before);
    assert!(!ws.root.join("spec/published").exists());
    let _ = std::fs::remove_dir_all(base);
}

#[test]
fn following_upstream_to_a_broken_publication_changes_nothing() {
    let (ws, base) = workspace_copy("upstream-broken");
    // A publication cut off halfway, as an interrupted deploy would serve it.
    let whole = std::fs::read(shared_spec().join(NEW)).unwrap();
    let cut = whole[..whole.len() / 2].to_vec();
    let truncated = crate::test_server::serve("200 OK", cut);
    let failing = crate::test_server::serve("503 Service Unavailable", &b"try later"[..]);
    // The manifest is rewritten once to point at each server; what follows
    // must leave the tree as that left it.
    follow(&ws, &failing.url).unwrap_err();
    let before = contents(&ws.root);
    let error = follow(&ws, &failing.url).unwrap_err();
    let text = format!("{error:#}");
    assert!(text.contains("503"), "{text}");
    assert!(text.contains(&failing.url), "{text}");
    assert_eq!(contents(&ws.root), before);

    follow(&ws, &truncated.url).unwrap_err();
    let before = contents(&ws.root);
    let error = follow(&ws, &truncated.url).unwrap_err();
    let text = format!("{error:#}");
    assert!(text.contains("cannot be taken in"), "{text}");
    assert!(text.contains("openapi.yaml"), "{text}");
    assert_eq!(contents(&ws.root), before);
    assert!(!ws.root.join("spec/published").exists());
    let _ = std::fs::remove_dir_all(base);
}

/// `<tmp>/main` mounting API v1 pinned to `v1_document`, as the real
/// workspace does (its settings, overlays and module), with the main
/// document as committed.
fn workspace_with_v1(name: &str, v1_document: &str) -> (Workspace, PathBuf) {
    let (main, base) = workspace_copy(name);
    let root = main.root.clone();
    let mut manifest = Manifest::read(&main.manifest()).unwrap();
    manifest.documents = vec!["v1/manifest.toml".into()];
    manifest.write(&main.manifest()).unwrap();
    copy_tree(
        &repo().join("spec/v1/overlays"),
        &root.join("spec/v1/overlays"),
    );
    std::fs::copy(
        repo().join("spec/v1/generator.toml"),
        root.join("spec/v1/generator.toml"),
    )
    .unwrap();
    let committed = Manifest::read(&repo().join("spec/v1/manifest.toml")).unwrap();
    let path = Path::new("../shared/upstream/v1").join(v1_document);
    let v1 = Manifest {
        document: DocumentPin {
            sha256: codegen::manifest::sha256_file(&root.join(&path)).unwrap(),
            operations: operations_in(&root.join(&path)),
            schemas: 0,
            path,
            source: None,
        },
        names: None,
        upstream: None,
        documents: Vec::new(),
        ..committed
    };
    v1.write(&root.join("spec/v1/manifest.toml")).unwrap();
    let workspace = main.with_document(Some("v1")).unwrap();
    (workspace, base)
}

/// Operations in a raw document, counted without the generator.
fn operations_in(document: &Path) -> usize {
    let raw = codegen::load::read_tree(document).unwrap();
    raw["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().keys())
        .filter(|method| {
            [
                "get", "put", "post", "delete", "patch", "head", "options", "trace",
            ]
            .contains(&method.as_str())
        })
        .count()
}

/// `operationId`s in a raw document, read without the generator.
fn ids_in(document: &Path) -> std::collections::BTreeSet<String> {
    let raw = codegen::load::read_tree(document).unwrap();
    raw["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().values())
        .filter_map(|op| op.get("operationId")?.as_str().map(String::from))
        .collect()
}

#[test]
fn a_mounted_document_ingests_on_its_own_into_its_module_and_report() {
    const OLD_V1: &str = "2024-04-09_ead875c1.yaml";
    const NEW_V1: &str = "2026-08-13_025da0c8.yaml";
    let (ws, base) = workspace_with_v1("v1", OLD_V1);
    let new = base.join("shared/upstream/v1").join(NEW_V1);
    let main_files = |root: &Path| {
        let mut files = contents(&root.join("jumpcloud-client/src"));
        files.retain(|path, _| !path.starts_with(root.join("jumpcloud-client/src/v1")));
        files.extend(
            contents(&root.join("spec"))
                .into_iter()
                .filter(|(path, _)| !path.starts_with(root.join("spec/v1"))),
        );
        files
    };
    let main_before = main_files(&ws.root);

    let planned = plan(&new, None, &ws).unwrap();
    apply(&planned, &ws).unwrap();

    // The v1 pin moved, with the raw document's figures.
    let pinned = Manifest::read(&ws.root.join("spec/v1/manifest.toml"))
        .unwrap()
        .document;
    assert_eq!(pinned.path, Path::new("../shared/upstream/v1").join(NEW_V1));
    assert_eq!(pinned.operations, operations_in(&new));
    // Its report is its own, beside its manifest; the main one is untouched.
    assert_eq!(ws.drift_report(), ws.root.join("spec/v1/drift-report.md"));
    let report = std::fs::read_to_string(ws.drift_report()).unwrap();
    let old = base.join("shared/upstream/v1").join(OLD_V1);
    let added: Vec<String> = ids_in(&new).difference(&ids_in(&old)).cloned().collect();
    assert!(!added.is_empty(), "the versions differ by operations");
    for id in &added {
        assert!(report.contains(id.as_str()), "{id} missing from\n{report}");
    }
    // Only v1's files and its own spec folder changed, and the crate's
    // version and changelog.
    assert_eq!(main_files(&ws.root), main_before);
    assert!(
        ws.root
            .join("jumpcloud-client/src/v1/apis/mod.rs")
            .is_file()
    );
    let changelog = std::fs::read_to_string(ws.changelog()).unwrap();
    assert!(changelog.contains(&pinned.sha256), "{changelog}");
    let _ = std::fs::remove_dir_all(base);
}

#[test]
fn an_unknown_document_is_named_with_the_ones_there_are() {
    let (ws, base) = workspace_with_v1("unknown", "2026-08-13_025da0c8.yaml");
    let main = Workspace::at(ws.root.clone());
    let error = main.with_document(Some("v3")).unwrap_err().to_string();
    assert!(error.contains("`v3`") && error.contains("v1"), "{error}");
    let _ = std::fs::remove_dir_all(base);
}
