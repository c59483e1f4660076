//! `cargo xtask ingest PATH`: takes in a new document.
//!
//! Everything is computed before anything is written: the new document is
//! loaded with the overlays and rendered, the drift against the committed
//! baseline is reported, and the next crate version and changelog entry are
//! derived from the report. Only when all of that succeeded are the client
//! files, the crate version, the changelog, the report and finally the pin
//! written. Any failure leaves the workspace as it was.

use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use codegen::Generation;
use codegen::diff::DiffReport;
use codegen::manifest::{DocumentPin, Manifest, sha256_file};

use crate::baseline::Baseline;
use crate::files;
use crate::paths::Workspace;
use crate::release;

/// What ingesting a document would write, computed without writing.
pub struct Plan {
    pub report: DiffReport,
    pub generation: Generation,
    pub manifest: Manifest,
    /// The client crate's version before and after.
    pub version: (String, String),
    /// The new `Cargo.toml` and `CHANGELOG.md` texts of the client crate.
    pub cargo_toml: String,
    pub changelog: String,
    /// The document is already pinned and nothing the client sees changed.
    pub already_pinned: bool,
    /// Examples the round-trip test checks, before and after: an update
    /// that drops examples drops test coverage, which no diff shows.
    pub examples: (usize, usize),
}

pub fn run(document: &Path, source: Option<String>, workspace: &Workspace) -> Result<ExitCode> {
    let workspace = workspace.clone();
    let plan = plan(document, source, &workspace).context("nothing was written")?;
    if plan.already_pinned {
        // Re-running must not replace the report of the real update.
        eprintln!(
            "{} is already pinned (sha256 {}) and the client it gives is unchanged; \
             nothing written, {} kept",
            document.display(),
            plan.manifest.document.sha256,
            workspace.drift_report().display()
        );
        if let Ok(kept) = std::fs::read_to_string(workspace.drift_report()) {
            print!("{kept}");
        }
        return Ok(ExitCode::SUCCESS);
    }
    apply(&plan, &workspace)?;
    // The comment goes to stdout so it can be piped into a PR comment;
    // progress goes to stderr. The full reports are the files it names.
    print!("{}", comment(&plan.report, &workspace));
    let pin = &plan.manifest.document;
    eprintln!(
        "pinned {} ({} operations, {} schemas, sha256 {})",
        pin.path.display(),
        pin.operations,
        pin.schemas,
        pin.sha256,
    );
    eprintln!(
        "regenerated {} files; jumpcloud-client {} -> {}; report in {}",
        plan.generation.files.len(),
        plan.version.0,
        plan.version.1,
        workspace.drift_report().display()
    );
    let (before, after) = plan.examples;
    eprintln!("examples checked by the round-trip test: {before} -> {after}");
    if after < before {
        eprintln!(
            "warning: the new document has {} fewer examples; the round-trip test covers less",
            before - after
        );
    }
    eprintln!(
        "Next: review snapshot changes (`cargo insta review`, or \
         `INSTA_UPDATE=always cargo test -p codegen` and `git diff`), then commit spec/, \
         jumpcloud-client/ and codegen/tests/snapshots together."
    );
    Ok(ExitCode::SUCCESS)
}

/// Validates `document`, renders the client from it and compares it with
/// the committed baseline. Reads only.
pub fn plan(document: &Path, source: Option<String>, workspace: &Workspace) -> Result<Plan> {
    let manifest_path = workspace.manifest();
    let current = Manifest::read(&manifest_path)?;
    let overlays = current.overlay_paths(&manifest_path);
    let settings = current.settings(&manifest_path)?;

    // Errors carry the file and the JSON pointer of the offending node; a
    // stale overlay action is listed with the others and blames the overlay.
    let mut generation = codegen::generate(document, &overlays, &settings)
        .with_context(|| format!("{} cannot be taken in", document.display()))?;
    // The crate's features table, on the main document's generation, also
    // names the documents it mounts; a mounted document leaves it as it is.
    if workspace.document.is_none() {
        crate::documents::set_features(
            &mut generation,
            &crate::documents::generate_mounted(workspace)?,
        );
    }

    // The new side's IR is the one just rendered (its overlays all applied,
    // or `generate` would have failed); only the baseline is built here.
    let baseline = Baseline::committed(workspace)?;
    let (old_api, old_stale) = codegen::load::load_lenient(&baseline.document, &baseline.overlays)
        .and_then(|(spec, stale)| {
            Ok((
                codegen::ir::build(&spec, &baseline.document, &settings)?,
                stale,
            ))
        })
        .context(
            "no drift report against the committed document; \
                 restore it at its pinned path (or its source URL) and run ingest again",
        )?;
    let sha256 = sha256_file(document)?;
    let report = codegen::diff::compare(&old_api, &generation.api)
        .with_sha256(&baseline.pin.sha256, &sha256)
        .with_stale_overlays(codegen::diff::Side::Old, &old_stale);
    let old_examples = codegen::render::example_count(&old_api);

    let already_pinned = sha256 == baseline.pin.sha256 && report.is_empty();
    let stats = &generation.stats;
    let mut manifest = current;
    manifest.document = DocumentPin {
        path: stored_path(document, &workspace.root)?,
        // A URL describes one document: a new document keeps it only if the
        // caller names it again.
        source: source.or_else(|| {
            (sha256 == baseline.pin.sha256)
                .then(|| baseline.pin.source.clone())
                .flatten()
        }),
        sha256,
        operations: stats.operations_in_spec,
        schemas: stats.schemas_in_spec,
    };

    let cargo_toml = std::fs::read_to_string(workspace.client_cargo_toml())
        .with_context(|| format!("reading {}", workspace.client_cargo_toml().display()))?;
    // The bump is taken from the committed version, so running ingest twice
    // before committing does not bump twice.
    let next = match report.summary.rust_bump {
        Some(level) => release::bump(&baseline.version, level)?,
        None => baseline.version.clone(),
    };
    let mut cargo_toml = release::set_package_version(&cargo_toml, &next)?;
    if let Some(table) = &generation.features {
        cargo_toml = files::with_features(&cargo_toml, table);
    }
    // Like the version, the changelog grows from its committed text.
    let changelog = if report.summary.rust_bump.is_some() {
        release::prepend_changelog(
            &baseline.changelog,
            &next,
            &release::entry(&report, &manifest),
        )
    } else {
        baseline.changelog.clone()
    };
    let new_examples = generation.stats.examples;
    Ok(Plan {
        report,
        generation,
        manifest,
        version: (baseline.version, next),
        cargo_toml,
        changelog,
        already_pinned,
        examples: (old_examples, new_examples),
    })
}

