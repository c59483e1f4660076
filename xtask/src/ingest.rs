//! `cargo xtask ingest PATH`: takes in a new document. It is validated,
//! compared with the pinned one, pinned in the manifest, and the client is
//! regenerated from it; reviewing snapshot changes is left to the user.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};

use codegen::diff::DiffReport;
use codegen::manifest::{DocumentPin, Manifest, sha256_file};

use crate::paths;

/// Where ingest reads and writes, so tests can point it at a temp dir.
pub struct Workspace {
    pub root: PathBuf,
    pub manifest: PathBuf,
}

/// What the steps before regeneration produced.
pub struct Ingested {
    /// The drift against the pinned document, when it could be compared.
    pub report: Option<DiffReport>,
    /// Why there is no report.
    pub warning: Option<String>,
    pub manifest: Manifest,
}

pub fn run(document: &Path) -> Result<ExitCode> {
    let workspace = Workspace {
        root: paths::root(),
        manifest: paths::manifest(),
    };
    // The report goes to stdout so it can be redirected into a PR comment;
    // progress goes to stderr.
    let ingested = take_in(document, &workspace)?;
    if let Some(warning) = &ingested.warning {
        eprintln!("warning: {warning}");
    }
    if let Some(report) = &ingested.report {
        print!("{}", report.to_markdown());
    }
    let pin = &ingested.manifest.document;
    eprintln!(
        "pinned {} ({} operations, {} schemas, sha256 {}) in {}",
        pin.path.display(),
        pin.operations,
        pin.schemas,
        pin.sha256,
        workspace.manifest.display()
    );

    let generation = crate::generate(None)?;
    crate::write_files(&generation)?;
    eprintln!(
        "regenerated {} files under {}",
        generation.files.len(),
        paths::client_src().display()
    );
    eprintln!(
        "Snapshot changes are not accepted automatically: run `cargo insta test --review` \
         (or `cargo test` then `cargo insta review`), then commit spec/manifest.toml, \
         jumpcloud-client/src and the accepted snapshots together."
    );
    Ok(ExitCode::SUCCESS)
}

/// Validates `document`, compares it with the pinned one and pins it in
/// the workspace's manifest: every step but regeneration.
pub fn take_in(document: &Path, workspace: &Workspace) -> Result<Ingested> {
    let mut manifest = Manifest::read(&workspace.manifest)?;
    let overlays = manifest.overlay_paths(&workspace.manifest);

    // Errors carry the file and the JSON pointer of the offending node.
    let spec = codegen::load::load(document, &overlays)
        .with_context(|| format!("{} is not a usable document", document.display()))?;
    let api = codegen::ir::build(&spec, document)
        .with_context(|| format!("{} is not a usable document", document.display()))?;

    let pinned = workspace.root.join(&manifest.document.path);
    let (report, warning) = match sha256_file(&pinned) {
        Err(e) => (None, Some(format!("no drift report: {e}"))),
        Ok(sha) if sha != manifest.document.sha256 => (
            None,
            Some(format!(
                "no drift report: {} no longer has its pinned checksum (overwritten in place?); \
                 keep the old document and ingest the new one from another path to see the drift",
                pinned.display()
            )),
        ),
        Ok(_) => match codegen::load::load(&pinned, &overlays)
            .and_then(|old| codegen::ir::build(&old, &pinned))
        {
            Ok(old_api) => (Some(codegen::diff::compare(&old_api, &api)), None),
            // Overlays updated for the new document may not apply to the old one.
            Err(e) => (
                None,
                Some(format!(
                    "no drift report: the pinned document does not build with the current overlays: {e}"
                )),
            ),
        },
    };

    manifest.document = DocumentPin {
        path: stored_path(document, &workspace.root)?,
        sha256: sha256_file(document)?,
        operations: api.report.operations_in_spec,
        schemas: api.report.schemas_in_spec,
    };
    manifest.write(&workspace.manifest)?;
    Ok(Ingested {
        report,
        warning,
        manifest,
    })
}

/// The document's path as the manifest stores it: relative to the
/// workspace root when the document is inside it or beside it (so the
/// manifest works from any checkout location), absolute otherwise.
fn stored_path(document: &Path, root: &Path) -> Result<PathBuf> {
    let document = std::fs::canonicalize(document)
        .with_context(|| format!("resolving {}", document.display()))?;
    let root =
        std::fs::canonicalize(root).with_context(|| format!("resolving {}", root.display()))?;
    if let Ok(inside) = document.strip_prefix(&root) {
        return Ok(inside.to_path_buf());
    }
    // Beside the root means under its parent, unless that parent is the
    // filesystem root, where "beside" would mean anywhere.
    if let Some(parent) = root.parent().filter(|p| p.parent().is_some())
        && let Ok(beside) = document.strip_prefix(parent)
    {
        return Ok(Path::new("..").join(beside));
    }
    Ok(document)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../codegen/tests/fixtures/diff")
            .join(name)
    }

    /// `<tmp>/parent/root/spec/manifest.toml` pinning `pinned.yaml` in the root.
    fn workspace(name: &str) -> (Workspace, PathBuf) {
        let parent =
            std::env::temp_dir().join(format!("xtask-ingest-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&parent);
        let root = parent.join("root");
        std::fs::create_dir_all(root.join("spec")).unwrap();
        let pinned = root.join("pinned.yaml");
        std::fs::copy(fixture("operations_old.yaml"), &pinned).unwrap();
        let manifest = Manifest {
            document: DocumentPin {
                path: "pinned.yaml".into(),
                sha256: sha256_file(&pinned).unwrap(),
                operations: 0,
                schemas: 0,
            },
            overlays: Vec::new(),
        };
        let manifest_path = root.join("spec/manifest.toml");
        manifest.write(&manifest_path).unwrap();
        (
            Workspace {
                root,
                manifest: manifest_path,
            },
            parent,
        )
    }

    #[test]
    fn reports_drift_and_pins_the_new_document_relative_to_the_root() {
        let (ws, parent) = workspace("inside");
        let new = ws.root.join("specs/new.yaml");
        std::fs::create_dir_all(new.parent().unwrap()).unwrap();
        std::fs::copy(fixture("operations_new.yaml"), &new).unwrap();

        let ingested = take_in(&new, &ws).unwrap();
        let report = ingested.report.expect("a drift report");
        assert!(report.has_breaking());
        assert!(ingested.warning.is_none());

        let written = Manifest::read(&ws.manifest).unwrap();
        assert_eq!(written, ingested.manifest);
        assert_eq!(written.document.path, Path::new("specs/new.yaml"));
        assert_eq!(written.document.sha256, sha256_file(&new).unwrap());
        assert_eq!(written.document.operations, 4);
        assert_eq!(written.document.schemas, 1);
        let text = std::fs::read_to_string(&ws.manifest).unwrap();
        assert!(text.contains("cargo xtask ingest"), "{text}");
        let _ = std::fs::remove_dir_all(parent);
    }

    #[test]
    fn a_document_beside_the_root_is_pinned_with_dot_dot() {
        let (ws, parent) = workspace("beside");
        let new = parent.join("shared/new.yaml");
        std::fs::create_dir_all(new.parent().unwrap()).unwrap();
        std::fs::copy(fixture("operations_new.yaml"), &new).unwrap();
        let ingested = take_in(&new, &ws).unwrap();
        assert_eq!(
            ingested.manifest.document.path,
            Path::new("../shared/new.yaml")
        );
        // The stored path resolves from the root, as `generate` reads it.
        assert_eq!(
            sha256_file(&ws.root.join(&ingested.manifest.document.path)).unwrap(),
            ingested.manifest.document.sha256
        );
        let _ = std::fs::remove_dir_all(parent);
    }

    #[test]
    fn a_pinned_document_overwritten_in_place_gives_a_warning_not_a_false_report() {
        let (ws, parent) = workspace("overwritten");
        let pinned = ws.root.join("pinned.yaml");
        std::fs::copy(fixture("operations_new.yaml"), &pinned).unwrap();
        let ingested = take_in(&pinned, &ws).unwrap();
        assert!(ingested.report.is_none());
        assert!(
            ingested.warning.as_deref().unwrap().contains("checksum"),
            "{:?}",
            ingested.warning
        );
        assert_eq!(ingested.manifest.document.path, Path::new("pinned.yaml"));
        let _ = std::fs::remove_dir_all(parent);
    }

    #[test]
    fn an_invalid_document_names_file_and_pointer_and_leaves_the_manifest_alone() {
        let (ws, parent) = workspace("invalid");
        let before = std::fs::read_to_string(&ws.manifest).unwrap();
        let bad = ws.root.join("bad.yaml");
        std::fs::write(
            &bad,
            "openapi: 3.0.3\ninfo: {title: Bad, version: '1'}\npaths:\n  /things/{id}:\n    get:\n      responses:\n        '200': {description: ok}\n",
        )
        .unwrap();
        let error = format!("{:#}", take_in(&bad, &ws).err().expect("invalid"));
        assert!(
            error.contains("bad.yaml#/paths/~1things~1{id}/get"),
            "{error}"
        );
        assert!(
            error.contains("path parameter `id` is not declared"),
            "{error}"
        );
        assert_eq!(std::fs::read_to_string(&ws.manifest).unwrap(), before);
        let _ = std::fs::remove_dir_all(parent);
    }
}