/// Writes what `plan` computed; the pin goes last, so an interrupted run
/// leaves the old document pinned and `check` names the half-written files.
pub fn apply(plan: &Plan, workspace: &Workspace) -> Result<()> {
    files::write(&plan.generation, &workspace.client_src())?;
    write(&workspace.client_cargo_toml(), &plan.cargo_toml)?;
    if !plan.changelog.is_empty() {
        write(&workspace.changelog(), &plan.changelog)?;
    }
    write(&workspace.drift_report(), &plan.report.to_markdown())?;
    write(&workspace.drift_report_json(), &plan.report.to_json())?;
    if let Some(lock) = plan.manifest.names_path(&workspace.manifest()) {
        write(&lock, &plan.generation.lock.to_toml())?;
    }
    plan.manifest.write(&workspace.manifest())?;
    Ok(())
}

/// The pull-request comment for `report`, naming the committed full reports.
pub fn comment(report: &codegen::diff::DiffReport, workspace: &Workspace) -> String {
    let relative = |p: PathBuf| {
        p.strip_prefix(&workspace.root)
            .map(|r| r.display().to_string())
            .unwrap_or_else(|_| p.display().to_string())
    };
    report.to_comment(&codegen::diff::FullReports {
        markdown: &relative(workspace.drift_report()),
        json: &relative(workspace.drift_report_json()),
    })
}

fn write(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

/// The document's path relative to the workspace root, as the manifest
/// stores it, so the manifest works from any checkout location.
///
/// The path is made relative lexically, so a document reached through a
/// symlink (`../shared` linked elsewhere) keeps the name the user gave it;
/// canonical paths are the fallback when lexical resolution would point at
/// another file.
fn stored_path(document: &Path, root: &Path) -> Result<PathBuf> {
    let absolute = |p: &Path| {
        std::path::absolute(p)
            .map(|p| normalize(&p))
            .with_context(|| format!("resolving {}", p.display()))
    };
    let lexical = relative_to(&absolute(document)?, &absolute(root)?);
    if let Some(rel) = &lexical
        && same_file(&root.join(rel), document)
    {
        return Ok(rel.clone());
    }
    let canonical =
        |p: &Path| std::fs::canonicalize(p).with_context(|| format!("resolving {}", p.display()));
    match relative_to(&canonical(document)?, &canonical(root)?) {
        Some(rel) => Ok(rel),
        None => bail!(
            "{} cannot be named relative to the workspace {}",
            document.display(),
            root.display()
        ),
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Drops `.` and folds `..` without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// `path` relative to `base`, both absolute and normalized; `None` when
/// they do not share a root (another drive).
fn relative_to(path: &Path, base: &Path) -> Option<PathBuf> {
    let path: Vec<Component> = path.components().collect();
    let base: Vec<Component> = base.components().collect();
    if path.first() != base.first() {
        return None;
    }
    let common = path.iter().zip(&base).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..base.len() {
        out.push("..");
    }
    for c in &path[common..] {
        out.push(c.as_os_str());
    }
    Some(out)
}

#[cfg(test)]
mod tests;
pub mod upstream;

#[cfg(test)]
mod stored_path_tests {
    use super::*;

    #[test]
    fn relative_paths_climb_out_of_the_root() {
        let rel = relative_to(Path::new("/w/shared/spec/a.yaml"), Path::new("/w/main")).unwrap();
        assert_eq!(rel, Path::new("../shared/spec/a.yaml"));
        let rel = relative_to(Path::new("/w/main/specs/a.yaml"), Path::new("/w/main")).unwrap();
        assert_eq!(rel, Path::new("specs/a.yaml"));
        let rel = relative_to(Path::new("/x/y/a.yaml"), Path::new("/w/main")).unwrap();
        assert_eq!(rel, Path::new("../../x/y/a.yaml"));
        assert_eq!(
            normalize(Path::new("/w/main/../shared/./a.yaml")),
            Path::new("/w/shared/a.yaml")
        );
    }

    #[test]
    fn a_document_behind_a_symlink_keeps_a_relative_name() {
        let base = std::env::temp_dir().join(format!("xtask-symlink-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let real = base.join("elsewhere/spec");
        std::fs::create_dir_all(&real).unwrap();
        std::fs::write(real.join("doc.yaml"), "openapi: 3.0.0\n").unwrap();
        let root = base.join("work/main");
        std::fs::create_dir_all(&root).unwrap();
        std::os::unix::fs::symlink(base.join("elsewhere"), base.join("work/shared")).unwrap();
        let stored = stored_path(&root.join("../shared/spec/doc.yaml"), &root).unwrap();
        assert_eq!(stored, Path::new("../shared/spec/doc.yaml"));
        assert!(root.join(&stored).is_file());
        let _ = std::fs::remove_dir_all(&base);
    }
}
